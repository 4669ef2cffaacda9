import type { DuckDBValue } from "@duckdb/node-api";
import type { TrailStore } from "../store/trail-store.ts";
import { decodeCursor, encodeCursor, isOffset, queryDigest } from "./cursor.ts";
import { clip, round } from "./event-summary.ts";
import { timestampParam } from "./stored-events.ts";

export const MAX_PRINCIPALS_LIMIT = 200;

export interface PrincipalsRequest {
  from?: number;
  to?: number;
  /** Identity type (IAMUser, AssumedRole, Root, AWSService, …). */
  type?: string;
  /** Case-insensitive text the key or name contains. */
  search?: string;
  sortBy: "events" | "lastSeen" | "maxScore" | "errors";
  limit: number;
  cursor?: string;
}

export interface PrincipalSummary {
  principal: string;
  name: string;
  type: string;
  events: number;
  errors: number;
  distinctActions: number;
  firstSeen: string;
  lastSeen: string;
  /** Highest anomaly score of its events (null when scores are not computed). */
  maxScore: number | null;
  /** Events scoring at least 0.5. */
  anomalies: number | null;
}

const ORDER: Record<PrincipalsRequest["sortBy"], string> = {
  events: "events DESC",
  lastSeen: "last_ms DESC",
  maxScore: "max_score DESC NULLS LAST",
  errors: "errors DESC",
};

/** Principals with activity counts, first/last seen and their highest anomaly, offset-paged. */
export async function listPrincipals(
  store: TrailStore,
  request: PrincipalsRequest,
  scores: boolean,
): Promise<{ principals: PrincipalSummary[]; total: number; nextCursor: string | null }> {
  const digest = queryDigest({ ...request, cursor: undefined, limit: undefined });
  const offset = request.cursor ? decodeCursor(request.cursor, "list_principals", digest, isOffset) : 0;
  const params: DuckDBValue[] = [];
  const where: string[] = [];
  if (request.from !== undefined) where.push(`e.time >= $${params.push(timestampParam(request.from))}`);
  if (request.to !== undefined) where.push(`e.time < $${params.push(timestampParam(request.to))}`);
  if (request.type !== undefined) where.push(`e.principal_type = $${params.push(request.type)}`);
  if (request.search !== undefined) {
    const p = `$${params.push(request.search)}`;
    where.push(
      `(contains(lower(e.principal_key), lower(${p})) OR contains(lower(e.principal_name), lower(${p})))`,
    );
  }
  const limit = Math.max(1, Math.min(MAX_PRINCIPALS_LIMIT, Math.trunc(request.limit)));
  const timeOnly = where.filter((clause) => clause.startsWith("e.time"));
  const scored = scores
    ? `SELECT principal_key, max(score) AS max_score, count(*) FILTER (WHERE score >= 0.5) AS anomalies
       FROM event_scores e ${timeOnly.length ? `WHERE ${timeOnly.join(" AND ")}` : ""} GROUP BY principal_key`
    : "SELECT NULL::VARCHAR AS principal_key, NULL::DOUBLE AS max_score, 0 AS anomalies";
  // Events and scores are aggregated apart and joined per principal: no per-event join over the store.
  const rows = await store.rows<{
    principal_key: string;
    name: string;
    type: string;
    events: number;
    errors: number;
    actions: number;
    first_ms: number;
    last_ms: number;
    max_score: number | null;
    anomalies: number | null;
    total: number;
  }>(
    `WITH ev AS (
       SELECT e.principal_key, any_value(e.principal_name) AS name, any_value(e.principal_type) AS type,
              count(*) AS events, count(e.error_code) AS errors, count(DISTINCT e.action) AS actions,
              epoch_ms(min(e.time)) AS first_ms, epoch_ms(max(e.time)) AS last_ms
       FROM events e ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY e.principal_key),
     sc AS (${scored})
     SELECT ev.*, sc.max_score, sc.anomalies, count(*) OVER () AS total
     FROM ev LEFT JOIN sc ON sc.principal_key = ev.principal_key
     ORDER BY ${ORDER[request.sortBy]}, ev.principal_key LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const total = rows[0]?.total ?? 0;
  const next = offset + rows.length;
  return {
    principals: rows.map((row) => ({
      principal: clip(row.principal_key, 400),
      name: clip(row.name),
      type: row.type,
      events: row.events,
      errors: row.errors,
      distinctActions: row.actions,
      firstSeen: new Date(row.first_ms).toISOString(),
      lastSeen: new Date(row.last_ms).toISOString(),
      maxScore: row.max_score === null ? null : round(row.max_score, 4),
      anomalies: scores ? (row.anomalies ?? 0) : null,
    })),
    total,
    nextCursor: next < total ? encodeCursor({ kind: "list_principals", query: digest, at: next }) : null,
  };
}
