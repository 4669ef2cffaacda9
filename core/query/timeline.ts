import type { TrailStore } from "../store/trail-store.ts";
import { type EventQueryFilter, eventWhere, needsScores, scoresTableSuffices } from "./event-filter.ts";
import {
  clip,
  EVENT_ONLY_COLUMNS,
  type EventSummary,
  round,
  type SummaryRow,
  toSummary,
  withScores,
} from "./event-summary.ts";
import { QueryError, scoresMissing } from "./query-error.ts";
import { rollupPlan } from "./score-rollup.ts";
import { timestampParam } from "./stored-events.ts";

export type TimelineGroupBy = "principal" | "service" | "action";

export const MAX_BUCKETS = 1000;
export const MAX_GROUPS = 25;
export const MAX_TIMELINE_EVENTS = 500;

export interface TimelineRequest {
  from: number;
  to: number;
  /** Target bucket count (about one per pixel of the track); the width is rounded to a readable step. */
  buckets: number;
  groupBy: TimelineGroupBy;
  filter: EventQueryFilter;
  /** Busiest groups returned as their own track; the rest are summed into `(other)`. */
  maxGroups: number;
  /** When the window holds at most this many events they are returned individually too. */
  eventsUpTo: number;
}

/** Sparse bucket: [bucket index, events, errors, highest anomaly score or null]. */
export type Bucket = [number, number, number, number | null];

export interface TimelineTrack {
  key: string;
  /** Readable label (principal display name, service, action). */
  label: string;
  events: number;
  errors: number;
  maxScore: number | null;
  buckets: Bucket[];
}

export interface Timeline {
  /** Aligned window: `start` is a multiple of `bucketMs`, so panning by whole buckets reuses cached ones. */
  start: string;
  end: string;
  bucketMs: number;
  bucketCount: number;
  groupBy: TimelineGroupBy;
  totalEvents: number;
  /** Sum over all tracks per bucket (including groups folded into `(other)`). */
  totals: Bucket[];
  tracks: TimelineTrack[];
  otherGroups: number;
  /** Individual events (oldest first) when the window holds at most `eventsUpTo`; else null. */
  events: EventSummary[] | null;
}

const STEPS_MS = [
  1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3,
  43200e3, 86400e3, 172800e3, 604800e3, 1209600e3, 2592000e3,
];

/** The smallest readable step at least span / buckets wide (1 s … 30 d, then whole multiples of 30 d). */
export function bucketWidth(spanMs: number, buckets: number): number {
  const raw = Math.ceil(spanMs / Math.max(1, buckets));
  const step = STEPS_MS.find((s) => s >= raw);
  const month = STEPS_MS[STEPS_MS.length - 1] as number;
  return step ?? Math.ceil(raw / month) * month;
}

const GROUP_COLUMN: Record<TimelineGroupBy, "principal_key" | "service" | "action"> = {
  principal: "principal_key",
  service: "service",
  action: "action",
};

/** Per (bucket, group) cell, as columns: thousands of cells convert faster without row objects. */
type BucketCells = { b: number[]; g: string[]; n: number[]; errors: number[]; max_score: (number | null)[] };

export interface TimelineOptions {
  /** Sum the minute/hour rollups when they answer the query exactly (default true; false reads events). */
  rollups?: boolean;
}

/**
 * Per (bucket, group): events, errors, highest score. From a rollup of `event_scores` when its slots tile the
 * buckets and it carries every filtered column, else from the narrow, time-ordered `event_scores` when the
 * filter allows (no join), else from `events` with the scores of the window joined in.
 */
