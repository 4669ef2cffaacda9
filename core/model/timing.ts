import { hourOfWeek } from "./tokens.ts";

/**
 * When principals are active: an hour-of-week rate profile (168 bins, UTC) and a time-to-next-event
 * histogram per principal. Rates are Gamma-Poisson estimates that account for exposure: an hour of the
 * week only counts as "quiet" if the principal was observed across it and did nothing. A principal seen
 * for ten minutes says nothing about 3 a.m.; one watched for ten weeks does. New principals borrow their
 * peer group's (then everyone's) profile.
 */
export const HOURS_PER_WEEK = 168;
/** Gap bins: [0,1s), [1,2s), [2,4s) … doubling; the last bin holds everything from ~97 days. */
export const GAP_BINS = 24;
const HOUR_MS = 3_600_000;
/** Prior strength, in weeks of exposure at the owner's average rate. */
const PRIOR_WEEKS = 1;

export function gapBin(gapMs: number): number {
  const seconds = gapMs / 1000;
  if (seconds < 1) return 0;
  return Math.min(GAP_BINS - 1, 1 + Math.floor(Math.log2(seconds)));
}

/** Lower edge of a gap bin in milliseconds. */
export function gapBinStartMs(bin: number): number {
  return bin === 0 ? 0 : 2 ** (bin - 1) * 1000;
}

interface OwnerActivity {
  hours: Float64Array;
  total: number;
  first: number;
  last: number;
}

export class ActivityProfiles {
  /** Activity per owner: principal id p → 2p, peer group id g → 2g + 1, everyone → -1. */
  readonly owners = new Map<number, OwnerActivity>();
  /** Time-to-next-event histogram per principal id. */
  readonly gaps = new Map<number, Int32Array>();
  private readonly exposureScratch = new Float64Array(HOURS_PER_WEEK);
  private readonly countScratch = new Float64Array(HOURS_PER_WEEK);
  private readonly rateScratch = new Float64Array(HOURS_PER_WEEK);

  snapshot(): {
    owners: Array<[number, { hours: number[]; total: number; first: number; last: number }]>;
    gaps: Array<[number, number[]]>;
  } {
    return {
      owners: [...this.owners].map(([key, o]) => [
        key,
        { hours: [...o.hours], total: o.total, first: o.first, last: o.last },
      ]),
      gaps: [...this.gaps].map(([key, g]) => [key, [...g]]),
    };
  }

  static restore(s: ReturnType<ActivityProfiles["snapshot"]>): ActivityProfiles {
    const profiles = new ActivityProfiles();
    for (const [key, o] of s.owners) profiles.owners.set(key, { ...o, hours: Float64Array.from(o.hours) });
    for (const [key, g] of s.gaps) profiles.gaps.set(key, Int32Array.from(g));
    return profiles;
  }

  observe(principal: number, peer: number, timeMs: number): void {
    const hour = hourOfWeek(timeMs);
    const previous = this.owners.get(principal * 2)?.last;
    this.count(principal * 2, hour, timeMs);
    this.count(peer * 2 + 1, hour, timeMs);
    this.count(-1, hour, timeMs);
    if (previous !== undefined && timeMs >= previous) {
      let gaps = this.gaps.get(principal);
      if (!gaps) {
        gaps = new Int32Array(GAP_BINS);
        this.gaps.set(principal, gaps);
      }
      const bin = gapBin(timeMs - previous);
      gaps[bin] = (gaps[bin] as number) + 1;
    }
  }

  private count(key: number, hour: number, timeMs: number): void {
    let owner = this.owners.get(key);
    if (!owner) {
      owner = { hours: new Float64Array(HOURS_PER_WEEK), total: 0, first: timeMs, last: timeMs };
      this.owners.set(key, owner);
    }
    owner.hours[hour] = (owner.hours[hour] as number) + 1;
    owner.total += 1;
    if (timeMs < owner.first) owner.first = timeMs;
    if (timeMs > owner.last) owner.last = timeMs;
  }

  /** The most specific owner with history: the principal, else its peer group, else everyone. */
  private ownerFor(principal: number, peer: number): OwnerActivity | undefined {
    return (
      (principal >= 0 ? this.owners.get(principal * 2) : undefined) ??
      (peer >= 0 ? this.owners.get(peer * 2 + 1) : undefined) ??
      this.owners.get(-1)
    );
  }

  /** Expected events per hour for each hour of the week, and the overall average rate. */
  hourlyRates(principal: number, peer: number): { rates: Float64Array; average: number } {
    const rates = new Float64Array(HOURS_PER_WEEK);
    return { rates, average: this.ratesInto(principal, peer, rates) };
  }

