import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { SignatureV4 } from "@smithy/signature-v4";
import { env } from "./env.server.ts";
import { type LocalServer, startLocalServer } from "./mcp-local.server.ts";
import { type Priority, type Ticket, WorkQueue } from "./work-queue.ts";

/**
 * The web app's only door to CloudTrail-derived data: an MCP client. Locally it is connected to the same MCP
 * server the CLI and Lambda serve, running in a worker thread (mcp-local.server.ts); in AWS (`MCP_URL` set) it talks
 * Streamable HTTP to the Lambda Function URL, every request SigV4-signed for service `lambda`, so the web
 * task needs no CloudTrail permission at all.
 */
export class McpToolError extends Error {
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(`${tool}: ${message}`);
  }
}

/** The connection to the MCP server ended under a call (the local data worker died, or was closed). */
export class McpUnavailableError extends Error {
  constructor(
    readonly tool: string,
    message: string,
  ) {
    super(`${tool}: ${message}`);
  }
}

export interface ToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

let connecting: Promise<Client> | null = null;
let connectOverride: (() => Promise<Transport>) | null = null;
let current: Client | null = null;
/**
 * The local data worker, kept on globalThis: a module reload (vite dev) closes the previous one rather than
 * leaving it running with the store open.
 */
const slot = globalThis as { __trailcastLocalMcp?: LocalServer | undefined };
/** Why the last connection ended, for the calls it failed. */
let connectionError: string | null = null;

/** Tests: connect to another server (e.g. one over a small generated store). */
export function useMcpTransport(factory: () => Promise<Transport>): void {
  connectOverride = factory;
  connecting = null;
}

/** One client per process, connected once at first use (concurrent requests share it). */
export function mcpClient(): Promise<Client> {
  connecting ??= connect().catch((error: unknown) => {
    connecting = null;
    throw error;
  });
  return connecting;
}

async function connect(): Promise<Client> {
  const client = new Client({ name: "trailcast-web", version: "0.1.0" });
  let server: LocalServer | null = null;
  let transport: Transport;
  if (connectOverride) transport = await connectOverride();
  else if (env.MCP_URL) transport = remoteTransport(env.MCP_URL);
  else {
    await slot.__trailcastLocalMcp?.close();
    server = await startLocalServer(env.TRAILCAST_STORE);
    transport = server.transport;
  }
  connectionError = null;
  client.onerror = (error) => {
    connectionError = error.message;
  };
  // A connection that ends (the local worker died) is not reused: the next call connects (and starts) again.
  client.onclose = () => {
    if (connecting && current === client) connecting = null;
    if (server && slot.__trailcastLocalMcp === server) slot.__trailcastLocalMcp = undefined;
    void server?.close();
  };
  try {
    await client.connect(transport);
  } catch (error) {
    await server?.close();
    throw error;
  }
  if (server) slot.__trailcastLocalMcp = server;
  current = client;
  return client;
}

/** Closes the client and, locally, the data worker and its store (server shutdown, tests). */
export async function closeMcp(): Promise<void> {
  const pending = connecting;
  connecting = null;
  current = null;
  const client = await pending?.catch(() => null);
  const server = slot.__trailcastLocalMcp;
  slot.__trailcastLocalMcp = undefined;
  await client?.close();
  await server?.close();
}

function remoteTransport(url: string): Transport {
  const region = env.MCP_REGION ?? env.AWS_REGION ?? "us-east-1";
  const signer = new SignatureV4({
    service: "lambda",
    region,
    credentials: fromNodeProviderChain(),
    sha256: Sha256,
  });
  const signedFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const target = new URL(input);
    const headers: Record<string, string> = { host: target.host };
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init?.body === "string" ? init.body : undefined;
    const signed = await signer.sign({
      method: init?.method ?? "GET",
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const { host: _host, ...sendHeaders } = signed.headers;
    return fetch(target, { ...init, headers: sendHeaders });
  };
  return new StreamableHTTPClientTransport(new URL(url), { fetch: signedFetch });
}

export async function listTools(): Promise<ToolInfo[]> {
  const client = await mcpClient();
  const { tools } = await client.listTools();
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema as Record<string, unknown>,
  }));
}

/**
 * Tool calls wait here, most urgent first. The local store answers one query at a time (a deeper queue would
 * only move the waiting into its FIFO, where a pan cannot overtake a prefetch); a remote server scales out.
 * CloudTrail Lake queries do not touch the store and bypass it.
 */
const LOCAL_CONCURRENCY = 1;
const REMOTE_CONCURRENCY = 6;
const UNQUEUED_TOOLS = new Set(["lake_query"]);
/**
 * The SDK gives up on a call after 60 s; locally, the first prediction builds the behaviour model, which on a
 * large store takes longer (the call is not hung, and its result is what warm-up waits for). A worker that
 * dies fails its calls at once (McpUnavailableError), so this only bounds a worker that is stuck.
 */
const LOCAL_TIMEOUT_MS = 15 * 60_000;
let queue: WorkQueue | null = null;

function toolQueue(): WorkQueue {
  queue ??= new WorkQueue(env.MCP_URL ? REMOTE_CONCURRENCY : LOCAL_CONCURRENCY);
  return queue;
}

/** Raises queued work (e.g. a prefetch a view now waits for). */
export function raiseToolCall(ticket: Ticket, priority: Priority): void {
  toolQueue().raise(ticket, priority);
}

export interface CallOptions {
  /** Default `normal`. */
  priority?: Priority;
  /** Pass one to raise the call later (raiseToolCall) or to see whether it started. */
  ticket?: Ticket;
  /** Drops the call if it has not started yet; once started it runs to completion. */
  signal?: AbortSignal;
}

export interface RawToolResult {
  ok: boolean;
  /** structuredContent when the tool returned it, else the parsed (or raw) text. */
  content: unknown;
  text: string;
}

/** Calls a tool and returns its result whether or not the tool reported an error (the agent needs both). */
export async function callToolRaw(
  name: string,
  args: Record<string, unknown>,
  options: CallOptions = {},
): Promise<RawToolResult> {
  // The client is taken when the call starts: one queued behind a crash of the local worker starts it again.
  const call = async () =>
    (await mcpClient()).callTool(
      { name, arguments: args },
      undefined,
      env.MCP_URL ? undefined : { timeout: LOCAL_TIMEOUT_MS },
    );
  let result: Awaited<ReturnType<typeof call>>;
  try {
    result = UNQUEUED_TOOLS.has(name) ? await call() : await toolQueue().run(call, options);
  } catch (error) {
    if (
      error instanceof McpError &&
      error.code === ErrorCode.ConnectionClosed &&
      !/cancelled/i.test(error.message)
    )
      throw new McpUnavailableError(name, connectionError ?? "the connection to the MCP server closed");
    throw error;
  }
  const text = Array.isArray(result.content)
    ? result.content
        .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
        .join("\n")
    : "";
  let content: unknown = result.structuredContent;
  if (content === undefined) {
    try {
      content = JSON.parse(text);
    } catch {
      content = text;
    }
  }
  return { ok: result.isError !== true, content, text };
}

/** Calls a tool and returns its structured output; a tool-reported error becomes an McpToolError. */
export async function callTool<T = unknown>(
  name: string,
  args: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<T> {
  const result = await callToolRaw(name, args, options);
  if (!result.ok) throw new McpToolError(name, result.text || "the tool reported an error");
  return result.content as T;
}
