import { rm } from "node:fs/promises";
import { join } from "node:path";
import { FileSource } from "../core/ingest/file-source.ts";
import type { EventQueryFilter } from "../core/query/event-filter.ts";
import { lookupEvents } from "../core/query/event-search.ts";
import { ingest } from "../core/store/ingest.ts";
import { storeStats } from "../core/store/stats.ts";
import { TrailStore } from "../core/store/trail-store.ts";
import { median, percentile, round } from "./stats.ts";

async function timeIt(times: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn(i);
    ms.push(performance.now() - started);
  }
  return { p50Ms: round(median(ms)), p95Ms: round(percentile(ms, 95)) };
}

/** Oldest-first events matching a filter, as lookup_events reads them (a fresh ingest has no scores). */
const eventsOf = (store: TrailStore, filter: EventQueryFilter, limit: number) =>
  lookupEvents(store, { filter, limit, order: "oldest" }, false);

/** Store query latency on the benchmark store: time-range and per-principal lookups, whole-store stats. */
export async function queryBench(dataDir: string, scratch: string) {
  const path = join(scratch, "query.duckdb");
  await rm(path, { force: true });
  const writer = await TrailStore.open(path);
  await ingest(writer, new FileSource([join(dataDir, "AWSLogs")]));
  writer.close();
  const store = await TrailStore.open(path, { readOnly: true });
  try {
    const stats = await storeStats(store, 50);
    const first = Date.parse(stats.first ?? "");
    const last = Date.parse(stats.last ?? "");
    const principals = stats.topPrincipals.map((row) => row.principal);
    const hour = 3_600_000;
    const at = (i: number) => first + ((i * 7919 * hour) % Math.max(hour, last - first - hour));
    return {
      events: stats.events,
      hourWindow100: await timeIt(50, (i) => eventsOf(store, { from: at(i), to: at(i) + hour }, 100)),
      principalDay100: await timeIt(50, (i) =>
        eventsOf(
          store,
          { principals: [principals[i % principals.length] as string], from: at(i), to: at(i) + 24 * hour },
          100,
        ),
      ),
      principalAll500: await timeIt(20, (i) =>
        eventsOf(store, { principals: [principals[i % principals.length] as string] }, 500),
      ),
      stats: await timeIt(5, () => storeStats(store)),
    };
  } finally {
    store.close();
    await rm(path, { force: true });
  }
}
