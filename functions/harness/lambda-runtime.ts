import type { Writable } from "node:stream";

/** The delimiter the Lambda Node runtime writes between the JSON prelude and the body of a streamed response. */
export const PRELUDE_DELIMITER = Buffer.alloc(8);

type StreamingHandler = (event: unknown, responseStream: Writable, context: unknown) => Promise<void>;

/**
 * A minimal `globalThis.awslambda` as the Lambda Node.js runtime defines it for response streaming:
 * `streamifyResponse` marks the handler, `HttpResponseStream.from` writes the HTTP prelude (status and
 * headers as JSON) and eight NUL bytes before the body. Only for running handlers locally.
 */
export function installAwsLambdaGlobal(): void {
  const g = globalThis as unknown as { awslambda?: unknown };
  if (g.awslambda) return;
  g.awslambda = {
    streamifyResponse: (handler: StreamingHandler) => handler,
    HttpResponseStream: {
      from(writable: Writable, metadata: Record<string, unknown>) {
        writable.write(JSON.stringify(metadata));
        writable.write(PRELUDE_DELIMITER);
        return writable;
      },
    },
  };
}
