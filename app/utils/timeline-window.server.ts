import type { EventSummary } from "../../core/query/event-summary.ts";
import type { Timeline } from "../../core/query/timeline.ts";
import type { EventMark, TimelinePayload } from "../components/timeline/timeline-data.ts";
import { callTool } from "./mcp.server.ts";
import { dataStatus, filterArgs } from "./trail-data.server.ts";
import { TtlCache } from "./ttl-cache.ts";
import type { Filters, GroupBy } from "./view-state.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function laneOf(group: GroupBy, e: EventSummary): string {
  if (group === "principal") return e.principal;
  if (group === "service") return e.action.split(":")[0] ?? e.action;
  return e.action;
}

/** get_timeline answers at most this many buckets. */
export const MAX_BUCKETS_PER_REQUEST = 1000;

/**
 * Recently served windows (the client asks for grid-aligned windows, so Back, reloads and other users repeat
 * them); a minute is short enough for a store that is re-ingested while the server runs.
 */
const windowCache = new TtlCache<TimelinePayload>(60_000, 200);

type WindowRequest = { from: number; to: number; buckets: number; group: GroupBy; filters: Filters };

/** One timeline window for the canvas: sparse lane cells, and the events when few enough. */
export function timelineWindow(request: WindowRequest): Promise<TimelinePayload> {
  return windowCache.get(JSON.stringify(request), () => computeWindow(request));
}

async function computeWindow(request: WindowRequest): Promise<TimelinePayload> {
  const [result, status] = await Promise.all([
    callTool<Timeline>("get_timeline", {
      ...filterArgs(request.filters),
      start: iso(request.from),
      end: iso(request.to),
      buckets: request.buckets,
      groupBy: request.group,
      maxGroups: 25,
      eventsUpTo: 500,
    }),
    dataStatus(),
  ]);
  // get_timeline has no score filter: with a minimum score, buckets whose highest score is below it hold no
  // matching event and are dropped; counts of the others still include lower-scoring events.
  const min = request.filters.minScore;
  const lanes = result.tracks.map((track) => ({
    key: track.key,
    label: track.label,
    total: track.events,
    cells: track.buckets.flatMap(([index, n, errors, score]) =>
      min > 0 && (score ?? 0) < min ? [] : [index, n, errors, Math.round((score ?? 0) * 1000)],
    ),
  }));
  let events: EventMark[] | null = null;
  if (result.events) {
    const known = new Set(lanes.map((l) => l.key));
    events = result.events
      .filter((e) => min <= 0 || (e.score ?? 0) >= min)
      .map((e) => {
        const lane = laneOf(request.group, e);
        if (!known.has(lane)) {
          known.add(lane);
          lanes.push({
            key: lane,
            label: request.group === "principal" ? e.principalName : lane,
            total: 0,
            cells: [],
          });
        }
        return {
          id: e.eventId,
          t: Date.parse(e.time),
          lane,
          action: e.action,
          principal: e.principalName,
          score: e.score ?? 0,
          error: e.errorCode,
          readOnly: e.readOnly,
        };
      });
  }
  return {
    from: Date.parse(result.start),
    to: Date.parse(result.end),
    bucketMs: result.bucketMs,
    buckets: result.bucketCount,
    lanes,
    events,
    foldedLanes: result.otherGroups,
    latest: status.last,
  };
}
