import { existsSync } from "node:fs";
import { serviceOf } from "../event/normalize.ts";
import type { TrailEvent } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { buildPages, dropPages, extendPages, PAGES_TABLE } from "./event-pages.ts";
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
  /** Events walked now: all of them, or only those added since the persisted scores (`extendScores`). */
  walked: number;
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
  if (!(await store.hasTables("score_state"))) return false;
  const [state] = await store.rows<{ value: string }>(
    "SELECT value FROM score_state WHERE key = 'signature'",
  );
  return state?.value === (await storeSignature(store));
}

export interface WalkOptions {
  /** Score and store every event (a writable store); false only learns (to rebuild the model). */
  persist: boolean;
  /** Length of the tuning prefix (default: BehaviourService.tuningEvents of the store's size). */
  tuningEvents?: number;
}

/**
 * Walks every stored event through a freshly tuned model. With `persist` (a writable store) each event is
 * scored before it is learned and the scores replace the table; without, events are only learned (to
 * rebuild the model for predictions when the persisted scores are current). Returns the walked model.
 */
export async function walkStore(
  store: TrailStore,
  options: WalkOptions,
): Promise<{ service: BehaviourService; refresh: ScoreRefresh }> {
  const started = performance.now();
  const signature = await storeSignature(store);
  const [count] = await store.rows<{ n: number }>("SELECT count(*) AS n FROM events");
  const total = count?.n ?? 0;
  // The tuning events are the walk's first pages: read once, kept until the walk has passed them.
  const pages = allStoredEvents(store)[Symbol.asyncIterator]();
  const head: TrailEvent[][] = [];
  let buffered = 0;
  const tuningCount = options.tuningEvents ?? BehaviourService.tuningEvents(total);
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
      await finishScores(store, service, signature);
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
    refresh: {
      computed: options.persist,
      events: total,
      walked: total,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/**
 * Rebuilds (or extends) what derives from `event_scores` (rollups, lookup projection), saves the walked
 * model beside the store and records the signature, then commits the caller's transaction.
 */
async function finishScores(
  store: TrailStore,
  service: BehaviourService,
  signature: string,
  /** Only events from then on (epoch ms) were scored now: the projection is extended, not rebuilt. */
  scoredSince?: number,
): Promise<void> {
  const db = store.connection;
  // The rollups are rebuilt whole: their key columns are ENUMs of the keys present, and their rows are
  // sorted by (level, time), which appending would break.
  await dropRollups(db);
  await buildRollups(db);
  if (scoredSince === undefined) {
    await dropPages(db);
    await buildPages(db);
  } else {
    await extendPages(db, scoredSince);
  }
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

/**
 * How long before the latest scored event a newly ingested one may be and still be scored by continuing
 * the walk: CloudTrail delivers most events within 15 minutes, so files of the next delivery period hold
 * some events older than the last ones of the previous period.
 */
export const MAX_LATENESS_MS = 3_600_000;

/**
 * Continues persisted scores over the events ingested after them, the usual case of new log files: the
 * saved model (the walk's state at the last scored event) scores and learns just the unscored events, in
 * (time, eventID) order; the projection is extended and the rollups rebuilt. Events later than every
 * scored one are scored exactly as a full walk with the same tuning would; a late-delivered event (up to
 * MAX_LATENESS_MS older than the last scored one) is scored when it arrives, against a model that has
 * already learned the events after it, as a live system would. Returns null when this cannot apply (no
 * persisted scores of this version, a missing or stale model file, an unscored event older than the
 * lateness bound, i.e. a backfill): the caller then walks every event.
 */
export async function extendScores(
  store: TrailStore,
): Promise<{ service: BehaviourService; refresh: ScoreRefresh } | null> {
  const started = performance.now();
  const path = modelPathOf(store);
  if (!path || !existsSync(path) || !(await store.hasTables("score_state"))) return null;
  const state = new Map(
    (await store.rows<{ key: string; value: string }>("SELECT key, value FROM score_state")).map((row) => [
      row.key,
      row.value,
    ]),
  );
  const previous = state.get("signature");
  if (!previous?.startsWith(`${SCORING_VERSION}:${TABLE_VERSION}:`) || state.get("model") !== previous) {
    return null;
  }
  const [scored] = await store.rows<{ last: number | null; n: number }>(
    "SELECT epoch_ms(max(time)) AS last, count(*) AS n FROM event_scores",
  );
  if (!scored || scored.last === null) return null;
  const since = scored.last - MAX_LATENESS_MS;
  const [split] = await store.rows<{ total: number; fresh: number }>(
    `SELECT (SELECT count(*) FROM events) AS total,
            (SELECT count(*) FROM events e WHERE e.time >= $1 AND NOT EXISTS
               (SELECT 1 FROM event_scores s WHERE s.time >= $1 AND s.event_id = e.event_id)) AS fresh`,
    [timestampParam(since)],
  );
  // Events are only ever added: any other difference is an unscored event older than the bound.
  if (!split || split.total !== scored.n + split.fresh) return null;
  let service: BehaviourService;
  try {
    service = await BehaviourService.load(path);
  } catch {
    return null;
  }
  if (service.eventsSeen !== scored.n) return null;
  const signature = await storeSignature(store);
  const db = store.connection;
  const refresh = (walked: number) => ({
    service,
    refresh: { computed: true, events: split.total, walked, seconds: (performance.now() - started) / 1000 },
  });
  if (split.fresh === 0) {
    // An ingest that added nothing: the scores, derived tables and model file stay as they are.
    await db.run(
      `INSERT INTO score_state VALUES ('signature', $1), ('model', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [signature],
    );
    return refresh(0);
  }
  await db.run("BEGIN TRANSACTION");
  const pages = allStoredEvents(store, { unscoredSince: since })[Symbol.asyncIterator]();
  try {
    const appender = await db.createAppender("event_scores");
    for (let page = await pages.next(); !page.done; page = await pages.next()) {
      for (const event of page.value) appendScore(appender, event, service.scoreThenLearn(event));
    }
    appender.closeSync();
    // A store scored before the projection existed gets it built whole.
    const pagesThere = await store.hasTables(PAGES_TABLE);
    await finishScores(store, service, signature, pagesThere ? since : undefined);
  } catch (error) {
    await db.run("ROLLBACK");
    throw error;
  } finally {
    await pages.return(undefined);
  }
  return refresh(split.fresh);
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
