import type { LoaderFunctionArgs } from "@remix-run/node";
import { invariantResponse } from "../components/error-boundary.tsx";
import { MAX_BUCKETS_PER_REQUEST, timelineWindow } from "../utils/timeline-window.server.ts";
import { parseViewState } from "../utils/view-state.ts";

/**
 * One window of the timeline (server-side aggregation through the get_timeline tool). The client asks for
 * grid-aligned windows, so identical requests repeat and the browser may cache them briefly.
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
  const payload = await timelineWindow({
    from: state.from,
    to: state.to,
    buckets,
    group: state.group,
    filters: state.filters,
  });
  return new Response(JSON.stringify(payload), {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "private, max-age=60" },
  });
}
