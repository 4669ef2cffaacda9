import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Skip, SkipReason } from "../event/types.ts";
import type {
  CompletedInput,
  EventSource,
  SourceBatch,
  SourceProgress,
  StagedPart,
} from "../ingest/source.ts";
import { ChunkLoader } from "./chunk-loader.ts";
import { Deduper } from "./deduper.ts";
import { stagingLine } from "./staging-line.ts";
import type { TrailStore } from "./trail-store.ts";

export interface IngestOptions {
  onProgress?: (progress: SourceProgress & { eventsAdded: number }) => void;
  signal?: AbortSignal;
  /** Read every input again even when it was ingested unchanged before (dedupe still applies). */
  rescan?: boolean;
  /** Events per bulk load; the default fills a DuckDB row group so it bypasses the write-ahead log. */
  chunkEvents?: number;
  /** A chunk is also committed after this long, so a slow pull (LookupEvents) saves progress as it goes. */
  chunkSeconds?: number;
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
  /** Where the time went: waiting for the source, deduplicating, loading into DuckDB. */
  phaseMs: { source: number; dedupe: number; load: number };
}

const SKIPS_KEPT_IN_REPORT = 200;
const ROW_GROUP = 122_880;

/** What a chunk commits together: its events, its skips, the inputs it finished and the source checkpoint. */
interface Chunk {
  skips: Skip[];
  completed: CompletedInput[];
  checkpoint?: string;
  startedAt: number;
}

/**
 * Pulls every batch from a source into the store. Events are deduplicated by eventID against the store and
 * within the run (CloudTrail delivers duplicates); every duplicate and skip is recorded with where and why.
 * Work is committed in chunks: an interrupted run keeps what it committed and the next run resumes.
 */
export async function ingest(
  store: TrailStore,
  source: EventSource,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const started = Date.now();
  const db = store.connection;
  const runId = await startRun(store, source.name);
  const known = options.rescan ? new Map<string, string>() : await knownInputs(store);
  const [saved] = await store.rows<{ checkpoint: string }>(
    "SELECT checkpoint FROM checkpoints WHERE source = $1",
    [source.name],
  );
  const report = emptyReport(runId, source.name);
  const chunkEvents = options.chunkEvents ?? ROW_GROUP;
  const chunkMs = (options.chunkSeconds ?? 30) * 1000;
  let mark = performance.now();
  const lap = (phase: keyof IngestReport["phaseMs"]) => {
    const now = performance.now();
    report.phaseMs[phase] += now - mark;
    mark = now;
  };

  const scratch = await mkdtemp(join(tmpdir(), "trailcast-ingest-"));
  // Two scratch chunks: one is loaded by DuckDB (off the JS thread) while the next fills from the decoders.
  const loaders = [new ChunkLoader(db, scratch, "a"), new ChunkLoader(db, scratch, "b")] as const;
  let loader: ChunkLoader = loaders[0];
  let committing: Promise<void> | null = null;
  const deduper = await Deduper.create(store);
  let chunk: Chunk = { skips: [], completed: [], startedAt: Date.now() };
  let lastProgress: SourceProgress = { done: 0, total: null, unit: "files" };

  const commitChunk = async () => {
    const full = loader;
    const data = chunk;
    loader = full === loaders[0] ? loaders[1] : loaders[0];
    chunk = { skips: [], completed: [], startedAt: Date.now() };
    lap("source");
    // One commit at a time on the connection; this also guarantees the loader now filling was loaded.
    await committing;
    lap("load");
    committing = loadChunk(store, full, runId, source.name, data, report).then((added) => {
      report.eventsAdded += added;
    });
  };

  try {
    const batches = source.read({
      resumeFrom: saved?.checkpoint,
      signal: options.signal,
      preferStagingLines: true,
      isKnownInput: (id, fingerprint) => known.get(id) === fingerprint,
      onProgress: (progress) => {
        lastProgress = progress;
        options.onProgress?.({ ...progress, eventsAdded: report.eventsAdded });
      },
    });
    for await (const batch of batches) {
      lap("source");
      report.inputs += batch.inputs ?? 0;
      report.unchangedInputs += batch.unchanged ?? 0;
      const parts = stagedParts(batch);
      // One store lookup per batch, not per file.
      const kinds = await deduper.classify(parts.flatMap((part) => part.ids));
      let offset = 0;
      for (const part of parts) {
        const partKinds = kinds.slice(offset, offset + part.ids.length);
        offset += part.ids.length;
        report.eventsRead += part.ids.length;
        if (partKinds.every((kind) => kind === null)) {
          await loader.append(part.text, part.ids.length);
          continue;
        }
        // Rare: rebuild this part without its duplicates, each reported where it was read.
        const lines = part.text.split("\n");
        let kept = "";
        let keptLines = 0;
        partKinds.forEach((kind, i) => {
          if (kind === null) {
            kept += `${lines[i]}\n`;
            keptLines++;
          } else chunk.skips.push(duplicateSkip(part, i, kind));
        });
        await loader.append(kept, keptLines);
      }
      lap("dedupe");
      chunk.skips.push(...batch.skips);
      chunk.completed.push(...(batch.completed ?? []));
      if (batch.checkpoint) chunk.checkpoint = batch.checkpoint;
      if (loader.lines >= chunkEvents || Date.now() - chunk.startedAt > chunkMs) await commitChunk();
      options.onProgress?.({ ...lastProgress, eventsAdded: report.eventsAdded });
    }
    await commitChunk();
    await committing;
  } finally {
    // (assigned inside commitChunk, which TypeScript's flow analysis does not follow)
    await (committing as Promise<void> | null)?.catch(() => undefined);
    for (const each of loaders) await each.reset();
    deduper.close();
    await rm(scratch, { recursive: true, force: true });
  }
  report.durationMs = Date.now() - started;
  await finishRun(store, report);
  return report;
}

