import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrailStore } from "../store/trail-store.ts";
import type { EventQueryFilter } from "./event-filter.ts";
import { ROLLUP_GRAINS, rollupPlan } from "./score-rollup.ts";
import { type ScoredSample, scoredSample } from "./scored-sample.test-support.ts";
import { type TimelineGroupBy, type TimelineRequest, timeline } from "./timeline.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
let sample: ScoredSample | undefined;
let store: TrailStore;
let first: number;
let last: number;
let topPrincipals: string[];
let errorAction: string;

// A generated organisation (attacks included, so there are errors and high scores), scored by TrailData.
beforeAll(async () => {
  sample = await scoredSample(5);
  ({ store, first, last } = sample);
  topPrincipals = (
    await store.rows<{ k: string }>(
      "SELECT principal_key AS k FROM event_scores GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3",
    )
  ).map((row) => row.k);
  const [withErrors] = await store.rows<{ a: string }>(
    "SELECT action AS a FROM event_scores WHERE is_error GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
  );
  errorAction = withErrors?.a ?? "none";
}, 120_000);

afterAll(async () => {
  await sample?.dispose();
});

const request = (
  from: number,
  to: number,
  buckets: number,
  groupBy: TimelineGroupBy,
  filter: EventQueryFilter = {},
): TimelineRequest => ({ from, to, buckets, groupBy, filter, maxGroups: 5, eventsUpTo: 50 });

/** The timeline served from the rollups (when they apply) and from the events, which must be identical. */
async function both(req: TimelineRequest) {
  const rolled = await timeline(store, req, true, undefined, { rollups: true });
  const raw = await timeline(store, req, true, undefined, { rollups: false });
  return { rolled, raw };
}

describe("timeline rollups", () => {
  it("hold every scored event at every level, per minute, per 5 minutes and per hour", async () => {
    const [scored] = await store.rows<{ n: number; errors: number }>(
      "SELECT count(*) AS n, count(*) FILTER (WHERE is_error) AS errors FROM event_scores",
    );
    for (const grain of ROLLUP_GRAINS) {
      const levels = await store.rows<{ level: number; n: number; errors: number }>(
        `SELECT level, sum(events)::INTEGER AS n, sum(errors)::INTEGER AS errors FROM ${grain.table}
         GROUP BY level ORDER BY level`,
      );
      expect(levels).toEqual([0, 1, 2, 3].map((level) => ({ level, ...scored })));
    }
  });

  it("serve whole-minute and whole-hour buckets, and leave score filters and other columns to the events", async () => {
    const plan = (filter: EventQueryFilter, start: number, bucketMs: number, group = "service" as const) =>
      rollupPlan(store, { from: start, to: start + 10 * bucketMs, ...filter }, group, start, bucketMs);
    const hourStart = Math.floor(first / HOUR) * HOUR;
    expect(await plan({}, hourStart, HOUR)).toEqual({
      table: "event_rollup_hour",
      level: 2,
      errorsOnly: false,
      cells: true,
    });
    expect((await plan({}, hourStart, 2 * HOUR))?.cells).toBe(false);
    expect((await plan({}, hourStart, 5 * MINUTE))?.table).toBe("event_rollup_5min");
    expect((await plan({}, hourStart, 10 * MINUTE))?.table).toBe("event_rollup_5min");
    expect((await plan({}, hourStart, 2 * MINUTE))?.table).toBe("event_rollup_minute");
    expect(await plan({}, hourStart, 30_000)).toBeNull();
    expect(await plan({ errorCode: "*", service: "s3" }, hourStart, HOUR)).toEqual({
      table: "event_rollup_hour",
      level: 2,
      errorsOnly: true,
      cells: true,
    });
    expect(await plan({ action: "s3:GetObject" }, hourStart, HOUR)).toMatchObject({ level: 0, cells: false });
    for (const filter of [
      { minScore: 0.3 },
      { tactic: "Discovery" },
      { errorCode: "AccessDenied" },
      { region: "us-east-1" },
      { readOnly: true },
    ] satisfies EventQueryFilter[]) {
      expect(await plan(filter, hourStart, HOUR), JSON.stringify(filter)).toBeNull();
    }
  });

  it("give the same timelines as the events for windows, groupings and filters", async () => {
    const span = last + 1 - first;
    const middle = first + Math.floor(span / 2);
    const windows: Array<[number, number, number]> = [
      [first, last + 1, 1000], // whole span: hourly buckets
      [first, last + 1, 60], // 2-3 hour buckets
      [first, first + 100 * HOUR, 100], // hourly buckets: hour slots as they are
      [middle, middle + 2 * HOUR, 120], // minute buckets: minute slots as they are
      [middle, middle + 24 * HOUR, 300], // a day: 5-minute buckets
      [middle + 17_000, middle + 6 * HOUR + 5_000, 100], // unaligned edges: 5-minute buckets, aligned start
      [middle, middle + 20 * MINUTE, 1000], // seconds: not served by a rollup
      [first - 3 * 86_400_000, first + HOUR, 50], // mostly before the data
    ];
    const filters: EventQueryFilter[] = [
      {},
      { principals: [topPrincipals[0] as string] },
      { principals: topPrincipals },
      { action: errorAction },
      { service: errorAction.split(":")[0] },
      { principals: topPrincipals.slice(0, 2), service: errorAction.split(":")[0] },
      { errorCode: "*" },
      { errorCode: "*", principals: topPrincipals.slice(0, 2) },
      { minScore: 0.2 },
      { minScore: 0.2, errorCode: "*" },
      { region: "us-east-1" },
      { principals: ["arn:aws:iam::000000000000:user/nobody"] },
    ];
    let compared = 0;
    for (const [from, to, buckets] of windows) {
      for (const groupBy of ["principal", "service", "action"] as const) {
        for (const filter of filters) {
          const { rolled, raw } = await both(request(from, to, buckets, groupBy, filter));
          expect(rolled, JSON.stringify({ from, to, buckets, groupBy, filter })).toEqual(raw);
          compared += rolled.totalEvents;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("count only errors (with their highest score) under errorCode *", async () => {
    const hourly = request(first, last + 1, 1000, "service", { errorCode: "*" });
    const { rolled } = await both(hourly);
    const [errors] = await store.rows<{ n: number }>("SELECT count(*) AS n FROM event_scores WHERE is_error");
    expect(rolled.totalEvents).toBe(errors?.n);
    expect(rolled.totals.every(([, n, e]) => n === e)).toBe(true);
  });
});
