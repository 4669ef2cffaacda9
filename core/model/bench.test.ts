import { describe, expect, it } from "vitest";
import { benchModel } from "./bench.ts";

describe("benchModel", () => {
  it("reports fit speed and prediction latency as plain numbers (small run; `npm run bench` does 1M)", () => {
    const result = benchModel({ count: 5000, samples: 200, fits: 3 });
    // One memory probe per fit, just before it.
    expect(result.memoryNs).toHaveLength(3);
    for (const ns of result.memoryNs) expect(ns).toBeGreaterThan(0);
    expect(result.events).toBe(5000);
    const { fitRuns, trackerThread, fitPhases, memoryNs, ...numbers } = result;
    for (const value of Object.values(numbers)) expect(Number.isFinite(value)).toBe(true);
    // 5,000 events are below the tracker thread's threshold.
    expect(trackerThread).toBe(false);
    // The reported fit time is the median of the three fits.
    expect(fitRuns).toHaveLength(3);
    expect(result.fitSeconds).toBe([...fitRuns].sort((a, b) => a - b)[1]);
    // Each fit's phases, in order, within its time.
    expect(fitPhases).toHaveLength(3);
    fitPhases.forEach((phases, i) => {
      const sum = Object.values(phases).reduce((a, b) => a + b, 0);
      expect(Object.keys(phases)).toEqual([
        "order",
        "sequence",
        "smoothing",
        "calibration",
        "trackers",
        "scores",
      ]);
      expect(sum).toBeLessThanOrEqual(fitRuns[i] as number);
      for (const seconds of Object.values(phases)) expect(seconds).toBeGreaterThanOrEqual(0);
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
