import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exerciseAllTools, exerciseBadArguments } from "../mcp/testing/exercise-tools.ts";
import { type SampleFixture, sampleFixture } from "../mcp/testing/sample-fixture.ts";
import { type FunctionUrlHarness, startFunctionUrlHarness } from "./harness/function-url-harness.ts";

let fixture: SampleFixture;
let harness: FunctionUrlHarness;

beforeAll(async () => {
  fixture = await sampleFixture();
  // The handler reads its environment at import, as at a Lambda cold start.
  process.env.TRAILCAST_STORE = fixture.storePath;
  process.env.TRAILCAST_LOOKUP_EVENTS = "false";
  harness = await startFunctionUrlHarness(async () => (await import("./mcp.ts")).handler as never);
});

afterAll(async () => {
  await harness?.close();
  await fixture?.cleanup();
  delete process.env.TRAILCAST_STORE;
});

describe("Lambda handler behind an emulated streaming Function URL", () => {
  it("serves every tool to an SDK client", async () => {
    const client = new Client({ name: "lambda-test", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(harness.url)));
    await exerciseAllTools(client);
    await exerciseBadArguments(client);
    await client.close();
  });

  it("streams the response as server-sent events with the prelude's status and headers", async () => {
    const response = await fetch(harness.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "get_data_status", arguments: {} },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await response.text();
    const data = text.split("\n").find((line) => line.startsWith("data: "));
    const message = JSON.parse((data ?? "").slice(6));
    expect(message.id).toBe(7);
    expect(message.result.structuredContent.events).toBeGreaterThan(1000);
  });

  it("answers other paths and methods with JSON errors", async () => {
    expect((await fetch(harness.url.replace("/mcp", "/other"), { method: "POST", body: "{}" })).status).toBe(
      404,
    );
    expect((await fetch(harness.url, { method: "GET" })).status).toBe(405);
  });
});
