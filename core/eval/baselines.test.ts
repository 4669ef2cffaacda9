import { describe, expect, it } from "vitest";
import { syntheticEvents } from "../model/synthetic.ts";
import { baselines } from "./baselines.ts";
import { queryOf } from "./predictor.ts";

describe("baselines", () => {
  it("predict full distributions (known actions plus the unseen mass sum to 1) and learn online", () => {
    const events = syntheticEvents({ events: 500, seed: 5, principals: 6 });
    for (const baseline of baselines(20_000)) {
      for (const e of events) {
        const dist = baseline.predict(queryOf(e));
        const sum = dist.probs.reduce((s, p) => s + p, 0) + dist.unseenMass;
        expect(sum).toBeCloseTo(1, 9);
        baseline.observe(e);
      }
      expect(baseline.vocabulary.size).toBeGreaterThan(0);
    }
  });
});
