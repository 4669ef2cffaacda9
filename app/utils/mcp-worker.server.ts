import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { closeDeps, createLocalDeps, type McpDeps } from "../../mcp/deps.ts";
import { createServer } from "../../mcp/server.ts";
import { PortTransport } from "./port-transport.ts";

/**
 * The data worker (a worker thread started by mcp-local.server.ts): Trailcast's MCP server over the local
 * DuckDB store, with everything under it (scoring, the behaviour model). Work that holds a thread for
 * seconds (building the model) holds this one, not the web server's. JSON-RPC flows over `port`; the
 * parent port carries only start-up status and the close command.
 */
export interface McpWorkerData {
  storePath: string;
  port: MessagePort;
}
export type WorkerStatus = { type: "ready" } | { type: "failed"; message: string };
export type WorkerCommand = { type: "close" };

const control = parentPort;
if (!control) throw new Error("mcp-worker.server.ts runs as a worker thread (see mcp-local.server.ts)");
const { storePath, port } = workerData as McpWorkerData;
const log = (message: string) => process.stderr.write(`[trailcast] ${message}\n`);

let deps: McpDeps | null = null;
let server: McpServer | null = null;
let closing = false;

async function close(code: number): Promise<never> {
  closing = true;
  await server?.close().catch(() => undefined);
  if (deps) closeDeps(deps);
  port.close();
  // In a worker, exit ends this thread only.
  process.exit(code);
}

control.on("message", (command: WorkerCommand) => {
  if (command.type === "close" && !closing) void close(0);
});

try {
  deps = await createLocalDeps({ storePath, onProgress: log });
  if (!closing) {
    server = createServer(deps);
    await server.connect(new PortTransport(port));
    control.postMessage({ type: "ready" } satisfies WorkerStatus);
  }
} catch (error) {
  control.postMessage({ type: "failed", message: (error as Error).message } satisfies WorkerStatus);
  await close(1);
}
