import { describe, expect, it } from "vitest";
import type { TrailEvent } from "../event/types.ts";
import { fitModel } from "./fit.ts";
import { OnlineTuner } from "./online-tuning.ts";
import { ROW } from "./smoothing.ts";
import { eventOf, principalFor } from "./test-events.ts";

const MINUTE = 60_000;
const alice = principalFor("alice");
const ACTIONS = Array.from({ length: 40 }, (_, i) => `ec2:Describe${String.fromCharCode(65 + (i % 26))}${i}`);

/** Sessions of the 40 actions in a fresh shuffled order each time: the previous action says little. */
function shuffledSessions(sessions: number, seed: number, start: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const events: TrailEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    const order = [...ACTIONS].sort(() => random() - 0.5);
    order.forEach((action, i) => {
      events.push(eventOf(alice, action, start + s * 120 * MINUTE + i * 1000));
    });
  }
  return events;
}

/** The same 8-call script over and over (a deploy tool's fixed read sequence). */
function scriptedRuns(runs: number, start: number) {
  const script = ACTIONS.slice(0, 8);
  return Array.from({ length: runs }, (_, r) =>
    script.map((action, i) => eventOf(alice, action, start + r * 120 * MINUTE + i * 1000)),
  ).flat();
}

/** Mean negative log-likelihood of each event, predicted before it is learned. */
function streamLoss(model: ReturnType<typeof fitModel>, events: TrailEvent[]): number {
  let loss = 0;
  for (const event of events) {
    const dist = model.distribution(event.principal, event.time, event.sessionKey);
    loss -= Math.log(dist.probs[model.sequence.actions.idOf(event.action)] ?? 1e-12);
    model.observe(event);
  }
  return loss / events.length;
}

describe("OnlineTuner", () => {
  it("re-fits smoothing when the stream turns repetitive, predicting it better than the frozen fit", () => {
    const train = shuffledSessions(20, 7, 0);
    const test = scriptedRuns(40, 20 * 120 * MINUTE);
    const adaptive = fitModel(train);
    const frozen = fitModel(train);
    frozen.tuner = null;
    const before = Float64Array.from(adaptive.sequence.params.discount);
    const adaptiveLoss = streamLoss(adaptive, test);
    const frozenLoss = streamLoss(frozen, test);
    expect(adaptive.tuner?.refits).toBeGreaterThan(0);
    expect(adaptive.sequence.params.discount).not.toEqual(before);
    expect(adaptiveLoss).toBeLessThan(frozenLoss);
  });

  it("keeps the most recent samples in a ring and round-trips through a snapshot", () => {
    const width = ROW;
    const stats = Float64Array.from({ length: 30 * width }, (_, i) => Math.floor(i / width));
    const tuner = OnlineTuner.seeded(stats, 30, 3, 20);
    expect(tuner.snapshot().samples.length).toBe(20 * width);
    // The ring kept rows 10..29 (the newest); the next write goes to the oldest slot.
    expect(tuner.snapshot().samples[0]).toBe(10);
    expect(tuner.offset).toBe(0);
    const sampled = [1, 2, 3, 4, 5, 6].map(() => tuner.takeSample());
    expect(sampled).toEqual([false, false, true, false, false, true]);
    const copy = OnlineTuner.restore(tuner.snapshot());
    expect(copy.snapshot()).toEqual(tuner.snapshot());
  });
});
