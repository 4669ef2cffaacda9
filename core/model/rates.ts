/**
 * Call-rate and error-rate baselines per principal, in the spirit of CloudTrail Insights: how many calls
 * (and how many AccessDenied) a principal makes in a short window, compared with what it usually does.
 * "Usually" is the principal's own empirical distribution of window counts (log2 bins), backed off to
 * everyone's with Witten-Bell weights, so a security scanner that bursts every week is not surprising
 * when it bursts again, while a quiet principal's first burst is.
 */
export const ERROR_WINDOW_MS = 2 * 60_000;
export const RATE_WINDOW_MS = 5 * 60_000;
const BINS = 12;

/** log2 bin of a count ≥ 1: 1 → 0, 2–3 → 1, 4–7 → 2, … */
function binOf(count: number): number {
  return Math.min(BINS - 1, Math.floor(Math.log2(Math.max(1, count))));
}

/** A histogram of window counts with a smoothed survival function. */
export class CountHistogram {
  readonly bins = new Float64Array(BINS);
  total = 0;

  add(count: number): void {
    const bin = binOf(count);
    this.bins[bin] = (this.bins[bin] as number) + 1;
    this.total += 1;
  }

  /** P(count in bin ≥ bin(k)), Witten-Bell-interpolated with `base` (a survival function of the bin). */
  survival(count: number, base: (bin: number) => number): number {
    const bin = binOf(count);
    let tail = 0;
    let types = 0;
    for (let b = 0; b < BINS; b++) {
      const c = this.bins[b] as number;
      if (c > 0) types += 1;
      if (b >= bin) tail += c;
    }
    if (this.total === 0) return base(bin);
    return (tail + types * base(bin)) / (this.total + types);
  }

  /** Upper edge of the bin below which 95% of the mass lies: "usually up to …". */
  typical(): number {
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += this.bins[b] as number;
      if (seen >= 0.95 * this.total) return 2 ** (b + 1) - 1;
    }
    return 2 ** BINS - 1;
  }
}

/** Everyone's prior before any data: each doubling of the count halves its probability. */
const geometric = (bin: number) => 2 ** -bin;

interface PrincipalRates {
  /** Times of recent events and of recent AccessDenied events (oldest first, pruned as time passes). */
  recent: number[];
  denied: number[];
  deniedActions: string[];
  calls: CountHistogram;
  bursts: CountHistogram;
  /**
   * [time, count] pairs not yet in the histograms: a window's counts join the baseline only once the
   * window has passed, so an ongoing burst is judged against what came before it, not against itself.
   */
  pendingCalls: number[];
  pendingBursts: number[];
  /**
   * Pending pairs older than these were already moved into the histograms; a long window keeps them at its
   * front until they are dropped in bulk (see SHORT_WINDOW). Not persisted: snapshots hold only unsettled pairs.
   */
  callsSettled: number;
  burstsSettled: number;
}

export interface RateView {
  /** Events in the last RATE_WINDOW_MS including the one being scored. */
  windowCount: number;
  /** -log2 P(at least this many calls in the window) for this principal. */
  windowBits: number;
  /** "usually up to" this many calls in 5 minutes. */
  typicalWindow: number;
  /** AccessDenied in the last ERROR_WINDOW_MS including the one being scored. */
  deniedCount: number;
  deniedDistinctActions: number;
  /** -log2 P(a denial burst at least this big) for this principal, when the event was denied. */
  deniedBits: number;
  typicalDenied: number;
}

/**
 * Windows at most this long drop expired entries one `shift` at a time, as they always did. `Array.shift`
 * copies the whole array once it is large (16 µs per call at 40,000 numbers on Node 20), so a principal
 * bursting tens of thousands of calls within a window would pay time proportional to the burst on every
 * event. A longer window keeps its expired front until that is half of it and then drops it with one
 * splice (each entry moves O(1) times); readers skip expired entries by time.
 */
export const SHORT_WINDOW = 512;

