import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chronological, sessionize } from "./sessions.ts";
import { eventOf, principalFor } from "./test-events.ts";

const T0 = Date.UTC(2024, 0, 1);

describe("sessions", () => {
  it("sessionizes per principal regardless of delivery order, cutting on idle gaps and credential changes", () => {
    const alice = principalFor("alice");
    const events = [
      eventOf(alice, "s3:ListBuckets", T0, { sessionKey: "AKIA1" }),
      eventOf(alice, "s3:GetObject", T0 + 60_000, { sessionKey: "AKIA1" }),
      eventOf(alice, "s3:GetObject", T0 + 120_000, { sessionKey: "AKIA2" }),
      eventOf(alice, "s3:PutObject", T0 + 3 * 3_600_000, { sessionKey: "AKIA2" }),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 4, maxLength: 4 }), (shuffled) => {
        const sessions = sessionize(shuffled).get(alice.key) ?? [];
        expect(sessions.map((s) => s.events.map((e) => e.action))).toEqual([
          ["s3:ListBuckets", "s3:GetObject"],
          ["s3:GetObject"],
          ["s3:PutObject"],
        ]);
      }),
    );
  });

  it("drops duplicate deliveries and keeps time order", () => {
    const bob = principalFor("bob");
    const a = eventOf(bob, "iam:ListUsers", T0 + 5);
    const b = eventOf(bob, "iam:ListRoles", T0 + 1);
    const out = chronological([a, b, { ...a }]);
    expect(out.map((e) => e.eventId)).toEqual([b.eventId, a.eventId]);
  });

  it("orders and de-duplicates like a stable sort keeping each (time, eventID) once, without touching the input", () => {
    const carol = principalFor("carol");
    // Few distinct times and ids: long same-time runs (past 16, where a Set takes over) and many duplicates.
    const arbitraryEvents = fc.array(
      fc.record({ time: fc.integer({ min: 0, max: 3 }), id: fc.integer({ min: 0, max: 40 }) }),
      { maxLength: 120 },
    );
    fc.assert(
      fc.property(arbitraryEvents, fc.boolean(), (specs, presorted) => {
        const ordered = presorted ? [...specs].sort((a, b) => a.time - b.time) : specs;
        const input = ordered.map((s) =>
          eventOf(carol, "s3:GetObject", T0 + s.time, { eventId: `id-${s.id}` }),
        );
        const before = [...input];
        const visited: Array<[string, number]> = [];
        const out = chronological(input, (event, index) => visited.push([event.eventId, index]));
        const seen = new Set<string>();
        const expected = [...input]
          .sort((a, b) => a.time - b.time)
          .filter((e) => !seen.has(`${e.time}/${e.eventId}`) && seen.add(`${e.time}/${e.eventId}`));
        expect(out).toEqual(expected);
        expect(out.every((e, i) => e === expected[i])).toBe(true);
        expect(visited).toEqual(expected.map((e, i) => [e.eventId, i]));
        expect(input).toEqual(before);
        expect(input.every((e, i) => e === before[i])).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
