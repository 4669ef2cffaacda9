import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readEvents } from "./read-events.ts";

/** The shared real datasets sit beside the repository (../shared/data), in CI as in development. */
const DATA = resolve(import.meta.dirname, "../../../shared/data");

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Counts records independently of the ingest code: whole-file JSON, else one record per line. */
async function countRecords(files: string[]): Promise<{ records: number; nonRecordFiles: string[] }> {
  let records = 0;
  const nonRecordFiles: string[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      records += text.split("\n").filter((line) => line.trim()).length;
      continue;
    }
    if (Array.isArray(value)) records += value.length;
    else if (
      value &&
      typeof value === "object" &&
      Array.isArray((value as { Records?: unknown[] }).Records)
    ) {
      records += (value as { Records: unknown[] }).Records.length;
    } else nonRecordFiles.push(file);
  }
  return { records, nonRecordFiles };
}

// invictus: data/README counts 21 principals; two Inspector service-role sessions (MandoService<digits>) are
// one principal under our session-name rule, hence 20.
describe.each([
  ["invictus-aws-dataset", 2900, 20],
  ["otrf-ec2-proxy-s3-exfiltration", 103, 3],
  ["stratus-sanitized", 343, 6],
])("real CloudTrail data: %s", (folder, expectedEvents, expectedPrincipals) => {
  it("accounts for every record: ingested, or skipped with a stated reason", async () => {
    const dir = join(DATA, folder);
    const { records, nonRecordFiles } = await countRecords(await jsonFiles(dir));
    const { events, skips } = await readEvents([dir]);
    const recordSkips = skips.filter((skip) => !nonRecordFiles.includes(skip.where));
    expect(events.length + recordSkips.length).toBe(records);
    expect(events.length).toBe(expectedEvents);
    expect(new Set(events.map((event) => event.principal.key)).size).toBe(expectedPrincipals);
    // Files that hold no records (stratus' manifest) are reported, not silently passed over.
    for (const file of nonRecordFiles) {
      expect(skips.find((skip) => skip.where === file)?.reason).toBe("not-cloudtrail");
    }
    for (const event of events) {
      expect(event.action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      expect(Number.isFinite(event.time)).toBe(true);
    }
  });
});
