import type { Skip, SkipReason } from "../event/types.ts";
import type { EventSource, SourceProgress } from "../ingest/source.ts";
import { appendEvents } from "./append-events.ts";
import { STAGING_DDL } from "./schema.ts";
import type { TrailStore } from "./trail-store.ts";

export interface IngestOptions {
  onProgress?: (progress: SourceProgress & { eventsAdded: number }) => void;
  signal?: AbortSignal;
  /** Read every input again even when it was ingested unchanged before (dedupe still applies). */
  rescan?: boolean;
}

export interface IngestReport {
  runId: number;
  source: string;
  inputs: number;
  unchangedInputs: number;
  eventsRead: number;
  eventsAdded: number;
  duplicates: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** The first skips, for display; all of them are in the store's `skips` table. */
  skips: Skip[];
  durationMs: number;
}

const SKIPS_KEPT_IN_REPORT = 200;

/**
 * Pulls every batch from a source into the store. Events are deduplicated by eventID against the store and
 * within the run (CloudTrail delivers duplicates); every duplicate and skip is recorded with where and why.
 */
export async function ingest(
  store: TrailStore,
  source: EventSource,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const started = Date.now();
  const db = store.connection;
  const [{ next }] = (await store.rows<{ next: number }>(
    "SELECT coalesce(max(run_id), 0) + 1 AS next FROM ingest_runs",
  )) as [{ next: number }];
  const runId = next;
  await db.run("INSERT INTO ingest_runs (run_id, source, started) VALUES ($1, $2, now())", [
    runId,
    source.name,
  ]);

  const known = options.rescan ? new Map<string, string>() : await knownInputs(store);
  const checkpoint = await store.rows<{ checkpoint: string }>(
    "SELECT checkpoint FROM checkpoints WHERE source = $1",
    [source.name],
  );
  const report: IngestReport = {
    runId,
    source: source.name,
    inputs: 0,
    unchangedInputs: 0,
    eventsRead: 0,
    eventsAdded: 0,
    duplicates: 0,
    skippedByReason: {},
    skips: [],
    durationMs: 0,
  };
  await db.run(STAGING_DDL);

  let lastProgress: SourceProgress = { done: 0, total: null, unit: "files" };
  const batches = source.read({
    resumeFrom: checkpoint[0]?.checkpoint,
    signal: options.signal,
    isKnownInput: (id, fingerprint) => known.get(id) === fingerprint,
    onProgress: (progress) => {
      lastProgress = progress;
      options.onProgress?.({ ...progress, eventsAdded: report.eventsAdded });
    },
  });
  for await (const batch of batches) {
    report.inputs += batch.inputs ?? 0;
    report.unchangedInputs += batch.unchanged ?? 0;
    report.eventsRead += batch.events.length;
    await recordSkips(store, runId, batch.skips, report);
    if (batch.events.length > 0) {
      await db.run("DELETE FROM staging");
      await appendEvents(db, "staging", batch.events, (event) => event.origin ?? null);
      const { added, duplicates } = await mergeStaging(store, runId);
      report.eventsAdded += added;
      report.duplicates += duplicates;
      if (duplicates > 0)
        report.skippedByReason.duplicate = (report.skippedByReason.duplicate ?? 0) + duplicates;
    }
    for (const input of batch.completed ?? []) {
      await db.run(
        `INSERT INTO inputs VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, run_id = excluded.run_id`,
        [input.id, input.fingerprint, source.name, runId],
      );
    }
    if (batch.checkpoint) {
      await db.run(
        `INSERT INTO checkpoints VALUES ($1, $2, now()) ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint, updated = now()`,
        [source.name, batch.checkpoint],
      );
    }
    options.onProgress?.({ ...lastProgress, eventsAdded: report.eventsAdded });
  }
  await db.run("DROP TABLE IF EXISTS staging");
  const skipped = Object.values(report.skippedByReason).reduce((sum, n) => sum + (n ?? 0), 0);
  await db.run(
    `UPDATE ingest_runs SET finished = now(), inputs = $2, unchanged_inputs = $3, events_read = $4,
       events_added = $5, duplicates = $6, skipped = $7 WHERE run_id = $1`,
    [
      runId,
      report.inputs,
      report.unchangedInputs,
      report.eventsRead,
      report.eventsAdded,
      report.duplicates,
      skipped,
    ],
  );
  report.durationMs = Date.now() - started;
  return report;
}

async function knownInputs(store: TrailStore): Promise<Map<string, string>> {
  const rows = await store.rows<{ id: string; fingerprint: string }>("SELECT id, fingerprint FROM inputs");
  return new Map(rows.map((row) => [row.id, row.fingerprint]));
}

async function recordSkips(
  store: TrailStore,
  runId: number,
  skips: Skip[],
  report: IngestReport,
): Promise<void> {
  if (skips.length === 0) return;
  const appender = await store.connection.createAppender("skips");
  for (const skip of skips) {
    appender.appendInteger(runId);
    appender.appendVarchar(skip.where);
    appender.appendVarchar(skip.reason);
    appender.appendVarchar(skip.detail);
    appender.endRow();
    report.skippedByReason[skip.reason] = (report.skippedByReason[skip.reason] ?? 0) + 1;
    if (report.skips.length < SKIPS_KEPT_IN_REPORT) report.skips.push(skip);
  }
  appender.closeSync();
}

/**
 * Moves the staged batch into `events`: one copy per eventID, none already stored, in time order so
 * DuckDB's min/max zone maps prune time-range queries. Duplicates are listed in `skips`.
 */
async function mergeStaging(
  store: TrailStore,
  runId: number,
): Promise<{ added: number; duplicates: number }> {
  const db = store.connection;
  await db.run(`CREATE OR REPLACE TEMP TABLE ranked AS
    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY time, source_file) AS copy,
           event_id IN (SELECT event_id FROM events) AS stored
    FROM staging`);
  const dupes = await db.run(
    `INSERT INTO skips
    SELECT $1, coalesce(source_file, event_id), 'duplicate',
           'eventID ' || event_id || CASE WHEN stored THEN ' is already in the store' ELSE ' was delivered more than once' END
    FROM ranked WHERE stored OR copy > 1`,
    [runId],
  );
  const added = await db.run(`INSERT INTO events SELECT * EXCLUDE (copy, stored) FROM ranked
    WHERE copy = 1 AND NOT stored ORDER BY time`);
  await db.run("DROP TABLE ranked");
  return { added: added.rowsChanged, duplicates: dupes.rowsChanged };
}
