import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrailEvent } from "../event/types.ts";
import { readEvents } from "../ingest/read-events.ts";
import type { EventSource } from "../ingest/source.ts";
import { generateSample } from "../sample/index.ts";
import { ingest } from "../store/ingest.ts";
import { TrailStore } from "../store/trail-store.ts";
import { extendScores, MAX_LATENESS_MS, walkStore } from "./event-scores.ts";
import { TrailData } from "./trail-data.ts";

/** A fixed tuning prefix, so a full walk and a continued one share their hyperparameters. */
const TUNING = 400;

function memorySource(name: string, events: TrailEvent[]): EventSource {
  return {
    name,
    async *read() {
      yield { events, skips: [], inputs: 1 };
    },
  };
}

async function storeWith(path: string, ...parts: TrailEvent[][]): Promise<TrailStore> {
  const store = await TrailStore.open(path);
  for (const [i, events] of parts.entries()) await ingest(store, memorySource(`memory:${i}`, events));
  return store;
}

/** Everything derived from the walk, in a comparable form. */
async function derived(store: TrailStore) {
  return {
    scores: await store.rows(
      `SELECT event_id, epoch_ms(time) AS t, score, surprisal_bits, evidence_bits, reasons, tactic, technique
       FROM event_scores ORDER BY time, event_id`,
    ),
    pages: await store.rows("SELECT * EXCLUDE (time) FROM event_pages ORDER BY time, event_id"),
    rollup: await store.rows(
      `SELECT epoch_ms(time) AS t, principal_key::VARCHAR AS p, service::VARCHAR AS s, action::VARCHAR AS a,
              events, errors, max_score FROM event_rollup_5min ORDER BY ALL`,
    ),
  };
}

describe("continued scoring (extendScores)", () => {
  let dir: string;
  let events: TrailEvent[];
  let earlier: TrailEvent[];
  let later: TrailEvent[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "trailcast-extend-"));
    await generateSample({ outDir: join(dir, "sample"), seed: 11, days: 4, targetEvents: 4000 });
    events = (await readEvents([join(dir, "sample", "AWSLogs")])).events;
    // A split at a change of second, so every later event is strictly after every earlier one.
    let cut = Math.floor(events.length * 0.75);
    while ((events[cut] as TrailEvent).time === (events[cut - 1] as TrailEvent).time) cut += 1;
    earlier = events.slice(0, cut);
    later = events.slice(cut);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("scores only the new events, exactly as a full walk with the same tuning", async () => {
    const continued = await storeWith(join(dir, "continued.duckdb"), earlier);
    await walkStore(continued, { persist: true, tuningEvents: TUNING });
    await ingest(continued, memorySource("memory:later", later));
    continued.close();
    const progress: string[] = [];
    const data = await TrailData.open({
      storePath: join(dir, "continued.duckdb"),
      onProgress: (message) => progress.push(message),
    });
    expect(data.scoresCurrent).toBe(true);
    expect(progress.at(-1)).toMatch(new RegExp(`^scored the ${later.length} new of ${events.length} events`));
    const principal = (later.at(-1) as TrailEvent).principal;
    const predicted = (await data.model()).predictNext(principal, 5);
    const fromContinued = await derived(data.store);
    data.close();

    const full = await storeWith(join(dir, "full.duckdb"), events);
    const walked = await walkStore(full, { persist: true, tuningEvents: TUNING });
    expect(walked.refresh.walked).toBe(events.length);
    const fromFull = await derived(full);
    full.close();

    expect(fromContinued.scores).toHaveLength(events.length);
    expect(fromContinued.scores).toEqual(fromFull.scores);
    expect(fromContinued.pages).toEqual(fromFull.pages);
    expect(fromContinued.rollup.length).toBeGreaterThan(0);
    expect(fromContinued.rollup).toEqual(fromFull.rollup);
    expect(predicted.length).toBeGreaterThan(0);
    expect(predicted).toEqual(walked.service.predictNext(principal, 5));
  }, 180_000);

  it("scores a late-delivered event where it arrives, and leaves a backfill to a full walk", async () => {
    const path = join(dir, "late.duckdb");
    const store = await storeWith(path, earlier);
    await walkStore(store, { persist: true, tuningEvents: TUNING });
    const before = await derived(store);
    const last = earlier.at(-1) as TrailEvent;
    const late = { ...last, eventId: "late-delivered-1", time: last.time - MAX_LATENESS_MS / 4 };
    await ingest(store, memorySource("memory:late", [late]));
    const continued = await extendScores(store);
    expect(continued?.refresh).toMatchObject({ walked: 1, events: earlier.length + 1 });
    const after = await derived(store);
    // The scored events keep their scores; the late one is added with its own.
    expect(after.scores.filter((row) => row.event_id !== late.eventId)).toEqual(before.scores);
    expect(after.scores.find((row) => row.event_id === late.eventId)).toBeDefined();
    expect(after.pages).toHaveLength(earlier.length + 1);

    // Nothing new since: only the signature moves.
    await ingest(store, memorySource("memory:again", [late]));
    expect((await extendScores(store))?.refresh).toMatchObject({ walked: 0 });

    const first = earlier[0] as TrailEvent;
    const backfill = { ...first, eventId: "backfilled-1", time: first.time - 86_400_000 };
    await ingest(store, memorySource("memory:backfill", [backfill]));
    expect(await extendScores(store)).toBeNull();
    const rescored = await walkStore(store, { persist: true });
    expect(rescored.refresh.walked).toBe(earlier.length + 2);
    store.close();
  }, 180_000);
});
