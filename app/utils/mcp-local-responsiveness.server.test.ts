import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestStore, type TestStore } from "../../e2e/make-store.ts";
import { closeDeps, createLocalDeps } from "../../mcp/deps.ts";
import { inProcessTransport } from "../../mcp/server.ts";
import { startLocalServer } from "./mcp-local.server.ts";

// The reason the local MCP server runs in a worker thread: building the behaviour model (the first prediction
// when the store has no current model file) holds its thread for seconds; the web server's must stay free.
let dir: string;
let store: TestStore;
const EVENTS = 30_000;
const PRINCIPAL = "arn:aws:iam::111122223333:user/mallory";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-lag-"));
  store = await makeTestStore(dir, EVENTS);
  // Score once (persisted in the store); the model file this writes is removed before each measurement.
  closeDeps(await createLocalDeps({ storePath: store.storePath }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first prediction over `transport` (model rebuilt), and the worst lateness of a 10 ms timer meanwhile. */
async function firstPrediction(transport: Transport): Promise<{ ms: number; worstLagMs: number }> {
  const client = new Client({ name: "lag-test", version: "0.0.0" });
  await client.connect(transport);
  let worstLagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstLagMs = Math.max(worstLagMs, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  try {
    const result = await client.callTool(
      { name: "predict_next_actions", arguments: { principal: PRINCIPAL, k: 3 } },
      undefined,
      { timeout: 120_000 },
    );
    expect(result.isError).not.toBe(true);
    return { ms: performance.now() - started, worstLagMs };
  } finally {
    clearInterval(timer);
    await client.close();
  }
}

describe("the web server's event loop while the model is built", () => {
  it("stays responsive with the MCP server in a worker (and would not in-process)", async () => {
    rmSync(`${store.storePath}.model.json.gz`, { force: true });
    const deps = await createLocalDeps({ storePath: store.storePath });
    const inProcess = await firstPrediction(await inProcessTransport(deps)).finally(() => closeDeps(deps));

    rmSync(`${store.storePath}.model.json.gz`, { force: true });
    const server = await startLocalServer(store.storePath);
    const inWorker = await firstPrediction(server.transport).finally(() => server.close());

    process.stderr.write(
      `model build over ${EVENTS} events: in-process ${inProcess.ms.toFixed(0)} ms, event loop held up to ${inProcess.worstLagMs.toFixed(0)} ms; ` +
        `in the worker ${inWorker.ms.toFixed(0)} ms, event loop held up to ${inWorker.worstLagMs.toFixed(0)} ms\n`,
    );
    // Relative, not absolute: on a loaded machine every timer is late, but only the in-process build holds the
    // loop for its synchronous stretches (about 2 s here, against tens of milliseconds in the worker).
    expect(inWorker.worstLagMs * 4).toBeLessThan(inProcess.worstLagMs);
  });
});
