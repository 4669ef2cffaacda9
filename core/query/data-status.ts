import { storeStats } from "../store/stats.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { clip } from "./event-summary.ts";

export interface SourceStatus {
  kind: "store" | "sample" | "s3-trail" | "lookup-events" | "cloudtrail-lake";
  detail: string;
}

export interface DataStatus {
  sources: SourceStatus[];
  events: number;
  principals: number;
  actions: number;
  errors: number;
  /** First and last event time: relative times in other tools count back from `dataEnd`. */
  dataStart: string | null;
  dataEnd: string | null;
  ingestRuns: Array<{ source: string; finished: string | null; eventsAdded: number; skipped: number }>;
  inputsRead: number;
  skippedByReason: Record<string, number>;
  /** The most recent skipped inputs (all are in the store's `skips` table). */
  recentSkips: Array<{ location: string; reason: string; detail: string }>;
  scores: { available: boolean; computedAt: string | null; events: number };
  lake: { configured: boolean; eventDataStore: string | null };
}

/** What data the tools are answering from: sources, counts, time span, skipped inputs, score freshness. */
export async function dataStatus(
  store: TrailStore,
  context: { sources: SourceStatus[]; scores: boolean; lakeEventDataStore: string | null },
): Promise<DataStatus> {
  const stats = await storeStats(store, 0);
  const runs = await store.rows<{
    source: string;
    finished: Date | null;
    events_added: number;
    skipped: number;
  }>("SELECT source, finished, events_added, skipped FROM ingest_runs ORDER BY run_id DESC LIMIT 10");
  const skips = await store.rows<{ location: string; reason: string; detail: string }>(
    "SELECT location, reason, detail FROM skips WHERE reason <> 'duplicate' ORDER BY run_id DESC LIMIT 10",
  );
  let computedAt: string | null = null;
  let scored = 0;
  if (context.scores) {
    const [state] = await store.rows<{ value: string }>(
      "SELECT value FROM score_state WHERE key = 'computed'",
    );
    computedAt = state?.value ?? null;
    const [count] = await store.rows<{ n: number }>("SELECT count(*) AS n FROM event_scores");
    scored = count?.n ?? 0;
  }
  return {
    sources: context.sources,
    events: stats.events,
    principals: stats.principals,
    actions: stats.actions,
    errors: stats.errors,
    dataStart: stats.first,
    dataEnd: stats.last,
    ingestRuns: runs.map((run) => ({
      source: clip(run.source, 300),
      finished: run.finished ? run.finished.toISOString() : null,
      eventsAdded: run.events_added,
      skipped: run.skipped,
    })),
    inputsRead: stats.inputs,
    skippedByReason: stats.skippedByReason,
    recentSkips: skips.map((skip) => ({
      location: clip(skip.location, 300),
      reason: skip.reason,
      detail: clip(skip.detail, 300),
    })),
    scores: { available: context.scores, computedAt, events: scored },
    lake: { configured: context.lakeEventDataStore !== null, eventDataStore: context.lakeEventDataStore },
  };
}
