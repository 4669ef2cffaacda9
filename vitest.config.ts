import { defineConfig } from "vitest/config";

// Unit and integration tests live next to the code they test. Browser flows are in e2e/ (Playwright).
export default defineConfig({
  test: {
    include: [
      "core/**/*.test.ts",
      "cli/**/*.test.ts",
      "mcp/**/*.test.ts",
      "functions/**/*.test.ts",
      "stacks/**/*.test.ts",
      "app/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
