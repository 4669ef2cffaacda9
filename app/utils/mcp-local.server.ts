import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import type { McpWorkerData, WorkerCommand, WorkerStatus } from "./mcp-worker.server.ts";
import { PortTransport } from "./port-transport.ts";

/**
 * The embedded default: Trailcast's MCP server over the local DuckDB store (the bundled sample is generated
 * and ingested first when the default store is absent), running in a worker thread so that what it does for
 * seconds at a time (scoring, building the behaviour model) never stalls the web server's event loop. The
 * web app's MCP client talks to it over a MessagePort (PortTransport).
 *
 * The worker runs TypeScript sources through tsx (mcp-worker-tsx.mjs), so app/utils, core/ and mcp/ must be
 * present beside the server build (the Dockerfile copies them).
 */
export interface LocalServer {
  /** The thread (tests end it to see a crash handled). */
  readonly worker: Worker;
  /** The client's end of the connection; fails (error, then close) if the worker dies. */
  transport: PortTransport;
  /** Closes the server and the store, ending the worker (terminated if it does not finish in time). */
  close(): Promise<void>;
}

/** Where the worker entry is, seen from this module: beside it in sources, ../../app/utils from build/server. */
const ENTRY_CANDIDATES = ["./mcp-worker-tsx.mjs", "../../app/utils/mcp-worker-tsx.mjs"];
/** Generating the sample or scoring a large store happens before the worker is ready; beyond this it is stuck. */
const START_TIMEOUT_MS = 30 * 60_000;
/** How long a close waits for the worker to close the store before it is terminated. */
const CLOSE_TIMEOUT_MS = 5_000;

export function workerEntry(): URL {
  for (const candidate of ENTRY_CANDIDATES) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(
    `the local MCP server's worker entry (app/utils/mcp-worker-tsx.mjs) is not beside ${import.meta.url}: ` +
      "the web server needs the app/utils, core/ and mcp/ sources next to build/, or set MCP_URL",
  );
}

export async function startLocalServer(storePath: string): Promise<LocalServer> {
  const { port1, port2 } = new MessageChannel();
  const data: McpWorkerData = { storePath: resolve(storePath), port: port2 };
  const worker = new Worker(workerEntry(), { workerData: data, transferList: [port2] });
  const transport = new PortTransport(port1, { holdProcess: "while-requests-pending", closeWithPort: false });
  let crash: Error | null = null;
  let exited = false;
  let closing: Promise<void> | null = null;

  const ready = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`the local MCP server did not start within ${START_TIMEOUT_MS / 60_000} min`));
      void worker.terminate();
    }, START_TIMEOUT_MS);
    timer.unref();
    worker.on("message", (status: WorkerStatus) => {
      clearTimeout(timer);
      if (status.type === "ready") done();
      else fail(new Error(`the local MCP server could not open ${data.storePath}: ${status.message}`));
    });
    worker.on("error", (error) => {
      crash = error;
      clearTimeout(timer);
      fail(new Error(`the local MCP server failed to start: ${error.message}`));
    });
    worker.once("exit", (code) => {
      exited = true;
      clearTimeout(timer);
      fail(new Error(`the local MCP server exited with code ${code} while starting`));
      if (closing) return;
      const reason = crash ? crash.message : `exit code ${code}`;
      transport.fail(new Error(`the local MCP server stopped (${reason}); the next request starts it again`));
    });
  });
  try {
    await ready;
  } catch (error) {
    port1.close();
    await worker.terminate();
    throw error;
  }
  // From here on the worker does not keep the process alive by itself (requests in flight do, through the
  // port): Ctrl+C or the end of a script is not held up by an idle data server.
  worker.unref();

  return {
    worker,
    transport,
    close() {
      closing ??= new Promise<void>((done) => {
        if (exited) return done();
        // Held (not unref'd) so the process waits for the store to close.
        const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        worker.once("exit", () => {
          clearTimeout(timer);
          done();
        });
        worker.postMessage({ type: "close" } satisfies WorkerCommand);
      }).finally(() => transport.close());
      return closing;
    },
  };
}
