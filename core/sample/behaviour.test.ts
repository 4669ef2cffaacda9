import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRecord } from "../event/normalize.ts";
import type { TrailEvent } from "../event/types.ts";
import { localHour, localWeekday } from "./clock.ts";
import { generateSample, type SampleSummary } from "./index.ts";
import { type GroundTruth, listFiles, readGroundTruth, readRecords } from "./sample-files.ts";

/**
 * Behavioural properties a model should be able to learn, checked on one week of activity (~8,000 events):
 * office hours and weekends for people, clockwork for scheduled functions, habits in call sequences.
 */

const TARGET = 8000;
let base = "";
let summary: SampleSummary;
let truth: GroundTruth;
let events: TrailEvent[] = [];
let attack = new Set<string>();

beforeAll(async () => {
  base = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "trailcast-behaviour-"));
  summary = await generateSample({ outDir: base, seed: 11, days: 7, targetEvents: TARGET });
  truth = await readGroundTruth(base);
  attack = new Set(truth.scenarios.flatMap((s) => s.eventIds));
  const seen = new Set<string>();
  for (const file of (await listFiles(base)).filter((f) => f.includes("/CloudTrail/"))) {
    for (const record of await readRecords(join(base, file))) {
      const result = normalizeRecord(record);
      if (result.ok && !seen.has(result.event.eventId)) {
        seen.add(result.event.eventId);
        events.push(result.event);
      }
    }
  }
  events = events.filter((e) => !attack.has(e.eventId)).sort((a, b) => a.time - b.time);
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

const byPrincipal = (key: string) => events.filter((e) => e.principal.key === key);

describe("sample behaviour", () => {
  it("scales activity with targetEvents", () => {
    expect(summary.events).toBeGreaterThan(TARGET * 0.8);
    expect(summary.events).toBeLessThan(TARGET * 1.3);
  });

  it("keeps people to their own working hours and quiet weekends", () => {
    let inHours = 0;
    let weekend = 0;
    let total = 0;
    for (const person of truth.people) {
      const keys = new Set(person.principals);
      const mine = events.filter((e) => keys.has(e.principal.key));
      for (const e of mine) {
        const dow = localWeekday(person.timeZone, e.time);
        const hour = localHour(person.timeZone, e.time);
        if (dow === 0 || dow === 6) weekend++;
        else if (hour >= 7 && hour < 20) inHours++;
      }
      total += mine.length;
      if (person.role !== "finance") expect(mine.length, person.id).toBeGreaterThan(50);
    }
    expect(inHours / total).toBeGreaterThan(0.85);
    expect(weekend / total).toBeLessThan(0.05);
  });

  it("runs the scheduled Lambda functions like clockwork", () => {
    for (const name of ["inventory-collector", "snapshot-janitor"]) {
      const calls = byPrincipal(truth.workloads[name] ?? "");
      expect(calls.length, name).toBeGreaterThan(50);
      // A run is a burst of calls; runs start at a fixed interval with a second or two of jitter.
      const starts = calls
        .filter((e, i) => i === 0 || e.time - (calls[i - 1]?.time ?? 0) > 20_000)
        .map((e) => e.time);
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
      const sorted = [...gaps].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      expect(median % 30_000 < 3000 || median % 30_000 > 27_000, `${name} interval ${median}`).toBe(true);
      const regular = gaps.filter((g) => Math.abs(g - median) <= 3000).length;
      expect(regular / gaps.length, name).toBeGreaterThan(0.9);
    }
  });

  it("deploys from CI in bursts on weekdays", () => {
    const federations = events.filter((e) => e.action === "sts:AssumeRoleWithWebIdentity");
    expect(federations.length).toBeGreaterThan(10);
    const weekday = federations.filter((e) => ![0, 6].includes(new Date(e.time).getUTCDay()));
    expect(weekday.length / federations.length).toBeGreaterThan(0.8);
  });

  it("has learnable habits: follow-up calls and a per-person mix", () => {
    // Records within a second are not ordered in the files, so "follows" means "within the next 3 calls".
    const timeline = new Map<string, string[]>();
    for (const e of events)
      timeline.set(e.principal.key, [...(timeline.get(e.principal.key) ?? []), e.action]);
    const share = (from: string, to: string, window = 3) => {
      let seen = 0;
      let followed = 0;
      for (const actions of timeline.values()) {
        for (const [i, action] of actions.entries()) {
          if (action !== from) continue;
          seen++;
          if (actions.slice(i + 1, i + 1 + window).includes(to)) followed++;
        }
      }
      return seen ? followed / seen : 0;
    };
    expect(share("athena:StartQueryExecution", "athena:GetQueryExecution")).toBeGreaterThan(0.8);
    expect(share("s3:ListBuckets", "s3:GetBucketLocation")).toBeGreaterThan(0.7);
    expect(share("signin:ConsoleLogin", "health:DescribeEventAggregates")).toBeGreaterThan(0.7);
    expect(share("cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet")).toBeGreaterThan(0.8);
    // Not trivially so: the next call after a common action is far from certain.
    expect(share("ec2:DescribeInstances", "ec2:DescribeInstances", 1)).toBeLessThan(0.9);
    const developers = truth.people.filter((p) => p.role === "developer").slice(0, 2);
    const mix = (keys: string[]) => {
      const counts = new Map<string, number>();
      for (const e of events)
        if (keys.includes(e.principal.key)) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return new Map([...counts].map(([k, v]) => [k, v / total]));
    };
    const [a, b] = developers.map((p) => mix(p.principals));
    const actions = new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])]);
    const distance = [...actions].reduce((d, k) => d + Math.abs((a?.get(k) ?? 0) - (b?.get(k) ?? 0)), 0) / 2;
    expect(distance).toBeGreaterThan(0.15);
  });

  it("fails now and then, like real accounts do", () => {
    const errors = events.filter((e) => e.errorCode);
    const rate = errors.length / events.length;
    expect(rate).toBeGreaterThan(0.002);
    expect(rate).toBeLessThan(0.05);
    expect(new Set(errors.map((e) => e.errorCode)).size).toBeGreaterThanOrEqual(5);
  });
});
