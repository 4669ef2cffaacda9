import {
  CHAIN_ORDER,
  chainsNeeded,
  chainValues,
  HAZARD_KINDS,
  IN_RUN,
  KINDS,
  LEVELS,
  POSITIONS,
  REPEAT_AT,
  ROW,
  RUN_CHAIN,
  repeatHazard,
  repeatsApplied,
  type SmoothingParams,
  scalarProbability,
  TRUE_CHAIN,
  withRepeats,
} from "./smoothing.ts";

/** Values tried per hyperparameter in each coordinate-descent sweep. */
const DISCOUNTS = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95];
const STRENGTHS = [0, 0.5, 1, 2, 4, 8, 16, 32];
const MIXES = [0.1, 0.3, 0.5, 0.7, 0.9];
/** Weights of the copy component after a single call (0: the n-gram alone). */
const COPIES = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
/** Prior means of the run hazard. */
const HAZARD_MEANS = [0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.98];
/** Beta strengths of the run hazard (positive: a hazard of exactly 0 or 1 would be a certainty). */
const HAZARD_STRENGTHS = [0.25, 0.5, 1, 2, 4, 8, 16, 32];

/** Below this many held-out predictions the principled defaults are kept: tuning would fit noise. */
export const MIN_HELD_OUT_FOR_TUNING = 50;
/**
 * Below this many, parameters are tied across levels (one discount and strength per context position,
 * one mix per level: 12 values); above it each of the 15 lattice nodes gets its own (38 values).
 */
export const MIN_HELD_OUT_FOR_UNTIED = 2000;

/** Mean negative log-likelihood (nats) of the held-out true actions, from recorded node statistics. */
export function heldOutLoss(params: SmoothingParams, stats: Float64Array, count: number): number {
  let loss = 0;
  for (let i = 0; i < count; i++) {
    loss -= Math.log(scalarProbability(params, stats, i * ROW));
  }
  return count === 0 ? 0 : loss / count;
}

/** Evaluation step of each lattice node (inverse of CHAIN_ORDER). */
const STEP_OF_KIND = new Int32Array(KINDS);
CHAIN_ORDER.forEach((kind, step) => {
  STEP_OF_KIND[kind] = step;
});

/** How coordinate descent evaluates its trials. */
export interface HeldOutEvaluator {
  /** Mean held-out loss (nats) with the current parameters, given that no node before step `from` changed. */
  loss(from: number): number;
  /** A change from step `from` on was kept. */
  accept(from: number): void;
  /**
   * Mean held-out loss for each value of `grid` given to `values[kind]` (one node's discount, strength or
   * mix; the rest as they are), in one pass; `values[kind]` is left as it was. Optional: without it each
   * value is tried with loss().
   */
  lossesOfNode?(kind: number, values: Float64Array, grid: readonly number[]): Float64Array;
}

type EvaluatorFactory = (params: SmoothingParams, stats: Float64Array, count: number) => HeldOutEvaluator;

/** The plain evaluator: a full pass of scalarProbability per trial (the reference the lattice must match). */
export const fullPassEvaluator: EvaluatorFactory = (params, stats, count) => ({
  loss: () => heldOutLoss(params, stats, count),
  accept: () => {},
});

/**
 * Held-out loss under one-hyperparameter-at-a-time changes, as coordinate descent asks for it. Each held-out
 * prediction's chain values (for the true action and, inside a run that ended, for the run's call) are
 * kept, so a change at node k recomputes only the nodes from k on in evaluation order, and a change of a
 * repeat parameter recomputes none. The arithmetic is scalarProbability's, so losses equal heldOutLoss.
 */
class HeldOutLattice implements HeldOutEvaluator {
  /** Kept chain values per prediction: [true action × KINDS, run's call × KINDS]. */
  private readonly values: Float64Array;
  private readonly trial = new Float64Array(2 * KINDS);
  private readonly slope = new Float64Array(KINDS);
  /** lossesOfNode's predictions that a trial can move, with their slopes and run hazards. */
  private readonly live: Int32Array;
  private readonly slopes: Float64Array;
  private readonly hazards: Float64Array;
  /** chainsNeeded per prediction. */
  private readonly modes: Uint8Array;

