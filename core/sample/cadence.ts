import { DAY, SECOND } from "./clock.ts";

/**
 * Scheduled workloads run on round intervals (`rate(5 minutes)`), not on whatever interval would hit an event
 * budget exactly. The interval is rounded to a value an engineer would configure; the budget is then met by
 * how much work each run does (pages, items), which is also how real collectors grow.
 */
const NICE_SECONDS = [30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200];

export interface Cadence {
  intervalMs: number;
  /** Average calls per run so that runs × calls ≈ the daily budget. */
  callsPerRun: number;
}

export function cadence(dailyBudget: number, typicalCallsPerRun: number, minSeconds = 30): Cadence {
  const runs = Math.max(1, dailyBudget / typicalCallsPerRun);
  const ideal = 86400 / runs;
  let best = NICE_SECONDS[0] ?? 60;
  for (const s of NICE_SECONDS) {
    if (s < minSeconds) continue;
    if (Math.abs(Math.log(s / ideal)) < Math.abs(Math.log(best / ideal)) || best < minSeconds) best = s;
  }
  const actualRuns = 86400 / best;
  return { intervalMs: best * SECOND, callsPerRun: Math.max(1, dailyBudget / actualRuns) };
}

/** Run times of a schedule inside [dayStart, dayStart + 1 day), aligned to the period start plus a phase. */
export function runTimes(
  periodStart: number,
  dayStart: number,
  intervalMs: number,
  phaseMs: number,
): number[] {
  const first = periodStart + phaseMs;
  const k0 = Math.max(0, Math.ceil((dayStart - first) / intervalMs));
  const times: number[] = [];
  for (let t = first + k0 * intervalMs; t < dayStart + DAY; t += intervalMs) times.push(t);
  return times;
}
