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
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  server: { host: "127.0.0.1" },
  // Native and heavy server dependencies stay in node_modules (the runtime image installs production deps).
  ssr: { external: ["@duckdb/node-api"] },
  build: { target: "es2022" },
});
