import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "./utils/env.server.ts";
import { closeMcp } from "./utils/mcp.server.ts";
import { warmUp } from "./utils/warm-up.server.ts";

const ABORT_DELAY = 5_000;

// Connect to the data at start-up rather than on the first request: locally this generates and ingests the
// bundled sample when the store is absent and scores the events, which takes a while the first time; then the
// default timeline window is computed and the behaviour model built, so the first visitor waits for neither.
if (env.NODE_ENV !== "test") {
  const started = Date.now();
  warmUp().then(
    () =>
      process.stderr.write(
        `[trailcast] data ready (${((Date.now() - started) / 1000).toFixed(1)} s) from ${env.MCP_URL ?? env.TRAILCAST_STORE}\n`,
      ),
    (error: unknown) => process.stderr.write(`[trailcast] data not available: ${(error as Error).message}\n`),
  );
  // remix-serve stops accepting connections on SIGTERM; the local data worker closes its store and ends.
  process.once("SIGTERM", () => {
    closeMcp().catch((error: unknown) =>
      process.stderr.write(`[trailcast] closing the data server: ${(error as Error).message}\n`),
    );
  });
}

export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let responseStatus = status;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      headers.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status: responseStatus }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          responseStatus = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
