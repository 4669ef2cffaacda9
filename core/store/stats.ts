import type { TrailStore } from "./trail-store.ts";

export interface StoreStats {
  path: string;
  events: number;
  principals: number;
  actions: number;
  /** ISO timestamps of the first and last event, null when the store is empty. */
  first: string | null;
  last: string | null;
  topActions: { action: string; events: number }[];
  topPrincipals: { principal: string; name: string; events: number }[];
  errors: number;
  /** Over every ingest run: inputs read and every skipped input by reason (duplicates included). */
  inputs: number;
  skippedByReason: Record<string, number>;
  runs: number;
}

/** What is in the store: the numbers `trailcast stats` and the data-status tool report. */
export async function storeStats(store: TrailStore, top = 10): Promise<StoreStats> {
  const [totals] = await store.rows<{
    events: number;
    principals: number;
    actions: number;
    first: Date | null;
    last: Date | null;
    errors: number;
  }>(`SELECT count(*) AS events, count(DISTINCT principal_key) AS principals, count(DISTINCT action) AS actions,
            min(time) AS first, max(time) AS last, count(error_code) AS errors FROM events`);
  const topActions = await store.rows<{ action: string; events: number }>(
    "SELECT action, count(*) AS events FROM events GROUP BY action ORDER BY events DESC, action LIMIT $1",
    [top],
  );
  const topPrincipals = await store.rows<{ principal: string; name: string; events: number }>(
    `SELECT principal_key AS principal, any_value(principal_name) AS name, count(*) AS events FROM events
     GROUP BY principal_key ORDER BY events DESC, principal LIMIT $1`,
    [top],
  );
  const skips = await store.rows<{ reason: string; n: number }>(
    "SELECT reason, count(*) AS n FROM skips GROUP BY reason ORDER BY n DESC, reason",
  );
  const [runs] = await store.rows<{ runs: number; inputs: number }>(
    "SELECT count(*) AS runs, (SELECT count(*) FROM inputs) AS inputs FROM ingest_runs",
  );
  return {
    path: store.path,
    events: totals?.events ?? 0,
    principals: totals?.principals ?? 0,
    actions: totals?.actions ?? 0,
    first: totals?.first ? totals.first.toISOString() : null,
    last: totals?.last ? totals.last.toISOString() : null,
    topActions,
    topPrincipals,
    errors: totals?.errors ?? 0,
    inputs: runs?.inputs ?? 0,
    skippedByReason: Object.fromEntries(skips.map((row) => [row.reason, row.n])),
    runs: runs?.runs ?? 0,
  };
}
