/**
 * `npm run bench`: measures on generated data and prints one JSON document on stdout (progress on stderr),
 * also written to .bench/results.json. Sizes and runs: BENCH_EVENTS (default 1,000,000), BENCH_RUNS (3);
 * BENCH_ONLY=ingest,query,model,mcp,web picks sections (default all).
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { readEvents } from "../core/ingest/read-events.ts";
import { benchModel } from "../core/model/bench.ts";
import { generateSample } from "../core/sample/index.ts";
import { ingestBench } from "./ingest-bench.ts";
import { mcpBench } from "./mcp-bench.ts";
import { queryBench } from "./query-bench.ts";

const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const root = resolve(import.meta.dirname, "..", ".bench");
const dataDir = join(root, `sample-${events}`);

await mkdir(root, { recursive: true });
if (!existsSync(join(dataDir, "ground-truth.json"))) {
  process.stderr.write(`generating ${events} sample events into ${dataDir}\n`);
  await generateSample({ outDir: dataDir, targetEvents: events, days: 30, seed: 7 });
}

const only = new Set(
  (process.env.BENCH_ONLY ?? "ingest,query,model,mcp,web").split(",").map((name) => name.trim()),
);
const section = async <T>(name: string, run: () => Promise<T>): Promise<T | "skipped"> => {
  if (!only.has(name)) return "skipped";
  process.stderr.write(`== ${name}\n`);
  return run();
};

const results = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
  },
  data: { dir: dataDir, targetEvents: events },
  ingest: await section("ingest", () => ingestBench(dataDir, root, runs)),
  query: await section("query", () => queryBench(dataDir, root)),
  // Behaviour model: fit time (target < 5 s for 1M) and prediction latency (target p99 < 2 ms), on seeded
  // synthetic events and on the generated sample's own events.
  model: await section("model", async () => ({
    synthetic: benchModel({ count: events, fits: runs }),
    sample: benchModel({ events: (await readEvents([join(dataDir, "AWSLogs")])).events, fits: runs }),
  })),
  mcp: await section("mcp", () => mcpBench(dataDir, root)),
  web: await section("web", async () => (await import("./web-bench.ts")).webBench(dataDir, root)),
};
await writeFile(join(root, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
