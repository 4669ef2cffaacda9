import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSource } from "../ingest/file-source.ts";
import { ingest } from "../store/ingest.ts";
import { storeStats } from "../store/stats.ts";
import { TrailStore } from "../store/trail-store.ts";
import { eventWhere } from "./event-filter.ts";
import { lookupEvents } from "./event-search.ts";
import { timeline } from "./timeline.ts";

const STRATUS = resolve(import.meta.dirname, "../../../shared/data/stratus-sanitized");
const HOUR = 3_600_000;
let dir: string;
let store: TrailStore;

// A store without scores (as `trailcast ingest` leaves it): lookups read `events` alone.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-search-"));
  const path = join(dir, "t.duckdb");
  const writer = await TrailStore.open(path);
  await ingest(writer, new FileSource([STRATUS]));
  writer.close();
  store = await TrailStore.open(path, { readOnly: true });
});
afterAll(async () => {
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

const all = (filter: Parameters<typeof lookupEvents>[1]["filter"]) =>
  lookupEvents(store, { filter, limit: 500, order: "oldest" }, false);

describe("lookupEvents over events alone", () => {
  it("answers principal and time-range queries in time order", async () => {
    const top = (await storeStats(store)).topPrincipals[0];
    if (!top) throw new Error("no principals");
    const { events } = await all({ principals: [top.principal] });
    expect(events).toHaveLength(top.events);
    expect(events.every((event) => event.principal === top.principal)).toBe(true);
    const times = events.map((event) => Date.parse(event.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const middle = times[Math.floor(times.length / 2)] as number;
    const window = await all({ principals: [top.principal], from: middle, to: middle + HOUR });
    expect(window.events).toHaveLength(times.filter((t) => t >= middle && t < middle + HOUR).length);
  });

  it("filters on any error and binds values instead of splicing them into SQL", async () => {
    const errors = await all({ errorCode: "*" });
    expect(errors.events.length).toBeGreaterThan(0);
    expect(errors.events.every((event) => event.errorCode !== null)).toBe(true);
    expect((await all({ action: "x' OR 1=1 --" })).events).toHaveLength(0);
    const { sql, params } = eventWhere({ action: "x' OR 1=1 --", from: 0 });
    expect(sql).toBe("WHERE e.time >= $1 AND e.action = $2");
    expect(params).toHaveLength(2);
  });

  it("refuses a score filter on a store without scores, saying why", async () => {
    await expect(all({ minScore: 0.5 })).rejects.toThrow(/anomaly scores are not available/);
    await expect(
      timeline(
        store,
        {
          from: 0,
          to: Date.now(),
          buckets: 10,
          groupBy: "principal",
          filter: { minScore: 0.5 },
          maxGroups: 5,
          eventsUpTo: 0,
        },
        false,
      ),
    ).rejects.toThrow(/anomaly scores are not available/);
  });
});
