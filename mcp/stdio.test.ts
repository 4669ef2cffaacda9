import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exerciseAllTools, exerciseBadArguments } from "./testing/exercise-tools.ts";
import { type SampleFixture, sampleFixture } from "./testing/sample-fixture.ts";

let fixture: SampleFixture;
let client: Client;

beforeAll(async () => {
  fixture = await sampleFixture();
  // Exactly what a Claude Desktop entry runs: the CLI as a child process speaking MCP on stdio.
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [resolve("bin/trailcast.js"), "--store", fixture.storePath, "mcp"],
    stderr: "pipe",
  });
  client = new Client({ name: "stdio-test", version: "1" });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  await fixture?.cleanup();
});

describe("trailcast mcp (stdio)", () => {
  it("serves every tool to an SDK client over stdio", async () => {
    const results = await exerciseAllTools(client);
    expect(results.get_data_status.sources[0].detail).toBe(fixture.storePath);
  });

  it("answers bad arguments with isError results and keeps serving", async () => {
    await exerciseBadArguments(client);
    const after = await client.listTools();
    expect(after.tools.length).toBeGreaterThanOrEqual(9);
  });
});
