import type { LoaderFunctionArgs } from "@remix-run/node";
import { invariantResponse } from "../components/error-boundary.tsx";
import { MAX_BUCKETS_PER_REQUEST, timelineWindow } from "../utils/timeline-window.server.ts";
import { parseViewState } from "../utils/view-state.ts";
import { AbortedError } from "../utils/work-queue.ts";

/**
 * One window of the timeline (server-side aggregation through the get_timeline tool). The client asks for
 * grid-aligned windows, so identical requests repeat and the browser may cache them briefly. `prefetch=1`
 * marks a window the client only expects to need (it waits behind everything else); a request the client
 * aborts before its computation starts costs nothing. Server-Timing says whether the window was cached.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const state = parseViewState(url.searchParams);
  const buckets = Number(url.searchParams.get("buckets") ?? 500);
  invariantResponse(
    state.from !== undefined && state.to !== undefined,
    "from and to (epoch ms or ISO) are required, from < to",
  );
  invariantResponse(
    Number.isInteger(buckets) && buckets >= 1 && buckets <= MAX_BUCKETS_PER_REQUEST,
    `buckets must be 1..${MAX_BUCKETS_PER_REQUEST}`,
  );
  const started = performance.now();
  try {
    const result = await timelineWindow(
      { from: state.from, to: state.to, buckets, group: state.group, filters: state.filters },
      {
        priority: url.searchParams.get("prefetch") === "1" ? "background" : "interactive",
        signal: request.signal,
      },
    );
    const total = performance.now() - started;
    return new Response(JSON.stringify(result.payload), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "private, max-age=60",
        "server-timing": `cache;desc=${result.cache}, queue;dur=${result.waitMs.toFixed(1)}, tool;dur=${result.toolMs.toFixed(1)}, total;dur=${total.toFixed(1)}`,
      },
    });
  } catch (error) {
    // The browser went away (a newer view superseded this one): nobody reads the answer.
    if (error instanceof AbortedError) return new Response(null, { status: 499 });
    throw error;
  }
}