async function bucketRows(
  store: TrailStore,
  filter: EventQueryFilter,
  groupBy: TimelineGroupBy,
  start: number,
  bucketMs: number,
  scores: boolean,
  options: TimelineOptions,
): Promise<BucketCells> {
  const rollup =
    scores && options.rollups !== false
      ? await rollupPlan(store, filter, GROUP_COLUMN[groupBy], start, bucketMs)
      : null;
  if (rollup) {
    // Same aliases as eventWhere expects (e.*); a slot with errors stands in for error_code.
    const { sql, params } = eventWhere(filter, [], { scores: "e", errorFlag: "e.errors > 0" });
    const level = `e.level = ${rollup.level}`;
    const bucket = `CAST((epoch_ms(e.time) - $${params.push(start)}) // $${params.push(bucketMs)} AS INTEGER)`;
    const events = rollup.errorsOnly ? "e.errors" : "e.events";
    const maxScore = rollup.errorsOnly ? "e.max_error_score" : "e.max_score";
    const where = sql ? `${sql} AND ${level}` : `WHERE ${level}`;
    const group = `e.${GROUP_COLUMN[groupBy]}`;
    return store.columns<BucketCells>(
      rollup.cells
        ? `SELECT ${bucket} AS b, ${group} AS g, ${events} AS n, e.errors, ${maxScore} AS max_score
           FROM ${rollup.table} e ${where}`
        : `SELECT ${bucket} AS b, ${group} AS g, sum(${events})::INTEGER AS n, sum(e.errors)::INTEGER AS errors,
                  max(${maxScore}) AS max_score
           FROM ${rollup.table} e ${where} GROUP BY b, g`,
      params,
    );
  }
  const fast = scores && scoresTableSuffices(filter);
  const { sql, params } = fast
    ? eventWhere(filter, [], { scores: "e", errorFlag: "e.is_error" })
    : eventWhere(filter);
  const origin = `$${params.push(start)}`;
  const width = `$${params.push(bucketMs)}`;
  const bucket = `CAST((epoch_ms(e.time) - ${origin}) // ${width} AS INTEGER)`;
  const group = `e.${GROUP_COLUMN[groupBy]}`;
  if (fast) {
    // Same aliases as eventWhere expects (e.*), over event_scores; its error flag stands in for error_code.
    return store.columns<BucketCells>(
      `SELECT ${bucket} AS b, ${group} AS g, count(*) AS n, count(*) FILTER (WHERE e.is_error) AS errors,
              max(e.score) AS max_score
       FROM event_scores e ${sql} GROUP BY b, g`,
      params,
    );
  }
  const window = scores
    ? `LEFT JOIN (SELECT event_id, score FROM event_scores WHERE time >= $${params.push(timestampParam(filter.from ?? 0))}
         AND time < $${params.push(timestampParam(filter.to ?? 0))}) s ON s.event_id = e.event_id`
    : "LEFT JOIN (SELECT NULL::VARCHAR AS event_id, NULL::DOUBLE AS score) s ON s.event_id = e.event_id";
  return store.columns<BucketCells>(
    `SELECT ${bucket} AS b, ${group} AS g, count(*) AS n, count(e.error_code) AS errors, max(s.score) AS max_score
     FROM events e ${window} ${sql} GROUP BY b, g`,
    params,
  );
}

/**
 * A windowed, bucketed histogram the way a Perfetto-like track view draws it: one bucket ≈ one pixel,
 * per-bucket error counts and the highest anomaly score so a track can be coloured, the busiest groups as
 * tracks, and the events themselves once the window is small enough to show them one by one.
 */
