import { Interner } from "./intern.ts";
import { ensureLength, PairTable } from "./pair-table.ts";

/** What can be "first seen": each is tracked per principal, per peer group and per account. */
export const NOVELTY_KINDS = ["action", "service", "network", "wideNetwork", "region", "client"] as const;
export type NoveltyKind = (typeof NOVELTY_KINDS)[number];
export const SCOPES = ["principal", "peer", "account"] as const;
export type Scope = (typeof SCOPES)[number];
const KIND_COUNT = NOVELTY_KINDS.length;
/**
 * Scopes tracked per kind (bit i = SCOPES[i]): only those anomaly reasons read, since every tracked
 * (kind, scope) pair costs a hash-table update per event.
 */
const TRACKED: readonly number[] = [
  0b011, // action: principal, peer
  0b101, // service: principal, account
  0b001, // network: principal
  0b101, // wideNetwork: principal, account
  0b101, // region: principal, account
  0b101, // client: principal, account
];

/** Numeric owner ids of one event: its principal, peer group and account (interned by the caller). */
export type Owners = readonly [principal: number, peer: number, account: number];

export interface NoveltyObservation {
  /** Count of this token in the scope so far (0 = first seen). */
  count: number;
  /** Observations in the scope so far. */
  total: number;
  /** Distinct tokens of this kind in the scope so far. */
  distinct: number;
  /**
   * Witten-Bell estimate that the next observation is a new token: distinct / (total + distinct), 1 when
   * nothing is known. A first-seen token is surprising in proportion to how rarely new ones appear.
   */
  newProbability: number;
}

/** A tracker's counts: (slot, token) → entry pairs, counts per entry, totals and distinct tokens per slot. */
export interface NoveltyCounters {
  seen: Int32Array;
  counts: Int32Array;
  scopeTotal: Int32Array;
  scopeDistinct: Int32Array;
}

/**
 * First-seen bookkeeping for anomaly reasons: which actions, services, networks, regions and clients
 * each principal, peer group and account has used, and how often new ones turn up. Scope slots are
 * computed arithmetically from owner ids, so an update costs 18 hash-table increments and no strings.
 */
export class NoveltyTracker {
  readonly tokens: Interner[];
  private seen: PairTable;
  private counts: Int32Array;
  private scopeTotal: Int32Array;
  private scopeDistinct: Int32Array;
  /** Per slot: last token + 1 and its entry, so a principal repeating itself skips the hash table. */
  private lastToken = new Int32Array(256);
  private lastEntry = new Int32Array(256);

  constructor(
    parts: {
      tokens?: Interner[];
      seen?: PairTable;
      counts?: Int32Array;
      scopeTotal?: Int32Array;
      scopeDistinct?: Int32Array;
    } = {},
  ) {
    this.tokens = parts.tokens ?? NOVELTY_KINDS.map(() => new Interner());
    this.seen = parts.seen ?? new PairTable(4096);
    this.counts = parts.counts ?? new Int32Array(4096);
    this.scopeTotal = parts.scopeTotal ?? new Int32Array(256);
    this.scopeDistinct = parts.scopeDistinct ?? new Int32Array(256);
  }

  private static slot(scope: number, owner: number, kind: number): number {
    return (owner * SCOPES.length + scope) * KIND_COUNT + kind;
  }

  /** values[i] is the token for NOVELTY_KINDS[i]. */
  observe(owners: Owners, values: readonly string[]): void {
    const ids = new Int32Array(KIND_COUNT);
    for (let kind = 0; kind < KIND_COUNT; kind++)
      ids[kind] = (this.tokens[kind] as Interner).intern(values[kind] as string);
    this.observeIds(owners, ids);
  }

