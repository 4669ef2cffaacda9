import type { DuckDBValue } from "@duckdb/node-api";
import { timestampParam } from "./stored-events.ts";

/** Every filter the event tools accept; all optional, combined with AND. */
export interface EventQueryFilter {
  /** Inclusive start, epoch ms. */
  from?: number;
  /** Exclusive end, epoch ms. */
  to?: number;
  /** Principal keys (already resolved from keys or names). */
  principals?: string[];
  action?: string;
  eventName?: string;
  eventSource?: string;
  service?: string;
  readOnly?: boolean;
  /** An error code, or `*` for any error. */
  errorCode?: string;
  sourceIp?: string;
  /** Matches resource ARNs/names containing this text. */
  resource?: string;
  accessKeyId?: string;
  /** Matches a `resources[].type` of the raw record, e.g. `AWS::S3::Bucket` (reads the raw JSON: slower). */
  resourceType?: string;
  eventId?: string;
  region?: string;
  /** Only events with a persisted anomaly score at least this (needs `event_scores`, aliased `s`). */
  minScore?: number;
  tactic?: string;
}

export interface WhereOptions {
  /** Alias of the table holding score and tactic (default `s`; `e` when querying `event_scores` alone). */
  scores?: string;
  /** A boolean column standing in for `error_code IS NOT NULL` (`event_scores.is_error`). */
  errorFlag?: string;
}

/**
 * Builds a WHERE clause over `events` (alias `e`) and, for score filters, `event_scores` (alias `s`). Every
 * value is a bound parameter, never spliced into SQL.
 */
export function eventWhere(filter: EventQueryFilter, params: DuckDBValue[] = [], options: WhereOptions = {}) {
  const scores = options.scores ?? "s";
  const clauses: string[] = [];
  const bind = (value: DuckDBValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.from !== undefined) clauses.push(`e.time >= ${bind(timestampParam(filter.from))}`);
  if (filter.to !== undefined) clauses.push(`e.time < ${bind(timestampParam(filter.to))}`);
  if (filter.principals) {
    clauses.push(
      filter.principals.length === 1
        ? `e.principal_key = ${bind(filter.principals[0] as string)}`
        : `e.principal_key IN (${filter.principals.map((key) => bind(key)).join(", ")})`,
    );
  }
  const equal: Array<[string, string | undefined]> = [
    ["e.action", filter.action],
    ["e.event_name", filter.eventName],
    ["e.event_source", filter.eventSource],
    ["e.service", filter.service],
    ["e.source_ip", filter.sourceIp],
    ["e.access_key_id", filter.accessKeyId],
    ["e.event_id", filter.eventId],
    ["e.region", filter.region],
    [`${scores}.tactic`, filter.tactic],
  ];
  for (const [column, value] of equal) if (value !== undefined) clauses.push(`${column} = ${bind(value)}`);
  if (filter.readOnly !== undefined) clauses.push(`e.read_only = ${bind(filter.readOnly)}`);
  if (filter.errorCode === "*") clauses.push(options.errorFlag ?? "e.error_code IS NOT NULL");
  else if (filter.errorCode !== undefined) clauses.push(`e.error_code = ${bind(filter.errorCode)}`);
  if (filter.resource !== undefined) {
    clauses.push(`len(list_filter(e.resources, r -> contains(r, ${bind(filter.resource)}))) > 0`);
  }
  if (filter.resourceType !== undefined) {
    clauses.push(
      `list_contains(json_extract_string(e.raw, '$.resources[*].type'), ${bind(filter.resourceType)})`,
    );
  }
  if (filter.minScore !== undefined) clauses.push(`${scores}.score >= ${bind(filter.minScore)}`);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** True when the filter reads persisted scores (the query must join `event_scores s`). */
export function needsScores(filter: EventQueryFilter): boolean {
  return filter.minScore !== undefined || filter.tactic !== undefined;
}

/** True when `event_scores` alone can answer the filter (it carries time, principal, action, service, error). */
export function scoresTableSuffices(filter: EventQueryFilter): boolean {
  const allowed = new Set([
    "from",
    "to",
    "principals",
    "action",
    "service",
    "errorCode",
    "minScore",
    "tactic",
  ]);
  return Object.entries(filter).every(
    ([key, value]) => value === undefined || (allowed.has(key) && (key !== "errorCode" || value === "*")),
  );
}
