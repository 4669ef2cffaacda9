import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDeps, createLocalDeps, type McpDeps } from "../deps.ts";
import { inProcessTransport } from "../server.ts";
import { call } from "../testing/exercise-tools.ts";
import { type SampleFixture, sampleFixture } from "../testing/sample-fixture.ts";

let fixture: SampleFixture;
let deps: McpDeps;
let client: Client;

beforeAll(async () => {
  fixture = await sampleFixture();
  deps = await createLocalDeps({ storePath: fixture.storePath });
  client = new Client({ name: "min-score-test", version: "1" });
  await client.connect(await inProcessTransport(deps));
});

afterAll(async () => {
  await client?.close();
  if (deps) closeDeps(deps);
  await fixture?.cleanup();
});

const WINDOW = { start: "10 days ago" };
const MIN = 0.3;
type Listed = { eventId: string; time: string; score: number | null; readOnly: boolean | null };

/** Every event of a lookup, following cursors. */
async function lookupAll(args: Record<string, unknown>): Promise<Listed[]> {
  const events: Listed[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(client, "lookup_events", { ...args, limit: 40, ...(cursor ? { cursor } : {}) });
    expect(page.isError, page.text).toBe(false);
    events.push(...page.structured.events);
    cursor = page.structured.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

/** The event IDs list_anomalies ranks at or above a score (its own filter, an independent code path). */
async function anomalyIds(args: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(client, "list_anomalies", {
      ...args,
      minScore: MIN,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.structured.anomalies.map((a: { event: { eventId: string } }) => a.event.eventId));
    cursor = page.structured.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}

describe("minScore on lookup_events and get_timeline", () => {
  it("lookup_events lists exactly the events scoring at least minScore, in time order across pages", async () => {
    const events = await lookupAll({ ...WINDOW, minScore: MIN, order: "oldest" });
    expect(events.length).toBeGreaterThan(40);
    expect(events.every((e) => (e.score ?? -1) >= MIN)).toBe(true);
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort());
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.map((e) => e.eventId).sort()).toEqual(await anomalyIds(WINDOW));
  });

  it("combines minScore with filters only events carry (the joined path) the same way", async () => {
    const scored = await lookupAll({ ...WINDOW, minScore: MIN });
    const readOnly = await lookupAll({ ...WINDOW, minScore: MIN, readOnly: true });
    expect(readOnly.length).toBeGreaterThan(0);
    expect(readOnly.map((e) => e.eventId)).toEqual(
      scored.filter((e) => e.readOnly === true).map((e) => e.eventId),
    );
  });

  it("get_timeline counts only events scoring at least minScore", async () => {
    const sum = (timeline: { totals: number[][] }) =>
      timeline.totals.reduce((n, bucket) => n + (bucket[1] as number), 0);
    const all = await call(client, "get_timeline", { ...WINDOW, buckets: 40 });
    const high = await call(client, "get_timeline", { ...WINDOW, buckets: 40, minScore: MIN });
    expect(high.isError, high.text).toBe(false);
    const expected = (await lookupAll({ ...WINDOW, minScore: MIN })).length;
    expect(sum(high.structured)).toBe(expected);
    expect(high.structured.totalEvents).toBe(expected);
    expect(sum(high.structured)).toBeLessThan(sum(all.structured));
    for (const bucket of high.structured.totals) expect(bucket[3]).toBeGreaterThanOrEqual(MIN);
    // An eventSource filter reads events (not the scores table alone): same counting rule.
    const iam = await call(client, "get_timeline", {
      ...WINDOW,
      buckets: 40,
      minScore: MIN,
      eventSource: "iam.amazonaws.com",
    });
    const iamEvents = await lookupAll({ ...WINDOW, minScore: MIN, eventSource: "iam.amazonaws.com" });
    expect(sum(iam.structured)).toBe(iamEvents.length);
  });

  it("lists only qualifying events on a small window", async () => {
    const [first] = await lookupAll({ ...WINDOW, minScore: MIN, order: "oldest" });
    if (!first) throw new Error("no scored events");
    const start = new Date(Date.parse(first.time) - 3_600_000).toISOString();
    const end = new Date(Date.parse(first.time) + 3_600_000).toISOString();
    const small = await call(client, "get_timeline", { start, end, minScore: MIN, eventsUpTo: 500 });
    expect(small.structured.events.length).toBe(small.structured.totalEvents);
    expect(small.structured.events.map((e: Listed) => e.eventId)).toContain(first.eventId);
    expect(small.structured.events.every((e: Listed) => (e.score ?? -1) >= MIN)).toBe(true);
  });
});
