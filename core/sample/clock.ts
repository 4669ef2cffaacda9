/**
 * Calendar arithmetic for simulated people: time zones (with DST, via Intl), weekdays, public holidays and the
 * timestamp formats CloudTrail uses in records and in some response elements.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let cachedDay = Number.NaN;
let cachedPrefix = "";
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `2026-10-01T08:12:33Z`: CloudTrail's eventTime has second precision. Called per record, hence the cache. */
export function isoSecond(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  const s = Math.floor((ms - day * DAY) / SECOND);
  return `${cachedPrefix}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}Z`;
}

/** `2026-10-01`. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Oct 1, 2026, 8:12:33 AM`: how IAM and STS render dates inside responseElements. */
export function consoleDate(ms: number): string {
  const d = new Date(ms);
  const hour = d.getUTCHours();
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${hour < 12 ? "AM" : "PM"}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Minutes to add to UTC to get local wall-clock time in `tz` at instant `utcMs` (DST-aware). */
export function tzOffsetMinutes(tz: string, utcMs: number): number {
  const parts = formatter(tz).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
  return Math.round((wall - Math.floor(utcMs / MINUTE) * MINUTE) / MINUTE);
}

/** The UTC instant of local midnight in `tz` on the calendar day whose UTC midnight is `utcDayStart`. */
export function localMidnight(tz: string, utcDayStart: number): number {
  const offset = tzOffsetMinutes(tz, utcDayStart + 12 * HOUR);
  return utcDayStart - offset * MINUTE;
}

/** Local hour of day (fractional) in `tz`. */
export function localHour(tz: string, utcMs: number): number {
  const local = utcMs + tzOffsetMinutes(tz, utcMs) * MINUTE;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

/** 0 = Sunday … 6 = Saturday, for the calendar day starting at `utcDayStart` (UTC midnight). */
export function weekday(utcDayStart: number): number {
  return new Date(utcDayStart).getUTCDay();
}

/** Local weekday in `tz` at an instant. */
export function localWeekday(tz: string, utcMs: number): number {
  return new Date(utcMs + tzOffsetMinutes(tz, utcMs) * MINUTE).getUTCDay();
}

export type Country = "DE" | "GB" | "US" | "IN";

function easterSunday(year: number): number {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** The n-th (1-based; -1 = last) given weekday of a month, as UTC midnight. */
function nthWeekday(year: number, month: number, dow: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(year, month, 1);
    const shift = (dow - new Date(first).getUTCDay() + 7) % 7;
    return first + (shift + (n - 1) * 7) * DAY;
  }
  const last = Date.UTC(year, month + 1, 0);
  const shift = (new Date(last).getUTCDay() - dow + 7) % 7;
  return last - shift * DAY;
}

/**
 * Movable Hindu festivals follow the lunar calendar; the dates below are the ones Indian companies publish
 * for these years. Outside them the Indian calendar only has the fixed national holidays.
 */
const INDIA_FESTIVALS: Record<number, string[]> = {
  2025: ["2025-10-02", "2025-10-20", "2025-10-21"],
  2026: ["2026-10-20", "2026-11-09"],
  2027: ["2027-10-09", "2027-10-29"],
};

const holidayCache = new Map<string, Set<string>>();

function holidaysOf(country: Country, year: number): Set<string> {
  const key = `${country}:${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const fixed = (m: number, d: number) => Date.UTC(year, m - 1, d);
  const easter = easterSunday(year);
  const days: number[] = [];
  if (country === "DE") {
    days.push(fixed(1, 1), easter - 2 * DAY, easter + DAY, fixed(5, 1), easter + 39 * DAY, easter + 50 * DAY);
    days.push(fixed(10, 3), fixed(12, 25), fixed(12, 26));
  } else if (country === "GB") {
    days.push(
      fixed(1, 1),
      easter - 2 * DAY,
      easter + DAY,
      nthWeekday(year, 4, 1, 1),
      nthWeekday(year, 4, 1, -1),
    );
    days.push(nthWeekday(year, 7, 1, -1), fixed(12, 25), fixed(12, 26));
  } else if (country === "US") {
    days.push(fixed(1, 1), nthWeekday(year, 0, 1, 3), nthWeekday(year, 1, 1, 3), nthWeekday(year, 4, 1, -1));
    days.push(fixed(6, 19), fixed(7, 4), nthWeekday(year, 8, 1, 1), nthWeekday(year, 9, 1, 2));
    days.push(fixed(11, 11), nthWeekday(year, 10, 4, 4), nthWeekday(year, 10, 4, 4) + DAY, fixed(12, 25));
  } else {
    days.push(fixed(1, 26), fixed(8, 15), fixed(10, 2));
    for (const day of INDIA_FESTIVALS[year] ?? []) days.push(Date.parse(`${day}T00:00:00Z`));
  }
  const set = new Set(days.map(isoDay));
  holidayCache.set(key, set);
  return set;
}

/** Whether the local calendar day starting at `utcDayStart` (its UTC-midnight label) is a public holiday. */
export function isHoliday(country: Country, utcDayStart: number): boolean {
  return holidaysOf(country, new Date(utcDayStart).getUTCFullYear()).has(isoDay(utcDayStart));
}
