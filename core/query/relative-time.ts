import { QueryError } from "./query-error.ts";

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};

/** `2 hours ago`, `90 minutes`, `7d`, `1w ago`: an amount and a unit, optionally followed by "ago". */
const RELATIVE = /^(\d+(?:\.\d+)?)\s*([a-z]+?)s?(?:\s+ago)?$/;

/**
 * Parses a time for a tool argument: ISO 8601 (`2026-10-03T12:00:00Z`, `2026-10-03`), epoch milliseconds,
 * `now`, `today`, `yesterday`, or a duration before `now` (`2 hours ago`, `30m`, `7 days ago`).
 * Relative times count back from `now`, which callers set to the data's last event for stored data.
 */
export function parseTime(text: string, now: number): number {
  const value = text.trim().toLowerCase();
  if (value === "now") return now;
  const midnight = Math.floor(now / 86_400_000) * 86_400_000;
  if (value === "today") return midnight;
  if (value === "yesterday") return midnight - 86_400_000;
  if (/^\d{12,14}$/.test(value)) return Number(value);
  const relative = RELATIVE.exec(value);
  if (relative) {
    const unit = UNIT_MS[relative[2] as string];
    if (unit) return now - Number(relative[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(text.trim());
    if (Number.isFinite(ms)) return ms;
  }
  throw new QueryError(
    `cannot read time ${JSON.stringify(text)}: use ISO 8601 (2026-10-03T12:00:00Z), "now", or a duration ago ("2 hours ago", "7d")`,
  );
}

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/**
 * Resolves optional start/end arguments into a range; the defaults are `defaultSpanMs` before `end` and
 * `now`. An empty or inverted range is the caller's mistake and says so.
 */
export function parseRange(
  start: string | undefined,
  end: string | undefined,
  now: number,
  defaultSpanMs: number,
): TimeRange {
  const to = end === undefined ? now + 1 : parseTime(end, now);
  const from = start === undefined ? to - defaultSpanMs : parseTime(start, now);
  if (!(from < to)) {
    throw new QueryError(
      `start (${new Date(from).toISOString()}) must be before end (${new Date(to).toISOString()})`,
    );
  }
  return { from, to };
}
