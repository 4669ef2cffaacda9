import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./e2e/chromium.ts";

/**
 * Browser flows against the built app (Debian Chromium, never a downloaded browser). Three local servers, all
 * on 127.0.0.1: a fake Bedrock, the app in Bedrock mode (pointed at the fake) and the app in offline mode,
 * both over a small generated store with planted hostile records (e2e/make-store.ts).
 */
// Chosen once in the runner process; workers inherit it through the environment.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const port = Number(process.env.E2E_PORT);
const offlinePort = port + 1;
const bedrockPort = port + 2;
const storeDir = ".trailcast/e2e";
const storePath = `${storeDir}/store.duckdb`;

const common = {
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  TRAILCAST_STORE: storePath,
  TRAILCAST_TRIAGE: `${storeDir}/triage.json`,
  AWS_REGION: "us-east-1",
  // No credential lookups beyond the environment (no instance metadata, no shared files).
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_CONFIG_FILE: "/dev/null",
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 45_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1400, height: 900 },
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: [
    {
      command: `npx tsx e2e/fake-bedrock-main.ts ${bedrockPort}`,
      port: bedrockPort,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // Store (generated once, scored), build, then serve in Bedrock mode against the fake.
      command: `npx tsx e2e/prepare-store.ts ${storeDir} && npm run build && node_modules/.bin/remix-serve build/server/index.js`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 240_000,
      env: {
        ...common,
        PORT: String(port),
        TRAILCAST_CHAT: "bedrock",
        BEDROCK_ENDPOINT: `http://127.0.0.1:${bedrockPort}`,
        BEDROCK_MODEL_ID: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        AWS_ACCESS_KEY_ID: "AKIAFAKEFORTESTS0000",
        AWS_SECRET_ACCESS_KEY: "fake-secret-for-the-local-fake-bedrock",
      },
    },
    {
      command: "node_modules/.bin/remix-serve build/server/index.js",
      url: `http://127.0.0.1:${offlinePort}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { ...common, PORT: String(offlinePort), TRAILCAST_CHAT: "offline" },
    },
  ],
});

export const OFFLINE_URL = `http://127.0.0.1:${offlinePort}`;