  constructor(
    private readonly params: SmoothingParams,
    private readonly stats: Float64Array,
    private readonly count: number,
  ) {
    this.values = new Float64Array(count * 2 * KINDS);
    this.modes = new Uint8Array(count);
    this.slopes = new Float64Array(count);
    this.hazards = new Float64Array(count);
    this.live = new Int32Array(count);
    for (let i = 0; i < count; i++) this.modes[i] = chainsNeeded(stats, i * ROW);
    this.accept(0);
  }

  /** Recomputes the kept values from evaluation step `from` on (after a change was accepted). */
  accept(from: number): void {
    for (let i = 0; i < this.count; i++) this.evaluate(i, from, this.values, i * 2 * KINDS);
  }

  loss(from: number): number {
    const { trial, values, count } = this;
    let loss = 0;
    if (from === KINDS) {
      // Only repeat parameters changed: every chain value is as kept.
      for (let i = 0; i < count; i++) loss -= Math.log(this.evaluate(i, KINDS, values, i * 2 * KINDS));
      return count === 0 ? 0 : loss / count;
    }
    for (let i = 0; i < count; i++) {
      const at = i * 2 * KINDS;
      const mode = this.modes[i] as number;
      // Copy the kept values the recomputation reads (earlier steps) of the chains this prediction uses.
      for (let chain = 0; chain < 2; chain++) {
        if ((mode & (1 << chain)) === 0) continue;
        const offset = chain * KINDS;
        for (let step = 0; step < from; step++) {
          const kind = CHAIN_ORDER[step] as number;
          trial[offset + kind] = values[at + offset + kind] as number;
        }
      }
      loss -= Math.log(this.evaluate(i, from, trial, 0));
    }
    return count === 0 ? 0 : loss / count;
  }

  lossesOfNode(kind: number, values: Float64Array, grid: readonly number[]): Float64Array {
    const { params, stats, count, values: kept, slopes, hazards, live } = this;
    // A prediction whose probability no value tried can move adds the same loss to every trial: those are
    // summed once. That is one whose node is absent when a discount or strength is tuned (an absent node
    // is its base), one decided by the run hazard alone, or one the node does not reach.
    const emptyNodesMove = values === params.mix;
    let fixedLoss = 0;
    let liveCount = 0;
    for (let i = 0; i < count; i++) {
      const offset = i * ROW;
      const at = i * 2 * KINDS;
      const mode = this.modes[i] as number;
      // The run hazard depends on no node's parameters: once per prediction, not per value tried.
      const h = stats[offset + REPEAT_AT] === IN_RUN ? repeatHazard(params, stats, offset) : 0;
      const slope = mode === 0 ? 0 : this.slopeOf(i, kind);
      if (slope === 0 || (!emptyNodesMove && stats[offset + kind * 3 + 1] === 0)) {
        const q = mode & TRUE_CHAIN ? (kept[at] as number) : 0;
        const last = mode & RUN_CHAIN ? (kept[at + KINDS] as number) : 0;
        fixedLoss -= Math.log(repeatsApplied(params, stats, offset, q, last, h));
        continue;
      }
      live[liveCount] = i;
      slopes[liveCount] = slope;
      hazards[liveCount] = h;
      liveCount += 1;
    }
    const losses = new Float64Array(grid.length);
    const previous = values[kind] as number;
    for (let c = 0; c < grid.length; c++) {
      values[kind] = grid[c] as number;
      let loss = fixedLoss;
      for (let j = 0; j < liveCount; j++) {
        const i = live[j] as number;
        const at = i * 2 * KINDS;
        const offset = i * ROW;
        const mode = this.modes[i] as number;
        const slope = slopes[j] as number;
        // Every later node is affine in this one's value, so the chain's result moves by slope × Δvalue.
        let q = 0;
        let last = 0;
        if (mode & TRUE_CHAIN) {
          const value = this.nodeValue(i, 0, kind);
          q = (kept[at] as number) + slope * (value - (kept[at + kind] as number));
        }
        if (mode & RUN_CHAIN) {
          const value = this.nodeValue(i, 1, kind);
          last = (kept[at + KINDS] as number) + slope * (value - (kept[at + KINDS + kind] as number));
        }
        loss -= Math.log(repeatsApplied(params, stats, offset, q, last, hazards[j] as number));
      }
      losses[c] = count === 0 ? 0 : loss / count;
    }
    values[kind] = previous;
    return losses;
  }

