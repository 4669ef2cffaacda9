import { describe, expect, it } from "vitest";
import { eventOf, principalFor, routine } from "../model/test-events.ts";
import { BehaviourService } from "./model-service.ts";

const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 1, 9);

describe("BehaviourService walk", () => {
  it("remembers a scored event's evidence for the rest of its session", () => {
    const ci = principalFor("ci", "arn:aws:iam::111122223333:role/ci");
    const history = routine(ci, ["sts:GetCallerIdentity", "s3:ListBuckets", "s3:GetObject"], START, 60, HOUR);
    const service = BehaviourService.tunedOn(history.slice(0, 60), history.length + 3);
    for (const event of history) service.scoreThenLearn(event);
    const at = START + 61 * HOUR;
    const backdoor = service.scoreThenLearn(eventOf(ci, "iam:CreateAccessKey", at));
    const next = service.scoreThenLearn(eventOf(ci, "s3:ListBuckets", at + 1000));
    expect(backdoor.score).toBeGreaterThan(0.5);
    const carried = next.reasons.find((r) => r.kind === "session");
    expect(carried?.detail).toContain("iam:CreateAccessKey");
  });
});
