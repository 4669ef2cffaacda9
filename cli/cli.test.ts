import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/trailcast.js");
const DATA = resolve(import.meta.dirname, "../../shared/data");
const run = promisify(execFile);

/** Runs the real CLI as users do; resolves with exit code and output instead of throwing on failure. */
async function trailcast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let store: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-cli-"));
  store = join(dir, "t.duckdb");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trailcast CLI", () => {
  it("ingests the shared real data and accounts for every input in --json", async () => {
    const result = await trailcast("--store", store, "--json", "ingest", DATA);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.eventsAdded).toBe(2900 + 103 + 343);
    expect(report.skippedByReason).toEqual({ "not-cloudtrail": 1 });
  });

  it("prints stats as text and JSON", async () => {
    const text = await trailcast("--store", store, "stats", "--top", "3");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/events\s+3,346/);
    expect(text.stdout).toContain("top actions");
    const json = await trailcast("--store", store, "--json", "stats");
    const stats = JSON.parse(json.stdout);
    // 20 + 3 + 6 principals, less ec2 and cloudtrail service principals that appear in two datasets
    expect(stats).toMatchObject({ events: 3346, principals: 27, skippedByReason: { "not-cloudtrail": 1 } });
    expect(stats.first).toBe("2020-09-14T00:44:20.000Z");
  });

  it("says nothing was added when run again over the same data", async () => {
    const again = await trailcast("--store", store, "ingest", DATA);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("ingested 0 new events");
  });

  it("uses distinct exit codes: usage 2, nothing to read 3, failure 1", async () => {
    expect((await trailcast("no-such-command")).code).toBe(2);
    expect(
      (await trailcast("--store", store, "pull", "--region", "us-east-1", "--since", "whenever")).code,
    ).toBe(2);
    const missing = await trailcast("--store", store, "ingest", join(dir, "does-not-exist"));
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain("unreadable-file");
    const noStore = await trailcast("--store", join(dir, "none.duckdb"), "stats");
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toContain("no store at");
  });
});
