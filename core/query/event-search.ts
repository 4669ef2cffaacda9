import type { TrailStore } from "../store/trail-store.ts";
import { decodeCursor, type EventPosition, encodeCursor, isEventPosition, queryDigest } from "./cursor.ts";
import { type EventQueryFilter, eventWhere } from "./event-filter.ts";
import {
  EVENT_ONLY_COLUMNS,
  type EventSummary,
  SUMMARY_COLUMNS,
  type SummaryRow,
  toSummary,
  withScores,
} from "./event-summary.ts";
import { timestampParam } from "./stored-events.ts";

export const MAX_LOOKUP_LIMIT = 500;
/** Time windows up to this long join their scores directly (see lookupEvents). */
const WINDOW_JOIN_MAX_MS = 2 * 86_400_000;

export interface LookupRequest {
  filter: EventQueryFilter;
  limit: number;
  order: "newest" | "oldest";
  cursor?: string;
}

export interface LookupResult {
  events: EventSummary[];
  /** Pass back as `cursor` (with the same other arguments) for the next page; null when there is none. */
  nextCursor: string | null;
}

/**
 * Events matching a filter, newest or oldest first, keyset-paged on (time, eventID) so a page costs the same
 * at any depth. `scores` joins persisted anomaly scores when the store has them.
 */
export async function lookupEvents(
  store: TrailStore,
  request: LookupRequest,
  scores: boolean,
): Promise<LookupResult> {
  const digest = queryDigest({ filter: request.filter, order: request.order });
  const after = request.cursor
    ? decodeCursor<EventPosition>(request.cursor, "lookup_events", digest, isEventPosition)
    : null;
  const { sql, params } = eventWhere(request.filter);
  const newest = request.order === "newest";
  let where = sql;
  if (after) {
    const t = `$${params.push(timestampParam(after[0]))}`;
    const id = `$${params.push(after[1])}`;
    const keyset = newest
      ? `(e.time < ${t} OR (e.time = ${t} AND e.event_id < ${id}))`
      : `(e.time > ${t} OR (e.time = ${t} AND e.event_id > ${id}))`;
    where = where ? `${where} AND ${keyset}` : `WHERE ${keyset}`;
  }
  const direction = newest ? "DESC" : "ASC";
  const limit = Math.max(1, Math.min(MAX_LOOKUP_LIMIT, Math.trunc(request.limit)));
  const narrow =
    scores &&
    request.filter.from !== undefined &&
    request.filter.to !== undefined &&
    request.filter.to - request.filter.from <= WINDOW_JOIN_MAX_MS;
  // A narrow window joins the window's scores in the same query (a small hash build); a wide one pages on
  // events alone and looks the page's scores up afterwards, never hashing the whole scores table.
  const columns = narrow ? SUMMARY_COLUMNS : EVENT_ONLY_COLUMNS;
  const join = narrow
    ? `LEFT JOIN (SELECT event_id, score FROM event_scores WHERE time >= $${params.push(timestampParam(request.filter.from as number))}
         AND time < $${params.push(timestampParam(request.filter.to as number))}) s ON s.event_id = e.event_id`
    : "";
  const rows = await store.rows<SummaryRow>(
    `SELECT ${columns} FROM events e ${join} ${where}
     ORDER BY e.time ${direction}, e.event_id ${direction} LIMIT ${limit + 1}`,
    params,
  );
  const page = narrow ? rows.slice(0, limit) : await withScores(store, rows.slice(0, limit), scores);
  const last = page[page.length - 1];
  return {
    events: page.map(toSummary),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ kind: "lookup_events", query: digest, at: [last.time_ms, last.event_id] })
        : null,
  };
}