  /** Like observe, with tokens already interned in `tokens[kind]` (the hot path caches them). */
  observeIds(owners: Owners, ids: Int32Array): void {
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      const token = ids[kind] as number;
      const tracked = TRACKED[kind] as number;
      for (let scope = 0; scope < SCOPES.length; scope++) {
        if ((tracked & (1 << scope)) === 0) continue;
        const slot = NoveltyTracker.slot(scope, owners[scope] as number, kind);
        if (slot >= this.scopeTotal.length) this.growSlots(slot + 1);
        let entry: number;
        if (this.lastToken[slot] === token + 1) {
          entry = this.lastEntry[slot] as number;
        } else {
          const before = this.seen.size;
          entry = this.seen.getOrSet(slot, token, before);
          if (this.seen.size > before) {
            this.scopeDistinct[slot] = (this.scopeDistinct[slot] as number) + 1;
            this.counts = ensureLength(this.counts, entry + 1);
          }
          this.lastToken[slot] = token + 1;
          this.lastEntry[slot] = entry;
        }
        this.counts[entry] = (this.counts[entry] as number) + 1;
        this.scopeTotal[slot] = (this.scopeTotal[slot] as number) + 1;
      }
    }
  }

  private growSlots(needed: number): void {
    this.scopeTotal = ensureLength(this.scopeTotal, needed);
    this.scopeDistinct = ensureLength(this.scopeDistinct, needed);
    this.lastToken = ensureLength(this.lastToken, needed);
    this.lastEntry = ensureLength(this.lastEntry, needed);
  }

  lookup(scope: Scope, owner: number, kind: NoveltyKind, value: string): NoveltyObservation {
    const kindIndex = NOVELTY_KINDS.indexOf(kind);
    const slot = NoveltyTracker.slot(SCOPES.indexOf(scope), owner, kindIndex);
    if (owner < 0 || slot >= this.scopeTotal.length) {
      return { count: 0, total: 0, distinct: 0, newProbability: 1 };
    }
    const token = (this.tokens[kindIndex] as Interner).idOf(value);
    const entry = token < 0 ? -1 : this.seen.get(slot, token);
    const total = this.scopeTotal[slot] as number;
    const distinct = this.scopeDistinct[slot] as number;
    return {
      count: entry < 0 ? 0 : (this.counts[entry] as number),
      total,
      distinct,
      newProbability: total === 0 ? 1 : distinct / (total + distinct),
    };
  }

  /** The most used tokens of a kind in a scope (for reasons such as "usually: aws-cli, console"). */
  usual(scope: Scope, owner: number, kind: NoveltyKind, limit = 3): string[] {
    const kindIndex = NOVELTY_KINDS.indexOf(kind);
    const slot = NoveltyTracker.slot(SCOPES.indexOf(scope), owner, kindIndex);
    if (owner < 0) return [];
    const interner = this.tokens[kindIndex] as Interner;
    const found: Array<{ name: string; count: number }> = [];
    for (let token = 0; token < interner.size; token++) {
      const entry = this.seen.get(slot, token);
      if (entry >= 0) found.push({ name: interner.nameOf(token), count: this.counts[entry] as number });
    }
    return found
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
      .slice(0, limit)
      .map((f) => f.name);
  }

  snapshot(): Record<string, unknown> {
    return { tokens: this.tokens.map((t) => t.toJSON()), ...this.counters() };
  }

  /** The counts without the token names (what a tracker fed ids elsewhere, e.g. on a worker, hands back). */
  counters(): NoveltyCounters {
    return {
      seen: this.seen.entries(),
      counts: this.counts.slice(0, this.seen.size),
      scopeTotal: this.scopeTotal.slice(),
      scopeDistinct: this.scopeDistinct.slice(),
    };
  }

  /** A tracker over `tokens` (the interners its ids came from) with `counters()` of another. */
  static fromCounters(tokens: Interner[], c: NoveltyCounters): NoveltyTracker {
    return new NoveltyTracker({
      tokens,
      seen: PairTable.fromEntries(c.seen),
      counts: ensureLength(c.counts, 16),
      scopeTotal: ensureLength(c.scopeTotal, 16),
      scopeDistinct: ensureLength(c.scopeDistinct, 16),
    });
  }

  static restore(
    s: NoveltyCounters & {
      /** The sequence model's action interner, shared as tokens[0] (its names are s.tokens[0]). */
      shareActions?: Interner;
      tokens: string[][];
    },
  ): NoveltyTracker {
    const tokens = s.tokens.map((names, kind) =>
      kind === 0 && s.shareActions ? s.shareActions : new Interner(names),
    );
    return NoveltyTracker.fromCounters(tokens, s);
  }
}
