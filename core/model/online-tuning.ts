import { fitSmoothing, MIN_HELD_OUT_FOR_TUNING } from "./hyperparams.ts";
import { KINDS, type SmoothingParams } from "./smoothing.ts";

/** Floats of node statistics per held-out prediction ([count, total, types] per lattice node). */
const WIDTH = KINDS * 3;
/** Most recent held-out predictions kept: enough to tune every node, recent enough to follow drift. */
export const DEFAULT_TUNING_CAPACITY = 5000;
/** Refit once the held-out set has grown (or turned over) by this share since the last refit. */
const REFIT_GROWTH = 0.25;
const MIN_NEW_SAMPLES = 8;

export interface TunerSnapshot {
  stride: number;
  capacity: number;
  count: number;
  next: number;
  phase: number;
  sinceRefit: number;
  refits: number;
  samples: Float64Array;
}

/**
 * Keeps the smoothing hyperparameters fitted while the model learns online (prequential empirical Bayes).
 * Every `stride`-th observed event is first predicted from what the model knew before it, as in fitting;
 * its lattice statistics join a ring of the most recent held-out predictions, and once that set has grown
 * by a quarter the discounts, strengths and mixes are re-fitted on it by the same coordinate descent.
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
  }

  /** Re-fits `current` when enough new evidence has arrived; returns the parameters to use. */
  maybeRefit(current: SmoothingParams): SmoothingParams {
    if (this.count < MIN_HELD_OUT_FOR_TUNING) return current;
    if (this.sinceRefit < Math.max(MIN_NEW_SAMPLES, this.count * REFIT_GROWTH)) return current;
    this.sinceRefit = 0;
    this.refits += 1;
    return fitSmoothing(current, this.samples, this.count).params;
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
    return tuner;
  }
}