/** The batch's staged parts, plus its decoded events (sources without workers) serialized here. */
function stagedParts(batch: SourceBatch): StagedPart[] {
  const parts = [...(batch.staged?.parts ?? [])];
  for (const event of batch.events) {
    parts.push({ text: `${stagingLine(event)}\n`, ids: [event.eventId], origin: event.origin ?? "(source)" });
  }
  return parts;
}

function duplicateSkip(part: StagedPart, index: number, kind: "stored" | "repeated"): Skip {
  const id = part.ids[index] as string;
  const why = kind === "stored" ? "is already in the store" : "was delivered more than once";
  return { where: part.origin, reason: "duplicate", detail: `eventID ${id} ${why}` };
}

/** Loads one chunk and its bookkeeping in a single transaction; returns the events added. */
async function loadChunk(
  store: TrailStore,
  loader: ChunkLoader,
  runId: number,
  source: string,
  chunk: Chunk,
  report: IngestReport,
): Promise<number> {
  const db = store.connection;
  await db.run("BEGIN TRANSACTION");
  let result = await loader.load();
  if ("retry" in result) {
    // A statement that fails aborts the transaction: isolate the bad records in autocommit mode.
    await db.run("ROLLBACK");
    const isolated = await loader.loadIsolatingFailures();
    chunk.skips.push(...isolated.refused);
    result = { added: isolated.added };
    await db.run("BEGIN TRANSACTION");
  }
  await recordSkips(store, runId, chunk.skips, report);
  await recordInputs(store, source, runId, chunk.completed);
  if (chunk.checkpoint) {
    await db.run(
      `INSERT INTO checkpoints VALUES ($1, $2, now())
       ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint, updated = now()`,
      [source, chunk.checkpoint],
    );
  }
  await db.run("COMMIT");
  await loader.reset();
  return result.added;
}

async function startRun(store: TrailStore, source: string): Promise<number> {
  const [row] = await store.rows<{ next: number }>(
    "SELECT coalesce(max(run_id), 0) + 1 AS next FROM ingest_runs",
  );
  const runId = row?.next ?? 1;
  await store.connection.run("INSERT INTO ingest_runs (run_id, source, started) VALUES ($1, $2, now())", [
    runId,
    source,
  ]);
  return runId;
}

async function finishRun(store: TrailStore, report: IngestReport): Promise<void> {
  const skipped = Object.values(report.skippedByReason).reduce((sum, n) => sum + (n ?? 0), 0);
  await store.connection.run(
    `UPDATE ingest_runs SET finished = now(), inputs = $2, unchanged_inputs = $3, events_read = $4,
       events_added = $5, duplicates = $6, skipped = $7 WHERE run_id = $1`,
    [
      report.runId,
      report.inputs,
      report.unchangedInputs,
      report.eventsRead,
      report.eventsAdded,
      report.duplicates,
      skipped,
    ],
  );
}

function emptyReport(runId: number, source: string): IngestReport {
  return {
    runId,
    source,
    inputs: 0,
    unchangedInputs: 0,
    eventsRead: 0,
    eventsAdded: 0,
    duplicates: 0,
    skippedByReason: {},
    skips: [],
    durationMs: 0,
    phaseMs: { source: 0, dedupe: 0, load: 0 },
  };
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
    if (skip.reason === "duplicate") report.duplicates++;
    if (report.skips.length < SKIPS_KEPT_IN_REPORT) report.skips.push(skip);
  }
  appender.closeSync();
}

/** Marks inputs read, one statement per 500: a statement per file costs more than reading the file. */
async function recordInputs(store: TrailStore, source: string, runId: number, completed: CompletedInput[]) {
  for (let i = 0; i < completed.length; i += 500) {
    const part = completed.slice(i, i + 500);
    const values = part.map(
      (_, j) => `($${j * 2 + 1}, $${j * 2 + 2}, $${part.length * 2 + 1}, $${part.length * 2 + 2})`,
    );
    await store.connection.run(
      `INSERT INTO inputs VALUES ${values.join(", ")}
       ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, run_id = excluded.run_id`,
      [...part.flatMap((input) => [input.id, input.fingerprint]), source, runId],
    );
  }
}
