import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrailEvent } from "../event/types.ts";
import { fitModel } from "../model/fit.ts";
import { deserializeModel, serializeModel } from "../model/persist.ts";
import { chronological } from "../model/sessions.ts";
import { syntheticEvents } from "../model/synthetic.ts";
import { scoreStream } from "./score-stream.ts";

const TRAIN = syntheticEvents({ events: 4000, seed: 11, principals: 20 });
const last = (TRAIN.at(-1) as TrailEvent).time;
// In time order, so line i is event i.
const TEST = chronological(
  syntheticEvents({ events: 300, seed: 12, principals: 20, startMs: last + 60_000 }),
);

// Fit once; every run starts from a deep copy made through the persistence format.
const FITTED = JSON.stringify(serializeModel(fitModel(TRAIN)));
const fresh = () => deserializeModel(JSON.parse(FITTED));

function lines(test: readonly TrailEvent[]): string[] {
  return [...scoreStream(fresh(), test)].map((s) => JSON.stringify(s.line));
}

describe("scoreStream", () => {
  it("writes one line per test event, with valid top-10 predictions", () => {
    const out = [...scoreStream(fresh(), TEST)];
    expect(out).toHaveLength(TEST.length);
    for (const { line } of out) {
      expect(line.top.length).toBeLessThanOrEqual(10);
      const sum = line.top.reduce((s, t) => s + t.p, 0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
      for (let i = 1; i < line.top.length; i++)
        expect(line.top[i - 1]?.p).toBeGreaterThanOrEqual(line.top[i]?.p ?? 0);
      expect(line.anomaly).toBeGreaterThanOrEqual(0);
      expect(line.anomaly).toBeLessThanOrEqual(1);
    }
  });

  it("never uses the event it predicts, nor any later one (mutating a later event leaves earlier lines byte-identical)", () => {
    const baseline = lines(TEST);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: TEST.length - 1 }), (at) => {
        const mutated = TEST.map((e, i) =>
          i === at
            ? {
                ...e,
                action: "iam:CreateAccessKey",
                eventName: "CreateAccessKey",
                eventSource: "iam.amazonaws.com",
                sourceIp: "203.0.113.9",
              }
            : e,
        );
        const changed = lines(mutated);
        expect(changed.slice(0, at)).toEqual(baseline.slice(0, at));
      }),
      { numRuns: 8 },
    );
  });

  it("never credits an action before it first appears", () => {
    const novel = "kms:ScheduleKeyDeletion";
    const at = 150;
    const test = TEST.map((e, i) =>
      i >= at && i % 10 === 0
        ? { ...e, action: novel, eventName: "ScheduleKeyDeletion", eventSource: "kms.amazonaws.com" }
        : e,
    );
    const out = lines(test).map((l) => JSON.parse(l) as { top: Array<{ action: string }> });
    for (const line of out.slice(0, at + 1)) expect(line.top.map((t) => t.action)).not.toContain(novel);
  });

  it("is deterministic for a fixed input, including a refit from scratch", () => {
    const again = [...scoreStream(fitModel(TRAIN), TEST)].map((s) => JSON.stringify(s.line));
    expect(again).toEqual(lines(TEST));
  });
});
