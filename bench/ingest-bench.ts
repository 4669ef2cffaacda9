import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { median, round } from "./stats.ts";

const run = promisify(execFile);
const VARIANTS = ["floor", "duckdb-read-json", "duckdb-read-json-typed", "trailcast"] as const;

interface Measurement {
  variant: string;
  events: number;
  ms: number;
  peakRssMB: number;
}

async function measure(
  variant: string,
  dataDir: string,
  scratch: string,
): Promise<Measurement | { variant: string; error: string }> {
  const store = join(scratch, `${variant}.duckdb`);
  await rm(store, { force: true });
  await rm(`${store}.wal`, { force: true });
  const entry = resolve(import.meta.dirname, "ingest-variants.ts");
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", entry, variant, dataDir, store], {
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split("\n").pop() as string) as Measurement;
  } catch (error) {
    // A reference that cannot read the data is a result too, not a reason to lose the others.
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return {
      variant,
      error: stderr.split("\n").find((line) => line.includes("Error")) ?? stderr.slice(0, 300),
    };
  } finally {
    await rm(store, { force: true });
    await rm(`${store}.wal`, { force: true });
  }
}

/**
 * Ingest throughput on the same files: Trailcast's full pipeline next to (a) the floor, gunzip + JSON.parse,
 * and (b) DuckDB's read_json + unnest(Records), each in its own process, runs interleaved, medians reported.
 */
export async function ingestBench(dataDir: string, scratch: string, runs: number) {
  const results: Record<string, Measurement[]> = {};
  const failures: Record<string, string> = {};
  for (let i = 0; i < runs; i++) {
    for (const variant of VARIANTS) {
      const m = await measure(variant, dataDir, scratch);
      if ("error" in m) {
        failures[variant] = m.error;
        process.stderr.write(`  ingest ${variant} run ${i + 1}/${runs}: failed: ${m.error}\n`);
        continue;
      }
      results[variant] = [...(results[variant] ?? []), m];
      process.stderr.write(
        `  ingest ${variant} run ${i + 1}/${runs}: ${m.events} events, ${m.ms} ms, ${m.peakRssMB} MB\n`,
      );
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([variant, list]) => [variant, summarize(list)]),
  );
  const rate = (variant: string) => summary[variant]?.eventsPerSecond;
  const ratio = (a: string, b: string) => {
    const x = rate(a);
    const y = rate(b);
    return x && y ? round(x / y) : null;
  };
  return {
    runs,
    variants: summary,
    failures,
    ratios: {
      trailcastVsFloor: ratio("trailcast", "floor"),
      trailcastVsDuckdbReadJson: ratio("trailcast", "duckdb-read-json"),
      trailcastVsDuckdbReadJsonTyped: ratio("trailcast", "duckdb-read-json-typed"),
    },
  };
}

function summarize(list: Measurement[]) {
  const ms = median(list.map((m) => m.ms));
  const events = list[0]?.events ?? 0;
  return {
    events,
    medianMs: ms,
    eventsPerSecond: Math.round(events / (ms / 1000)),
    peakRssMB: Math.max(...list.map((m) => m.peakRssMB)),
    runsMs: list.map((m) => m.ms),
  };
}
