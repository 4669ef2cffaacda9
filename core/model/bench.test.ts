import { describe, expect, it } from "vitest";
import { benchModel } from "./bench.ts";

describe("benchModel", () => {
  it("reports fit speed and prediction latency as plain numbers (small run; `npm run bench` does 1M)", () => {
    const result = benchModel({ count: 5000, samples: 200 });
    expect(result.events).toBe(5000);
    for (const value of Object.values(result)) expect(Number.isFinite(value)).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
