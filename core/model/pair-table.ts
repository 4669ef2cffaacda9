/**
 * Open-addressing hash table from a pair of non-negative int32 keys to a non-negative int32 value.
 * The model does tens of millions of (node, symbol) lookups per fit; a JS Map keyed by a combined
 * double is several times slower and larger. Key, key and value sit side by side in one Int32Array
 * (3 ints per slot) so a probe touches one cache line and the table stays small enough for the cache.
 */
export class PairTable {
  private slots: Int32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 3).fill(-1);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 12);
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const { slots, mask } = this;
    let slot = PairTable.hash(a, b) & mask;
    for (;;) {
      const at = slot * 3;
      const key = slots[at] as number;
      if (key === -1) return -1;
      if (key === a && slots[at + 1] === b) return slots[at + 2] as number;
      slot = (slot + 1) & mask;
    }
  }

  /** The value stored for (a, b); stores `value` first when the pair is new. */
  getOrSet(a: number, b: number, value: number): number {
    const { slots, mask } = this;
    let slot = PairTable.hash(a, b) & mask;
    for (;;) {
      const at = slot * 3;
      const key = slots[at] as number;
      if (key === -1) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = value;
        this.used += 1;
        // Up to 70% full: linear probes over 12-byte slots stay within a line or two, and a fit's table
        // (the largest after the trie) is half the size it would be at 50%.
        if (this.used * 10 > mask * 7) this.grow();
        return value;
      }
      if (key === a && slots[at + 1] === b) return slots[at + 2] as number;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(capacity * 3).fill(-1);
    this.mask = capacity - 1;
    this.used = 0;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at] !== -1) this.getOrSet(old[at] as number, old[at + 1] as number, old[at + 2] as number);
    }
  }

  /** Every (a, b, value) triple, for persistence. */
  entries(): Int32Array {
    const out = new Int32Array(this.used * 3);
    let j = 0;
    for (let at = 0; at < this.slots.length; at += 3) {
      if (this.slots[at] === -1) continue;
      out[j++] = this.slots[at] as number;
      out[j++] = this.slots[at + 1] as number;
      out[j++] = this.slots[at + 2] as number;
    }
    return out;
  }

  static fromEntries(triples: Int32Array): PairTable {
    const table = new PairTable(triples.length / 3);
    for (let i = 0; i < triples.length; i += 3) {
      table.getOrSet(triples[i] as number, triples[i + 1] as number, triples[i + 2] as number);
    }
    return table;
  }
}

/**
 * Returns `array` or a copy at least `needed` long (growing by `factor`, doubling by default), so appends
 * stay amortized O(1).
 */
export function ensureLength<T extends Int32Array | Float64Array | Uint8Array>(
  array: T,
  needed: number,
  factor = 2,
): T {
  if (needed <= array.length) return array;
  let length = Math.max(16, array.length);
  while (length < needed) length = Math.ceil(length * factor);
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
