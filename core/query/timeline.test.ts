import { describe, expect, it } from "vitest";
import { bucketWidth } from "./timeline.ts";

describe("bucketWidth", () => {
  it("rounds up to a readable step so buckets never exceed the target", () => {
    expect(bucketWidth(3_600_000, 60)).toBe(60_000);
    expect(bucketWidth(3_600_000, 100)).toBe(60_000);
    expect(bucketWidth(7 * 86_400_000, 200)).toBe(3_600_000);
    expect(bucketWidth(1000, 1000)).toBe(1000);
    expect(bucketWidth(400 * 86_400_000, 2)).toBe(2592000e3 * 7);
    for (const [span, buckets] of [
      [12_345_678, 97],
      [86_400_000, 1000],
      [5e9, 333],
    ] as const) {
      expect(span / bucketWidth(span, buckets)).toBeLessThanOrEqual(buckets);
    }
  });
});
