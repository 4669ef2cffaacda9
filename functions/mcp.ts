import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { handleMcpRequest } from "./function-url-mcp.ts";
import { parseLambdaConfig } from "./lambda-config.ts";
import { LambdaData } from "./lambda-data.ts";

// Parsed once per container: a bad environment fails the first request with a readable message.
const data = new LambdaData(parseLambdaConfig(process.env));

/**
 * The MCP server behind a streaming, IAM-authenticated Function URL: parse the event, answer it with the
 * transport-free adapter, stream the response (SSE frames flush as the tools produce them).
 */
export const handler = awslambda.streamifyResponse(async (event: LambdaFunctionURLEvent, responseStream) => {
  let response: Response;
  try {
    response = await handleMcpRequest(event, await data.current());
  } catch (error) {
    console.error("trailcast mcp: request failed", error);
    response = Response.json(
      {
        jsonrpc: "2.0",
        error: { code: -32603, message: `internal error: ${(error as Error).message}` },
        id: null,
      },
      { status: 500 },
    );
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: response.status, headers });
  if (!response.body) {
    stream.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), stream);
});
