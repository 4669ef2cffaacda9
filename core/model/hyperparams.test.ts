import { describe, expect, it } from "vitest";
import { fitSmoothing, heldOutLoss } from "./hyperparams.ts";
import {
  DEFAULT_UNIVERSE,
  defaultParams,
  KINDS,
  LEVELS,
  POSITIONS,
  type SmoothingParams,
} from "./smoothing.ts";
import { mulberry32 } from "./synthetic.ts";

/** Plausible held-out node statistics: count ≤ total, 1 ≤ types ≤ total, some nodes absent. */
function randomStats(count: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const stats = new Float64Array(count * KINDS * 3);
  for (let i = 0; i < count; i++) {
    for (let kind = 0; kind < KINDS; kind++) {
      if (random() < 0.3) continue;
      const at = (i * KINDS + kind) * 3;
      const total = 1 + Math.floor(random() * 50);
      stats[at] = random() < 0.4 ? 0 : Math.floor(random() * (total + 1));
      stats[at + 1] = total;
      stats[at + 2] = 1 + Math.floor(random() * Math.min(total, 12));
    }
  }
  return stats;
}

/** The coordinate descent spelled out with a full held-out pass per trial (what fitSmoothing speeds up). */
function referenceFit(initial: SmoothingParams, stats: Float64Array, count: number, tied: boolean) {
  const params = {
    ...initial,
    discount: Float64Array.from(initial.discount),
    strength: Float64Array.from(initial.strength),
    mix: Float64Array.from(initial.mix),
  };
  let best = heldOutLoss(params, stats, count);
  const tryGrid = (values: Float64Array, kinds: number[], grid: number[]) => {
    const previous = kinds.map((kind) => values[kind] as number);
    let bestValue: number | null = null;
    for (const candidate of grid) {
      for (const kind of kinds) values[kind] = candidate;
      const loss = heldOutLoss(params, stats, count);
      if (loss < best - 1e-9) {
        best = loss;
        bestValue = candidate;
      }
    }
    kinds.forEach((kind, i) => {
      values[kind] = bestValue ?? (previous[i] as number);
    });
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const positionGroups = range(POSITIONS).flatMap((position) => {
    const kinds = range(LEVELS).map((level) => level * POSITIONS + position);
    return tied ? [kinds] : kinds.map((kind) => [kind]);
  });
  const mixGroups = range(LEVELS - 1).flatMap((level) => {
    const kinds = range(POSITIONS - 1).map((position) => level * POSITIONS + position);
    return tied ? [kinds] : kinds.map((kind) => [kind]);
  });
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const group of positionGroups) {
      tryGrid(params.discount, group, [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]);
      tryGrid(params.strength, group, [0, 0.5, 1, 2, 4, 8, 16, 32]);
    }
    for (const group of mixGroups) tryGrid(params.mix, group, [0.1, 0.3, 0.5, 0.7, 0.9]);
  }
  return { params, loss: best };
}

describe("fitSmoothing", () => {
  it.each([
    [400, 1, true],
    [2100, 2, false],
  ])("finds exactly what a full pass per trial finds (%i predictions)", (count, seed, tied) => {
    const stats = randomStats(count, seed);
    const initial = { ...defaultParams(), universe: DEFAULT_UNIVERSE };
    const fitted = fitSmoothing(initial, stats, count);
    const reference = referenceFit(initial, stats, count, tied);
    expect(fitted.tuned).toBe(true);
    expect(Array.from(fitted.params.discount)).toEqual(Array.from(reference.params.discount));
    expect(Array.from(fitted.params.strength)).toEqual(Array.from(reference.params.strength));
    expect(Array.from(fitted.params.mix)).toEqual(Array.from(reference.params.mix));
    // The reported loss is the held-out loss of the returned parameters, and no worse than the start.
    expect(fitted.lossAfter).toBe(heldOutLoss(fitted.params, stats, count));
    expect(fitted.lossAfter).toBe(reference.loss);
    expect(fitted.lossAfter).toBeLessThan(fitted.lossBefore);
  });
});
