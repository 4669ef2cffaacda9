import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpDeps } from "./deps.ts";
import { checkRequest, defaultAllowed } from "./request-guard.ts";
import { createServer } from "./server.ts";

export const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"];
/** Largest JSON-RPC request body accepted (tool arguments are small). */
const MAX_BODY_BYTES = 1_000_000;

export interface HttpServerOptions {
  deps: McpDeps;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Required when binding anything but loopback. */
  token?: string | null;
  /** Extra Host names accepted (e.g. a reverse proxy's name). */
  allowedHosts?: string[];
  path?: string;
}

export interface RunningHttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export class HttpStartError extends Error {}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpStartError("request body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function reply(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * Stateless Streamable HTTP on `path` (default /mcp): every POST gets a fresh server and transport over
 * the shared deps, so no session state lives between requests. Binds 127.0.0.1 by default; any other
 * address needs a bearer token. Host/Origin checks protect against DNS rebinding.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? null;
  if (!LOOPBACK_HOSTS.includes(host) && !token) {
    throw new HttpStartError(
      `refusing to listen on ${host} without a bearer token: set TRAILCAST_MCP_TOKEN (or bind 127.0.0.1)`,
    );
  }
  const path = options.path ?? "/mcp";
  let guard = defaultAllowed(host, 0);
  const server = createHttpServer(async (req, res) => {
    const verdict = checkRequest(req.headers, { ...guard, token });
    if (!verdict.ok) return reply(res, verdict.status, verdict.message);
    if (new URL(req.url ?? "/", "http://x").pathname !== path)
      return reply(res, 404, `not found: use ${path}`);
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(res, 405, "stateless server: only POST is supported");
    }
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      return reply(res, 400, `bad request body: ${(error as Error).message}`);
    }
    const mcp = createServer(options.deps);
    // One JSON answer per POST (no SSE stream): every tool answers once, and framing costs a few ms per call.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    try {
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      if (!res.headersSent) reply(res, 500, `internal error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard = defaultAllowed(host === "::1" ? "[::1]" : host, port, options.allowedHosts);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
