import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { McpDeps } from "../mcp/deps.ts";
import { createServer } from "../mcp/server.ts";

/** Turns a Function URL event into the Web Request the MCP transport reads. */
export function requestOf(event: LambdaFunctionURLEvent): Request {
  const http = event.requestContext.http;
  const host = event.headers.host ?? event.requestContext.domainName;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers))
    if (value !== undefined) headers.set(name, value);
  const hasBody = event.body !== undefined && http.method !== "GET" && http.method !== "HEAD";
  return new Request(`https://${host}${event.rawPath}${query}`, {
    method: http.method,
    headers,
    body: hasBody ? Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8") : undefined,
  });
}

function jsonError(status: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }, { status });
}

/**
 * One stateless MCP exchange: a fresh server and Web-standard Streamable HTTP transport per request over
 * shared deps. Authentication is the Function URL's (AWS_IAM, SigV4) before the handler runs.
 */
export async function handleMcpRequest(event: LambdaFunctionURLEvent, deps: McpDeps): Promise<Response> {
  if (event.rawPath !== "/mcp" && event.rawPath !== "/") return jsonError(404, "not found: use /mcp");
  if (event.requestContext.http.method !== "POST") {
    return jsonError(405, "stateless server: only POST is supported");
  }
  const server = createServer(deps);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  const response = await transport.handleRequest(requestOf(event));
  return response;
}
