/**
 * A small promise cache with a time to live and a size bound: concurrent callers share one computation, a
 * failure is not kept, the oldest entry goes first when full. With `staleMs`, an answer older than the time to
 * live (but younger than `ttlMs + staleMs`) is still returned at once while a fresh one is computed behind it,
 * so a page never waits for a value it had a moment ago.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T>; settled: boolean }>();
  private readonly refreshing = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = 200,
    private readonly staleMs = 0,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    const age = hit ? Date.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && age < this.ttlMs) return hit.value;
    if (hit?.settled && age < this.ttlMs + this.staleMs) {
      if (!this.refreshing.has(key)) {
        this.refreshing.add(key);
        const fresh = compute();
        fresh.then(
          () => this.store(key, fresh, true),
          () => undefined,
        );
        fresh.finally(() => this.refreshing.delete(key)).catch(() => undefined);
      }
      return hit.value;
    }
    const value = compute();
    this.store(key, value, false);
    value.then(
      () => {
        const entry = this.entries.get(key);
        if (entry?.value === value) entry.settled = true;
      },
      () => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      },
    );
    return value;
  }

  private store(key: string, value: Promise<T>, settled: boolean): void {
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), value, settled });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
