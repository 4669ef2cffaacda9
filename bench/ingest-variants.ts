/**
 * One ingest variant, run in its own process so peak RSS is its own. Prints one JSON line:
 * { variant, events, ms, peakRssMB }. Invoked by bench/run.ts.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { discoverFiles } from "../core/ingest/discover-files.ts";
import { FileSource } from "../core/ingest/file-source.ts";
import { ingest } from "../core/store/ingest.ts";
import { TrailStore } from "../core/store/trail-store.ts";

const [variant, dataDir, storePath] = process.argv.slice(2) as [string, string, string];
/** The trail tree only: the generator's ground truth beside it is not CloudTrail. */
const logsDir = join(dataDir, "AWSLogs");

async function eventFiles(): Promise<string[]> {
  const { files } = await discoverFiles([logsDir]);
  return files.filter((file) => !file.digest).map((file) => file.path);
}

/** (a) The floor: Node gunzip + JSON.parse of every file, nothing else. */
async function floor(): Promise<number> {
  let events = 0;
  for (const path of await eventFiles()) {
    const parsed = JSON.parse(gunzipSync(await readFile(path)).toString("utf8")) as { Records?: unknown[] };
    events += parsed.Records?.length ?? 0;
  }
  return events;
}

/** (b) DuckDB read_json + unnest(Records) straight into a table, schema auto-detected (the obvious query). */
async function duckdb(columns: string): Promise<number> {
  const instance = await DuckDBInstance.create(storePath, { autoinstall_known_extensions: "false" });
  const db = await instance.connect();
  // The same files as the other variants (digest files excluded), as an explicit list.
  const list = (await eventFiles()).map((path) => `'${path.replaceAll("'", "''")}'`).join(",");
  await db.run(
    `CREATE TABLE raw_events AS SELECT unnest(Records) AS record FROM read_json([${list}]${columns})`,
  );
  const reader = await db.runAndReadAll("SELECT count(*)::INTEGER AS n FROM raw_events");
  const events = reader.getRowObjectsJS()[0]?.n as number;
  db.closeSync();
  instance.closeSync();
  return events;
}

async function trailcast(): Promise<number> {
  const store = await TrailStore.open(storePath);
  try {
    const report = await ingest(store, new FileSource([logsDir]));
    return report.eventsAdded;
  } finally {
    store.close();
  }
}

const variants: Record<string, () => Promise<number>> = {
  floor,
  // Plain auto-detection fails on real CloudTrail mixes (a key in one file's struct missing from the sample),
  // so the reference reads with the schema unified over every file.
  "duckdb-read-json": () => duckdb(", union_by_name = true, sample_size = -1"),
  "duckdb-read-json-typed": () => duckdb(", columns = {Records: 'JSON[]'}"),
  trailcast,
};
const run = variants[variant];
if (!run) throw new Error(`unknown variant ${variant}: one of ${Object.keys(variants).join(", ")}`);
const started = performance.now();
const events = await run();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ variant, events, ms: Math.round(ms), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
