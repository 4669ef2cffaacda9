import type { Interner } from "./intern.ts";
import { NOVELTY_KINDS, type NoveltyCounters, NoveltyTracker, type Owners } from "./novelty.ts";
import { type RatesSnapshot, RateTracker } from "./rates.ts";
import { ActivityProfiles } from "./timing.ts";

const TOKENS = NOVELTY_KINDS.length;

/** The parts of a behaviour model that do not read the sequence statistics (see learnTrackers). */
export interface Trackers {
  timing: ActivityProfiles;
  novelty: NoveltyTracker;
  rates: RateTracker;
}

/**
 * What the trackers learn from a run of events, as numbers: per event its principal, peer group and
 * account ids, novelty token ids (TOKENS per event, NOVELTY_KINDS order; the first is the action id),
 * time and whether it was denied. Typed arrays, so a batch crosses to a worker thread by transfer.
 */
export interface TrackerBatch {
  count: number;
  principal: Int32Array;
  peer: Int32Array;
  account: Int32Array;
  tokens: Int32Array;
  time: Float64Array;
  denied: Uint8Array;
  /** Action names interned since the previous batch (rates remember denied actions by name). */
  newActionNames: string[];
}

/** Collects events into batches of `capacity` (the caller sends each full one on). */
export class TrackerBatchBuilder {
  private batch: TrackerBatch;
  private namesSent = 0;

  constructor(private readonly capacity: number) {
    this.batch = TrackerBatchBuilder.empty(capacity);
  }

  private static empty(capacity: number): TrackerBatch {
    return {
      count: 0,
      principal: new Int32Array(capacity),
      peer: new Int32Array(capacity),
      account: new Int32Array(capacity),
      tokens: new Int32Array(capacity * TOKENS),
      time: new Float64Array(capacity),
      denied: new Uint8Array(capacity),
      newActionNames: [],
    };
  }

  /** Adds one event; returns true when the batch is full (take() it). */
  add(
    principal: number,
    peer: number,
    inputs: { account: number; tokens: Int32Array },
    time: number,
    denied: boolean,
  ): boolean {
    const b = this.batch;
    const i = b.count;
    b.principal[i] = principal;
    b.peer[i] = peer;
    b.account[i] = inputs.account;
    const at = i * TOKENS;
    for (let k = 0; k < TOKENS; k++) b.tokens[at + k] = inputs.tokens[k] as number;
    b.time[i] = time;
    b.denied[i] = denied ? 1 : 0;
    b.count = i + 1;
    return b.count === this.capacity;
  }

  get size(): number {
    return this.batch.count;
  }

  /**
   * The batch so far (with the action names interned since the last one), starting a new one in `reuse`
   * (a batch handed back by the worker) when given: fresh typed arrays cost a page fault per 4 KB.
   */
  take(actions: Interner, reuse?: TrackerBatch): TrackerBatch {
    const taken = this.batch;
    for (let id = this.namesSent; id < actions.size; id++) taken.newActionNames.push(actions.nameOf(id));
    this.namesSent = actions.size;
    this.batch =
      reuse && reuse.principal.length === this.capacity
        ? { ...reuse, count: 0, newActionNames: [] }
        : TrackerBatchBuilder.empty(this.capacity);
    return taken;
  }
}

/** The typed arrays' buffers of a batch, to transfer it between threads. */
export function batchBuffers(batch: TrackerBatch): ArrayBuffer[] {
  return [batch.principal, batch.peer, batch.account, batch.tokens, batch.time, batch.denied].map(
    (array) => array.buffer as ArrayBuffer,
  );
}

/** Fresh trackers whose novelty interners are placeholders: they are fed ids, never strings. */
export function idOnlyTrackers(): Trackers {
  return { timing: new ActivityProfiles(), novelty: new NoveltyTracker(), rates: new RateTracker() };
}

/**
 * One event into the trackers: owners [principal, peer group, account], novelty token ids (NOVELTY_KINDS
 * order), time, whether it was denied, and the action's name. BehaviourModel.learnTrackers and a worker's
 * batches both feed events through here, so the two paths cannot drift apart.
 */
export function feedTrackers(
  trackers: Trackers,
  owners: Owners,
  tokens: Int32Array,
  time: number,
  denied: boolean,
  action: string,
): void {
  trackers.timing.observe(owners[0], owners[1], time);
  trackers.novelty.observeIds(owners, tokens);
  trackers.rates.observe(owners[0], time, denied, action);
}

/**
 * Feeds a batch to trackers exactly as BehaviourModel.learnTrackers would feed its events one by one.
 * `actionNames` accumulates the batches' newActionNames (id → name).
 */
export function applyTrackerBatch(trackers: Trackers, batch: TrackerBatch, actionNames: string[]): void {
  for (const name of batch.newActionNames) actionNames.push(name);
  const owners: [number, number, number] = [0, 0, 0];
  const tokens = new Int32Array(TOKENS);
  for (let i = 0; i < batch.count; i++) {
    owners[0] = batch.principal[i] as number;
    owners[1] = batch.peer[i] as number;
    owners[2] = batch.account[i] as number;
    for (let k = 0; k < TOKENS; k++) tokens[k] = batch.tokens[i * TOKENS + k] as number;
    const action = actionNames[tokens[0] as number];
    if (action === undefined) throw new RangeError(`tracker batch: no name for action id ${tokens[0]}`);
    feedTrackers(trackers, owners, tokens, batch.time[i] as number, batch.denied[i] === 1, action);
  }
}

/** Trackers as plain data, for sending between threads (structured clone). */
export interface TrackersSnapshot {
  timing: ReturnType<ActivityProfiles["snapshot"]>;
  novelty: NoveltyCounters;
  rates: RatesSnapshot;
}

export function trackersSnapshot(trackers: Trackers): TrackersSnapshot {
  return {
    timing: trackers.timing.snapshot(),
    novelty: trackers.novelty.counters(),
    rates: trackers.rates.snapshot(),
  };
}

/** Trackers from a snapshot whose novelty token ids came from `tokens`. */
export function trackersFromSnapshot(s: TrackersSnapshot, tokens: Interner[]): Trackers {
  return {
    timing: ActivityProfiles.restore(s.timing),
    novelty: NoveltyTracker.fromCounters(tokens, s.novelty),
    rates: RateTracker.restore(s.rates),
  };
}
