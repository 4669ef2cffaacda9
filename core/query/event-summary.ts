import { listValue } from "@duckdb/node-api";
import type { TrailStore } from "../store/trail-store.ts";
import { timestampParam } from "./stored-events.ts";

/** Longest event-derived string shown in listings (user agents and ARNs can be kilobytes). */
export const MAX_FIELD_CHARS = 200;
export const MAX_RESOURCES = 3;

/** One event as tools list it: the fields an analyst scans, clipped so a page stays small. */
export interface EventSummary {
  eventId: string;
  time: string;
  principal: string;
  principalName: string;
  action: string;
  eventSource: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  readOnly: boolean | null;
  errorCode: string | null;
  resources: string[];
  /** Anomaly score from history strictly before the event; null when scores are not computed. */
  score: number | null;
}

export function clip(text: string | null, max = MAX_FIELD_CHARS): string {
  if (text === null) return "";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** SELECT list producing the row shape `toSummary` reads (events `e`, scores `s` left-joined). */
export const SUMMARY_COLUMNS = `e.event_id, epoch_ms(e.time) AS time_ms, e.principal_key, e.principal_name, e.action,
  e.event_source, e.region, e.source_ip, e.user_agent, e.read_only, e.error_code,
  to_json(e.resources[1:${MAX_RESOURCES}])::VARCHAR AS resources, s.score`;

/** The same columns without the score join (scores attached afterwards with `withScores`). */
export const EVENT_ONLY_COLUMNS = SUMMARY_COLUMNS.replace("s.score", "NULL::DOUBLE AS score");

export interface SummaryRow {
  event_id: string;
  time_ms: number;
  principal_key: string;
  principal_name: string;
  action: string;
  event_source: string;
  region: string;
  source_ip: string;
  user_agent: string;
  read_only: boolean | null;
  error_code: string | null;
  /** JSON text of the first resources (a JSON string converts faster than a DuckDB LIST). */
  resources: string | null;
  score: number | null;
}

export function toSummary(row: SummaryRow): EventSummary {
  return {
    eventId: row.event_id,
    time: new Date(row.time_ms).toISOString(),
    principal: clip(row.principal_key, 400),
    principalName: clip(row.principal_name),
    action: clip(row.action),
    eventSource: clip(row.event_source),
    region: clip(row.region),
    sourceIp: clip(row.source_ip),
    userAgent: clip(row.user_agent),
    readOnly: row.read_only,
    errorCode: row.error_code === null ? null : clip(row.error_code),
    resources: row.resources ? (JSON.parse(row.resources) as string[]).map((resource) => clip(resource)) : [],
    score: row.score === null ? null : round(row.score, 4),
  };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Joins persisted scores as `s`; without them (a read-only store never scored) an empty stand-in keeps the
 * same columns so every query has one shape.
 */
export function scoreJoin(scores: boolean): string {
  return scores
    ? "LEFT JOIN event_scores s ON s.event_id = e.event_id"
    : `LEFT JOIN (SELECT NULL::VARCHAR AS event_id, NULL::DOUBLE AS score, NULL::VARCHAR AS tactic,
         NULL::VARCHAR AS technique, NULL::VARCHAR AS reasons, NULL::DOUBLE AS surprisal_bits) s ON s.event_id = e.event_id`;
}

/**
 * Fills in the persisted scores of a page of rows with one lookup bounded by the page's time range:
 * `event_scores` is written in time order, so DuckDB's zone maps skip all but a few row groups, where a join
 * against the whole table would hash a million rows per query.
 */
export async function withScores<T extends SummaryRow>(
  store: TrailStore,
  rows: T[],
  scores: boolean,
): Promise<T[]> {
  if (!scores || rows.length === 0) return rows;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    min = Math.min(min, row.time_ms);
    max = Math.max(max, row.time_ms);
  }
  const ids = rows.map((row) => row.event_id);
  const found = await store.rows<{ event_id: string; score: number }>(
    `SELECT event_id, score FROM event_scores WHERE time >= $1 AND time <= $2
       AND list_contains($3::VARCHAR[], event_id)`,
    [timestampParam(min), timestampParam(max), listValue(ids)],
  );
  const byId = new Map(found.map((row) => [row.event_id, row.score]));
  for (const row of rows) row.score = byId.get(row.event_id) ?? null;
  return rows;
}
