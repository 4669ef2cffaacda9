import { describe, expect, it } from "vitest";
import { RateTracker } from "./rates.ts";
import { mulberry32 } from "./synthetic.ts";

/**
 * Three principals: a quiet one, one that polls steadily, and one that bursts thousands of calls within
 * a few minutes (its windows grow far past the short-window limit), with AccessDenied runs.
 */
function stream(seed: number): Array<{ id: number; time: number; denied: boolean; action: string }> {
  const random = mulberry32(seed);
  const events: Array<{ id: number; time: number; denied: boolean; action: string }> = [];
  let time = Date.UTC(2026, 9, 1);
  for (let i = 0; i < 30_000; i++) {
    const bursting = Math.floor(i / 5000) % 2 === 1;
    const id = bursting && random() < 0.9 ? 2 : Math.floor(random() * 2);
    time += bursting ? Math.floor(random() * 40) : Math.floor(random() * 20_000);
    const denied = id === 2 ? random() < 0.5 : random() < 0.02;
    events.push({ id, time, denied, action: `svc:Action${Math.floor(random() * (denied ? 30 : 5))}` });
  }
  return events;
}

describe("RateTracker", () => {
  it("gives the same windows and baselines whether long windows drop their expired entries in bulk or one by one", () => {
    const bulk = new RateTracker(16);
    const oneByOne = new RateTracker(Number.POSITIVE_INFINITY);
    let longest = 0;
    for (const { id, time, denied, action } of stream(5)) {
      expect(bulk.view(id, time, denied, action)).toEqual(oneByOne.view(id, time, denied, action));
      bulk.observe(id, time, denied, action);
      oneByOne.observe(id, time, denied, action);
      longest = Math.max(
        longest,
        oneByOne.snapshot().principals.find(([p]) => p === 2)?.[1].recent.length ?? 0,
      );
    }
    // The burst really made windows long, so the bulk path ran.
    expect(longest).toBeGreaterThan(1000);
    expect(bulk.snapshot()).toEqual(oneByOne.snapshot());
    // A restored tracker goes on exactly like the one it was saved from.
    const restored = RateTracker.restore(structuredClone(bulk.snapshot()));
    const later = { id: 2, time: Date.UTC(2026, 11, 1), denied: true, action: "svc:Action1" };
    expect(restored.view(later.id, later.time, later.denied, later.action)).toEqual(
      oneByOne.view(later.id, later.time, later.denied, later.action),
    );
  });
});
