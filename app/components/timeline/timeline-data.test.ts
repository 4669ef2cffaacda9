import { describe, expect, it } from "vitest";
import {
  BUCKETS_PER_UNIT,
  cellsOf,
  neighbourViews,
  planWindow,
  TimelineCache,
  type TimelinePayload,
} from "./timeline-data.ts";

const payload = (from: number, to: number, events: TimelinePayload["events"] = null): TimelinePayload => ({
  from,
  to,
  bucketMs: 1000,
  buckets: 10,
  lanes: [{ key: "a", label: "a", total: 3, cells: [0, 2, 1, 500, 4, 1, 0, 0] }],
  events,
  foldedLanes: 0,
  latest: null,
});

describe("timeline windows and cache", () => {
  it("over-fetches at least one span unit on each side, on a grid", () => {
    for (const [from, to] of [
      [1_000_000, 1_060_000],
      [1_790_000_000_000, 1_790_086_400_000],
      [5, 6],
    ] as const) {
      const plan = planWindow(from, to);
      const unit = 2 ** plan.level;
      expect(unit).toBeGreaterThanOrEqual(to - from);
      expect(from - plan.from).toBeGreaterThanOrEqual(unit);
      expect(plan.to - to).toBeGreaterThanOrEqual(unit);
      expect(plan.from % unit).toBe(0);
      expect(plan.buckets).toBe(4 * BUCKETS_PER_UNIT);
      expect(plan.buckets).toBeLessThanOrEqual(1000);
    }
  });

  it("maps small pans and zooms of the same level to the very same request", () => {
    const a = planWindow(1_000_000_000, 1_000_600_000);
    const b = planWindow(1_000_100_000, 1_000_700_000);
    expect(b).toEqual(a);
  });

  it("serves a view from a covering window of the same level, and coarser data while the right level loads", () => {
    const cache = new TimelineCache();
    const view = { from: 1_000_000_000, to: 1_000_600_000 };
    expect(cache.lookup("k", view.from, view.to)).toBeNull();
    const plan = planWindow(view.from, view.to);
    cache.put("k", plan, payload(plan.from, plan.to));
    expect(cache.lookup("k", view.from + 50_000, view.to + 50_000)?.exact).toBe(true);
    expect(cache.lookup("other-filters", view.from, view.to)).toBeNull();
    // Zoomed in 8×: the coarse window still covers it, but it is not the right level of detail.
    const zoomed = cache.lookup("k", view.from, view.from + 75_000);
    expect(zoomed?.exact).toBe(false);
    expect(zoomed?.payload.from).toBe(plan.from);
  });

  it("reuses a window that holds every event for any narrower view", () => {
    const cache = new TimelineCache();
    const plan = planWindow(0, 600_000);
    const mark = {
      id: "e",
      t: 10,
      lane: "a",
      action: "s3:GetObject",
      principal: "a",
      score: 0,
      error: null,
      readOnly: true,
    };
    cache.put("k", plan, payload(plan.from, plan.to, [mark]));
    expect(cache.lookup("k", 1000, 2000)?.exact).toBe(true);
  });

  it("evicts the least recently used windows beyond its capacity", () => {
    const cache = new TimelineCache(2);
    for (const start of [0, 10_000_000, 20_000_000]) {
      const plan = planWindow(start, start + 1000);
      cache.put("k", plan, payload(plan.from, plan.to));
    }
    expect(cache.size).toBe(2);
    expect(cache.lookup("k", 0, 1000)).toBeNull();
  });

  it("decodes sparse cells", () => {
    expect([...cellsOf(payload(0, 1).lanes[0] as never)]).toEqual([
      { index: 0, count: 2, errors: 1, score: 0.5 },
      { index: 4, count: 1, errors: 0, score: 0 },
    ]);
  });
});

describe("prefetch neighbours", () => {
  it("are the windows of a 2× zoom either way and of the first pan past either edge", () => {
    const from = 1_790_000_000_000;
    const to = from + 3_600_000;
    const plan = planWindow(from, to);
    const unit = 2 ** plan.level;
    const [zoomIn, right, left, zoomOut] = neighbourViews(from, to).map((v) => planWindow(v.from, v.to));
    expect(zoomIn?.level).toBe(plan.level - 1);
    expect(zoomOut?.level).toBe(plan.level + 1);
    expect(right).toEqual({ ...plan, from: plan.from + 2 * unit, to: plan.to + 2 * unit });
    expect(left).toEqual({ ...plan, from: plan.from - 2 * unit, to: plan.to - 2 * unit });
    // Panning until the view just leaves the window asks for exactly those.
    const span = to - from;
    expect(planWindow(plan.to - span + 1, plan.to + 1)).toEqual(right);
    expect(planWindow(plan.from - 1, plan.from - 1 + span)).toEqual(left);
  });
});
