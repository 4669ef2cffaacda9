import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import type { TrailEvent } from "../event/types.ts";
import { scoreEvent } from "./anomaly.ts";
import { BehaviourModel, noveltyTokens } from "./behaviour-model.ts";
import { fitModel, heldFitScratch, releaseFitScratch } from "./fit.ts";
import { NOVELTY_KINDS, type NoveltyKind } from "./novelty.ts";
import { serializeModel } from "./persist.ts";
import { chronological } from "./sessions.ts";
import { syntheticEvents } from "./synthetic.ts";
import { isAccessDenied } from "./tokens.ts";
import { type TrackerEvidence, trackerEvidence } from "./tracker-evidence.ts";
import { TrackerThread } from "./tracker-thread.ts";
import { trackersSnapshot } from "./trackers.ts";

/** Synthetic events where principals also call from other addresses, regions and clients now and then. */
function wanderingEvents(count: number): TrailEvent[] {
  return syntheticEvents({ events: count, seed: 5, principals: 40 }).map((event, i) => ({
    ...event,
    sourceIp: i % 7 === 0 ? `192.0.${i % 3}.${i % 5}` : event.sourceIp,
    region: i % 11 === 0 ? "eu-west-1" : event.region,
    userAgent: i % 13 === 0 ? "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" : event.userAgent,
  }));
}

function withoutFitInfo(model: BehaviourModel): Record<string, unknown> {
  const { fitInfo: _, ...rest } = serializeModel(model);
  return rest;
}

