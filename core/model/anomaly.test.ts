import { describe, expect, it } from "vitest";
import { scoreEvent } from "./anomaly.ts";
import { fitModel } from "./fit.ts";
import { eventOf, principalFor, routine } from "./test-events.ts";

const START = Date.UTC(2024, 2, 4, 9); // a Monday
const DAY = 86_400_000;
const ops = principalFor("ops");
const dev = principalFor("dev");

function history() {
  const events = [];
  for (let d = 0; d < 21; d++) {
    if (d % 7 >= 5) continue; // weekdays only
    events.push(
      ...routine(
        ops,
        ["ec2:DescribeInstances", "ec2:StartInstances", "ec2:DescribeInstances"],
        START + d * DAY,
        6,
        3_600_000,
      ),
    );
    events.push(
      ...routine(
        dev,
        ["s3:ListBuckets", "s3:GetObject", "s3:PutObject"],
        START + d * DAY + 600_000,
        6,
        3_600_000,
      ),
    );
    // Now and then a lone AccessDenied, as in any account.
    events.push(
      eventOf(ops, "iam:GetRole", START + d * DAY + 7_200_000 + 30_000, { errorCode: "AccessDenied" }),
    );
  }
  return events;
}

describe("scoreEvent", () => {
  const model = fitModel(history());
  const later = START + 21 * DAY + 3_600_000;

  it("scores a routine call low and explains a first-time sensitive call from a new network", () => {
    const routineScore = scoreEvent(eventOf(ops, "ec2:DescribeInstances", later), { model });
    const attack = scoreEvent(
      eventOf(ops, "iam:CreateAccessKey", later, { sourceIp: "203.0.113.50", userAgent: "Boto3/1.34" }),
      { model },
    );
    expect(attack.score).toBeGreaterThan(routineScore.score);
    expect(attack.score).toBeGreaterThan(0.5);
    expect(attack.tactic).toBe("Persistence");
    const text = attack.reasons.map((r) => r.detail).join("\n");
    expect(text).toContain("first time this principal called iam:CreateAccessKey");
    expect(text).toContain("203.0.113.0/24 never seen for this principal or this account");
    expect(text).toContain("client (user agent family) boto3 never seen");
    expect(attack.reasons.every((r) => r.detail.length > 10 && r.bits >= 0)).toBe(true);
    for (const s of [routineScore, attack]) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it("flags an AccessDenied burst as reconnaissance", () => {
    const copy = fitModel(history());
    let last: ReturnType<typeof scoreEvent> | undefined;
    const actions = [
      "iam:ListUsers",
      "iam:ListRoles",
      "s3:ListBuckets",
      "ec2:DescribeVpcs",
      "kms:ListKeys",
      "lambda:ListFunctions",
    ];
    for (let i = 0; i < 14; i++) {
      const e = eventOf(dev, actions[i % actions.length] as string, later + i * 5000, {
        errorCode: "AccessDenied",
      });
      last = scoreEvent(e, { model: copy });
      copy.observe(e);
    }
    const burst = last?.reasons.find((r) => r.kind === "error-burst");
    expect(burst?.detail).toMatch(/^14 AccessDenied in 2 min across 6 API\(s\)/);
    expect(last?.tactic).toBe("Discovery");
  });

  it("treats pseudonymized or service source addresses as opaque networks", () => {
    const e = eventOf(ops, "ec2:DescribeInstances", later, { sourceIp: "IP_3296-6CC8-92D8" });
    const text = scoreEvent(e, { model })
      .reasons.map((r) => r.detail)
      .join("\n");
    expect(text).toContain("source network IP_3296-6CC8-92D8 never seen");
  });
});