/** Drops entries older than `from` (for a long window possibly later, in bulk: see SHORT_WINDOW). */
function prune(times: number[], from: number, shortWindow: number, parallel?: string[]): void {
  if (times.length <= shortWindow) {
    while (times.length > 0 && (times[0] as number) < from) {
      times.shift();
      parallel?.shift();
    }
    return;
  }
  const expired = times.length - countSince(times, from);
  if (expired * 2 < times.length) return;
  times.splice(0, expired);
  parallel?.splice(0, expired);
}

/** Index of the first [time, count] pair with time ≥ `from`. */
function firstPairFrom(pending: readonly number[], from: number): number {
  let lo = 0;
  let hi = pending.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pending[2 * mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/**
 * Moves the pending [time, count] pairs from `settled` up to `before` into the histograms (pairs before
 * `settled` were moved already) and drops the moved ones (for a long window possibly later: SHORT_WINDOW).
 */
function settle(
  pending: number[],
  settled: number,
  before: number,
  mine: CountHistogram,
  everyone: CountHistogram,
  shortWindow: number,
): void {
  if (pending.length <= shortWindow) {
    // Pairs moved already that a once-long window left at its front are dropped without counting again.
    while (pending.length > 0 && (pending[0] as number) < settled) pending.splice(0, 2);
    while (pending.length > 0 && (pending[0] as number) < before) {
      const count = pending[1] as number;
      pending.shift();
      pending.shift();
      mine.add(count);
      everyone.add(count);
    }
    return;
  }
  let at = firstPairFrom(pending, settled);
  for (; at < pending.length && (pending[at] as number) < before; at += 2) {
    const count = pending[at + 1] as number;
    mine.add(count);
    everyone.add(count);
  }
  if (at * 2 >= pending.length) pending.splice(0, at);
}

function countSince(times: readonly number[], from: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return times.length - lo;
}

export interface RatesSnapshot {
  principals: Array<
    [
      number,
      {
        recent: number[];
        denied: number[];
        deniedActions: string[];
        calls: number[];
        bursts: number[];
        pendingCalls: number[];
        pendingBursts: number[];
      },
    ]
  >;
  globalCalls: number[];
  globalBursts: number[];
}

const histogramOf = (bins: readonly number[]): CountHistogram => {
  const h = new CountHistogram();
  bins.forEach((c, b) => {
    h.bins[b] = c;
    h.total += c;
  });
  return h;
};

export class RateTracker {
  readonly principals = new Map<number, PrincipalRates>();
  readonly globalCalls = new CountHistogram();
  readonly globalBursts = new CountHistogram();

  /** `shortWindow`: see SHORT_WINDOW (tests set it to compare bulk and one-by-one dropping). */
  constructor(private readonly shortWindow = SHORT_WINDOW) {}

  snapshot(): RatesSnapshot {
    return {
      principals: [...this.principals].map(([id, s]) => {
        // Left out: expired entries a long window still holds (see SHORT_WINDOW). The windows were last pruned
        // at the principal's latest observed event, the last of `recent`.
        const last = s.recent.at(-1) ?? 0;
        const recent = countSince(s.recent, last - RATE_WINDOW_MS);
        const denied = countSince(s.denied, last - ERROR_WINDOW_MS);
        return [
          id,
          {
            recent: s.recent.slice(s.recent.length - recent),
            denied: s.denied.slice(s.denied.length - denied),
            deniedActions: s.deniedActions.slice(s.deniedActions.length - denied),
            calls: [...s.calls.bins],
            bursts: [...s.bursts.bins],
            pendingCalls: s.pendingCalls.slice(firstPairFrom(s.pendingCalls, s.callsSettled)),
            pendingBursts: s.pendingBursts.slice(firstPairFrom(s.pendingBursts, s.burstsSettled)),
          },
        ];
      }),
      globalCalls: [...this.globalCalls.bins],
      globalBursts: [...this.globalBursts.bins],
    };
  }

  static restore(snapshot: RatesSnapshot): RateTracker {
    const tracker = new RateTracker();
    for (const [id, s] of snapshot.principals) {
      tracker.principals.set(id, {
        recent: s.recent,
        denied: s.denied,
        deniedActions: s.deniedActions,
        calls: histogramOf(s.calls),
        bursts: histogramOf(s.bursts),
        pendingCalls: s.pendingCalls,
        pendingBursts: s.pendingBursts,
        callsSettled: Number.NEGATIVE_INFINITY,
        burstsSettled: Number.NEGATIVE_INFINITY,
      });
    }
    const calls = histogramOf(snapshot.globalCalls);
    const bursts = histogramOf(snapshot.globalBursts);
    tracker.globalCalls.bins.set(calls.bins);
    tracker.globalCalls.total = calls.total;
    tracker.globalBursts.bins.set(bursts.bins);
    tracker.globalBursts.total = bursts.total;
    return tracker;
  }

  private stateOf(id: number): PrincipalRates {
    let state = this.principals.get(id);
    if (!state) {
      state = {
        recent: [],
        denied: [],
        deniedActions: [],
        calls: new CountHistogram(),
        bursts: new CountHistogram(),
        pendingCalls: [],
        pendingBursts: [],
        callsSettled: Number.NEGATIVE_INFINITY,
        burstsSettled: Number.NEGATIVE_INFINITY,
      };
      this.principals.set(id, state);
    }
    return state;
  }

  private counts(state: PrincipalRates | undefined, time: number, denied: boolean, action: string) {
    const windowCount = (state ? countSince(state.recent, time - RATE_WINDOW_MS) : 0) + 1;
    const inWindow = state ? countSince(state.denied, time - ERROR_WINDOW_MS) : 0;
    const deniedCount = inWindow + (denied ? 1 : 0);
    const actions = new Set(state ? state.deniedActions.slice(state.deniedActions.length - inWindow) : []);
    if (denied) actions.add(action);
    return { windowCount, deniedCount, deniedDistinctActions: actions.size };
  }

  /** The windows as they would be with this event added, without adding it. */
  view(id: number, time: number, denied: boolean, action: string): RateView {
    const state = this.principals.get(id);
    const { windowCount, deniedCount, deniedDistinctActions } = this.counts(state, time, denied, action);
    const callsBase = (bin: number) => this.globalCalls.survival(2 ** bin, geometric);
    const burstsBase = (bin: number) => this.globalBursts.survival(2 ** bin, geometric);
    const calls = state?.calls ?? this.globalCalls;
    const bursts = state?.bursts ?? this.globalBursts;
    return {
      windowCount,
      windowBits: -Math.log2(calls.survival(windowCount, callsBase)),
      typicalWindow: calls.total > 0 ? calls.typical() : 1,
      deniedCount,
      deniedDistinctActions,
      deniedBits: denied ? -Math.log2(bursts.survival(deniedCount, burstsBase)) : 0,
      typicalDenied: bursts.total > 0 ? bursts.typical() : 0,
    };
  }

  observe(id: number, time: number, denied: boolean, action: string): void {
    const state = this.stateOf(id);
    if (state.recent.length > 0 && time < (state.recent.at(-1) as number)) return; // late: windows stay ordered
    const windowCount = countSince(state.recent, time - RATE_WINDOW_MS) + 1;
    const deniedCount = countSince(state.denied, time - ERROR_WINDOW_MS) + 1;
    const { shortWindow } = this;
    settle(
      state.pendingCalls,
      state.callsSettled,
      time - RATE_WINDOW_MS,
      state.calls,
      this.globalCalls,
      shortWindow,
    );
    state.callsSettled = time - RATE_WINDOW_MS;
    settle(
      state.pendingBursts,
      state.burstsSettled,
      time - ERROR_WINDOW_MS,
      state.bursts,
      this.globalBursts,
      shortWindow,
    );
    state.burstsSettled = time - ERROR_WINDOW_MS;
    state.pendingCalls.push(time, windowCount);
    if (denied) state.pendingBursts.push(time, deniedCount);
    prune(state.recent, time - RATE_WINDOW_MS, shortWindow);
    prune(state.denied, time - ERROR_WINDOW_MS, shortWindow, state.deniedActions);
    state.recent.push(time);
    if (denied) {
      state.denied.push(time);
      state.deniedActions.push(action);
    }
  }
}