  /** Value of one node of prediction i's chain under the current parameters, from the kept values before it. */
  private nodeValue(i: number, which: 0 | 1, kind: number): number {
    const { trial } = this;
    const at = i * 2 * KINDS + which * KINDS;
    // The node's base reads its shorter context (same level) and its parent level (same context).
    if (kind % POSITIONS !== POSITIONS - 1) trial[kind + 1] = this.values[at + kind + 1] as number;
    if (kind < (LEVELS - 1) * POSITIONS)
      trial[kind + POSITIONS] = this.values[at + kind + POSITIONS] as number;
    const step = STEP_OF_KIND[kind] as number;
    chainValues(this.params, this.stats, i * ROW, which, trial, 0, step, step + 1);
    return trial[kind] as number;
  }

  /**
   * d(node 0's value) / d(node `kind`'s value) for prediction i: the product of escape masses and mix
   * weights along every path from the node to node 0. It depends on neither the node's own parameters nor
   * the counts that differ between the two chains (only totals and types enter an escape mass).
   */
  private slopeOf(i: number, kind: number): number {
    const { params, stats, slope } = this;
    const offset = i * ROW;
    const from = STEP_OF_KIND[kind] as number;
    for (let step = 0; step < from; step++) slope[CHAIN_ORDER[step] as number] = 0;
    slope[kind] = 1;
    for (let step = from + 1; step < KINDS; step++) {
      const node = CHAIN_ORDER[step] as number;
      const topLevel = node >= (LEVELS - 1) * POSITIONS;
      const noContext = node % POSITIONS === POSITIONS - 1;
      let base: number;
      if (topLevel) {
        base = noContext ? 0 : (slope[node + 1] as number);
      } else {
        const parent = slope[node + POSITIONS] as number;
        const m = params.mix[node] as number;
        base = noContext ? parent : m * (slope[node + 1] as number) + (1 - m) * parent;
      }
      const total = stats[offset + node * 3 + 1] as number;
      const theta = params.strength[node] as number;
      const escapeMass =
        total === 0
          ? 1
          : (theta + (params.discount[node] as number) * (stats[offset + node * 3 + 2] as number)) /
            (total + theta);
      slope[node] = escapeMass * base;
    }
    return slope[0] as number;
  }

  /** Chain values of prediction i from step `from` on into out[at…], and its probability. */
  private evaluate(i: number, from: number, out: Float64Array, at: number): number {
    const { params, stats } = this;
    const offset = i * ROW;
    const mode = this.modes[i] as number;
    const q = mode & TRUE_CHAIN ? chainValues(params, stats, offset, 0, out, at, from) : 0;
    const last = mode & RUN_CHAIN ? chainValues(params, stats, offset, 1, out, at + KINDS, from) : 0;
    return withRepeats(params, stats, offset, q, last);
  }
}

/** The evaluator fitSmoothing uses: kept chain values, one pass per node for a grid. */
export const latticeEvaluator: EvaluatorFactory = (params, stats, count) =>
  new HeldOutLattice(params, stats, count);

