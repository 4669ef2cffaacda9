import { existsSync } from "node:fs";
import { serviceOf } from "../event/normalize.ts";
import type { TrailEvent } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { buildPages, dropPages } from "./event-pages.ts";
import { BehaviourService, type EventScore, SCORING_VERSION } from "./model-service.ts";
import { buildRollups, dropRollups } from "./score-rollup.ts";
import { allStoredEvents, timestampParam } from "./stored-events.ts";

/**
 * Anomaly scores of stored events, persisted beside the events in the same DuckDB file. Each event is
 * scored from the history strictly before it (a walk in time order with online updates), so listing
 * anomalies, principals and timelines is plain SQL. `score_state` records what the scores were computed
 * from; when the store changes (event count, last ingest run) or the scoring changes, they are recomputed.
 * The table also carries time, principal, action, service and error flag (written in time order), so timelines
 * and rankings read this one narrow table instead of joining the wide `events`; its per-minute and per-hour
 * rollups (`score-rollup.ts`) answer timelines, and its projection with the listed columns (`event-pages.ts`)
 * answers lookups.
 */
const TABLE_VERSION = 5;
const DDL = [
  `CREATE TABLE IF NOT EXISTS event_scores (
     event_id VARCHAR NOT NULL, time TIMESTAMP NOT NULL, principal_key VARCHAR NOT NULL, action VARCHAR NOT NULL,
     service VARCHAR NOT NULL, is_error BOOLEAN NOT NULL, score DOUBLE NOT NULL, surprisal_bits DOUBLE NOT NULL,
     evidence_bits DOUBLE NOT NULL, reasons VARCHAR NOT NULL, tactic VARCHAR, technique VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS score_state (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
];

export interface ScoreRefresh {
  /** True when scores were (re)computed now, false when the persisted ones were current. */
  computed: boolean;
  events: number;
  seconds: number;
}

/** What the persisted scores must have been computed from to be current. */
export async function storeSignature(store: TrailStore): Promise<string> {
  const [row] = await store.rows<{ n: number; run: number | null }>(
    "SELECT (SELECT count(*) FROM events) AS n, (SELECT max(run_id) FROM ingest_runs) AS run",
  );
  return `${SCORING_VERSION}:${TABLE_VERSION}:${row?.n ?? 0}:${row?.run ?? 0}`;
}

/** True when the store holds scores computed from its current events. */
export async function scoresAreCurrent(store: TrailStore): Promise<boolean> {
  const [exists] = await store.rows<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'score_state' AND database_name = current_database()",
  );
  if (!exists?.n) return false;
  const [state] = await store.rows<{ value: string }>(
    "SELECT value FROM score_state WHERE key = 'signature'",
  );
  return state?.value === (await storeSignature(store));
}

/**
 * Walks every stored event through a freshly tuned model. With `persist` (a writable store) each event is
 * scored before it is learned and the scores replace the table; without, events are only learned (to
 * rebuild the model for predictions when the persisted scores are current). Returns the walked model.
 */
export async function walkStore(
  store: TrailStore,
  options: { persist: boolean },
): Promise<{ service: BehaviourService; refresh: ScoreRefresh }> {
  const started = performance.now();
  const signature = await storeSignature(store);
  const [count] = await store.rows<{ n: number }>("SELECT count(*) AS n FROM events");
  const total = count?.n ?? 0;
  // The tuning events are the walk's first pages: read once, kept until the walk has passed them.
  const pages = allStoredEvents(store)[Symbol.asyncIterator]();
  const head: TrailEvent[][] = [];
  let buffered = 0;
  const tuningCount = BehaviourService.tuningEvents(total);
  while (buffered < tuningCount) {
    const page = await pages.next();
    if (page.done) break;
    head.push(page.value);
    buffered += page.value.length;
  }
  const service = BehaviourService.tunedOn(head.flat().slice(0, tuningCount), total);
  const db = store.connection;
  if (options.persist) {
    // The table's layout may have changed with TABLE_VERSION: it only holds derived data, so start afresh.
    await dropRollups(db);
    await dropPages(db);
    await db.run("DROP TABLE IF EXISTS event_scores");
    for (const ddl of DDL) await db.run(ddl);
    await db.run("BEGIN TRANSACTION");
  }
  const appender = options.persist ? await db.createAppender("event_scores") : null;
  const walk = (page: TrailEvent[]) => {
    for (const event of page) {
      if (!appender) service.learn(event);
      else appendScore(appender, event, service.scoreThenLearn(event));
    }
  };
  try {
    for (let page = head.shift(); page; page = head.shift()) walk(page);
    for (let page = await pages.next(); !page.done; page = await pages.next()) walk(page.value);
    if (appender) {
      appender.closeSync();
      await buildRollups(db);
      await buildPages(db);
      const modelFile = modelPathOf(store);
      if (modelFile) {
        // Best effort: without the file the model is rebuilt by a walk on first use.
        try {
          await service.save(modelFile);
          await db.run(
            `INSERT INTO score_state VALUES ('model', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
            [signature],
          );
        } catch {
          await db.run("DELETE FROM score_state WHERE key = 'model'");
        }
      }
      await db.run(
        `INSERT INTO score_state VALUES ('signature', $1), ('computed', $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [signature, new Date().toISOString()],
      );
      await db.run("COMMIT");
    }
  } catch (error) {
    if (options.persist) await db.run("ROLLBACK");
    throw error;
  } finally {
    // Closes the page reader's connection when the walk stops early.
    await pages.return(undefined);
  }
  return {
    service,
    refresh: { computed: options.persist, events: total, seconds: (performance.now() - started) / 1000 },
  };
}

/** Where the walked model of a store file is kept (beside it), or null for in-memory stores. */
export function modelPathOf(store: TrailStore): string | null {
  return store.path === ":memory:" ? null : `${store.path}.model.json.gz`;
}

/** The persisted walked model of this store, when it was saved for its current events; else null. */
export async function loadWalkedModel(store: TrailStore): Promise<BehaviourService | null> {
  const path = modelPathOf(store);
  if (!path || !existsSync(path) || !(await scoresAreCurrent(store))) return null;
  const [state] = await store.rows<{ value: string }>("SELECT value FROM score_state WHERE key = 'model'");
  if (state?.value !== (await storeSignature(store))) return null;
  try {
    return await BehaviourService.load(path);
  } catch {
    return null;
  }
}

type Appender = Awaited<ReturnType<TrailStore["connection"]["createAppender"]>>;

function appendScore(appender: Appender, event: TrailEvent, scored: EventScore): void {
  appender.appendVarchar(event.eventId);
  appender.appendTimestamp(timestampParam(event.time));
  appender.appendVarchar(event.principal.key);
  appender.appendVarchar(event.action);
  appender.appendVarchar(serviceOf(event.eventSource));
  appender.appendBoolean(event.errorCode !== null);
  appender.appendDouble(scored.score);
  appender.appendDouble(scored.surprisalBits);
  appender.appendDouble(scored.evidenceBits);
  appender.appendVarchar(JSON.stringify(scored.reasons));
  if (scored.tactic === null) appender.appendNull();
  else appender.appendVarchar(scored.tactic);
  if (scored.technique === null) appender.appendNull();
  else appender.appendVarchar(scored.technique);
  appender.endRow();
}
