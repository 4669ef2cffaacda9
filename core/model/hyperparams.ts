import { KINDS, LEVELS, POSITIONS, type SmoothingParams, scalarProbability } from "./smoothing.ts";

/** Values tried per hyperparameter in each coordinate-descent sweep. */
const DISCOUNTS = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95];
const STRENGTHS = [0, 0.5, 1, 2, 4, 8, 16, 32];
const MIXES = [0.1, 0.3, 0.5, 0.7, 0.9];

/** Below this many held-out predictions the principled defaults are kept: tuning would fit noise. */
export const MIN_HELD_OUT_FOR_TUNING = 50;
/**
 * Below this many, parameters are tied across levels (one discount and strength per context position,
 * one mix per level: 12 values); above it each of the 15 lattice nodes gets its own (38 values).
 */
export const MIN_HELD_OUT_FOR_UNTIED = 2000;

/** Mean negative log-likelihood (nats) of the held-out true actions, from recorded node statistics. */
export function heldOutLoss(params: SmoothingParams, stats: Float64Array, count: number): number {
  const scratch = new Float64Array(KINDS);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    loss -= Math.log(scalarProbability(params, stats, i * KINDS * 3, scratch));
  }
  return count === 0 ? 0 : loss / count;
}

/**
 * Evaluation order of the lattice in scalarProbability: position 4 → 0, within it level 2 → 0. A node's
 * value depends only on nodes earlier in this order.
 */
const ORDER_KIND = Int32Array.from({ length: KINDS }, (_, o) => {
  const position = POSITIONS - 1 - Math.floor(o / LEVELS);
  const level = LEVELS - 1 - (o % LEVELS);
  return level * POSITIONS + position;
});
const KIND_ORDER = new Int32Array(KINDS);
ORDER_KIND.forEach((kind, o) => {
  KIND_ORDER[kind] = o;
});

/**
 * Held-out loss under one-hyperparameter-at-a-time changes, as coordinate descent asks for it. Every
 * node's value per held-out prediction is kept, so a change at node k recomputes only the nodes from k on
 * in evaluation order (the same arithmetic as scalarProbability, so losses are identical to heldOutLoss).
 */
class HeldOutLattice {
  /** values[i * KINDS + kind]: node values of prediction i under the accepted parameters. */
  private readonly values: Float64Array;
  private readonly trial = new Float64Array(KINDS);

  constructor(
    private readonly params: SmoothingParams,
    private readonly stats: Float64Array,
    private readonly count: number,
  ) {
    this.values = new Float64Array(count * KINDS);
    this.accept(0);
  }

  /** Recomputes the kept values from evaluation step `from` on (after a change was accepted). */
  accept(from: number): void {
    for (let i = 0; i < this.count; i++) this.evaluate(i, from, this.values, i * KINDS);
  }

  /** Mean held-out loss (nats) with the current parameters, given that nothing before `from` changed. */
  loss(from: number): number {
    const { trial, values, count } = this;
    let loss = 0;
    for (let i = 0; i < count; i++) {
      const at = i * KINDS;
      for (let o = 0; o < from; o++) {
        const kind = ORDER_KIND[o] as number;
        trial[kind] = values[at + kind] as number;
      }
      this.evaluate(i, from, trial, 0);
      loss -= Math.log(trial[0] as number);
    }
    return count === 0 ? 0 : loss / count;
  }

