import { fitSmoothing, MIN_HELD_OUT_FOR_TUNING } from "./hyperparams.ts";
import { ROW, type SmoothingParams } from "./smoothing.ts";

/** Floats of statistics per held-out prediction ([count, total, types] per lattice node, run fields). */
const WIDTH = ROW;
/** Most recent held-out predictions kept: enough to tune every node, recent enough to follow drift. */
export const DEFAULT_TUNING_CAPACITY = 5000;
/**
 * Refit once the predictions recorded since the last refit reach this share of all recorded so far:
 * geometric spacing, so a long steady stream costs O(log n) refits while a short one adapts quickly.
 */
const REFIT_GROWTH = 0.25;
/** Coordinate-descent sweeps per refit: warm-started from the current values, one is enough. */
const REFIT_SWEEPS = 1;
const MIN_NEW_SAMPLES = 8;

export interface TunerSnapshot {
  stride: number;
  capacity: number;
  count: number;
  next: number;
  phase: number;
  sinceRefit: number;
  refits: number;
  seen: number;
  samples: Float64Array;
}

/**
 * Keeps the smoothing hyperparameters fitted while the model learns online (prequential empirical Bayes).
 * Every `stride`-th observed event is first predicted from what the model knew before it, as in fitting;
 * its lattice statistics join a ring of the most recent held-out predictions, and once a quarter more
 * predictions have been recorded the discounts, strengths and mixes are re-fitted on the ring by the same
 * coordinate descent.
 * Counting does not depend on the hyperparameters, so old statistics stay valid under new ones.
 *
 * Why: hyperparameters fitted at training time only know the training regime. A stream that starts
 * repeating calls (paginated reads, polling loops, an attacker's scripted enumeration) after training
 * data that never repeated needs much smaller discounts; the stream's own recent predictions say so
 * after a few dozen events, and nothing from the future is used.
 */
export class OnlineTuner {
  readonly stride: number;
  readonly capacity: number;
  private samples: Float64Array;
  /** Filled slots (≤ capacity). */
  private count = 0;
  /** Ring slot written next. */
  private next = 0;
  /** Observed events since the last sampled one. */
  private phase = 0;
  private sinceRefit = 0;
  /** Predictions recorded in all (the fit's included), beyond the ring's capacity. */
  private seen = 0;
  refits = 0;

  constructor(stride: number, capacity = DEFAULT_TUNING_CAPACITY) {
    this.stride = Math.max(1, Math.floor(stride));
    this.capacity = Math.max(1, Math.floor(capacity));
    this.samples = new Float64Array(this.capacity * WIDTH);
  }

  /** A tuner holding the fit's own held-out statistics (`count` rows of `stats`, oldest first). */
  static seeded(stats: Float64Array, count: number, stride: number, capacity?: number): OnlineTuner {
    const tuner = new OnlineTuner(stride, capacity);
    const keep = Math.min(count, tuner.capacity);
    tuner.samples.set(stats.subarray((count - keep) * WIDTH, count * WIDTH));
    tuner.count = keep;
    tuner.seen = count;
    tuner.next = keep % tuner.capacity;
    return tuner;
  }

  /** Whether the event being observed should be predicted and recorded (call once per observed event). */
  takeSample(): boolean {
    this.phase += 1;
    if (this.phase < this.stride) return false;
    this.phase = 0;
    return true;
  }

  /** Where to write the next sample's statistics (`record` must follow once they are written). */
  get buffer(): Float64Array {
    return this.samples;
  }

  get offset(): number {
    return this.next * WIDTH;
  }

  record(): void {
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
    this.sinceRefit += 1;
    this.seen += 1;
  }

  /** Re-fits `current` when enough new evidence has arrived; returns the parameters to use. */
  maybeRefit(current: SmoothingParams): SmoothingParams {
    if (this.count < MIN_HELD_OUT_FOR_TUNING) return current;
    if (this.sinceRefit < Math.max(MIN_NEW_SAMPLES, this.seen * REFIT_GROWTH)) return current;
    this.sinceRefit = 0;
    this.refits += 1;
    return fitSmoothing(current, this.samples, this.count, REFIT_SWEEPS).params;
  }

  snapshot(): TunerSnapshot {
    return {
      stride: this.stride,
      capacity: this.capacity,
      count: this.count,
      next: this.next,
      phase: this.phase,
      sinceRefit: this.sinceRefit,
      refits: this.refits,
      seen: this.seen,
      samples: this.samples.slice(0, this.count * WIDTH),
    };
  }

  static restore(snapshot: TunerSnapshot): OnlineTuner {
    const tuner = new OnlineTuner(snapshot.stride, snapshot.capacity);
    tuner.samples.set(snapshot.samples);
    tuner.count = snapshot.count;
    tuner.next = snapshot.next;
    tuner.phase = snapshot.phase;
    tuner.sinceRefit = snapshot.sinceRefit;
    tuner.refits = snapshot.refits;
    tuner.seen = snapshot.seen;
    return tuner;
  }
}
