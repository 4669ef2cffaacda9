import { describe, expect, it } from "vitest";
import { Interner } from "../model/intern.ts";
import { LOG_LOSS_FLOOR, PredictionScorer, prAuc, rocAuc } from "./metrics.ts";

describe("metrics", () => {
  it("ROC-AUC: perfect, inverted and tied rankings", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
  });

  it("PR-AUC is average precision", () => {
    expect(prAuc([0.9, 0.8, 0.7, 0.1], [true, false, true, false])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it("scores top-k, MRR, log-loss with the unseen rule, and calibration", () => {
    const vocabulary = new Interner(["a", "b", "c"]);
    const scorer = new PredictionScorer();
    const dist = { probs: Float64Array.from([0.6, 0.3, 0.05]), unseenMass: 0.05, unseenCount: 1000 };
    scorer.add(dist, vocabulary, "a", "p1");
    scorer.add(dist, vocabulary, "b", "p1");
    scorer.add(dist, vocabulary, "never-seen", "p2");
    const m = scorer.result();
    expect(m.top1).toBeCloseTo(1 / 3, 12);
    expect(m.top5).toBeCloseTo(2 / 3, 12);
    expect(m.mrr).toBeCloseTo((1 + 1 / 2 + 0) / 3, 12);
    const expected = -(Math.log(0.6) + Math.log(0.3) + Math.log(Math.max(0.05 / 1000, LOG_LOSS_FLOOR))) / 3;
    expect(m.logLoss).toBeCloseTo(expected, 12);
    expect(m.unseenShare).toBeCloseTo(1 / 3, 12);
    // All three predictions had confidence 0.6 and one hit: ECE = |0.6 - 1/3|.
    expect(m.ece).toBeCloseTo(0.6 - 1 / 3, 12);
  });
});
