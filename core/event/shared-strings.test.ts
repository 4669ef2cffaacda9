import { describe, expect, it } from "vitest";
import { sharedPrincipal } from "./shared-strings.ts";
import type { Principal } from "./types.ts";

/** A principal built the way the parser builds one: fresh strings (not the same instances) each time. */
function parsed(sessionName: string | null, name = "Deployer/alice"): Principal {
  const fresh = (s: string) => [...s].join("");
  return {
    type: "AssumedRole",
    accountId: fresh("123456789012"),
    roleArn: fresh("arn:aws:iam::123456789012:role/Deployer"),
    sessionName: sessionName === null ? null : fresh(sessionName),
    key: fresh("arn:aws:iam::123456789012:role/Deployer/alice"),
    name: fresh(name),
  };
}

describe("sharedPrincipal", () => {
  it("gives equal principals one frozen instance, keeping their fields and field order", () => {
    const first = sharedPrincipal(parsed("alice"));
    const again = sharedPrincipal(parsed("alice"));
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.keys(first)).toEqual(Object.keys(parsed("alice")));
    expect(first).toEqual(parsed("alice"));
  });

  it("keeps principals apart that differ in any field, even under the same key", () => {
    const base = sharedPrincipal(parsed("alice"));
    const otherSession = sharedPrincipal(parsed("alice-2"));
    const otherName = sharedPrincipal(parsed("alice", "someone else"));
    const noSession = sharedPrincipal(parsed(null));
    expect(new Set([base, otherSession, otherName, noSession]).size).toBe(4);
    expect(otherSession.sessionName).toBe("alice-2");
    expect(noSession.sessionName).toBeNull();
    expect(sharedPrincipal(parsed("alice-2"))).toBe(otherSession);
  });

  it("finds each of many raw session names under one key again (one list per session name)", () => {
    const first = Array.from({ length: 1000 }, (_, i) => sharedPrincipal(parsed(`run-${i}`)));
    expect(new Set(first).size).toBe(1000);
    first.forEach((p, i) => {
      expect(sharedPrincipal(parsed(`run-${i}`))).toBe(p);
    });
  });
});
