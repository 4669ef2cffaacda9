import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough, type Writable } from "node:stream";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { installAwsLambdaGlobal, PRELUDE_DELIMITER } from "./lambda-runtime.ts";

type StreamingHandler = (
  event: LambdaFunctionURLEvent,
  responseStream: Writable,
  context: unknown,
) => Promise<void>;

export interface FunctionUrlHarness {
  url: string;
  server: Server;
  close(): Promise<void>;
}

async function eventOf(req: IncomingMessage, domainName: string): Promise<LambdaFunctionURLEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url ?? "/", `http://${domainName}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "harness",
      domainName,
      domainPrefix: "harness",
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? body.toString("base64") : undefined,
    isBase64Encoded: body.length > 0,
  } as LambdaFunctionURLEvent;
}

/**
 * Runs a streaming Lambda handler behind a node HTTP server on 127.0.0.1, the way a Function URL in
 * RESPONSE_STREAM mode does: the request becomes a Function URL event (body base64), the handler writes
 * the prelude and body to a response stream, and the prelude becomes the HTTP status and headers while
 * the body is forwarded as it is written (so SSE frames arrive as they are produced).
 */
export async function startFunctionUrlHarness(
  loadHandler: () => Promise<StreamingHandler>,
): Promise<FunctionUrlHarness> {
  installAwsLambdaGlobal();
  const handler = await loadHandler();
  const server = createServer(async (req, res) => {
    const event = await eventOf(req, req.headers.host ?? "127.0.0.1");
    const stream = new PassThrough();
    let prelude: Buffer | null = Buffer.alloc(0);
    stream.on("data", (chunk: Buffer) => {
      if (prelude === null) {
        res.write(chunk);
        return;
      }
      prelude = Buffer.concat([prelude, chunk]);
      const end = prelude.indexOf(PRELUDE_DELIMITER);
      if (end < 0) return;
      const meta = JSON.parse(prelude.subarray(0, end).toString("utf8")) as {
        statusCode?: number;
        headers?: Record<string, string>;
      };
      const rest = prelude.subarray(end + PRELUDE_DELIMITER.length);
      prelude = null;
      res.writeHead(meta.statusCode ?? 200, meta.headers ?? {});
      if (rest.length > 0) res.write(rest);
    });
    stream.on("end", () => {
      if (prelude !== null && !res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end();
    });
    try {
      await handler(event, stream, { awsRequestId: event.requestContext.requestId });
      if (!stream.writableEnded) stream.end();
    } catch (error) {
      // The runtime reports an unhandled error as a 502 from the Function URL.
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(String((error as Error).message));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
