/**
 * How surprising a principal's actions usually are. Some principals (people exploring the console) make
 * 20-bit-surprising calls every day; for a deployment robot a 10-bit call is unheard of. Scoring uses
 * the principal's empirical tail P(surprisal ≥ s) (1-bit bins, Witten-Bell back-off to everyone, then to
 * 2^-s, the tail if surprisal were exactly calibrated), so evidence means "rare for this principal".
 */
const BINS = 64;

class SurprisalHistogram {
  readonly bins = new Float64Array(BINS);
  total = 0;
  types = 0;

  add(bits: number): void {
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor(bits)));
    if (this.bins[bin] === 0) this.types += 1;
    this.bins[bin] = (this.bins[bin] as number) + 1;
    this.total += 1;
  }

  tail(bits: number): number {
    const from = Math.min(BINS - 1, Math.max(0, Math.floor(bits)));
    let tail = 0;
    for (let b = from; b < BINS; b++) tail += this.bins[b] as number;
    return tail;
  }
}

function histogramOf(bins: readonly number[]): SurprisalHistogram {
  const h = new SurprisalHistogram();
  bins.forEach((c, b) => {
    h.bins[b] = c;
    h.total += c;
    if (c > 0) h.types += 1;
  });
  return h;
}

export class SurpriseTracker {
  readonly principals = new Map<number, SurprisalHistogram>();
  everyone = new SurprisalHistogram();

  snapshot(): { principals: Array<[number, number[]]>; everyone: number[] } {
    return {
      principals: [...this.principals].map(([id, h]) => [id, [...h.bins]]),
      everyone: [...this.everyone.bins],
    };
  }

  static restore(s: { principals: Array<[number, number[]]>; everyone: number[] }): SurpriseTracker {
    const tracker = new SurpriseTracker();
    for (const [id, bins] of s.principals) tracker.principals.set(id, histogramOf(bins));
    tracker.everyone = histogramOf(s.everyone);
    return tracker;
  }

  observe(principal: number, bits: number): void {
    if (!Number.isFinite(bits)) return;
    let histogram = this.principals.get(principal);
    if (!histogram) {
      histogram = new SurprisalHistogram();
      this.principals.set(principal, histogram);
    }
    histogram.add(bits);
    this.everyone.add(bits);
  }

  /** -log2 P(surprisal ≥ bits) for the principal: evidence that this event is rare for it. */
  tailBits(principal: number, bits: number): number {
    const prior = 2 ** -Math.max(0, bits);
    const all = this.everyone;
    const global = all.total === 0 ? prior : (all.tail(bits) + all.types * prior) / (all.total + all.types);
    const mine = principal < 0 ? undefined : this.principals.get(principal);
    const p =
      !mine || mine.total === 0
        ? global
        : (mine.tail(bits) + mine.types * global) / (mine.total + mine.types);
    return -Math.log2(Math.min(1, p));
  }
}
