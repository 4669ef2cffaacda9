import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { createLocalDeps } from "../../mcp/deps.ts";
import { createServer } from "../../mcp/server.ts";

/**
 * The embedded default: Trailcast's MCP server in this process over the given DuckDB store (the bundled
 * sample is generated and ingested first when the default store is absent), linked to the web app's client
 * by an in-memory transport pair.
 */
export async function connectLocalServer(storePath: string): Promise<Transport> {
  const log = (message: string) => process.stderr.write(`[trailcast] ${message}\n`);
  const deps = await createLocalDeps({ storePath, onProgress: log });
  const server = createServer(deps);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  return clientSide;
}
