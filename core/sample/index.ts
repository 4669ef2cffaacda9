import { access, mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { planAttacks } from "./attacks.ts";
import { simulateCiDay } from "./ci.ts";
import { DAY, HOUR, isoSecond } from "./clock.ts";
import { Delivery, type LogFile, type TrailLocation } from "./delivery.ts";
import { DigestChain } from "./digest.ts";
import { Emitter } from "./emitter.ts";
import {
  BENIGN_LOOKALIKES,
  gapEntries,
  people,
  scenarioEntries,
  workloadPrincipals,
} from "./ground-truth.ts";
import { isWorkday, simulateHumanDay } from "./human-day.ts";
import { Machines } from "./machines.ts";
import { buildOrg, type Org } from "./org.ts";
import { Rng } from "./prng.ts";
import { Services } from "./services.ts";
import { GzipWriter } from "./writer.ts";

export interface SampleOptions {
  outDir: string;
  /** Same seed and options → byte-identical files. Default 42. */
  seed?: number;
  /** Default 30. */
  days?: number;
  /** Approximate number of distinct principals (principalOf keys) before attacks add theirs. Default 30. */
  principals?: number;
  /** Approximate number of events; activity rates scale with it. Default 200,000. */
  targetEvents?: number;
  /** ISO date; truncated to UTC midnight. Default 2026-10-01. */
  start?: string;
  /** Called after each simulated day: (days done, days total). */
  onProgress?: (done: number, total: number) => void;
}

export interface SampleSummary {
  outDir: string;
  /** CloudTrail log files (digest files are counted separately). */
  files: number;
  /** Distinct records (a duplicate delivery is counted once). */
  events: number;
  attackEvents: number;
  principals: number;
  start: string;
  end: string;
  groundTruthPath: string;
  scenarios: {
    id: string;
    technique: string;
    tactic: string;
    principal: string;
    events: number;
    start: string;
  }[];
  digestFiles: number;
  /** Records delivered twice (same eventID in two files), as CloudTrail occasionally does. */
  duplicateDeliveries: number;
}

const optionsSchema = z.object({
  outDir: z.string().min(1, "outDir is required"),
  seed: z.number().int().default(42),
  days: z.number().int().min(1).max(400).default(30),
  principals: z.number().int().min(1).max(500).default(30),
  targetEvents: z.number().int().min(100).max(50_000_000).default(200_000),
  start: z
    .string()
    .refine((s) => Number.isFinite(Date.parse(s)), "start must be an ISO date, e.g. 2026-10-01T00:00:00Z")
    .default("2026-10-01T00:00:00Z"),
});

const OUTPUTS = ["AWSLogs", "ground-truth.json", "labels.txt"];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Re-generating into the same folder must not leave stale files behind, but must never delete foreign data. */
async function prepare(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  if (!(await exists(join(outDir, "AWSLogs")))) return;
  if (!(await exists(join(outDir, "ground-truth.json")))) {
    throw new Error(
      `${join(outDir, "AWSLogs")} exists but was not written by the sample generator (no ground-truth.json); choose an empty folder`,
    );
  }
  for (const name of OUTPUTS) await rm(join(outDir, name), { recursive: true, force: true });
}

/** Daily event budgets: each actor's share of targetEvents/days; people spend theirs on working days only. */
function budgets(org: Org, target: number, days: number, start: number) {
  const perDay = target / days;
  const total = Object.values(org.weights).reduce((a, b) => a + b, 0);
  const daily: Record<string, number> = {};
  for (const [name, weight] of Object.entries(org.weights)) daily[name] = (perDay * weight) / total;
  const workday: Record<string, number> = {};
  for (const person of org.humans) {
    let workdays = 0;
    for (let d = 0; d < days; d++) if (isWorkday(person, d, start + d * DAY)) workdays++;
    workday[person.id] = ((daily[person.id] ?? 0) * days) / Math.max(1, workdays);
  }
  return { daily, workday };
}

export async function generateSample(options: SampleOptions): Promise<SampleSummary> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(
      `invalid sample options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const { seed, days, principals, targetEvents } = parsed.data;
  const outDir = resolve(parsed.data.outDir);
  const start = Math.floor(Date.parse(parsed.data.start) / DAY) * DAY;
  const end = start + days * DAY;
  await prepare(outDir);

  const rng = Rng.fromSeed(seed);
  const org = buildOrg(rng.fork("org"), principals, days);
  const emitter = new Emitter(start, end);
  const scenarios = planAttacks(org, rng.fork("attacks"), emitter, start, days);
  // Attack events are part of the total; everyone else shares what is left.
  const { daily, workday } = budgets(
    org,
    Math.max(targetEvents / 2, targetEvents - emitter.events),
    days,
    start,
  );
  const machines = new Machines(org, rng.fork("machines"), emitter, start, daily);
  const services = new Services(org, rng.fork("services"), emitter, start, daily);

  const { prod, data } = org.accounts;
  const locations = new Map<string, TrailLocation>([
    [prod.id, { accountId: prod.id, prefix: `AWSLogs/${prod.id}` }],
    [data.id, { accountId: data.id, prefix: `AWSLogs/${data.orgId}/${data.id}` }],
  ]);
  // About eight redeliveries whatever the size: "a handful", as in real trails.
  const delivery = new Delivery(
    rng.fork("delivery"),
    locations,
    Math.min(2e-3, Math.max(1e-5, 8 / targetEvents)),
  );
  const prodLocation = locations.get(prod.id) ?? { accountId: prod.id, prefix: `AWSLogs/${prod.id}` };
  const digests = new DigestChain(
    rng.fork("digest"),
    prodLocation,
    prod.homeRegion,
    prod.trailName,
    prod.trailBucket,
    start,
    end,
  );
  const writer = new GzipWriter(outDir);
  let logFiles = 0;
  let digestFiles = 0;

  // Records leave memory as soon as their delivery window is complete: at most ~1.5 days are held.
  const deliver = (watermark: number) => {
    delivery.add(emitter.take(watermark));
    const files: LogFile[] = delivery.flush(watermark);
    digests.track(files);
    for (const file of files) writer.write(file.path, file.body);
    for (const digest of digests.flush(watermark)) {
      writer.write(digest.path, digest.body);
      digestFiles++;
    }
    logFiles += files.length;
  };

  // Day -1 and day `days` are simulated for people whose local day overlaps the period's edges.
  for (let d = -1; d <= days; d++) {
    const dayStart = start + d * DAY;
    for (const person of org.humans) {
      simulateHumanDay({
        org,
        person,
        dayIndex: d,
        dayStart,
        budget: workday[person.id] ?? 0,
        rng: rng.fork("human", person.id, d),
        emitter,
      });
    }
    if (d >= 0 && d < days) {
      machines.simulateDay(d, dayStart);
      services.simulateDay(dayStart);
      simulateCiDay(org, rng.fork("ci", d), emitter, dayStart, daily.ci ?? 0);
    }
    // Everything simulated later lies after this instant (local days start at most 14 h before UTC ones).
    deliver(dayStart + 10 * HOUR);
    if (d >= 0 && d < days) {
      options.onProgress?.(d + 1, days);
      // Give the caller's event loop a turn (progress bars, signals) between days.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  deliver(Number.POSITIVE_INFINITY);

  const labelled = scenarioEntries(scenarios, emitter.labels);
  const attackIds = labelled.flatMap((s) => s.eventIds);
  const groundTruthPath = join(outDir, "ground-truth.json");
  const groundTruth = {
    generator: "trailcast core/sample",
    formatVersion: 1,
    options: { seed, days, principals, targetEvents, start: isoSecond(start) },
    period: { start: isoSecond(start), end: isoSecond(end) },
    accounts: [
      { id: prod.id, alias: prod.alias, logPrefix: `AWSLogs/${prod.id}`, trail: prod.trailName },
      {
        id: data.id,
        alias: data.alias,
        logPrefix: `AWSLogs/${data.orgId}/${data.id}`,
        trail: data.trailName,
        organizationTrail: true,
      },
    ],
    otherAccounts: { disasterRecovery: org.accounts.drAccountId, attacker: org.accounts.externalAccountId },
    attackWindowStart: isoSecond(Math.min(...scenarios.map((s) => s.start))),
    scenarios: labelled,
    loggingGaps: gapEntries(emitter.gaps),
    duplicateDeliveries: { count: delivery.duplicates.length, eventIds: delivery.duplicates },
    people: people(org),
    workloads: workloadPrincipals(org),
    benignLookalikes: BENIGN_LOOKALIKES,
    counts: {
      events: emitter.events,
      attackEvents: attackIds.length,
      logFiles,
      digestFiles,
      principals: emitter.principals.size,
    },
  };
  await writeFile(groundTruthPath, `${JSON.stringify(groundTruth, null, 2)}\n`);
  await writeFile(join(outDir, "labels.txt"), attackIds.length ? `${attackIds.join("\n")}\n` : "");

  return {
    outDir,
    files: logFiles,
    events: emitter.events,
    attackEvents: attackIds.length,
    principals: emitter.principals.size,
    start: isoSecond(start),
    end: isoSecond(end),
    groundTruthPath,
    scenarios: labelled.map((s) => ({
      id: s.id,
      technique: s.technique,
      tactic: s.tactic,
      principal: s.principal,
      events: s.events,
      start: s.start,
    })),
    digestFiles,
    duplicateDeliveries: delivery.duplicates.length,
  };
}
