import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { McpDeps } from "./deps.ts";
import { createServer } from "./server.ts";

/** Serves the tools on stdin/stdout (Claude Desktop and other local MCP clients start it as a child process). */
export async function serveStdio(deps: McpDeps): Promise<void> {
  const server = createServer(deps);
  await server.connect(new StdioServerTransport());
  await new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
}
