import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "../store/ingest.ts";
import { TrailStore } from "../store/trail-store.ts";
import { FileSource } from "./file-source.ts";
import { readEvents } from "./read-events.ts";

const CORPUS = resolve(import.meta.dirname, "../../fixtures/bad-input");

/** Every good event in the corpus: each must survive the damage next to it. */
const GOOD_EVENTS = [
  "good-0001",
  "good-0002",
  "good-0003", // good.json
  "good-0010",
  "good-0011",
  "good-0012", // truncated.json.gz: the records before the cut
  "good-0020",
  "good-0022", // invalid.json: around a corrupted record
  "good-0033", // missing-fields.json
  "good-0045", // wrong-types.json
  "good-0050",
  "good-0051",
  "good-0052", // duplicates-a/b.json, one copy each
  "good-0060",
  "good-0061", // S3 trail layout .json.gz
  "good-0070", // insights.json, next to an Insights event
  "good-0080", // pseudonymized.json: sourceIPAddress that is not an IP
  "good-0090",
  "good-0091", // export.jsonl around a bad line
  "good-0095", // lookup-events.json
  "big-0001", // the 10 MB event written by the test
].sort();

const EXPECTED_SKIPS: Record<string, string[]> = {
  "digest-file": [
    "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/05/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20240305T110000Z.json.gz",
  ],
  "unreadable-file": ["bad-gzip.json.gz"],
  "truncated-gzip": ["truncated.json.gz"],
  "not-cloudtrail": ["empty.json", "export.jsonl:5", "no-records.json", "not-cloudtrail.json"],
  "invalid-json": ["export.jsonl:2", "invalid.json", "invalid.json#1", "lookup-events.json#1"],
  "insights-event": ["insights.json#0"],
  "missing-field": ["missing-fields.json#0", "missing-fields.json#1", "missing-fields.json#2"],
  "wrong-type": [
    "wrong-types.json#0",
    "wrong-types.json#1",
    "wrong-types.json#2",
    "wrong-types.json#3",
    "wrong-types.json#4",
  ],
};

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-bad-"));
  await cp(CORPUS, dir, { recursive: true });
  const big = JSON.parse(
    '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2024-03-05T12:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"big-0001"}',
  );
  big.requestParameters = { zipFile: "A".repeat(10 * 1024 * 1024) };
  await writeFile(join(dir, "ten-megabyte-event.json"), JSON.stringify({ Records: [big] }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function skipsByReason(skips: { where: string; reason: string }[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const skip of skips) {
    if (skip.reason === "duplicate") continue;
    const list = grouped[skip.reason] ?? [];
    list.push(relative(dir, skip.where));
    grouped[skip.reason] = list;
  }
  for (const list of Object.values(grouped)) list.sort();
  return grouped;
}

describe("bad input corpus", () => {
  it("keeps every good event and reports each damaged input with file and reason", async () => {
    const { events, skips } = await readEvents([dir]);
    expect(events.map((event) => event.eventId).sort()).toEqual(GOOD_EVENTS);
    expect(skipsByReason(skips)).toEqual(EXPECTED_SKIPS);
    for (const skip of skips) expect(skip.detail.length).toBeGreaterThan(5);
    const big = events.find((event) => event.eventId === "big-0001");
    expect(big?.raw.length).toBeGreaterThan(10 * 1024 * 1024);
  });

  it("names the field at fault", async () => {
    const { skips } = await readEvents([dir]);
    const detail = (where: string) => skips.find((skip) => relative(dir, skip.where) === where)?.detail;
    expect(detail("missing-fields.json#0")).toContain("eventID");
    expect(detail("missing-fields.json#1")).toContain("eventTime");
    expect(detail("missing-fields.json#2")).toContain("userIdentity");
    expect(detail("wrong-types.json#1")).toContain("readOnly");
    expect(detail("wrong-types.json#4")).toContain("eventName");
    expect(detail("truncated.json.gz")).toContain("3 complete records");
  });

  it("stores the same events, counts duplicates and records every skip in the store", async () => {
    const store = await TrailStore.open(":memory:");
    try {
      const report = await ingest(store, new FileSource([dir]));
      expect(report.eventsAdded).toBe(GOOD_EVENTS.length);
      // good-0050 twice in duplicates-a.json, good-0051 in both duplicates files
      expect(report.duplicates).toBe(2);
      const stored = await store.rows<{ event_id: string }>("SELECT event_id FROM events ORDER BY event_id");
      expect(stored.map((row) => row.event_id)).toEqual(GOOD_EVENTS);
      const skipRows = await store.rows<{ reason: string; n: number }>(
        "SELECT reason, count(*) AS n FROM skips GROUP BY reason ORDER BY reason",
      );
      const expected = Object.entries(EXPECTED_SKIPS).map(([reason, list]) => ({ reason, n: list.length }));
      expected.push({ reason: "duplicate", n: 2 });
      expected.sort((a, b) => a.reason.localeCompare(b.reason));
      expect(skipRows).toEqual(expected);
      const dupes = await store.rows<{ location: string; detail: string }>(
        "SELECT location, detail FROM skips WHERE reason = 'duplicate' ORDER BY detail",
      );
      expect(dupes.map((row) => relative(dir, row.location))).toEqual([
        "duplicates-a.json",
        "duplicates-b.json",
      ]);
      expect(dupes[0]?.detail).toContain("good-0050");
    } finally {
      store.close();
    }
  });
});
