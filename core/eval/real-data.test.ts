import { describe, expect, it } from "vitest";
import { readEvents } from "../ingest/read-events.ts";
import { chronological } from "../model/sessions.ts";
import { evaluate } from "./evaluate.ts";

const INVICTUS = new URL("../../../shared/data/invictus-aws-dataset/", import.meta.url).pathname;

describe("evaluation on real CloudTrail (Invictus IR AWS dataset, 2,900 events, 20 principals)", () => {
  it("beats every baseline on top-1, top-5 and log-loss when trained on the first two thirds", async () => {
    const events = chronological((await readEvents([INVICTUS])).events);
    const cut = Math.floor((events.length * 2) / 3);
    const result = evaluate(events.slice(0, cut), events.slice(cut));
    const [ours, ...baselines] = result.models;
    expect(ours?.name).toBe("trailcast");
    expect(baselines.map((b) => b.name)).toEqual([
      "global frequency",
      "per-principal frequency",
      "first-order Markov",
    ]);
    for (const baseline of baselines) {
      expect(ours?.metrics.top1).toBeGreaterThan(baseline.metrics.top1);
      expect(ours?.metrics.top5).toBeGreaterThan(baseline.metrics.top5);
      expect(ours?.metrics.logLoss).toBeLessThan(baseline.metrics.logLoss);
    }
  });
});
