/**
 * The timeline's data layer (Perfetto's "query engine" side, client half): which window to fetch for a view,
 * and a cache of fetched windows ("buffered bounds"). A view is served from any cached window that covers it
 * at the right level of detail, so small pans and zooms need no request. Pure: no DOM, no React.
 */

/** One lane of the histogram: sparse cells `[bucketIndex, count, errors, maxScore×1000]` flattened. */
export interface LanePayload {
  key: string;
  label: string;
  total: number;
  cells: number[];
}

export interface EventMark {
  id: string;
  t: number;
  lane: string;
  action: string;
  principal: string;
  score: number;
  error: string | null;
  readOnly: boolean | null;
}

/** What the `/api/timeline` resource route returns for one window. */
export interface TimelinePayload {
  from: number;
  to: number;
  bucketMs: number;
  buckets: number;
  lanes: LanePayload[];
  /** Every event of the window when few enough (level of detail: marks), else null (histogram only). */
  events: EventMark[] | null;
  /** Lanes beyond the limit were folded into an `(other)` lane. */
  foldedLanes: number;
  /** Latest event time in the whole store (the future lane starts there). */
  latest: number | null;
}

export interface WindowPlan {
  from: number;
  to: number;
  buckets: number;
  /** log2 of the span unit S: windows of the same level line up on a grid of S. */
  level: number;
}

/** Buckets per span unit S; the visible range is between S/2 and S, so a bucket is about 2–8 px on a 1000 px canvas (4 units = 960 buckets, within the tool’s 1000). */
export const BUCKETS_PER_UNIT = 240;

/**
 * The window to fetch for a visible range: S = the next power of two ≥ the span (in ms), the window is
 * [g − S, g + 3S) with g the grid point below `from`, i.e. ≥ S of margin on each side, rounded so that
 * nearby views map to the very same request (and cache entry).
 */
export function planWindow(from: number, to: number): WindowPlan {
  const span = Math.max(1, to - from);
  const level = Math.ceil(Math.log2(span));
  const unit = 2 ** level;
  const grid = Math.floor(from / unit) * unit;
  return { from: grid - unit, to: grid + 3 * unit, buckets: 4 * BUCKETS_PER_UNIT, level };
}

/**
 * Views the next interaction is likely to show, whose windows are worth prefetching: zoomed in and out by 2×
 * around the centre, and panned just past either edge of the current window (the first view that needs the
 * next window on that side). Nearest first.
 */
export function neighbourViews(from: number, to: number): { from: number; to: number }[] {
  const span = Math.max(1, to - from);
  const centre = (from + to) / 2;
  const window = planWindow(from, to);
  return [
    { from: centre - span / 4, to: centre + span / 4 },
    { from: window.to - span / 2, to: window.to + span / 2 },
    { from: window.from - span / 2, to: window.from + span / 2 },
    { from: centre - span, to: centre + span },
  ];
}

interface Entry {
  key: string;
  plan: WindowPlan;
  payload: TimelinePayload;
  used: number;
}

export class TimelineCache {
  private entries: Entry[] = [];
  private clock = 0;

  constructor(private readonly capacity = 32) {}

  /**
   * The best cached window for a view: exact detail if we have it (or complete events covering it), else the
   * closest level that overlaps, so something is always drawn while the right level loads.
   */
  lookup(key: string, from: number, to: number): { payload: TimelinePayload; exact: boolean } | null {
    const want = planWindow(from, to).level;
    let best: { entry: Entry; rank: number } | null = null;
    for (const entry of this.entries) {
      if (entry.key !== key) continue;
      const covers = entry.plan.from <= from && entry.plan.to >= to;
      const overlaps = entry.plan.from < to && entry.plan.to > from;
      if (!overlaps) continue;
      const completeEvents = covers && entry.payload.events !== null && entry.plan.level >= want;
      const rank =
        covers && (entry.plan.level === want || completeEvents)
          ? 0
          : covers
            ? 1 + Math.abs(entry.plan.level - want)
            : 100 + Math.abs(entry.plan.level - want);
      if (!best || rank < best.rank) best = { entry, rank };
    }
    if (!best) return null;
    best.entry.used = ++this.clock;
    return { payload: best.entry.payload, exact: best.rank === 0 };
  }

  put(key: string, plan: WindowPlan, payload: TimelinePayload): void {
    this.entries = this.entries.filter(
      (e) => !(e.key === key && e.plan.from === plan.from && e.plan.to === plan.to),
    );
    this.entries.push({ key, plan, payload, used: ++this.clock });
    if (this.entries.length > this.capacity) {
      this.entries.sort((a, b) => b.used - a.used);
      this.entries.length = this.capacity;
    }
  }

  get size(): number {
    return this.entries.length;
  }
}

/** Decodes the flattened cells of a lane. */
export function* cellsOf(
  lane: LanePayload,
): Generator<{ index: number; count: number; errors: number; score: number }> {
  for (let i = 0; i + 3 < lane.cells.length; i += 4) {
    yield {
      index: lane.cells[i] as number,
      count: lane.cells[i + 1] as number,
      errors: lane.cells[i + 2] as number,
      score: (lane.cells[i + 3] as number) / 1000,
    };
  }
}
