import { describe, expect, it } from "vitest";
import { ActivityProfiles, exposureHours, HOURS_PER_WEEK } from "./timing.ts";
import { hourOfWeek } from "./tokens.ts";

const MONDAY_9 = Date.UTC(2024, 2, 4, 9);
const HOUR = 3_600_000;

describe("ActivityProfiles", () => {
  const profiles = new ActivityProfiles();
  for (let week = 0; week < 4; week++) {
    for (let day = 0; day < 5; day++) {
      for (let h = 0; h < 8; h++)
        profiles.observe(0, 0, MONDAY_9 + week * 7 * 24 * HOUR + day * 24 * HOUR + h * HOUR);
    }
  }

  it("finds night-time activity unusual only where the principal was watched and idle", () => {
    const sundayNight = MONDAY_9 + 6 * 24 * HOUR - 6 * HOUR;
    // Three idle Sundays observed: log2(3 weeks + 1 prior week) = 2 bits.
    expect(profiles.unusualness(0, 0, sundayNight).bits).toBeCloseTo(2, 1);
    expect(profiles.unusualness(0, 0, MONDAY_9 + 28 * 24 * HOUR + HOUR).bits).toBe(0);
  });

  it("predicts the next active hours within working hours", () => {
    const next = profiles.nextActive(0, 0, MONDAY_9 + 28 * 24 * HOUR - 10 * HOUR, 3);
    for (const slot of next) {
      const hour = new Date(slot.hourStart).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThanOrEqual(17);
      expect(slot.probability).toBeGreaterThan(0.5);
    }
  });

  it("a principal seen for minutes says nothing about other hours", () => {
    const brief = new ActivityProfiles();
    brief.observe(1, 1, MONDAY_9);
    brief.observe(1, 1, MONDAY_9 + 60_000);
    expect(brief.unusualness(1, 1, MONDAY_9 + 15 * HOUR).bits).toBe(0);
  });

  it("counts exposure per hour of week and uses Monday-first UTC hours", () => {
    expect(exposureHours(MONDAY_9, MONDAY_9 + 2 * 7 * 24 * HOUR - 1).reduce((a, b) => a + b, 0)).toBe(
      2 * HOURS_PER_WEEK,
    );
    expect(hourOfWeek(MONDAY_9)).toBe(9);
    expect(hourOfWeek(Date.UTC(2024, 2, 10, 23))).toBe(167);
  });
});
