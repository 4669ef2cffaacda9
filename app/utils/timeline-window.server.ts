import type { EventSummary } from "../../core/query/event-summary.ts";
import type { Timeline } from "../../core/query/timeline.ts";
import type { EventMark, TimelinePayload } from "../components/timeline/timeline-data.ts";
import { callTool, raiseToolCall } from "./mcp.server.ts";
import { dataStatus, filterArgs } from "./trail-data.server.ts";
import { type Filters, filterKey, type GroupBy } from "./view-state.ts";
import { AbortedError, type Priority, Ticket } from "./work-queue.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function laneOf(group: GroupBy, e: EventSummary): string {
  if (group === "principal") return e.principal;
  if (group === "service") return e.action.split(":")[0] ?? e.action;
  return e.action;
}

/** get_timeline answers at most this many buckets. */
export const MAX_BUCKETS_PER_REQUEST = 1000;

export type WindowRequest = { from: number; to: number; buckets: number; group: GroupBy; filters: Filters };

export interface WindowResult {
  payload: TimelinePayload;
  /** hit: served from memory; joined: shared a computation already queued or running; miss: computed. */
  cache: "hit" | "joined" | "miss";
  /** For a computation: ms waiting in the tool queue, ms in get_timeline. */
  waitMs: number;
  toolMs: number;
}

/**
 * Served windows, most recently used last. The client asks for grid-aligned windows, so pans, Back, reloads
 * and other users repeat them. Keys include the data version (event count, latest event), so entries stay
 * true until the data changes; the bound (≤ ~100 KB each) keeps memory in check.
 */
const WINDOW_TTL_MS = 30 * 60_000;
const WINDOW_CAPACITY = 300;
const served = new Map<string, { at: number; payload: TimelinePayload }>();

interface Job {
  promise: Promise<{ payload: TimelinePayload; waitMs: number; toolMs: number }>;
  ticket: Ticket;
  controller: AbortController;
  waiters: number;
}
const computing = new Map<string, Job>();

/**
 * One timeline window for the canvas: sparse lane cells, and the events when few enough. Concurrent callers
 * share one computation (raised to the most urgent caller's priority); when every caller has gone (a pan
 * superseded the view) before it started, it is dropped.
 */
export async function timelineWindow(
  request: WindowRequest,
  options: { priority?: Priority; signal?: AbortSignal } = {},
): Promise<WindowResult> {
  const priority = options.priority ?? "normal";
  const status = await dataStatus();
  const { from, to, buckets, group, filters } = request;
  const key = JSON.stringify([status.events, status.last, from, to, buckets, filterKey(group, filters)]);
  const hit = served.get(key);
  if (hit && Date.now() - hit.at < WINDOW_TTL_MS) {
    served.delete(key);
    served.set(key, hit);
    return { payload: hit.payload, cache: "hit", waitMs: 0, toolMs: 0 };
  }
  let job = computing.get(key);
  const cache = job ? "joined" : "miss";
  if (job) raiseToolCall(job.ticket, priority);
  else job = start(key, request, status.last, priority);
  job.waiters++;
  try {
    return { ...(await abortable(job.promise, options.signal)), cache };
  } finally {
    job.waiters--;
    if (job.waiters === 0 && !job.ticket.started) job.controller.abort();
  }
}

function start(key: string, request: WindowRequest, latest: number | null, priority: Priority): Job {
  const ticket = new Ticket(priority);
  const controller = new AbortController();
  const queued = performance.now();
  const promise = computeWindow(request, latest, { ticket, signal: controller.signal }).then((payload) => {
    const done = performance.now();
    served.delete(key);
    served.set(key, { at: Date.now(), payload });
    if (served.size > WINDOW_CAPACITY) {
      const oldest = served.keys().next().value;
      if (oldest !== undefined) served.delete(oldest);
    }
    return { payload, waitMs: ticket.startedAt - queued, toolMs: done - ticket.startedAt };
  });
  const job: Job = { promise, ticket, controller, waiters: 0 };
  computing.set(key, job);
  promise
    .finally(() => {
      if (computing.get(key) === job) computing.delete(key);
    })
    .catch(() => undefined);
  return job;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortedError("request aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError("request aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function computeWindow(
  request: WindowRequest,
  latest: number | null,
  call: { ticket: Ticket; signal: AbortSignal },
): Promise<TimelinePayload> {
  const result = await callTool<Timeline>(
    "get_timeline",
    {
      ...filterArgs(request.filters),
      start: iso(request.from),
      end: iso(request.to),
      buckets: request.buckets,
      groupBy: request.group,
      maxGroups: 25,
      eventsUpTo: 500,
    },
    call,
  );
  // The minimum anomaly score is one of the filter arguments: counts and events are of matching events only.
  const lanes = result.tracks.map((track) => ({
    key: track.key,
    label: track.label,
    total: track.events,
    cells: track.buckets.flatMap(([index, n, errors, score]) => [
      index,
      n,
      errors,
      Math.round((score ?? 0) * 1000),
    ]),
  }));
  let events: EventMark[] | null = null;
  if (result.events) {
    const known = new Set(lanes.map((l) => l.key));
    events = result.events.map((e) => {
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
    latest,
  };
}
