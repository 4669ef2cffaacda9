import { describe, expect, it } from "vitest";
import { consoleDate, isHoliday, isoSecond, localHour, localMidnight, tzOffsetMinutes } from "./clock.ts";

const at = (iso: string) => Date.parse(iso);

describe("clock", () => {
  it("formats eventTime with second precision, like toISOString", () => {
    for (const iso of ["2026-10-01T00:00:00Z", "2026-10-25T01:59:59Z", "2027-02-28T23:00:07Z"]) {
      expect(isoSecond(at(iso) + 999)).toBe(iso);
    }
    expect(consoleDate(at("2026-10-01T16:05:09Z"))).toBe("Oct 1, 2026, 4:05:09 PM");
  });

  it("follows daylight saving time in each zone", () => {
    // Europe leaves summer time on the last Sunday of October, the US a week later.
    expect(tzOffsetMinutes("Europe/Berlin", at("2026-10-20T12:00:00Z"))).toBe(120);
    expect(tzOffsetMinutes("Europe/Berlin", at("2026-10-27T12:00:00Z"))).toBe(60);
    expect(tzOffsetMinutes("America/New_York", at("2026-10-27T12:00:00Z"))).toBe(-240);
    expect(tzOffsetMinutes("America/New_York", at("2026-11-03T12:00:00Z"))).toBe(-300);
    expect(tzOffsetMinutes("Asia/Kolkata", at("2026-10-27T12:00:00Z"))).toBe(330);
  });

  it("finds local midnight and local hours", () => {
    expect(localMidnight("Europe/Berlin", at("2026-10-05T00:00:00Z"))).toBe(at("2026-10-04T22:00:00Z"));
    expect(localMidnight("America/Los_Angeles", at("2026-10-05T00:00:00Z"))).toBe(at("2026-10-05T07:00:00Z"));
    expect(localHour("Asia/Kolkata", at("2026-10-05T03:30:00Z"))).toBe(9);
  });

  it("knows the public holidays that shape the default period", () => {
    expect(isHoliday("DE", at("2026-10-03T00:00:00Z"))).toBe(true);
    expect(isHoliday("US", at("2026-10-12T00:00:00Z"))).toBe(true); // second Monday of October
    expect(isHoliday("US", at("2026-11-26T00:00:00Z"))).toBe(true); // Thanksgiving
    expect(isHoliday("IN", at("2026-10-02T00:00:00Z"))).toBe(true);
    expect(isHoliday("GB", at("2026-04-06T00:00:00Z"))).toBe(true); // Easter Monday 2026
    expect(isHoliday("DE", at("2026-10-05T00:00:00Z"))).toBe(false);
  });
});
