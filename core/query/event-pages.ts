import type { DuckDBConnection } from "@duckdb/node-api";
import { type TrailStore, timestampParam } from "../store/trail-store.ts";
import type { EventQueryFilter } from "./event-filter.ts";
import { MAX_RESOURCES } from "./event-summary.ts";

/**
 * `event_pages`: what a listing shows of each event (the summary columns, resources already clipped to JSON
 * text), its score and tactic, sorted by (time, eventID). `events` is in ingest order (an S3 trail region by
 * region), so a time window there reads most row groups; here a lookup page is one query whose zone maps
 * skip all but the window's row groups, with no second read of `events`.
 *
 * Built from `event_scores` joined to `events` in the transaction that writes the scores (ADR 034), so it
 * describes exactly the scored events (current or, when another process held the file at an ingest,
 * equally stale).
 */
export const PAGES_TABLE = "event_pages";

/** Drops the projection; run before `event_scores` is rewritten. */
export async function dropPages(db: DuckDBConnection): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${PAGES_TABLE}`);
  pagesTables.delete(db);
}

/** The projection's rows of the scored events matching `where` (over `event_scores s`), in table order. */
function projection(where: string): string {
  return `SELECT s.event_id, s.time, s.principal_key, e.principal_name, s.action, s.service, e.event_source,
            e.event_name, e.region, e.source_ip, e.user_agent, e.read_only, e.error_code,
            to_json(e.resources[1:${MAX_RESOURCES}])::VARCHAR AS resources, s.score, s.tactic
     FROM event_scores s JOIN events e ON e.event_id = s.event_id ${where}
     ORDER BY s.time, s.event_id`;
}

/** Builds the projection from the `event_scores` just written (inside the caller's transaction). */
export async function buildPages(db: DuckDBConnection): Promise<void> {
  await db.run(`CREATE TABLE ${PAGES_TABLE} AS ${projection("")}`);
  pagesTables.delete(db);
}

/**
 * Re-derives the projection from `since` (epoch ms) on, after scores from then on were appended: its rows
 * from then on are replaced by rows appended in order, so the table stays sorted by (time, eventID).
 */
export async function extendPages(db: DuckDBConnection, since: number): Promise<void> {
  const from = timestampParam(since);
  await db.run(`DELETE FROM ${PAGES_TABLE} WHERE time >= $1`, [from]);
  await db.run(`INSERT INTO ${PAGES_TABLE} ${projection("WHERE s.time >= $1")}`, [from]);
}

/** The row shape `toSummary` reads, over `event_pages e` (same names as SUMMARY_COLUMNS over `events`). */
export const PAGE_COLUMNS = `e.event_id, epoch_ms(e.time) AS time_ms, e.principal_key, e.principal_name, e.action,
  e.event_source, e.region, e.source_ip, e.user_agent, e.read_only, e.error_code, e.resources, e.score`;

/** Filters whose columns the projection carries (not resource text, resource type or access key). */
const PAGE_FILTERS = new Set<keyof EventQueryFilter>([
  "from",
  "to",
  "principals",
  "action",
  "eventName",
  "eventSource",
  "service",
  "readOnly",
  "errorCode",
  "sourceIp",
  "eventId",
  "region",
  "minScore",
  "tactic",
]);

/** True when `event_pages` alone answers the filter. */
export function pagesSuffice(filter: EventQueryFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) => value === undefined || PAGE_FILTERS.has(key as keyof EventQueryFilter),
  );
}

/** Per connection: whether the projection exists (a read-only store cannot change while open). */
const pagesTables = new WeakMap<DuckDBConnection, Promise<boolean>>();

export function pagesExist(store: TrailStore): Promise<boolean> {
  let known = pagesTables.get(store.connection);
  if (!known) {
    known = store.hasTables(PAGES_TABLE);
    pagesTables.set(store.connection, known);
  }
  return known;
}