  /**
   * Writes the hourly rates into `rates` and returns the average rate (0 without history). Scoring calls
   * this once per event, so it reuses work buffers instead of allocating three arrays a call.
   */
  private ratesInto(principal: number, peer: number, rates: Float64Array): number {
    const owner = this.ownerFor(principal, peer);
    if (!owner) {
      rates.fill(0);
      return 0;
    }
    const exposure = exposureHours(owner.first, owner.last, this.exposureScratch);
    let totalExposure = 0;
    for (let h = 0; h < HOURS_PER_WEEK; h++) totalExposure += exposure[h] as number;
    const average = owner.total / totalExposure;
    const counts = neighbourSmoothed(owner.hours, this.countScratch);
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      rates[h] = ((counts[h] as number) + PRIOR_WEEKS * average) / ((exposure[h] as number) + PRIOR_WEEKS);
    }
    return average;
  }

  /** Probability of each hour of the week given the principal is active (sums to 1). */
  hourProfile(principal: number, peer: number): Float64Array {
    const { rates } = this.hourlyRates(principal, peer);
    const total = rates.reduce((a, b) => a + b, 0);
    return total === 0
      ? new Float64Array(HOURS_PER_WEEK).fill(1 / HOURS_PER_WEEK)
      : rates.map((r) => r / total);
  }

  /**
   * How unusual activity at `timeMs` is: log2(average rate / expected rate at that hour of week), 0 when
   * that hour is at least as busy as average or was never observed.
   */
  unusualness(principal: number, peer: number, timeMs: number): { probability: number; bits: number } {
    const rates = this.rateScratch;
    const average = this.ratesInto(principal, peer, rates);
    const rate = rates[hourOfWeek(timeMs)] as number;
    let total = 0;
    for (let h = 0; h < HOURS_PER_WEEK; h++) total += rates[h] as number;
    const probability = total === 0 ? 1 / HOURS_PER_WEEK : rate / total;
    return { probability, bits: average > 0 && rate > 0 ? Math.max(0, Math.log2(average / rate)) : 0 };
  }

  /**
   * The hours (from `fromMs`, up to a week ahead) in which the principal is most likely active, with the
   * probability of at least one event in each (Poisson with the estimated hourly rate), best first.
   */
  nextActive(
    principal: number,
    peer: number,
    fromMs: number,
    limit = 3,
  ): Array<{ hourStart: number; probability: number }> {
    const { rates } = this.hourlyRates(principal, peer);
    const start = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    const hours: Array<{ hourStart: number; probability: number }> = [];
    for (let i = 0; i < HOURS_PER_WEEK; i++) {
      const hourStart = start + i * HOUR_MS;
      hours.push({ hourStart, probability: 1 - Math.exp(-(rates[hourOfWeek(hourStart)] as number)) });
    }
    return hours.sort((a, b) => b.probability - a.probability || a.hourStart - b.hourStart).slice(0, limit);
  }

  /** Median time between consecutive events of the principal, or null without history. */
  medianGapMs(principal: number): number | null {
    const gaps = this.gaps.get(principal);
    if (!gaps) return null;
    const total = gaps.reduce((a, b) => a + b, 0);
    let seen = 0;
    for (let bin = 0; bin < GAP_BINS; bin++) {
      seen += gaps[bin] as number;
      if (seen * 2 >= total) return gapBinStartMs(bin);
    }
    return null;
  }
}

/** How many times each hour of the week lies within [first, last] (partial hours count as observed). */
export function exposureHours(
  first: number,
  last: number,
  exposure = new Float64Array(HOURS_PER_WEEK),
): Float64Array {
  const startHour = Math.floor(first / HOUR_MS);
  const hours = Math.floor(last / HOUR_MS) - startHour + 1;
  const weeks = Math.floor(hours / HOURS_PER_WEEK);
  exposure.fill(weeks);
  const startHow = hourOfWeek(startHour * HOUR_MS);
  for (let i = 0; i < hours - weeks * HOURS_PER_WEEK; i++) {
    const h = (startHow + i) % HOURS_PER_WEEK;
    exposure[h] = (exposure[h] as number) + 1;
  }
  return exposure;
}

/** Spreads each count over its neighbouring hours (1/4, 1/2, 1/4): 9:00 activity makes 10:00 plausible. */
function neighbourSmoothed(counts: Float64Array, out = new Float64Array(HOURS_PER_WEEK)): Float64Array {
  out.fill(0);
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    const c = counts[h] as number;
    if (c === 0) continue;
    out[h] = (out[h] as number) + c / 2;
    const before = (h + HOURS_PER_WEEK - 1) % HOURS_PER_WEEK;
    const after = (h + 1) % HOURS_PER_WEEK;
    out[before] = (out[before] as number) + c / 4;
    out[after] = (out[after] as number) + c / 4;
  }
  return out;
}
