import { describe, expect, it } from "vitest";
import { calibrationRecord } from "./calibration.ts";
import { mulberry32 } from "./synthetic.ts";

describe("calibrationRecord", () => {
  it("keeps the largest 32 probabilities in descending order and sums the rest, as a full sort would", () => {
    const random = mulberry32(5);
    for (const length of [0, 1, 5, 31, 32, 33, 200, 1000]) {
      for (let trial = 0; trial < 20; trial++) {
        // Ties (values from a small set) and zeros, as in distributions over a vocabulary.
        const probs = Float64Array.from({ length }, () =>
          trial % 2 === 0 ? Math.floor(random() * 8) / 8 : random() ** 4,
        );
        const sorted = Float64Array.from(probs).sort().reverse();
        const record = calibrationRecord({ probs, unseenMass: 0, unseenCount: 0 }, -1);
        expect([...record.top]).toEqual([...sorted.slice(0, 32)]);
        const rest = sorted.slice(32).reduce((sum, v) => sum + v, 0);
        expect(record.restMass).toBeCloseTo(rest, 12);
        expect(record.restCount).toBe(Math.max(0, length - 32));
      }
    }
  });
});
