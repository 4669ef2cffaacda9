import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { LookupEventsError, LookupEventsSource } from "./lookup-events-source.ts";
import type { Clock } from "./rate-limit.ts";
import type { SourceBatch } from "./source.ts";

/** Virtual time: sleeping advances the clock instantly, so rate limits are checked without waiting. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_700_000_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function cloudTrailEvent(id: string, region: string) {
  return {
    EventId: id,
    CloudTrailEvent: JSON.stringify({
      eventID: id,
      eventTime: "2024-03-05T10:00:00Z",
      eventSource: "ec2.amazonaws.com",
      eventName: "DescribeInstances",
      awsRegion: region,
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice" },
    }),
  };
}

/** A client whose LookupEvents serves `pages` pages of 50 events, recording when each call happened. */
function pagedClient(region: string, pages: number, clock: Clock, calls: number[], throttleFirst = 0) {
  const client = new CloudTrailClient({ region, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  let throttles = throttleFirst;
  mockClient(client)
    .on(LookupEventsCommand)
    .callsFake(async (input: { NextToken?: string; MaxResults?: number }) => {
      calls.push(clock.now());
      if (throttles-- > 0) {
        throw Object.assign(new Error("Rate exceeded"), {
          name: "ThrottlingException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      expect(input.MaxResults).toBe(50);
      const page = input.NextToken ? Number(input.NextToken) : 0;
      const events = Array.from({ length: 50 }, (_, i) => cloudTrailEvent(`${region}-${page}-${i}`, region));
      return { Events: events, NextToken: page + 1 < pages ? String(page + 1) : undefined };
    });
  return client;
}

async function collect(batches: AsyncIterable<SourceBatch>, stopAfter = Number.POSITIVE_INFINITY) {
  const seen: SourceBatch[] = [];
  for await (const batch of batches) {
    seen.push(batch);
    if (seen.length >= stopAfter) break;
  }
  return seen;
}

const window = { start: new Date("2024-03-01T00:00:00Z"), end: new Date("2024-03-08T00:00:00Z") };

describe("LookupEventsSource", () => {
  it("reads all pages of several regions and holds each region to 2 requests/s", async () => {
    const clock = fakeClock();
    const calls: Record<string, number[]> = { "us-east-1": [], "eu-west-1": [] };
    const clients = {
      "us-east-1": pagedClient("us-east-1", 5, clock, calls["us-east-1"] as number[]),
      "eu-west-1": pagedClient("eu-west-1", 3, clock, calls["eu-west-1"] as number[]),
    };
    const source = new LookupEventsSource({
      ...window,
      regions: ["us-east-1", "eu-west-1"],
      clock,
      clientFor: (region) => clients[region as keyof typeof clients],
    });
    const batches = await collect(source.read());
    const ids = batches.flatMap((batch) => batch.events.map((event) => event.eventId));
    expect(ids).toHaveLength(8 * 50);
    expect(new Set(ids).size).toBe(400);
    for (const times of Object.values(calls)) {
      for (let i = 1; i < times.length; i++) {
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(500);
      }
    }
    expect(batches.at(-1)?.checkpoint && JSON.parse(batches.at(-1)?.checkpoint as string).regions).toEqual({
      "us-east-1": { done: true },
      "eu-west-1": { done: true },
    });
  });

  it("backs off on ThrottlingException and then succeeds", async () => {
    const clock = fakeClock();
    const calls: number[] = [];
    const client = pagedClient("us-east-1", 2, clock, calls, 3);
    const source = new LookupEventsSource({
      ...window,
      regions: ["us-east-1"],
      clock,
      random: () => 1,
      clientFor: () => client,
    });
    const batches = await collect(source.read());
    expect(batches.flatMap((batch) => batch.events)).toHaveLength(100);
    expect(calls).toHaveLength(5);
    // full-jitter backoff with random() = 1 sleeps the whole window: 500, 1000, 2000 ms
    expect(clock.slept).toEqual(expect.arrayContaining([1000, 2000]));
    expect(clock.slept.filter((ms) => ms === 500).length).toBeGreaterThanOrEqual(1);
  });

  it("gives up with a clear error after too many throttles", async () => {
    const clock = fakeClock();
    const client = pagedClient("us-east-1", 1, clock, [], 100);
    const source = new LookupEventsSource({
      ...window,
      regions: ["us-east-1"],
      clock,
      maxRetries: 2,
      clientFor: () => client,
    });
    await expect(collect(source.read())).rejects.toThrow(
      /us-east-1 failed: still throttled after 3 attempts/,
    );
  });

  it("resumes from a checkpoint without re-reading finished pages", async () => {
    const clock = fakeClock();
    const calls: number[] = [];
    const client = pagedClient("us-east-1", 4, clock, calls);
    const options = { ...window, regions: ["us-east-1"], clock, clientFor: () => client };
    const firstRun = await collect(new LookupEventsSource(options).read(), 2);
    const checkpoint = firstRun.at(-1)?.checkpoint;
    const resumed = await collect(new LookupEventsSource(options).read({ resumeFrom: checkpoint }));
    const firstIds = firstRun.flatMap((batch) => batch.events.map((event) => event.eventId));
    const resumedIds = resumed.flatMap((batch) => batch.events.map((event) => event.eventId));
    expect(firstIds).toHaveLength(100);
    expect(resumedIds).toHaveLength(100);
    expect(resumedIds[0]).toBe("us-east-1-2-0");
    // a checkpoint for another window is ignored: start over
    const other = await collect(
      new LookupEventsSource({ ...options, start: new Date("2024-02-01T00:00:00Z") }).read({
        resumeFrom: checkpoint,
      }),
    );
    expect(other.flatMap((batch) => batch.events)).toHaveLength(200);
  });

  it("reports malformed CloudTrailEvent payloads as skips and keeps the rest", async () => {
    const clock = fakeClock();
    const client = new CloudTrailClient({
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
    });
    mockClient(client)
      .on(LookupEventsCommand)
      .resolves({
        Events: [
          cloudTrailEvent("ok-1", "us-east-1"),
          { EventId: "bad-1", CloudTrailEvent: "{oops" },
          { EventId: "bad-2" },
        ],
      });
    const [batch] = await collect(
      new LookupEventsSource({ ...window, regions: ["us-east-1"], clock, clientFor: () => client }).read(),
    );
    expect(batch?.events.map((event) => event.eventId)).toEqual(["ok-1"]);
    expect(batch?.skips.map((skip) => [skip.where, skip.reason])).toEqual([
      ["lookup-events:us-east-1#bad-1", "invalid-json"],
      ["lookup-events:us-east-1#bad-2", "missing-field"],
    ]);
  });

  it("rejects an empty region list and an inverted window", () => {
    expect(() => new LookupEventsSource({ ...window, regions: [] })).toThrow(LookupEventsError);
    expect(
      () => new LookupEventsSource({ regions: ["us-east-1"], start: window.end, end: window.start }),
    ).toThrow(/must be before/);
  });
});
