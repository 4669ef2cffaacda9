import type { TrailEvent } from "../event/types.ts";
import { assembleScore, type SequenceEvidence, sequenceEvidence, strongestOwnReason } from "./anomaly.ts";
import { BehaviourModel } from "./behaviour-model.ts";
import { type CalibrationRecord, calibrationRecord, fitTemperature } from "./calibration.ts";
import { fitSmoothing } from "./hyperparams.ts";
import { OnlineTuner } from "./online-tuning.ts";
import { type ActionProfile, clusterPeers } from "./peer-groups.ts";
import { SequenceModel } from "./sequence-model.ts";
import { chronological } from "./sessions.ts";
import { DEFAULT_UNIVERSE, defaultParams, KINDS, ROW } from "./smoothing.ts";
import { type TrackerEvidence, trackerEvidence } from "./tracker-evidence.ts";
import { TrackerThread } from "./tracker-thread.ts";
import { dropSpareBatches, spareBatchCount } from "./trackers.ts";

export interface FitOptions {
  /** Share of the earliest events only learned from (the model knows too little to judge them). */
  burnInFraction?: number;
  /** Share of the latest events used to calibrate (temperature and anomaly scale). */
  calibrationFraction?: number;
  maxSmoothingSamples?: number;
  maxCalibrationSamples?: number;
  /**
   * Learn the trackers (timing, first-seen sets, rates) on a worker thread while this thread learns the
   * sequence statistics; same model either way. Default: for TRACKER_THREAD_MIN_EVENTS events or more.
   */
  trackerThread?: boolean;
}

/** Below this many events a worker's start-up (~0.3 s) costs more than it saves. */
export const TRACKER_THREAD_MIN_EVENTS = 200_000;

/** Anomaly scale used when too few held-out events exist to take a 99th percentile. */
const DEFAULT_SCALE_BITS = 16;
const MIN_SCALE_SAMPLES = 100;

/**
 * Fits a model on training events (any order; duplicates dropped) in one chronological pass, predicting
 * each sampled event *before* learning from it, exactly as in production (prequential evaluation):
 * 1. events after a 10% burn-in up to the last 10%: their lattice statistics are recorded, and the
 *    smoothing hyperparameters are fitted by maximizing that held-out log-likelihood (counting does not
 *    depend on hyperparameters, so one pass serves both);
 * 2. the last 10%: predicted with the fitted smoothing to fit a temperature (calibration) and the anomaly
 *    scale (99th percentile of evidence).
 * Every event is learned from by the end. Too little held-out data keeps the principled defaults
 * (Kneser-Ney discounts from counts-of-counts, no temperature). The trackers (rhythm, first-seen sets,
 * rates) never read the sequence statistics, so they learn every event apart from them: on a worker thread,
 * or in a pass of their own (tracker-thread.ts). The step 2 sample's scores need both: this thread gives
 * each its sequence half before learning it, the trackers' side judges it before learning it (its
 * TrackerEvidence), and the halves are put together at the end, with the session peaks they leave. The
 * model is the same as interleaved learning's.
 */
