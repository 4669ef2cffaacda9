import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

// The web app build (`npm run build` → build/client + build/server). Unit tests use vitest.config.ts, which
// deliberately has no Remix plugin.
export default defineConfig({
  plugins: [
    tailwindcss(),
    remix({
      // Loader tests live beside the routes they test.
      ignoredRouteFiles: ["**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        // Not v3_lazyRouteDiscovery: with it, a fetcher loading a resource route (the timeline's forecasts)
        // while a navigation interrupted the route's discovery got "No route matches URL" (a 404 that
        // replaced the page; remix-run/react-router#13114). The app has a dozen routes: the whole manifest
        // ships with the page (ADR 052).
      },
    }),
  ],
  server: { host: "127.0.0.1" },
  // Native and heavy server dependencies stay in node_modules (the runtime image installs production deps).
  ssr: { external: ["@duckdb/node-api"] },
  build: { target: "es2022" },
});
