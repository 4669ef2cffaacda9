import { describe, expect, it } from "vitest";
import { classify, principalIn, timeIn } from "./offline-assistant.server.ts";

const principals = [
  { principal: "arn:aws:iam::1:user/alice", name: "alice" },
  { principal: "arn:aws:sts::1:assumed-role/Deployer/alice@example.com", name: "Deployer/alice@example.com" },
  { principal: "arn:aws:iam::1:user/al", name: "al" },
];

describe("offline assistant question parsing", () => {
  it("finds the longest principal name on word boundaries", () => {
    expect(principalIn("What will alice do next?", principals)?.principal).toBe("arn:aws:iam::1:user/alice");
    expect(principalIn("summary of Deployer/alice@example.com", principals)?.name).toBe(
      "Deployer/alice@example.com",
    );
    expect(principalIn("what about malice?", principals)).toBeNull();
  });

  it("reads ISO times and 'last N hours'", () => {
    expect(timeIn("what happened around 2026-10-12 14:00 UTC?")).toEqual({
      at: Date.parse("2026-10-12T14:00:00Z"),
    });
    expect(timeIn("anomalies in the last 24 hours")).toEqual({ lastMs: 24 * 3_600_000 });
    expect(timeIn("hello")).toEqual({});
  });

  it("classifies the common questions", () => {
    expect(classify("What will alice do next?", true, false)).toBe("next");
    expect(classify("Any anomalies in the last day?", false, true)).toBe("anomalies");
    expect(classify("Tell me about alice", true, false)).toBe("summary");
    expect(classify("What happened around 2026-10-12 14:00?", false, true)).toBe("around");
    expect(classify("hi", false, false)).toBe("help");
  });
});
