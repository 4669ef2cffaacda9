import { describe, expect, it } from "vitest";
import { parseRange, parseTime } from "./relative-time.ts";

const NOW = Date.parse("2026-10-10T12:00:00Z");

describe("parseTime", () => {
  it.each([
    ["now", NOW],
    ["2 hours ago", NOW - 2 * 3_600_000],
    ["90m", NOW - 90 * 60_000],
    ["7 days ago", NOW - 7 * 86_400_000],
    ["1w", NOW - 7 * 86_400_000],
    ["today", Date.parse("2026-10-10T00:00:00Z")],
    ["yesterday", Date.parse("2026-10-09T00:00:00Z")],
    ["2026-10-03T12:00:00Z", Date.parse("2026-10-03T12:00:00Z")],
    ["2026-10-03", Date.parse("2026-10-03T00:00:00Z")],
    ["1791000000000", 1791000000000],
  ])("reads %j", (text, expected) => {
    expect(parseTime(text, NOW)).toBe(expected);
  });

  it("says which formats it accepts", () => {
    expect(() => parseTime("last tuesday", NOW)).toThrow(/ISO 8601/);
    expect(() => parseTime("3 fortnights ago", NOW)).toThrow(/cannot read time/);
  });
});

describe("parseRange", () => {
  it("defaults to a span ending just after now and refuses inverted ranges", () => {
    expect(parseRange(undefined, undefined, NOW, 3_600_000)).toEqual({
      from: NOW + 1 - 3_600_000,
      to: NOW + 1,
    });
    expect(() => parseRange("now", "1 hour ago", NOW, 1)).toThrow(/must be before/);
  });
});
