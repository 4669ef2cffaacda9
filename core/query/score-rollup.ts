import type { DuckDBConnection } from "@duckdb/node-api";
import type { TrailStore } from "../store/trail-store.ts";
import type { EventQueryFilter } from "./event-filter.ts";

/**
 * Per-minute, per-5-minute and per-hour counts of `event_scores`: events, errors, highest score, highest
 * score among errors. A timeline whose bucket width is a whole number of slots sums slots instead of events.
 * Each table holds four levels, sorted by (level, time) so zone maps prune both: level 0 per (principal,
 * service, action), which answers any mix of those filters, and levels 1-3 per principal, per service and
 * per action alone, which answer a timeline grouped by that key and filtered on nothing else (the usual
 * case): a day at 5-minute buckets by principal reads its 5-minute rows as they are (no GROUP BY) instead of
 * ~33k events, the whole month at hourly buckets by service ~11k hour rows instead of 1M events. The keys
 * are ENUM columns (small integers, read back as strings), because a GROUP BY on the ARN-like principal
 * strings cost more than the scan.
 *
 * Built from `event_scores` in the same transaction that writes it, so both always describe the same events
 * (current or, when another process held the file at an ingest, equally stale).
 */
export const ROLLUP_GRAINS = [
  { table: "event_rollup_hour", ms: 3_600_000, interval: "1 hour" },
  { table: "event_rollup_5min", ms: 300_000, interval: "5 minutes" },
  { table: "event_rollup_minute", ms: 60_000, interval: "1 minute" },
] as const;

const KEYS = [
  { column: "principal_key", type: "rollup_principal_key" },
  { column: "service", type: "rollup_service" },
  { column: "action", type: "rollup_action" },
] as const;

type KeyColumn = (typeof KEYS)[number]["column"];

/** Level 0 keeps every key; level i (1-3) only KEYS[i - 1]. */
const SINGLE_KEY_LEVEL: Record<KeyColumn, number> = { principal_key: 1, service: 2, action: 3 };

/** Drops the rollups (tables before the ENUM types they use); run before `event_scores` is rewritten. */
export async function dropRollups(db: DuckDBConnection): Promise<void> {
  for (const grain of ROLLUP_GRAINS) await db.run(`DROP TABLE IF EXISTS ${grain.table}`);
  for (const key of KEYS) await db.run(`DROP TYPE IF EXISTS ${key.type}`);
  rollupTables.delete(db);
}

/** Builds the rollups from the `event_scores` just written (inside the caller's transaction). */
export async function buildRollups(db: DuckDBConnection): Promise<void> {
  for (const key of KEYS) {
    await db.run(
      `CREATE TYPE ${key.type} AS ENUM (SELECT DISTINCT ${key.column} FROM event_scores ORDER BY 1)`,
    );
  }
  const keys = KEYS.map((key) => `${key.column}::${key.type} AS ${key.column}`).join(", ");
  const fromEvents = `count(*)::INTEGER AS events, count(*) FILTER (WHERE is_error)::INTEGER AS errors,
    max(score) AS max_score, max(score) FILTER (WHERE is_error) AS max_error_score`;
  const summed = `sum(events)::INTEGER AS events, sum(errors)::INTEGER AS errors, max(max_score) AS max_score,
    max(max_error_score) AS max_error_score`;
  // Minutes from the events, each coarser grain from the level 0 of the next finer one.
  let finer: string | null = null;
  for (const grain of [...ROLLUP_GRAINS].reverse()) {
    const slots: string =
      finer === null
        ? `SELECT time_bucket(INTERVAL ${grain.interval}, time) AS time, ${keys}, ${fromEvents} FROM event_scores GROUP BY ALL`
        : `SELECT time_bucket(INTERVAL ${grain.interval}, time) AS time, principal_key, service, action, ${summed}
           FROM ${finer} WHERE level = 0 GROUP BY ALL`;
    finer = grain.table;
    const single = KEYS.map(
      (only, i) =>
        `SELECT ${i + 1} AS level, time, ${KEYS.map((key) => (key === only ? key.column : `NULL::${key.type}`)).join(", ")},
                ${summed}
         FROM slots GROUP BY time, ${only.column}`,
    );
    await db.run(
      `CREATE TABLE ${grain.table} AS
       WITH slots AS (${slots})
       SELECT level::UTINYINT AS level, time, principal_key, service, action, events, errors, max_score, max_error_score
       FROM (SELECT 0 AS level, * FROM slots UNION ALL ${single.join(" UNION ALL ")})
       ORDER BY level, time`,
    );
  }
  rollupTables.delete(db);
}

/** Filters a rollup answers exactly: time, principal, action, service and any error (not score or tactic). */
const ROLLUP_FILTERS = new Set(["from", "to", "principals", "action", "service", "errorCode"]);

/** Which key column each key filter reads. */
const FILTER_KEY: Record<string, KeyColumn> = {
  principals: "principal_key",
  service: "service",
  action: "action",
};

export interface RollupPlan {
  table: string;
  /** 0: per (principal, service, action); 1-3: per principal, service or action alone. */
  level: number;
  /** `errorCode: "*"`: only the error counts and error scores of each slot count. */
  errorsOnly: boolean;
  /** Each row is already one (bucket, group) cell: buckets one slot wide at a single-key level. */
  cells: boolean;
}

/**
 * The coarsest rollup that answers buckets of `bucketMs` starting at `start`, grouped by `group`, exactly
 * under `filter` (slots must tile the buckets and the window), at the narrowest level that carries every key
 * it reads; null when the query must read `event_scores`.
 */
export async function rollupPlan(
  store: TrailStore,
  filter: EventQueryFilter,
  group: KeyColumn,
  start: number,
  bucketMs: number,
): Promise<RollupPlan | null> {
  const used = Object.entries(filter).filter(([, value]) => value !== undefined);
  const served = used.every(
    ([key, value]) => ROLLUP_FILTERS.has(key) && (key !== "errorCode" || value === "*"),
  );
  if (!served) return null;
  const edges = [start, bucketMs, filter.from ?? start, filter.to ?? start];
  const grain = ROLLUP_GRAINS.find((g) => edges.every((ms) => ms % g.ms === 0));
  if (!grain || !(await rollupsExist(store))) return null;
  const keys = new Set([group, ...used.flatMap(([key]) => (FILTER_KEY[key] ? [FILTER_KEY[key]] : []))]);
  const level = keys.size === 1 ? SINGLE_KEY_LEVEL[group] : 0;
  return {
    table: grain.table,
    level,
    errorsOnly: filter.errorCode === "*",
    cells: level > 0 && bucketMs === grain.ms,
  };
}

/** Per connection: whether the rollup tables exist (a read-only store cannot change while open). */
const rollupTables = new WeakMap<DuckDBConnection, Promise<boolean>>();

function rollupsExist(store: TrailStore): Promise<boolean> {
  let known = rollupTables.get(store.connection);
  if (!known) {
    known = store.hasTables(...ROLLUP_GRAINS.map((grain) => grain.table));
    rollupTables.set(store.connection, known);
  }
  return known;
}
