import { describe, expect, it } from "vitest";
import { MINUTE } from "./clock.ts";
import { Delivery, type LogFile, type TrailLocation } from "./delivery.ts";
import { DigestChain } from "./digest.ts";
import type { PendingRecord } from "./emitter.ts";
import { Rng } from "./prng.ts";

const START = Date.parse("2026-10-01T00:00:00Z");
const locations = new Map<string, TrailLocation>([
  ["111111111111", { accountId: "111111111111", prefix: "AWSLogs/111111111111" }],
  ["222222222222", { accountId: "222222222222", prefix: "AWSLogs/o-abcdefghij/222222222222" }],
]);

function records(count: number, accountId: string, region: string, spacingMs: number): PendingRecord[] {
  const rng = Rng.fromSeed(1).fork(accountId, region);
  return Array.from({ length: count }, (_, i) => {
    const eventId = rng.uuid();
    const time = START + i * spacingMs;
    return {
      time,
      accountId,
      region,
      eventId,
      bits: [...rng.lastUuidWords] as [number, number],
      data: Buffer.from(JSON.stringify({ eventID: eventId, time })),
    };
  });
}

function parse(file: LogFile): { eventID: string; time: number }[] {
  return (JSON.parse(file.body.toString("utf8")) as { Records: { eventID: string; time: number }[] }).Records;
}

describe("Delivery", () => {
  const delivery = new Delivery(Rng.fromSeed(2), locations, 0.02);
  delivery.add(records(3000, "111111111111", "eu-central-1", 1500));
  delivery.add(records(200, "222222222222", "us-east-1", 20_000));
  const files = delivery.flush(Number.POSITIVE_INFINITY);

  it("names files as the S3 trail layout does, with the organization-trail prefix where used", () => {
    const pattern =
      /^AWSLogs\/(o-[a-z0-9]{10}\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_\4\5\6T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    for (const file of files) expect(file.path).toMatch(pattern);
    expect(
      files.some((f) => f.path.startsWith("AWSLogs/o-abcdefghij/222222222222/CloudTrail/us-east-1/")),
    ).toBe(true);
  });

  it("delivers every record, each file spanning at most ~15 minutes of event time, in rough order", () => {
    const seen = new Map<string, number>();
    let disorder = 0;
    let pairs = 0;
    const redelivered = new Set(delivery.duplicates);
    for (const file of files) {
      const recs = parse(file);
      const times = recs.filter((r) => !redelivered.has(r.eventID)).map((r) => r.time);
      if (times.length > 0) expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(16 * MINUTE);
      expect(file.deliveredAt).toBeGreaterThanOrEqual(file.newest);
      for (const [i, r] of recs.entries()) {
        seen.set(r.eventID, (seen.get(r.eventID) ?? 0) + 1);
        if (i > 0) {
          pairs++;
          if (r.time < (recs[i - 1]?.time ?? 0)) disorder++;
        }
      }
    }
    expect(seen.size).toBe(3200);
    // Slightly out of order, as real files are, but mostly chronological.
    expect(disorder).toBeGreaterThan(0);
    expect(disorder / pairs).toBeLessThan(0.2);
  });

  it("redelivers a few records byte for byte in a later file", () => {
    expect(delivery.duplicates.length).toBeGreaterThan(10);
    const where = new Map<string, LogFile[]>();
    for (const file of files)
      for (const r of parse(file)) where.set(r.eventID, [...(where.get(r.eventID) ?? []), file]);
    for (const id of delivery.duplicates) {
      const holders = where.get(id) ?? [];
      expect(holders).toHaveLength(2);
      const [first, second] = holders.sort((a, b) => a.deliveredAt - b.deliveredAt);
      expect(second?.deliveredAt).toBeGreaterThan(first?.deliveredAt ?? 0);
      const text = (file?: LogFile) => parse(file as LogFile).find((r) => r.eventID === id);
      expect(text(first)).toEqual(text(second));
    }
  });

  it("only flushes windows that can no longer receive records", () => {
    const partial = new Delivery(Rng.fromSeed(2), locations, 0);
    partial.add(records(100, "111111111111", "eu-central-1", 60_000));
    const early = partial.flush(START + 30 * MINUTE);
    for (const file of early) expect(file.deliveredAt).toBeLessThanOrEqual(START + 30 * MINUTE);
    const rest = partial.flush(Number.POSITIVE_INFINITY);
    expect([...early, ...rest].reduce((n, f) => n + f.records, 0)).toBe(100);
  });
});

describe("DigestChain", () => {
  it("writes hourly digests listing the hour's log files, each pointing at the previous digest", () => {
    const location = locations.get("111111111111") as TrailLocation;
    const delivery = new Delivery(Rng.fromSeed(4), locations, 0);
    delivery.add(records(500, "111111111111", "eu-central-1", 30_000));
    const files = delivery.flush(Number.POSITIVE_INFINITY);
    const chain = new DigestChain(
      Rng.fromSeed(5),
      location,
      "eu-central-1",
      "trail",
      "bucket",
      START,
      START + 5 * 60 * MINUTE,
    );
    chain.track(files);
    const digests = chain.flush(Number.POSITIVE_INFINITY);
    expect(digests).toHaveLength(5);
    const bodies = digests.map((d) => JSON.parse(d.body) as Record<string, unknown>);
    expect(bodies.reduce((n, b) => n + (b.logFiles as unknown[]).length, 0)).toBe(files.length);
    expect(bodies[0]?.previousDigestS3Object).toBeNull();
    expect(bodies[1]?.previousDigestS3Object).toBe(bodies[0]?.digestS3Object);
    for (const d of digests) {
      expect(d.path).toMatch(
        /^AWSLogs\/111111111111\/CloudTrail-Digest\/eu-central-1\/\d{4}\/\d{2}\/\d{2}\/111111111111_CloudTrail-Digest_eu-central-1_trail_eu-central-1_\d{8}T\d{6}Z\.json\.gz$/,
      );
    }
  });
});
