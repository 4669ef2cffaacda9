import { listValue } from "@duckdb/node-api";
import type { TrailStore } from "../store/trail-store.ts";
import { decodeCursor, encodeCursor, isOffset, queryDigest } from "./cursor.ts";
import { type EventQueryFilter, eventWhere, scoresTableSuffices } from "./event-filter.ts";
import {
  clip,
  type EventSummary,
  round,
  SUMMARY_COLUMNS,
  type SummaryRow,
  toSummary,
} from "./event-summary.ts";
import type { ReasonView } from "./model-service.ts";
import { scoresMissing } from "./query-error.ts";
import { timestampParam } from "./stored-events.ts";

export const MAX_ANOMALIES_LIMIT = 100;
/** Reasons listed per anomaly (strongest first); explain_event shows them all. */
const REASONS_SHOWN = 4;

export interface AnomalyRequest {
  filter: EventQueryFilter;
  limit: number;
  cursor?: string;
}

export interface Anomaly {
  event: EventSummary;
  score: number;
  surprisalBits: number;
  reasons: ReasonView[];
  tactic: string | null;
  technique: string | null;
}

export interface ScoreRow extends SummaryRow {
  surprisal_bits: number;
  reasons: string;
  tactic: string | null;
  technique: string | null;
}

export function parseReasons(text: string, limit = Number.POSITIVE_INFINITY): ReasonView[] {
  const reasons = JSON.parse(text) as ReasonView[];
  return reasons
    .slice(0, limit)
    .map((reason) => ({ kind: reason.kind, detail: clip(reason.detail, 400), bits: round(reason.bits, 2) }));
}

/** Events ranked by anomaly score (highest first) with their reasons, offset-paged. */
export async function listAnomalies(
  store: TrailStore,
  request: AnomalyRequest,
  scores: boolean,
): Promise<{ anomalies: Anomaly[]; total: number; nextCursor: string | null }> {
  if (!scores) throw scoresMissing();
  const digest = queryDigest(request.filter);
  const offset = request.cursor ? decodeCursor(request.cursor, "list_anomalies", digest, isOffset) : 0;
  const limit = Math.max(1, Math.min(MAX_ANOMALIES_LIMIT, Math.trunc(request.limit)));
  const rows = scoresTableSuffices(request.filter)
    ? await rankFromScores(store, request.filter, limit, offset)
    : await rankWithEvents(store, request.filter, limit, offset);
  const total = rows[0]?.total ?? 0;
  const next = offset + rows.length;
  return {
    anomalies: rows.map((row) => ({
      event: toSummary(row),
      score: round(row.score ?? 0, 4),
      surprisalBits: round(row.surprisal_bits, 2),
      reasons: parseReasons(row.reasons, REASONS_SHOWN),
      tactic: row.tactic,
      technique: row.technique,
    })),
    total,
    nextCursor: next < total ? encodeCursor({ kind: "list_anomalies", query: digest, at: next }) : null,
  };
}

/** Ranks on the narrow `event_scores` alone, then reads the page's events (the usual case). */
async function rankFromScores(store: TrailStore, filter: EventQueryFilter, limit: number, offset: number) {
  const { sql, params } = eventWhere(filter, [], { scores: "e", errorFlag: "e.is_error" });
  const ranked = await store.rows<{ event_id: string; time_ms: number; total: number }>(
    `SELECT e.event_id, epoch_ms(e.time) AS time_ms, count(*) OVER () AS total FROM event_scores e ${sql}
     ORDER BY e.score DESC, e.time, e.event_id LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  if (ranked.length === 0) return [];
  // The page's time span bounds both lookups, so zone maps skip most row groups of both tables.
  const times = ranked.map((row) => row.time_ms);
  const span = `time >= $2 AND time <= $3 AND list_contains($1::VARCHAR[], event_id)`;
  const rows = await store.rows<ScoreRow>(
    `SELECT ${SUMMARY_COLUMNS}, s.surprisal_bits, s.reasons, s.tactic, s.technique
     FROM (SELECT * FROM events WHERE ${span}) e JOIN (SELECT * FROM event_scores WHERE ${span}) s
       ON s.event_id = e.event_id`,
    [
      listValue(ranked.map((row) => row.event_id)),
      timestampParam(Math.min(...times)),
      timestampParam(Math.max(...times)),
    ],
  );
  const byId = new Map(rows.map((row) => [row.event_id, row]));
  const total = ranked[0]?.total ?? 0;
  return ranked.flatMap((row) => {
    const found = byId.get(row.event_id);
    return found ? [{ ...found, total }] : [];
  });
}

/** Filters that need event fields (eventName, source IP, …): rank over the join. */
async function rankWithEvents(store: TrailStore, filter: EventQueryFilter, limit: number, offset: number) {
  const { sql, params } = eventWhere(filter);
  return store.rows<ScoreRow & { total: number }>(
    `SELECT ${SUMMARY_COLUMNS}, s.surprisal_bits, s.reasons, s.tactic, s.technique, count(*) OVER () AS total
     FROM events e JOIN event_scores s ON s.event_id = e.event_id ${sql}
     ORDER BY s.score DESC, e.time, e.event_id LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
}
