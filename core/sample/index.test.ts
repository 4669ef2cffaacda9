import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRecord } from "../event/normalize.ts";
import { attackWindow } from "./attacks.ts";
import { DAY } from "./clock.ts";
import { generateSample, type SampleSummary } from "./index.ts";
import { type GroundTruth, listFiles, readGroundTruth, readRecords } from "./sample-files.ts";

/** End-to-end checks on a small sample (3 days, ~5,000 events); the default size is exercised by the CLI. */

const OPTIONS = { days: 3, targetEvents: 5000, seed: 7 };
const LOG_FILE =
  /^AWSLogs\/(o-[a-z0-9]{10}\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_\4\5\6T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_FILE =
  /^AWSLogs\/\d{12}\/CloudTrail-Digest\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail-Digest_.+_\d{8}T\d{6}Z\.json\.gz$/;

type Rec = Record<string, unknown> & {
  eventID: string;
  eventTime: string;
  userIdentity: Record<string, unknown>;
};

let base = "";
let dirA = "";
let summary: SampleSummary;
let truth: GroundTruth;
let files: string[] = [];
const records: { file: string; record: Rec }[] = [];
const progress: number[] = [];

async function hashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of await listFiles(dir)) {
    out.set(
      file,
      createHash("sha256")
        .update(await readFile(join(dir, file)))
        .digest("hex"),
    );
  }
  return out;
}

beforeAll(async () => {
  base = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "trailcast-sample-"));
  dirA = join(base, "a");
  summary = await generateSample({ outDir: dirA, ...OPTIONS, onProgress: (done) => progress.push(done) });
  truth = await readGroundTruth(dirA);
  files = await listFiles(dirA);
  for (const file of files.filter((f) => LOG_FILE.test(f))) {
    for (const record of await readRecords(join(dirA, file))) records.push({ file, record: record as Rec });
  }
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

const unique = () => new Map(records.map(({ record }) => [record.eventID, record]));
const labels = () => new Set(truth.scenarios.flatMap((s) => s.eventIds));

