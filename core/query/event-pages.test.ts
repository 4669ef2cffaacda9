import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrailStore } from "../store/trail-store.ts";
import type { EventQueryFilter } from "./event-filter.ts";
import { pagesExist, pagesSuffice } from "./event-pages.ts";
import { type LookupRequest, lookupEvents } from "./event-search.ts";
import { type ScoredSample, scoredSample } from "./scored-sample.test-support.ts";

const HOUR = 3_600_000;
let sample: ScoredSample | undefined;
let store: TrailStore;
let first: number;
let last: number;
/** Values that occur in the sample: a busy principal, an error code, a tactic and so on. */
let seen: Record<string, string>;

// A generated organisation (attacks included, so there are errors, tactics and high scores), scored by TrailData.
beforeAll(async () => {
  sample = await scoredSample(7);
  ({ store, first, last } = sample);
  const mode = async (column: string, where = "TRUE") => {
    const [row] = await store.rows<{ v: string }>(
      `SELECT ${column}::VARCHAR AS v FROM events e LEFT JOIN event_scores s USING (event_id) WHERE ${where}
       GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    return row?.v ?? "none";
  };
  seen = {
    principal: await mode("e.principal_key"),
    action: await mode("e.action"),
    service: await mode("e.service"),
    eventSource: await mode("e.event_source"),
    eventName: await mode("e.event_name"),
    region: await mode("e.region", "e.region <> 'us-east-1'"),
    sourceIp: await mode("e.source_ip"),
    errorCode: await mode("e.error_code", "e.error_code IS NOT NULL"),
    tactic: await mode("s.tactic", "s.tactic IS NOT NULL"),
    eventId: await mode("e.event_id"),
  };
}, 120_000);

afterAll(async () => {
  await sample?.dispose();
});

/** Every page of a lookup, following cursors, from the projection (when it applies) or from the events. */
async function allPages(request: LookupRequest, pages: boolean) {
  const out = [];
  let cursor: string | undefined;
  for (let i = 0; i < 12; i++) {
    // scoresCurrent false without the projection: plain filters read `events`, score filters `event_scores`.
    const page = await lookupEvents(store, { ...request, cursor }, true, pages, { pages });
    out.push(page);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

describe("event_pages", () => {
  it("holds every scored event", async () => {
    const [counts] = await store.rows<{ scored: number; paged: number }>(
      "SELECT (SELECT count(*) FROM event_scores) AS scored, (SELECT count(*) FROM event_pages) AS paged",
    );
    expect(counts?.paged).toBe(counts?.scored);
    expect(counts?.paged).toBeGreaterThan(5000);
    expect(await pagesExist(store)).toBe(true);
  });

  it("serves lookups identical to the events, page by page and cursor by cursor", async () => {
    const middle = first + Math.floor((last - first) / 2);
    const filters: EventQueryFilter[] = [
      {},
      { from: middle, to: middle + HOUR },
      { from: middle + 17_123, to: middle + 2 * HOUR + 5 },
      { from: first, to: last + 1, principals: [seen.principal as string] },
      { principals: [seen.principal as string, "arn:aws:iam::000000000000:user/nobody"] },
      { action: seen.action },
      { service: seen.service, from: middle, to: middle + 24 * HOUR },
      { eventSource: seen.eventSource, eventName: seen.eventName },
      { region: seen.region },
      { sourceIp: seen.sourceIp },
      { readOnly: true, from: middle, to: middle + 6 * HOUR },
      { readOnly: false },
      { errorCode: "*" },
      { errorCode: seen.errorCode },
      { eventId: seen.eventId },
      { minScore: 0.5 },
      { minScore: 0.2, from: middle, to: last + 1 },
      { tactic: seen.tactic },
      { principals: ["arn:aws:iam::000000000000:user/nobody"] },
    ];
    for (const filter of filters) {
      expect(pagesSuffice(filter), JSON.stringify(filter)).toBe(true);
      for (const order of ["newest", "oldest"] as const) {
        for (const limit of [1, 37, 500]) {
          // Small pages would take thousands of calls on the unfiltered store: the first 12 pages are compared.
          const request = { filter, order, limit };
          const paged = await allPages(request, true);
          const raw = await allPages(request, false);
          expect(paged, `${JSON.stringify(filter)} ${order} ${limit}`).toEqual(raw);
        }
      }
    }
  }, 300_000);

  it("leaves resource and access-key filters to the events", () => {
    expect(pagesSuffice({ resource: "bucket" })).toBe(false);
    expect(pagesSuffice({ resourceType: "AWS::S3::Bucket" })).toBe(false);
    expect(pagesSuffice({ accessKeyId: "AKIA", from: 0 })).toBe(false);
  });
});
