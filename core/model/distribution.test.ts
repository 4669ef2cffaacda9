import { describe, expect, it } from "vitest";
import { topActions } from "./distribution.ts";
import { mulberry32 } from "./synthetic.ts";

describe("topActions", () => {
  it("gives the k most likely actions as a sort by probability, then id, would", () => {
    const random = mulberry32(9);
    for (let trial = 0; trial < 400; trial++) {
      const length = Math.floor(random() * 300);
      // Half the trials draw from five values: many ties, which must come out by id.
      const probs = Float64Array.from({ length }, () =>
        trial % 2 ? Math.floor(random() * 5) / 5 : random(),
      );
      const sorted = [...probs].map((p, id) => ({ id, p })).sort((a, b) => b.p - a.p || a.id - b.id);
      for (const k of [1, 2, 10, 32, 400]) {
        expect(topActions({ probs, unseenMass: 0, unseenCount: 0 }, k)).toEqual(sorted.slice(0, k));
      }
    }
  });
});