describe("fitModel's tracker thread", () => {
  const events = wanderingEvents(26_000);
  const train = events.slice(0, 24_000);

  it("learns the same model on a worker thread as in-thread, and it goes on learning the same way", () => {
    const threaded = fitModel(train, { trackerThread: true });
    const inThread = fitModel(train, { trackerThread: false });
    expect(threaded.fitInfo?.trackerThread).toBe(true);
    expect(inThread.fitInfo?.trackerThread).toBe(false);
    expect(withoutFitInfo(threaded)).toEqual(withoutFitInfo(inThread));
    for (const event of events.slice(24_000)) {
      expect(scoreEvent(event, { model: threaded })).toEqual(scoreEvent(event, { model: inThread }));
      threaded.observe(event);
      inThread.observe(event);
    }
    expect(withoutFitInfo(threaded)).toEqual(withoutFitInfo(inThread));
  });

  it("reuses the previous fit's scratch (ids, tracker batches) and learns what a fit without it learns", () => {
    // Another fit's events (more of them, a day later): its scratch holds other contents at other sizes.
    const other = wanderingEvents(30_000).map((event) => ({ ...event, time: event.time + 86_400_000 }));
    const learn = (events: TrailEvent[], trackerThread = true) => {
      const model = fitModel(events, { trackerThread });
      // A worker that failed (say, on a stale batch) would leave the trackers to an in-thread pass.
      expect(model.fitInfo?.trackerThread).toBe(trackerThread);
      return withoutFitInfo(model);
    };
    releaseFitScratch();
    const freshTrain = learn(train);
    releaseFitScratch();
    const freshOther = learn(other);
    const held = heldFitScratch();
    expect(held.idsBytes).toBeGreaterThanOrEqual(2 * 4 * other.length);
    expect(held.batches).toBeGreaterThan(0);
    expect(learn(train)).toEqual(freshTrain);
    expect(learn(other)).toEqual(freshOther);
    expect(learn(train, false)).toEqual(freshTrain);
    releaseFitScratch();
    expect(heldFitScratch()).toEqual({ idsBytes: 0, batches: 0 });
  });

  it("counts every network, region and client each principal used (the per-principal origin cache)", () => {
    const model = fitModel(train, { trackerThread: false });
    const kinds = [2, 3, 4, 5] as const;
    const expected = new Map<string, number>();
    for (const e of train) {
      const tokens = noveltyTokens(e);
      for (const kind of kinds) {
        const key = JSON.stringify([e.principal.key, kind, tokens[kind]]);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    for (const [key, count] of expected) {
      const [principalKey, kind, token] = JSON.parse(key) as [string, number, string];
      const id = model.sequence.principals.idOf(principalKey);
      const found = model.novelty.lookup("principal", id, NOVELTY_KINDS[kind] as NoveltyKind, token);
      expect(found.count, key).toBe(count);
    }
    // Each of the 40 principals used several of each.
    expect(expected.size).toBeGreaterThan(40 * 4 * 2);
  });

  it("feeds the worker batches it hands back for reuse; its trackers and judgements equal in-thread ones", () => {
    const fed = new BehaviourModel();
    const reference = new BehaviourModel();
    const thread = TrackerThread.start(1000);
    if (!thread) throw new Error("no tracker worker entry next to the sources");
    // Paced so the worker can hand batches back: wait for it to listen, and a little at each full batch.
    const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (let waited = 0; !thread.listening && waited < 30_000; waited += 10) pause(10);
    // Judged before learning: every 7th event, and each principal's first (its owners are new then).
    const seenPrincipals = new Set<string>();
    const judged: TrackerEvidence[] = [];
    chronological(train).forEach((event, i) => {
      const scored = i % 7 === 0 || !seenPrincipals.has(event.principal.key);
      seenPrincipals.add(event.principal.key);
      for (const model of [fed, reference]) {
        const principal = model.sequence.principalId(event.principal);
        const action = model.sequence.actionIdOf(event);
        if (model === fed) {
          thread.add(model, event, principal, action, scored);
          continue;
        }
        if (scored) {
          // What scoreEvent judges by (owners never seen are -1) judges as what the worker is sent.
          const asScored = trackerEvidence(model, {
            owners: model.ownersOf(event),
            tokens: noveltyTokens(event),
            time: event.time,
            denied: isAccessDenied(event.errorCode),
            action: event.action,
          });
          const asSent = trackerEvidence(model, model.trackerQuery(event, principal, action));
          expect(asSent).toEqual(asScored);
          judged.push(asScored);
        }
        model.learnTrackers(event, principal, action);
      }
      if (i % 1000 === 999) pause(20);
    });
    expect(thread.batchesReused).toBeGreaterThan(0);
    const finished = thread.finish(fed);
    if (!finished) throw new Error("the worker did not reply");
    expect(finished.evidence).toEqual(judged);
    // The sample judged something: first-seen signals (the wandering addresses, regions and clients).
    const kinds = new Set(judged.flatMap((e) => e.reasons.map((r) => r.kind)));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["first-seen-network", "first-seen-region"]));
    const got = trackersSnapshot(finished.trackers);
    const want = trackersSnapshot(reference);
    expect(got.timing).toEqual(want.timing);
    expect(got.rates).toEqual(want.rates);
    // Table order may differ; (slot, token, entry) triples, counts per entry and per-slot totals may not.
    const triples = (seen: Int32Array) =>
      Array.from({ length: seen.length / 3 }, (_, i) => Array.from(seen.subarray(3 * i, 3 * i + 3))).sort(
        (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
      );
    expect(triples(got.novelty.seen)).toEqual(triples(want.novelty.seen));
    expect(got.novelty.counts).toEqual(want.novelty.counts);
    expect(got.novelty.scopeTotal).toEqual(want.novelty.scopeTotal);
    expect(got.novelty.scopeDistinct).toEqual(want.novelty.scopeDistinct);
  });

  it("gives up at once, for in-thread learning, when the worker cannot load", async () => {
    // The real bootstrap, copied where neither tsx nor the worker entry can be found.
    const dir = await mkdtemp(join(tmpdir(), "trailcast-tracker-"));
    const entry = join(dir, "tracker-worker-tsx.mjs");
    await copyFile(new URL("./tracker-worker-tsx.mjs", import.meta.url), entry);
    const warnings: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      warnings.push(String(chunk));
      return true;
    });
    try {
      const thread = TrackerThread.start(1000, pathToFileURL(entry));
      if (!thread) throw new Error("expected a worker to start");
      const model = new BehaviourModel();
      for (const event of train.slice(0, 3000)) {
        thread.add(
          model,
          event,
          model.sequence.principalId(event.principal),
          model.sequence.actionIdOf(event),
        );
      }
      // Well within the test's timeout: a bootstrap dying silently would be waited on for 30 s.
      expect(thread.finish(model)).toBeNull();
    } finally {
      write.mockRestore();
    }
    expect(warnings.join("")).toMatch(/tracker worker failed to load.*learning the trackers in-thread/);
  });
});
