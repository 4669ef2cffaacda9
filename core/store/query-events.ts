import type { DuckDBValue } from "@duckdb/node-api";
import { DuckDBTimestampValue } from "@duckdb/node-api";
import type { TrailStore } from "./trail-store.ts";

export interface EventFilter {
  /** Inclusive start, epoch ms. */
  from?: number;
  /** Exclusive end, epoch ms. */
  to?: number;
  principal?: string;
  action?: string;
  errorsOnly?: boolean;
}

export interface EventRow {
  eventId: string;
  time: number;
  action: string;
  principalKey: string;
  principalName: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  readOnly: boolean | null;
  errorCode: string | null;
}

/** A bound TIMESTAMP parameter (DuckDB keeps microseconds); comparisons on `time` keep zone-map pruning. */
export function timestampParam(ms: number): DuckDBTimestampValue {
  return new DuckDBTimestampValue(BigInt(Math.trunc(ms)) * 1000n);
}

/** Builds the WHERE clause for a filter; every value is a bound parameter, never spliced into SQL. */
export function whereClause(filter: EventFilter): { sql: string; params: DuckDBValue[] } {
  const clauses: string[] = [];
  const params: DuckDBValue[] = [];
  const add = (sql: string, value: DuckDBValue) => {
    params.push(value);
    clauses.push(sql.replace("?", `$${params.length}`));
  };
  if (filter.from !== undefined) add("time >= ?", timestampParam(filter.from));
  if (filter.to !== undefined) add("time < ?", timestampParam(filter.to));
  if (filter.principal !== undefined) add("principal_key = ?", filter.principal);
  if (filter.action !== undefined) add("action = ?", filter.action);
  if (filter.errorsOnly) clauses.push("error_code IS NOT NULL");
  return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** Events matching a filter in time order (then eventID, so pages are stable). */
export async function queryEvents(store: TrailStore, filter: EventFilter, limit = 100): Promise<EventRow[]> {
  const { sql, params } = whereClause(filter);
  params.push(Math.max(0, Math.trunc(limit)));
  return store.rows<EventRow>(
    `SELECT event_id AS "eventId", epoch_ms(time) AS time, action, principal_key AS "principalKey",
            principal_name AS "principalName", region, source_ip AS "sourceIp", user_agent AS "userAgent",
            read_only AS "readOnly", error_code AS "errorCode"
     FROM events ${sql} ORDER BY time, event_id LIMIT $${params.length}`,
    params,
  );
}

export async function countEvents(store: TrailStore, filter: EventFilter): Promise<number> {
  const { sql, params } = whereClause(filter);
  const [row] = await store.rows<{ n: number }>(`SELECT count(*) AS n FROM events ${sql}`, params);
  return row?.n ?? 0;
}