describe("generateSample", () => {
  it("is deterministic: same options give byte-identical files, another seed different ones", async () => {
    await generateSample({ outDir: join(base, "b"), ...OPTIONS });
    await generateSample({ outDir: join(base, "c"), ...OPTIONS, seed: 8 });
    const [a, b, c] = await Promise.all([hashes(dirA), hashes(join(base, "b")), hashes(join(base, "c"))]);
    expect(a.size).toBeGreaterThan(100);
    expect([...b]).toEqual([...a]);
    const shared = [...c.keys()].filter((k) => a.has(k));
    expect(shared.filter((k) => k.endsWith(".gz"))).toEqual([]);
    expect(c.get("labels.txt")).not.toBe(a.get("labels.txt"));
  });

  it("writes the S3 trail layout, an organization-trail account and digests, and labels outside it", () => {
    const logs = files.filter((f) => f.startsWith("AWSLogs/"));
    for (const file of logs) expect(LOG_FILE.test(file) || DIGEST_FILE.test(file), file).toBe(true);
    expect(files.filter((f) => !f.startsWith("AWSLogs/"))).toEqual(["ground-truth.json", "labels.txt"]);
    expect(logs.filter((f) => LOG_FILE.test(f))).toHaveLength(summary.files);
    expect(logs.filter((f) => DIGEST_FILE.test(f))).toHaveLength(summary.digestFiles);
    expect(logs.some((f) => /^AWSLogs\/o-[a-z0-9]{10}\/\d{12}\/CloudTrail\//.test(f))).toBe(true);
    expect(progress).toEqual([1, 2, 3]);
  });

  it("produces records that all normalize, about the requested number of events and principals", () => {
    const byId = unique();
    expect(byId.size).toBe(summary.events);
    expect(summary.events).toBeGreaterThan(OPTIONS.targetEvents * 0.8);
    expect(summary.events).toBeLessThan(OPTIONS.targetEvents * 1.3);
    const principals = new Set<string>();
    for (const record of byId.values()) {
      const result = normalizeRecord(record);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) principals.add(result.event.principal.key);
      expect(record.managementEvent).toBe(true);
      expect(typeof record.readOnly).toBe("boolean");
    }
    expect(principals.size).toBe(summary.principals);
    expect(principals.size).toBeGreaterThanOrEqual(25);
    expect(principals.size).toBeLessThanOrEqual(45);
  });

  it("delivers a few records twice and says so in the ground truth only", () => {
    const copies = new Map<string, number>();
    for (const { record } of records) copies.set(record.eventID, (copies.get(record.eventID) ?? 0) + 1);
    const twice = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice.length).toBeGreaterThan(0);
    expect(twice.sort()).toEqual([...truth.duplicateDeliveries.eventIds].sort());
  });

  it("keeps labels out of the events: nothing in a record tells an attack apart", async () => {
    const attack = labels();
    const lines = (await readFile(join(dirA, "labels.txt"), "utf8")).trim().split("\n");
    expect(new Set(lines)).toEqual(attack);
    const byId = unique();
    for (const id of attack) expect(byId.has(id), id).toBe(true);
    const keys = (r: Rec) => [
      ...Object.keys(r),
      ...Object.keys(r.userIdentity).map((k) => `userIdentity.${k}`),
    ];
    const benignKeys = new Set([...byId.values()].filter((r) => !attack.has(r.eventID)).flatMap(keys));
    for (const id of attack)
      for (const key of keys(byId.get(id) as Rec)) expect(benignKeys.has(key), key).toBe(true);
    const telltale = /stratus|red-?team|attack|malicious|pentest|kali|\bS\d\d\b/i;
    for (const { record } of records)
      expect(telltale.test(JSON.stringify(record)), record.eventID).toBe(false);
  });

  it("places every attack in the last third of the period, with a few hundred events", () => {
    const start = Date.parse(truth.period.start);
    const cut = attackWindow(start, OPTIONS.days).from;
    expect(cut).toBe(start + 2 * DAY);
    const byId = unique();
    for (const id of labels())
      expect(Date.parse(String(byId.get(id)?.eventTime))).toBeGreaterThanOrEqual(cut);
    expect(truth.scenarios.length).toBeGreaterThanOrEqual(8);
    expect(summary.attackEvents).toBeGreaterThan(150);
    expect(new Set(truth.scenarios.map((s) => s.tactic)).size).toBeGreaterThanOrEqual(5);
  });

  it("loses the production trail's events while logging is stopped, and resumes with StartLogging", () => {
    expect(truth.loggingGaps).toHaveLength(1);
    const gap = truth.loggingGaps[0] as GroundTruth["loggingGaps"][number];
    const [from, to] = [Date.parse(gap.from), Date.parse(gap.to)];
    const inside = [...unique().values()].filter((r) => {
      const t = Date.parse(r.eventTime);
      return r.recipientAccountId === gap.accountId && t > from && t < to;
    });
    expect(inside).toEqual([]);
    const resumed = [...unique().values()].find((r) => r.eventName === "StartLogging");
    expect(resumed?.eventTime).toBe(gap.to);
  });

  it("signs sessions in before they are used", () => {
    // Every temporary key is issued (AssumeRole*, console sign-in) before its first use, unless the session
    // began before the period or inside the logging gap, where the issuing event cannot be in the sample.
    const issued = new Map<string, number>();
    const used: Rec[] = [];
    for (const r of unique().values()) {
      const key = ((r.responseElements as Record<string, Record<string, unknown>> | null)?.credentials
        ?.accessKeyId ?? null) as string | null;
      if (key) issued.set(key, Date.parse(r.eventTime));
      if (String(r.userIdentity.accessKeyId ?? "").startsWith("ASIA")) used.push(r);
    }
    const start = Date.parse(truth.period.start);
    const gap = truth.loggingGaps[0];
    let unexplained = 0;
    for (const r of used) {
      const attributes = (
        r.userIdentity.sessionContext as { attributes?: { creationDate?: string } } | undefined
      )?.attributes;
      const created = Date.parse(attributes?.creationDate ?? "");
      const inGap = gap && created >= Date.parse(gap.from) && created <= Date.parse(gap.to);
      const console = r.userIdentity.type === "IAMUser"; // IAM users' console sessions have no issuing event
      const from = issued.get(String(r.userIdentity.accessKeyId));
      if (from === undefined && !(created < start) && !inGap && !console) unexplained++;
      if (from !== undefined) expect(from).toBeLessThanOrEqual(Date.parse(r.eventTime));
    }
    expect(unexplained).toBe(0);
  });

  it("refuses to write into a folder that holds other CloudTrail data", async () => {
    const foreign = join(base, "foreign");
    await mkdir(join(foreign, "AWSLogs"), { recursive: true });
    await writeFile(join(foreign, "AWSLogs", "keep.txt"), "not ours");
    await expect(generateSample({ outDir: foreign, ...OPTIONS })).rejects.toThrow(
      /not written by the sample generator/,
    );
    expect(await readFile(join(foreign, "AWSLogs", "keep.txt"), "utf8")).toBe("not ours");
  });
});
