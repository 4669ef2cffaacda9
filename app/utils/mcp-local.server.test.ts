import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataStatus } from "../../core/query/data-status.ts";
import type { Timeline } from "../../core/query/timeline.ts";
import { makeTestStore, type TestStore } from "../../e2e/make-store.ts";
import type { LocalServer } from "./mcp-local.server.ts";

// The web app's local MCP server in its worker thread, over a small generated store: the same tools, through
// a real MCP client, with failures surfacing as errors rather than hangs.
let dir: string;
let store: TestStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-worker-"));
  store = await makeTestStore(dir, 1000);
  // mcp.server.ts reads the store path from the environment once, at first import.
  process.env.TRAILCAST_STORE = store.storePath;
});

afterAll(async () => {
  const { closeMcp } = await import("./mcp.server.ts");
  await closeMcp();
  await rm(dir, { recursive: true, force: true });
});

const localServer = () => (globalThis as { __trailcastLocalMcp?: LocalServer }).__trailcastLocalMcp;

describe("the local MCP server in a worker thread", () => {
  it("lists the tools and answers calls through the app's client", async () => {
    const { callTool, listTools } = await import("./mcp.server.ts");
    const names = (await listTools()).map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(["get_data_status", "get_timeline", "lookup_events", "predict_next_actions"]),
    );
    const status = await callTool<DataStatus>("get_data_status");
    expect(status.events).toBeGreaterThan(900);
    const timeline = await callTool<Timeline>("get_timeline", {
      start: "2000-01-01T00:00:00Z",
      end: "2100-01-01T00:00:00Z",
      buckets: 10,
      eventsUpTo: 0,
    });
    expect(timeline.tracks.reduce((sum, track) => sum + track.events, 0)).toBe(status.events);
    const next = await callTool<{ predictions: unknown[] }>("predict_next_actions", {
      principal: "arn:aws:iam::111122223333:user/mallory",
      k: 3,
    });
    expect(Array.isArray(next.predictions)).toBe(true);
    expect(localServer()?.worker.threadId).toBeGreaterThan(0);
  });

  it("fails the calls of a worker that dies, then starts a new one", async () => {
    const { callTool, McpUnavailableError } = await import("./mcp.server.ts");
    await callTool("get_data_status");
    const first = localServer();
    expect(first).toBeDefined();
    const pending = callTool("lookup_events", { start: "2000-01-01T00:00:00Z", limit: 5 }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    // Simulates a crash: the thread ends under the call.
    const started = performance.now();
    await first?.worker.terminate();
    const failure = await pending;
    // The thread is told to end before the request reaches it: the call fails at once and says why.
    expect(failure).toBeInstanceOf(McpUnavailableError);
    expect(failure?.message).toMatch(/lookup_events: the local MCP server stopped \(exit code 1\)/);
    expect(performance.now() - started).toBeLessThan(5_000);
    const status = await callTool<DataStatus>("get_data_status");
    expect(status.events).toBeGreaterThan(900);
    expect(localServer()).not.toBe(first);
  });

  it("reports a store it cannot open instead of waiting", async () => {
    const { startLocalServer } = await import("./mcp-local.server.ts");
    await expect(startLocalServer(join(dir, "missing.duckdb"))).rejects.toThrow(
      /local MCP server could not open .*missing\.duckdb: no store/,
    );
  });

  it("closes the worker and its store on close", async () => {
    const { callTool, closeMcp } = await import("./mcp.server.ts");
    await callTool("get_data_status");
    const server = localServer();
    const exited = new Promise<number>((done) => server?.worker.once("exit", done));
    await closeMcp();
    expect(await exited).toBe(0);
    expect(localServer()).toBeUndefined();
  });
});
