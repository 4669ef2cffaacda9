import { execFile } from "node:child_process";
import { request } from "node:http";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDeps, createLocalDeps, type McpDeps } from "./deps.ts";
import { HttpStartError, type RunningHttpServer, startHttpServer } from "./http-server.ts";
import { exerciseAllTools, exerciseBadArguments } from "./testing/exercise-tools.ts";
import { type SampleFixture, sampleFixture } from "./testing/sample-fixture.ts";

const run = promisify(execFile);
const INSPECTOR = resolve("node_modules/@modelcontextprotocol/inspector/cli/build/cli.js");

let fixture: SampleFixture;
let deps: McpDeps;
let server: RunningHttpServer;

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "http-test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** Raw request with chosen headers (fetch may not set Host), returning the status code. */
function statusOf(method: string, extra: Record<string, string>): Promise<number> {
  const url = new URL(server.url);
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
  return new Promise((done, fail) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...extra,
        },
      },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on("error", fail);
    req.end(method === "POST" ? body : undefined);
  });
}

beforeAll(async () => {
  fixture = await sampleFixture();
  deps = await createLocalDeps({ storePath: fixture.storePath });
  server = await startHttpServer({ deps, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (deps) closeDeps(deps);
  await fixture?.cleanup();
});

describe("local Streamable HTTP", () => {
  it("binds 127.0.0.1 and serves every tool statelessly", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(server.url);
    await exerciseAllTools(client);
    await exerciseBadArguments(client);
    await client.close();
  });

  it("serves concurrent clients (one server per request over shared deps)", async () => {
    const clients = await Promise.all([connect(server.url), connect(server.url), connect(server.url)]);
    const answers = await Promise.all(
      clients.map((c) => c.callTool({ name: "get_data_status", arguments: {} })),
    );
    for (const answer of answers) expect(answer.isError).toBeFalsy();
    await Promise.all(clients.map((c) => c.close()));
  });

  it("refuses foreign Host and Origin headers (DNS rebinding) and non-POST methods", async () => {
    expect(await statusOf("POST", { host: "evil.example:80" })).toBe(403);
    expect(await statusOf("POST", { origin: "http://evil.example" })).toBe(403);
    expect(await statusOf("POST", {})).toBe(200);
    expect(await statusOf("GET", {})).toBe(405);
  });

  it("refuses to bind a non-loopback address without a token, and enforces a configured token", async () => {
    await expect(startHttpServer({ deps, host: "0.0.0.0", port: 0 })).rejects.toBeInstanceOf(HttpStartError);
    const guarded = await startHttpServer({ deps, port: 0, token: "s3cret-token" });
    try {
      await expect(connect(guarded.url)).rejects.toThrow();
      const client = await connect(guarded.url, { authorization: "Bearer s3cret-token" });
      expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(9);
      await client.close();
    } finally {
      await guarded.close();
    }
  });

  it("works with the MCP Inspector CLI (tools/list and tools/call)", async () => {
    const list = await run(process.execPath, [INSPECTOR, "--cli", server.url, "--method", "tools/list"], {
      timeout: 60_000,
    });
    const tools = JSON.parse(list.stdout).tools.map((tool: { name: string }) => tool.name);
    expect(tools).toContain("get_timeline");
    const called = await run(
      process.execPath,
      [
        INSPECTOR,
        "--cli",
        server.url,
        "--method",
        "tools/call",
        "--tool-name",
        "list_principals",
        "--tool-arg",
        "limit=2",
      ],
      { timeout: 60_000 },
    );
    const result = JSON.parse(called.stdout);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.principals).toHaveLength(2);
  });
});
