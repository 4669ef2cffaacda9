import { listValue } from "@duckdb/node-api";
import type { TrailStore } from "../store/trail-store.ts";
import { decodeCursor, type EventPosition, encodeCursor, isEventPosition, queryDigest } from "./cursor.ts";
import {
  type EventQueryFilter,
  eventWhere,
  needsScores,
  scoresTableSuffices,
  type WhereOptions,
} from "./event-filter.ts";
import { PAGE_COLUMNS, PAGES_TABLE, pagesExist, pagesSuffice } from "./event-pages.ts";
import {
  EVENT_ONLY_COLUMNS,
  type EventSummary,
  SUMMARY_COLUMNS,
  type SummaryRow,
  toSummary,
  withScores,
} from "./event-summary.ts";
import { scoresMissing } from "./query-error.ts";
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

export interface LookupOptions {
  /** Page on the `event_pages` projection when it answers the filter (default true; false reads events). */
  pages?: boolean;
}

export interface LookupResult {
  events: EventSummary[];
  /** Pass back as `cursor` (with the same other arguments) for the next page; null when there is none. */
  nextCursor: string | null;
}

/**
 * Events matching a filter, newest or oldest first, keyset-paged on (time, eventID) so a page costs the same
 * at any depth. `scores` joins persisted anomaly scores when the store has them; score filters (minScore,
 * tactic) need them. `scoresCurrent` (scores cover every event) lets the time-ordered projection
 * `event_pages` answer the page in one query when it carries the filtered columns, else the narrow
 * `event_scores` find the page when the filter only uses its columns; any other filter reads `events`.
 */
export async function lookupEvents(
  store: TrailStore,
  request: LookupRequest,
  scores: boolean,
  scoresCurrent = false,
  options: LookupOptions = {},
): Promise<LookupResult> {
  if (needsScores(request.filter) && !scores) throw scoresMissing();
  const digest = queryDigest({ filter: request.filter, order: request.order });
  const after = request.cursor
    ? decodeCursor<EventPosition>(request.cursor, "lookup_events", digest, isEventPosition)
    : null;
  const limit = Math.max(1, Math.min(MAX_LOOKUP_LIMIT, Math.trunc(request.limit)));
  const page: Page = { filter: request.filter, after, newest: request.order === "newest", limit };
  // Stale scores (and their projection) still answer a score filter (an unscored event cannot pass it),
  // never a plain lookup.
  const indexed = scores && (needsScores(request.filter) || scoresCurrent);
  const rows =
    indexed && options.pages !== false && pagesSuffice(request.filter) && (await pagesExist(store))
      ? await pageFromPages(store, page)
      : indexed && scoresTableSuffices(request.filter)
        ? await pageFromScores(store, page)
        : await pageFromEvents(store, page, scores);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    events: rows.slice(0, limit).map(toSummary),
    nextCursor: last
      ? encodeCursor({ kind: "lookup_events", query: digest, at: [last.time_ms, last.event_id] })
      : null,
  };
}

interface Page {
  filter: EventQueryFilter;
  after: EventPosition | null;
  newest: boolean;
  limit: number;
}

/** WHERE clause of a page: the filter plus the keyset position, over alias `e`. */
function pageWhere(page: Page, options: WhereOptions = {}) {
  const { sql, params } = eventWhere(page.filter, [], options);
  if (!page.after) return { sql, params };
  const t = `$${params.push(timestampParam(page.after[0]))}`;
  const id = `$${params.push(page.after[1])}`;
  const keyset = page.newest
    ? `(e.time < ${t} OR (e.time = ${t} AND e.event_id < ${id}))`
    : `(e.time > ${t} OR (e.time = ${t} AND e.event_id > ${id}))`;
  return { sql: sql ? `${sql} AND ${keyset}` : `WHERE ${keyset}`, params };
}

/** Up to limit + 1 rows (one more tells whether there is a next page), in page order. */
async function pageFromEvents(store: TrailStore, page: Page, scores: boolean): Promise<SummaryRow[]> {
  const { sql, params } = pageWhere(page);
  const direction = page.newest ? "DESC" : "ASC";
  const { from, to } = page.filter;
  const filtered = needsScores(page.filter);
  const narrow = scores && from !== undefined && to !== undefined && to - from <= WINDOW_JOIN_MAX_MS;
  // A narrow window (or a score filter) joins the window's scores in the same query (a small hash build);
  // a wide one pages on events alone and looks the page's scores up afterwards, never hashing the whole
  // scores table.
  let join = "";
  if (narrow || filtered) {
    const window =
      from !== undefined && to !== undefined
        ? `WHERE time >= $${params.push(timestampParam(from))} AND time < $${params.push(timestampParam(to))}`
        : "";
    join = `${filtered ? "" : "LEFT "}JOIN (SELECT event_id, score, tactic FROM event_scores ${window}) s
      ON s.event_id = e.event_id`;
  }
  const rows = await store.rows<SummaryRow>(
    `SELECT ${join ? SUMMARY_COLUMNS : EVENT_ONLY_COLUMNS} FROM events e ${join} ${sql}
     ORDER BY e.time ${direction}, e.event_id ${direction} LIMIT ${page.limit + 1}`,
    params,
  );
  return join ? rows : withScores(store, rows, scores);
}

/** One query on the time-ordered projection, which carries every listed column, the score and the tactic. */
function pageFromPages(store: TrailStore, page: Page): Promise<SummaryRow[]> {
  const { sql, params } = pageWhere(page, { scores: "e" });
  const direction = page.newest ? "DESC" : "ASC";
  return store.rows<SummaryRow>(
    `SELECT ${PAGE_COLUMNS} FROM ${PAGES_TABLE} e ${sql}
     ORDER BY e.time ${direction}, e.event_id ${direction} LIMIT ${page.limit + 1}`,
    params,
  );
}

/**
 * Without the projection (a store scored before it existed), pages on the narrow, time-ordered `event_scores` alone (filters on time, principal, action, service, any
 * error, score), then reads the page's events. `events` is in ingest order (an S3 trail region by region),
 * so its zone maps barely prune a time window; `event_scores` was written in time order and its zone maps
 * skip all but the window's row groups. A high minScore over weeks never hashes events either.
 */
async function pageFromScores(store: TrailStore, page: Page): Promise<SummaryRow[]> {
  const { sql, params } = pageWhere(page, { scores: "e", errorFlag: "e.is_error" });
  const direction = page.newest ? "DESC" : "ASC";
  const ranked = await store.rows<{ event_id: string; time_ms: number; score: number }>(
    `SELECT e.event_id, epoch_ms(e.time) AS time_ms, e.score FROM event_scores e ${sql}
     ORDER BY e.time ${direction}, e.event_id ${direction} LIMIT ${page.limit + 1}`,
    params,
  );
  if (ranked.length === 0) return [];
  const times = ranked.map((row) => row.time_ms);
  // The page's time span bounds the lookup, so zone maps skip the other row groups of the sorted events.
  const rows = await store.rows<SummaryRow>(
    `SELECT ${EVENT_ONLY_COLUMNS} FROM events e
     WHERE e.time >= $2 AND e.time <= $3 AND list_contains($1::VARCHAR[], e.event_id)`,
    [
      listValue(ranked.map((row) => row.event_id)),
      timestampParam(Math.min(...times)),
      timestampParam(Math.max(...times)),
    ],
  );
  const byId = new Map(rows.map((row) => [row.event_id, row]));
  return ranked.flatMap((row) => {
    const found = byId.get(row.event_id);
    return found ? [{ ...found, score: row.score }] : [];
  });
}
