import { describe, expect, it } from "vitest";
import { fitSmoothing, fullPassEvaluator, heldOutLoss, latticeEvaluator } from "./hyperparams.ts";
import {
  AFTER_SINGLE,
  chainProbability,
  chainValues,
  DEFAULT_UNIVERSE,
  defaultParams,
  IN_RUN,
  KINDS,
  LAST_AT,
  REPEAT_AT,
  ROW,
} from "./smoothing.ts";
import { mulberry32 } from "./synthetic.ts";

/**
 * Plausible held-out rows: count ≤ total, 1 ≤ types ≤ total, some nodes absent; a third of the predictions
 * made after a single call and a third inside a run (going on or ending, with the run call's counts).
 */
function randomStats(count: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const stats = new Float64Array(count * ROW);
  for (let i = 0; i < count; i++) {
    const row = i * ROW;
    const mode = [0, AFTER_SINGLE, IN_RUN][Math.floor(random() * 3)] as number;
    const repeats = mode !== 0 && random() < 0.5;
    stats[row + REPEAT_AT] = mode;
    stats[row + REPEAT_AT + 1] = repeats ? 1 : 0;
    for (let kind = 0; kind < KINDS; kind++) {
      if (random() < 0.3) continue;
      const at = row + kind * 3;
      const total = 1 + Math.floor(random() * 50);
      stats[at] = random() < 0.4 ? 0 : Math.floor(random() * (total + 1));
      stats[at + 1] = total;
      stats[at + 2] = 1 + Math.floor(random() * Math.min(total, 12));
      if (mode === IN_RUN) stats[row + LAST_AT + kind] = repeats ? stats[at] : Math.floor(random() * total);
    }
  }
  return stats;
}

describe("fitSmoothing", () => {
  it.each([
    [400, 1],
    [2100, 2],
  ])("finds exactly what a full pass per trial finds (%i predictions, seed %i)", (count, seed) => {
    const stats = randomStats(count, seed);
    const initial = { ...defaultParams(), universe: DEFAULT_UNIVERSE };
    const fitted = fitSmoothing(initial, stats, count);
    const reference = fitSmoothing(initial, stats, count, 2, fullPassEvaluator);
    expect(fitted.tuned).toBe(true);
    expect(fitted.params).toEqual(reference.params);
    expect(fitted.lossAfter).toBe(reference.lossAfter);
    // The reported loss is the held-out loss of the returned parameters, and better than the start's.
    expect(fitted.lossAfter).toBe(heldOutLoss(fitted.params, stats, count));
    expect(fitted.lossAfter).toBeLessThan(fitted.lossBefore);
    // The repeat components were fitted too (both run outcomes occur in these rows).
    expect(fitted.params.copy).not.toEqual(initial.copy);
    expect(fitted.params.hazard).not.toEqual(initial.hazard);
  });

  it("prices every value of one node's parameter as a full pass would (to rounding)", () => {
    const count = 600;
    const stats = randomStats(count, 3);
    const params = { ...defaultParams(), universe: DEFAULT_UNIVERSE };
    const lattice = latticeEvaluator(params, stats, count);
    const grid = [0.1, 0.45, 0.9];
    for (const values of [params.discount, params.strength, params.mix]) {
      for (const kind of [0, 3, 6, 9, 12, 14]) {
        const losses = lattice.lossesOfNode?.(kind, values, grid) as Float64Array;
        const kept = values[kind];
        grid.forEach((value, i) => {
          values[kind] = value;
          expect(losses[i]).toBeCloseTo(heldOutLoss(params, stats, count), 12);
        });
        values[kind] = kept as number;
      }
    }
  });
});

describe("chainProbability", () => {
  it("gives chainValues' bits for both chains under random parameters", () => {
    const count = 2000;
    const stats = randomStats(count, 4);
    const random = mulberry32(5);
    const params = { ...defaultParams(), universe: 1000 + Math.floor(random() * 30_000) };
    for (let kind = 0; kind < KINDS; kind++) {
      params.discount[kind] = 0.05 + 0.9 * random();
      params.strength[kind] = random() < 0.3 ? 0 : 5 * random();
      params.mix[kind] = random();
    }
    const out = new Float64Array(KINDS);
    for (let i = 0; i < count; i++) {
      for (const which of [0, 1] as const) {
        expect(chainProbability(params, stats, i * ROW, which)).toBe(
          chainValues(params, stats, i * ROW, which, out, 0, 0),
        );
      }
    }
  });
});