export function fitModel(events: readonly TrailEvent[], options: FitOptions = {}): BehaviourModel {
  const started = performance.now();
  const model = new BehaviourModel({ sequence: new SequenceModel({ expectedEvents: events.length }) });
  const { sequence } = model;
  const profiler = new PeerProfiler(sequence, events.length);
  const ordered = chronological(events, (event, i) => profiler.add(event, i));
  const n = ordered.length;
  const clock = new PhaseClock(started);
  clock.lap("order");
  // Started after the ordering: a garbage collection's concurrent marking, often started by the ordering's
  // allocations, needs the other core, and the worker's start-up (~0.3 s) would take it (then the marking
  // was finished in one pause on this thread, ~0.5 s). The worker catches up on queued batches.
  const thread = (options.trackerThread ?? n >= TRACKER_THREAD_MIN_EVENTS) ? TrackerThread.start() : null;
  const { principalIds, actionIds } = profiler;
  sequence.assignedPeers = clusterPeers(profiler.profiles);
  sequence.params = defaultParams();

  const burnIn = Math.floor(n * (options.burnInFraction ?? 0.1));
  const calibrationStart = Math.max(burnIn, Math.floor(n * (1 - (options.calibrationFraction ?? 0.1))));
  const strideA = Math.max(1, Math.ceil((calibrationStart - burnIn) / (options.maxSmoothingSamples ?? 5000)));
  const stats = new Float64Array(Math.ceil((calibrationStart - burnIn) / strideA) * ROW);
  let recorded = 0;
  for (let i = 0; i < calibrationStart; i++) {
    const event = ordered[i] as TrailEvent;
    if (i >= burnIn && (i - burnIn) % strideA === 0) {
      const query = { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
      sequence.nodeStats(query, sequence.actions.idOf(event.action), stats, recorded * ROW);
      recorded += 1;
    }
    const principalId = sequence.ensurePeer(principalIds[i] as number, event.principal);
    model.learnSequence(event, principalId, actionIds[i] as number);
    model.notePeak(event, principalId);
    thread?.add(model, event, principalId, actionIds[i] as number);
  }
  // The floor spreads over a universe comfortably larger than the vocabulary seen.
  const universe = Math.max(DEFAULT_UNIVERSE, 4 * sequence.actions.size);
  const initial = { ...defaultParams(sequence.trie.discountEstimates(KINDS)), universe };
  clock.lap("sequence");
  const smoothing = fitSmoothing(initial, stats, recorded);
  clock.lap("smoothing");
  sequence.params = smoothing.params;

  // Step 2 on this thread: the sample's predictions and the sequence half of its scores, before learning
  // each event. The trackers' half needs them as they were at that event: the trackers judge the sample
  // on their side of the split (worker or in-thread pass), and the scores are put together after.
  const strideB = Math.max(1, Math.ceil((n - calibrationStart) / (options.maxCalibrationSamples ?? 1000)));
  const records: CalibrationRecord[] = [];
  const sample: SampledEvent[] = [];
  for (let i = calibrationStart; i < n; i++) {
    const event = ordered[i] as TrailEvent;
    const sampled = (i - calibrationStart) % strideB === 0;
    if (sampled) {
      const query = { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
      const dist = sequence.rawDistribution(query);
      records.push(calibrationRecord(dist, sequence.actions.idOf(event.action)));
      sample.push({ index: i, sequence: sequenceEvidence(event, model, dist) });
    }
    const principalId = sequence.ensurePeer(principalIds[i] as number, event.principal);
    model.learnSequence(event, principalId, actionIds[i] as number);
    thread?.add(model, event, principalId, actionIds[i] as number, sampled);
  }
  clock.lap("calibration");
  const finished = thread?.finish(model);
  if (finished) model.installTrackers(finished.trackers);
  const found = finished?.evidence ?? learnTrackersInThread(model, ordered, principalIds, actionIds, sample);
  clock.lap("trackers");
  const evidence = scoreSample(model, ordered, calibrationStart, sample, found, principalIds);
  clock.lap("scores");
  profiler.release();
  sequence.temperature = fitTemperature(records);
  model.anomalyScaleBits = anomalyScale(evidence);
  // From here on, every event the model learns keeps its smoothing fitted (see online-tuning.ts).
  model.tuner = OnlineTuner.seeded(stats, recorded, strideA);
  model.fitInfo = {
    events: n,
    heldOutForSmoothing: recorded,
    heldOutForCalibration: records.length,
    smoothingTuned: smoothing.tuned,
    heldOutLossBefore: smoothing.lossBefore,
    heldOutLossAfter: smoothing.lossAfter,
    temperature: sequence.temperature,
    anomalyScaleBits: model.anomalyScaleBits,
    fitSeconds: (performance.now() - started) / 1000,
    trackerThread: finished != null,
    phaseSeconds: clock.laps,
  };
  return model;
}

/** A calibration-sample event: its index in the ordered events and its score's sequence half. */
interface SampledEvent {
  index: number;
  sequence: SequenceEvidence;
}

/**
 * The trackers learned in-thread from every event (where no worker ran), each sampled event judged before
 * it is learned, as the worker does: the same evidence, in order.
 */
function learnTrackersInThread(
  model: BehaviourModel,
  ordered: readonly TrailEvent[],
  principalIds: Int32Array,
  actionIds: Int32Array,
  sample: readonly SampledEvent[],
): TrackerEvidence[] {
  const evidence: TrackerEvidence[] = [];
  let next = 0;
  for (let i = 0; i < ordered.length; i++) {
    const event = ordered[i] as TrailEvent;
    const principalId = principalIds[i] as number;
    const action = actionIds[i] as number;
    if (sample[next]?.index === i) {
      evidence.push(trackerEvidence(model, model.trackerQuery(event, principalId, action)));
      next += 1;
    }
    model.learnTrackers(event, principalId, action);
  }
  return evidence;
}

/**
 * The calibration sample's scores from their two halves, with the session peaks they leave: every event
 * from `from` on notes its peak in order (the sampled ones with their own evidence), as observe() would
 * have. Returns each sampled event's evidence in bits.
 */
function scoreSample(
  model: BehaviourModel,
  ordered: readonly TrailEvent[],
  from: number,
  sample: readonly SampledEvent[],
  found: readonly TrackerEvidence[],
  principalIds: Int32Array,
): number[] {
  const evidence: number[] = [];
  let next = 0;
  for (let i = from; i < ordered.length; i++) {
    const event = ordered[i] as TrailEvent;
    const principalId = principalIds[i] as number;
    const sampled = sample[next];
    if (sampled?.index !== i) {
      model.notePeak(event, principalId);
      continue;
    }
    const parts = found[next] as TrackerEvidence;
    const score = assembleScore(event, model, sampled.sequence, parts, model.sessionPeak(event, principalId));
    evidence.push(score.evidenceBits);
    model.notePeak(event, principalId, { bits: score.ownEvidenceBits, reason: strongestOwnReason(score) });
    next += 1;
  }
  return evidence;
}

/**
 * The ids array of the last fit in this thread, for the next: like the tracker batches (trackers.ts
 * spareBatch), scratch typed arrays count as external memory until a full collection, and fits repeated in
 * one process each allocated 8 bytes per event of them (ADR 048).
 */
let spareIds: Int32Array | null = null;
const MAX_SPARE_IDS_BYTES = 64 << 20;

/** Scratch memory this thread keeps for its next fit (ids and tracker batches). */
export function heldFitScratch(): { idsBytes: number; batches: number } {
  return { idsBytes: spareIds?.byteLength ?? 0, batches: spareBatchCount() };
}

/** Lets the scratch kept for a next fit go (a process done fitting). */
export function releaseFitScratch(): void {
  spareIds = null;
  dropSpareBatches();
}

function takeSpareIds(length: number): Int32Array {
  const spare = spareIds;
  spareIds = null;
  return spare && spare.length >= length ? spare : new Int32Array(length);
}

/**
 * Profiles what each principal does (for peer clustering) in the pass that orders the events, interning
 * principals and actions into the model's own interners on the way (so the learning pass finds every key
 * already hashed, and reads the ids from here).
 */
class PeerProfiler {
  readonly profiles: ActionProfile[] = [];
  readonly principalIds: Int32Array;
  readonly actionIds: Int32Array;

  constructor(
    private readonly sequence: SequenceModel,
    capacity: number,
  ) {
    const ids = takeSpareIds(2 * capacity);
    this.principalIds = ids.subarray(0, capacity);
    this.actionIds = ids.subarray(capacity, 2 * capacity);
  }

  /** Hands the ids' memory to the next fit (nothing reads them after this fit). */
  release(): void {
    spareIds =
      this.principalIds.buffer.byteLength <= MAX_SPARE_IDS_BYTES
        ? new Int32Array(this.principalIds.buffer)
        : null;
  }

  add(event: TrailEvent, index: number): void {
    const id = this.sequence.principals.intern(event.principal.key);
    this.principalIds[index] = id;
    let profile = this.profiles[id];
    if (!profile) {
      profile = { principal: event.principal, counts: new Map(), total: 0 };
      this.profiles[id] = profile;
    }
    const action = this.sequence.actionIdOf(event);
    this.actionIds[index] = action;
    profile.counts.set(action, (profile.counts.get(action) ?? 0) + 1);
    profile.total += 1;
  }
}

/** Seconds per phase of a fit, for fitInfo (the machine's speed varies: a breakdown tells what moved). */
class PhaseClock {
  readonly laps: Record<string, number> = {};
  constructor(private last: number) {}

  lap(phase: string): void {
    const now = performance.now();
    this.laps[phase] = (now - this.last) / 1000;
    this.last = now;
  }
}

/** Evidence (bits) of the 99th percentile held-out event: it maps to anomaly score 0.5. */
function anomalyScale(evidence: number[]): number {
  if (evidence.length < MIN_SCALE_SAMPLES) return DEFAULT_SCALE_BITS;
  const sorted = [...evidence].sort((a, b) => a - b);
  return Math.max(4, sorted[Math.floor(0.99 * (sorted.length - 1))] as number);
}

/** Incremental refit: learns from new events (time order) without refitting hyperparameters. */
export function updateModel(model: BehaviourModel, events: readonly TrailEvent[]): BehaviourModel {
  for (const event of chronological(events)) model.observe(event);
  return model;
}