export async function timeline(
  store: TrailStore,
  request: TimelineRequest,
  scores: boolean,
  labelOf: (groupBy: TimelineGroupBy, key: string) => string = (_, key) => key,
  options: TimelineOptions = {},
): Promise<Timeline> {
  if (!(request.from < request.to)) throw new QueryError("start must be before end");
  if (needsScores(request.filter) && !scores) throw scoresMissing();
  const buckets = Math.min(MAX_BUCKETS, Math.max(1, Math.trunc(request.buckets)));
  const bucketMs = bucketWidth(request.to - request.from, buckets);
  const start = Math.floor(request.from / bucketMs) * bucketMs;
  const end = Math.ceil(request.to / bucketMs) * bucketMs;
  const filter = { ...request.filter, from: start, to: end };
  const cells = await bucketRows(store, filter, request.groupBy, start, bucketMs, scores, options);
  const byGroup = new Map<string, TimelineTrack>();
  const totals = new Map<number, Bucket>();
  for (const i of byBucket(cells.b)) {
    const g = cells.g[i] as string;
    const n = cells.n[i] as number;
    const errors = cells.errors[i] as number;
    const maxScore = cells.max_score[i] as number | null;
    let track = byGroup.get(g);
    if (!track) {
      track = {
        key: clip(g, 400),
        label: clip(labelOf(request.groupBy, g)),
        events: 0,
        errors: 0,
        maxScore: null,
        buckets: [],
      };
      byGroup.set(g, track);
    }
    const score = maxScore === null ? null : round(maxScore, 3);
    track.events += n;
    track.errors += errors;
    track.maxScore = maxOf(track.maxScore, score);
    track.buckets.push([cells.b[i] as number, n, errors, score]);
    addTo(totals, cells.b[i] as number, n, errors, score);
  }
  const ranked = [...byGroup.values()].sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : 1));
  const maxGroups = Math.min(MAX_GROUPS, Math.max(1, Math.trunc(request.maxGroups)));
  const tracks = ranked.slice(0, maxGroups);
  const folded = ranked.slice(maxGroups);
  if (folded.length > 0) tracks.push(foldOthers(folded));
  const totalEvents = ranked.reduce((sum, track) => sum + track.events, 0);
  const eventsUpTo = Math.min(MAX_TIMELINE_EVENTS, Math.max(0, Math.trunc(request.eventsUpTo)));
  let events: EventSummary[] | null = null;
  if (totalEvents <= eventsUpTo) {
    const list = eventWhere({ ...request.filter, from: request.from, to: request.to });
    // A score filter reads the window's scores (alias s, as eventWhere expects).
    const join = needsScores(request.filter)
      ? `JOIN (SELECT event_id, score FROM event_scores WHERE time >= $${list.params.push(timestampParam(request.from))}
           AND time < $${list.params.push(timestampParam(request.to))}) s ON s.event_id = e.event_id`
      : "";
    const eventRows = await withScores(
      store,
      await store.rows<SummaryRow>(
        `SELECT ${EVENT_ONLY_COLUMNS} FROM events e ${join} ${list.sql} ORDER BY e.time, e.event_id LIMIT ${eventsUpTo}`,
        list.params,
      ),
      scores,
    );
    events = eventRows.map(toSummary);
  }
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    bucketMs,
    bucketCount: Math.round((end - start) / bucketMs),
    groupBy: request.groupBy,
    totalEvents,
    totals: [...totals.values()].sort((a, b) => a[0] - b[0]),
    tracks,
    otherGroups: folded.length,
    events,
  };
}

/** Cell indices in bucket order (a counting sort: bucket indices are small, non-negative integers). */
function byBucket(b: number[]): Int32Array {
  let top = 0;
  for (const index of b) top = Math.max(top, index);
  const starts = new Int32Array(top + 2);
  for (const index of b) (starts[index + 1] as number)++;
  for (let k = 1; k < starts.length; k++) (starts[k] as number) += starts[k - 1] as number;
  const order = new Int32Array(b.length);
  for (let i = 0; i < b.length; i++) order[(starts[b[i] as number] as number)++] = i;
  return order;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function addTo(into: Map<number, Bucket>, index: number, n: number, errors: number, score: number | null) {
  const bucket = into.get(index);
  if (!bucket) into.set(index, [index, n, errors, score]);
  else {
    bucket[1] += n;
    bucket[2] += errors;
    bucket[3] = maxOf(bucket[3], score);
  }
}

function foldOthers(tracks: TimelineTrack[]): TimelineTrack {
  const merged = new Map<number, Bucket>();
  let events = 0;
  let errors = 0;
  let maxScore: number | null = null;
  for (const track of tracks) {
    events += track.events;
    errors += track.errors;
    maxScore = maxOf(maxScore, track.maxScore);
    for (const [index, n, e, s] of track.buckets) addTo(merged, index, n, e, s);
  }
  const buckets = [...merged.values()].sort((a, b) => a[0] - b[0]);
  return { key: "(other)", label: `${tracks.length} other groups`, events, errors, maxScore, buckets };
}
