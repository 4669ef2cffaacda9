import type { TrailEvent } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { storedEvents } from "./stored-events.ts";

/** What predictions cite as evidence for one principal: call counts and which action followed which. */
export interface PrincipalHistory {
  /** The latest events (oldest first), the context of "what next". */
  latest: TrailEvent[];
  calls: Map<string, number>;
  /** `previous\u0000next` → times `next` directly followed `previous` for this principal. */
  transitions: Map<string, number>;
}

const LATEST = 3;
/** Principals whose history is kept; the least recently asked for is dropped first. */
const CAPACITY = 256;

/**
 * Per-principal evidence, computed once per principal from the read-only store and kept in a small LRU, so
 * repeated predictions for the same principal do not scan the store again.
 */
export class PrincipalHistories {
  private readonly cache = new Map<string, PrincipalHistory>();
  private spread: Map<string, number> | null = null;

  constructor(private readonly store: TrailStore) {}

  async of(key: string): Promise<PrincipalHistory> {
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const rows = await this.store.rows<{ action: string; previous: string | null; n: number }>(
      `SELECT action, previous, count(*) AS n FROM (
         SELECT action, lag(action) OVER (ORDER BY time, event_id) AS previous FROM events WHERE principal_key = $1)
       GROUP BY ALL`,
      [key],
    );
    const calls = new Map<string, number>();
    const transitions = new Map<string, number>();
    for (const row of rows) {
      calls.set(row.action, (calls.get(row.action) ?? 0) + row.n);
      if (row.previous !== null) transitions.set(`${row.previous}\u0000${row.action}`, row.n);
    }
    const latest = await storedEvents(
      this.store,
      `WHERE principal_key = $1 AND event_id IN (SELECT event_id FROM events WHERE principal_key = $1
         ORDER BY time DESC, event_id DESC LIMIT ${LATEST})`,
      [key],
    );
    const history = { latest, calls, transitions };
    this.cache.set(key, history);
    if (this.cache.size > CAPACITY) this.cache.delete(this.cache.keys().next().value as string);
    return history;
  }

  /** How many distinct principals call each action (one pass, kept). */
  async principalsCalling(): Promise<Map<string, number>> {
    if (!this.spread) {
      const rows = await this.store.rows<{ action: string; n: number }>(
        "SELECT action, count(DISTINCT principal_key) AS n FROM events GROUP BY action",
      );
      this.spread = new Map(rows.map((row) => [row.action, row.n]));
    }
    return this.spread;
  }
}
