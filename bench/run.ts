/**
 * `npm run bench`: measures on generated data and prints one JSON document on stdout (progress on stderr),
 * also written to .bench/results.json. Sizes and runs: BENCH_EVENTS (default 1,000,000), BENCH_RUNS (3).
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { generateSample } from "../core/sample/index.ts";
import { ingestBench } from "./ingest-bench.ts";
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

const results = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
  },
  data: { dir: dataDir, targetEvents: events },
  ingest: await ingestBench(dataDir, root, runs),
  query: await queryBench(dataDir, root),
};
await writeFile(join(root, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
