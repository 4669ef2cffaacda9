import type { Interner } from "./intern.ts";
import { NOVELTY_KINDS, type NoveltyCounters, NoveltyTracker, type Owners } from "./novelty.ts";
import { type RatesSnapshot, RateTracker } from "./rates.ts";
import { ActivityProfiles } from "./timing.ts";
import { type TrackerEvidence, trackerEvidence } from "./tracker-evidence.ts";

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
 * time, whether it was denied, and whether to judge it before learning it (a fit's calibration sample).
 * Typed arrays, so a batch crosses to a worker thread by transfer.
 */
export interface TrackerBatch {
  count: number;
  principal: Int32Array;
  peer: Int32Array;
  account: Int32Array;
  tokens: Int32Array;
  time: Float64Array;
  denied: Uint8Array;
  /** 1: compute the event's TrackerEvidence before learning it. */
  scored: Uint8Array;
  /**
   * Per novelty kind, the token names interned since the previous batch: the receiver interns them in
   * the same order, so its ids are the sender's (rates remember denied actions by name, and reasons name
   * tokens).
   */
  newTokenNames: string[][];
}

/** Batches a finished fit handed back, for the next fit in this thread (at most MAX_SPARE_BATCHES). */
const spareBatches: TrackerBatch[] = [];
const MAX_SPARE_BATCHES = 4;

/**
 * Keeps a batch for the next fit. A fit's typed arrays count as external memory until a full collection
 * frees them, and crossing V8's external-memory limit starts a full marking of the caller's heap (ADR
 * 048): fits repeated in one process (a bench, a server that refits) allocated ~7–10 MB of fresh batches
 * each.
 */
export function spareBatch(batch: TrackerBatch): void {
  if (spareBatches.length < MAX_SPARE_BATCHES) spareBatches.push({ ...batch, count: 0, newTokenNames: [] });
}

/** How many batches are kept for the next fit; dropSpareBatches lets them go. */
export function spareBatchCount(): number {
  return spareBatches.length;
}

export function dropSpareBatches(): void {
  spareBatches.length = 0;
}

/** Collects events into batches of `capacity` (the caller sends each full one on). */
export class TrackerBatchBuilder {
  private batch: TrackerBatch;
  private readonly namesSent = new Array<number>(TOKENS).fill(0);

  constructor(private readonly capacity: number) {
    this.batch = this.fresh();
  }

  /** The batch now being filled (empty after a take), e.g. to spare it when the fit is done. */
  get current(): TrackerBatch {
    return this.batch;
  }

  /** A spare batch of this capacity, or a new one. */
  private fresh(): TrackerBatch {
    const at = spareBatches.findIndex((spare) => spare.principal.length === this.capacity);
    return at >= 0
      ? (spareBatches.splice(at, 1)[0] as TrackerBatch)
      : TrackerBatchBuilder.empty(this.capacity);
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
      scored: new Uint8Array(capacity),
      newTokenNames: [],
    };
  }

  /** Adds one event (`scored`: judge it before learning it); true when the batch is full. */
  add(
    principal: number,
    peer: number,
    inputs: { account: number; tokens: Int32Array },
    time: number,
    denied: boolean,
    scored = false,
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
    b.scored[i] = scored ? 1 : 0;
    b.count = i + 1;
    return b.count === this.capacity;
  }

  get size(): number {
    return this.batch.count;
  }

  /**
   * The batch so far (with the token names `tokens` interned since the last one; tokens[0] are the
   * actions), starting a new one in `reuse` (a batch handed back by the worker) when given: fresh typed
   * arrays cost a page fault per 4 KB.
   */
  take(tokens: readonly Interner[], reuse?: TrackerBatch): TrackerBatch {
    const taken = this.batch;
    taken.newTokenNames = tokens.map((interner, kind) => {
      const names: string[] = [];
      for (let id = this.namesSent[kind] as number; id < interner.size; id++) names.push(interner.nameOf(id));
      this.namesSent[kind] = interner.size;
      return names;
    });
    this.batch =
      reuse && reuse.principal.length === this.capacity
        ? { ...reuse, count: 0, newTokenNames: [] }
        : this.fresh();
    return taken;
  }
}

/** The typed arrays' buffers of a batch, to transfer it between threads. */
export function batchBuffers(batch: TrackerBatch): ArrayBuffer[] {
  return [
    batch.principal,
    batch.peer,
    batch.account,
    batch.tokens,
    batch.time,
    batch.denied,
    batch.scored,
  ].map((array) => array.buffer as ArrayBuffer);
}

/**
 * Fresh trackers for a receiver of batches: their novelty interners mirror the sender's (fed each batch's
 * newTokenNames), so ids name the same tokens on both sides.
 */
export function mirrorTrackers(): Trackers {
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
 * Feeds a batch to mirror trackers (see mirrorTrackers) exactly as BehaviourModel.learnTrackers would
 * feed its events one by one; for the batch's scored events, their TrackerEvidence first, in order.
 */
export function applyTrackerBatch(trackers: Trackers, batch: TrackerBatch): TrackerEvidence[] {
  const interners = trackers.novelty.tokens;
  batch.newTokenNames.forEach((names, kind) => {
    const interner = interners[kind] as Interner;
    for (const name of names) {
      const expected = interner.size;
      if (interner.intern(name) !== expected)
        throw new RangeError(`tracker batch: token ${name} out of order`);
    }
  });
  const actions = interners[0] as Interner;
  const evidence: TrackerEvidence[] = [];
  const owners: [number, number, number] = [0, 0, 0];
  const tokens = new Int32Array(TOKENS);
  for (let i = 0; i < batch.count; i++) {
    owners[0] = batch.principal[i] as number;
    owners[1] = batch.peer[i] as number;
    owners[2] = batch.account[i] as number;
    for (let k = 0; k < TOKENS; k++) tokens[k] = batch.tokens[i * TOKENS + k] as number;
    const action = actions.nameOf(tokens[0] as number);
    const time = batch.time[i] as number;
    const denied = batch.denied[i] === 1;
    if (batch.scored[i] === 1) {
      const names = Array.from(tokens, (id, kind) => (interners[kind] as Interner).nameOf(id));
      evidence.push(trackerEvidence(trackers, { owners, tokens: names, time, denied, action }));
    }
    feedTrackers(trackers, owners, tokens, time, denied, action);
  }
  return evidence;
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