  /** Node values of prediction i from step `from` on, into out[at + kind]. */
  private evaluate(i: number, from: number, out: Float64Array, at: number): void {
    const { discount, strength, mix, universe } = this.params;
    const { stats } = this;
    const offset = i * KINDS * 3;
    for (let o = from; o < KINDS; o++) {
      const kind = ORDER_KIND[o] as number;
      const topLevel = kind >= (LEVELS - 1) * POSITIONS;
      const noContext = kind % POSITIONS === POSITIONS - 1;
      let base: number;
      if (topLevel) {
        base = noContext ? 1 / universe : (out[at + kind + 1] as number);
      } else {
        const parent = out[at + kind + POSITIONS] as number;
        const m = mix[kind] as number;
        base = noContext ? parent : m * (out[at + kind + 1] as number) + (1 - m) * parent;
      }
      const s = offset + kind * 3;
      const total = stats[s + 1] as number;
      if (total === 0) {
        out[at + kind] = base;
      } else {
        const d = discount[kind] as number;
        const theta = strength[kind] as number;
        const count = stats[s] as number;
        const kept = count > d ? count - d : 0;
        out[at + kind] = (kept + (theta + d * (stats[s + 2] as number)) * base) / (total + theta);
      }
    }
  }
}

function cloneParams(params: SmoothingParams): SmoothingParams {
  return {
    discount: Float64Array.from(params.discount),
    strength: Float64Array.from(params.strength),
    mix: Float64Array.from(params.mix),
    universe: params.universe,
  };
}

/**
 * Coordinate descent on held-out log-likelihood: each hyperparameter in turn takes the grid value that
 * minimizes the loss of the recorded held-out predictions, for a few sweeps. Starts from, and returns,
 * the defaults when there is too little held-out data to say anything.
 */
export function fitSmoothing(
  initial: SmoothingParams,
  stats: Float64Array,
  count: number,
  sweeps = 2,
): { params: SmoothingParams; lossBefore: number; lossAfter: number; tuned: boolean } {
  const params = cloneParams(initial);
  const lossBefore = heldOutLoss(params, stats, count);
  if (count < MIN_HELD_OUT_FOR_TUNING) return { params, lossBefore, lossAfter: lossBefore, tuned: false };
  const used = kindsPresent(stats, count);
  const lattice = new HeldOutLattice(params, stats, count);
  let best = lossBefore;
  /** Sets every kind in `group` to the grid value that minimizes the loss. */
  const tryGrid = (values: Float64Array, group: number[], grid: number[]): void => {
    const kinds = group.filter((kind) => used[kind]);
    if (kinds.length === 0) return;
    const previous = kinds.map((kind) => values[kind] as number);
    const from = Math.min(...kinds.map((kind) => KIND_ORDER[kind] as number));
    let bestValue: number | null = null;
    for (const candidate of grid) {
      for (const kind of kinds) values[kind] = candidate;
      const loss = lattice.loss(from);
      if (loss < best - 1e-9) {
        best = loss;
        bestValue = candidate;
      }
    }
    kinds.forEach((kind, i) => {
      values[kind] = bestValue ?? (previous[i] as number);
    });
    if (bestValue !== null) lattice.accept(from);
  };
  const tied = count < MIN_HELD_OUT_FOR_UNTIED;
  const positionGroups = range(POSITIONS).flatMap((position) => {
    const kinds = range(LEVELS).map((level) => level * POSITIONS + position);
    return tied ? [kinds] : kinds.map((kind) => [kind]);
  });
  const mixGroups = range(LEVELS - 1).flatMap((level) => {
    const kinds = range(POSITIONS - 1).map((position) => level * POSITIONS + position);
    return tied ? [kinds] : kinds.map((kind) => [kind]);
  });
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (const group of positionGroups) {
      tryGrid(params.discount, group, DISCOUNTS);
      tryGrid(params.strength, group, STRENGTHS);
    }
    for (const group of mixGroups) tryGrid(params.mix, group, MIXES);
  }
  return { params, lossBefore, lossAfter: best, tuned: true };
}

/** Kinds whose nodes had data for at least one held-out prediction (others cannot be tuned). */
function kindsPresent(stats: Float64Array, count: number): boolean[] {
  const used = Array<boolean>(KINDS).fill(false);
  for (let i = 0; i < count; i++) {
    for (let kind = 0; kind < KINDS; kind++) {
      if ((stats[i * KINDS * 3 + kind * 3 + 1] as number) > 0) used[kind] = true;
    }
  }
  return used;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