function cloneParams(params: SmoothingParams): SmoothingParams {
  return {
    discount: Float64Array.from(params.discount),
    strength: Float64Array.from(params.strength),
    mix: Float64Array.from(params.mix),
    universe: params.universe,
    copy: Float64Array.from(params.copy),
    hazard: Float64Array.from(params.hazard),
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
  /** How trials are evaluated (tests compare the kept-values lattice with fullPassEvaluator). */
  evaluator: EvaluatorFactory = latticeEvaluator,
): { params: SmoothingParams; lossBefore: number; lossAfter: number; tuned: boolean } {
  const params = cloneParams(initial);
  const lossBefore = heldOutLoss(params, stats, count);
  if (count < MIN_HELD_OUT_FOR_TUNING) return { params, lossBefore, lossAfter: lossBefore, tuned: false };
  const used = kindsPresent(stats, count);
  const lattice = evaluator(params, stats, count);
  let best = lossBefore;
  /** Sets every kind in `group` to the grid value that minimizes the loss. */
  const tryGrid = (values: Float64Array, group: number[], grid: number[]): void => {
    const kinds = group.filter((kind) => used[kind]);
    if (kinds.length === 0) return;
    const previous = kinds.map((kind) => values[kind] as number);
    const from = Math.min(...kinds.map((kind) => STEP_OF_KIND[kind] as number));
    const single = kinds.length === 1 ? lattice.lossesOfNode?.(kinds[0] as number, values, grid) : undefined;
    let bestValue: number | null = null;
    grid.forEach((candidate, c) => {
      for (const kind of kinds) values[kind] = candidate;
      const loss = single ? (single[c] as number) : lattice.loss(from);
      if (loss < best - 1e-9) {
        best = loss;
        bestValue = candidate;
      }
    });
    kinds.forEach((kind, i) => {
      values[kind] = bestValue ?? (previous[i] as number);
    });
    if (bestValue !== null) lattice.accept(from);
  };
  /** Same, for one value that does not belong to a lattice node. */
  const tryGridAny = (values: Float64Array, index: number, grid: number[]): void => {
    const previous = values[index] as number;
    let bestValue: number | null = null;
    for (const candidate of grid) {
      values[index] = candidate;
      const loss = lattice.loss(KINDS);
      if (loss < best - 1e-9) {
        best = loss;
        bestValue = candidate;
      }
    }
    values[index] = bestValue ?? previous;
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
    tryGridAny(params.copy, 0, COPIES);
    // A strength or mean fitted on runs that all went on (or all ended) would sit at the grid's edge: the
    // hazard keeps its prior until the held-out predictions inside runs include both outcomes.
    if (bothOutcomes(stats, count)) {
      for (let level = 0; level < HAZARD_KINDS.length; level++) {
        tryGridAny(params.hazard, level, HAZARD_STRENGTHS);
      }
      tryGridAny(params.hazard, HAZARD_KINDS.length, HAZARD_MEANS);
    }
  }
  // Trials computed in one pass per node are exact up to rounding; the reported loss is a full pass's.
  return { params, lossBefore, lossAfter: heldOutLoss(params, stats, count), tuned: true };
}

/** Kinds whose nodes had data for at least one held-out prediction (others cannot be tuned). */
function kindsPresent(stats: Float64Array, count: number): boolean[] {
  const used = Array<boolean>(KINDS).fill(false);
  for (let i = 0; i < count; i++) {
    for (let kind = 0; kind < KINDS; kind++) {
      if ((stats[i * ROW + kind * 3 + 1] as number) > 0) used[kind] = true;
    }
  }
  return used;
}

/** Whether the held-out predictions made inside runs include both outcomes (the run went on, it ended). */
function bothOutcomes(stats: Float64Array, count: number): boolean {
  let on = false;
  let ended = false;
  for (let i = 0; i < count; i++) {
    if (stats[i * ROW + REPEAT_AT] !== IN_RUN) continue;
    if (stats[i * ROW + REPEAT_AT + 1] === 1) on = true;
    else ended = true;
    if (on && ended) return true;
  }
  return false;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
