import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";

/** Reading a generated sample back: for tests and for evaluation code that needs the ground truth. */

/** Every file under `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path));
    }
  };
  await walk(dir);
  return out.sort();
}

/** The parsed `Records` of one gzipped CloudTrail log file. */
export async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const parsed = JSON.parse(gunzipSync(await readFile(path)).toString("utf8")) as { Records?: unknown };
  if (!Array.isArray(parsed.Records)) throw new Error(`${path}: no Records array`);
  return parsed.Records as Record<string, unknown>[];
}

export interface GroundTruth {
  period: { start: string; end: string };
  attackWindowStart: string;
  scenarios: {
    id: string;
    technique: string;
    tactic: string;
    principal: string;
    start: string;
    end: string;
    events: number;
    eventIds: string[];
  }[];
  loggingGaps: { accountId: string; from: string; to: string }[];
  duplicateDeliveries: { count: number; eventIds: string[] };
  people: { id: string; role: string; timeZone: string; principals: string[] }[];
  workloads: Record<string, string>;
}

export async function readGroundTruth(dir: string): Promise<GroundTruth> {
  return JSON.parse(await readFile(join(dir, "ground-truth.json"), "utf8")) as GroundTruth;
}
