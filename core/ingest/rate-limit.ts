export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces calls at least `1000 / perSecond` ms apart. CloudTrail's LookupEvents allows 2 requests per second
 * per account and region; staying under that avoids throttling instead of recovering from it.
 */
export class RateLimiter {
  private next = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`requests per second must be > 0, got ${perSecond}`);
  }

  async take(): Promise<void> {
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await this.clock.sleep(at - now);
  }
}

/** Full-jitter exponential backoff delay for retry `attempt` (0-based), as AWS recommends. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500, capMs = 20_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
