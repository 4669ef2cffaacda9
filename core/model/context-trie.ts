import { ensureLength, PairTable } from "./pair-table.ts";

/**
 * Ints per node: count, total, types, first action child + 1, next sibling + 1, the symbol the node was
 * reached by, and the node's first child inline (its symbol, its id + 1). 32 bytes, so a node never
 * straddles a cache line; a walk over a node's children (every prediction's) reads each child's symbol and
 * count from one line. Node kinds, read only when estimating discounts, live in a byte array beside.
 */
const NODE = 8;
/** Kind of nodes never used as a context (leaves such as 4-grams): excluded from discount estimates. */
export const LEAF_KIND = 255;

/**
 * A forward n-gram trie per owner (principal, peer group, everyone). The node reached by symbols
 * s1…sk from an owner's root is the context "s1…sk happened last"; its action children carry the counts
 * of what followed. Because "a followed context c" is the node child(c, a), the increment that records
 * an event also yields the next event's context node: one lookup per order per event.
 * Fields are interleaved (8 ints per node) so an update touches few cache lines. Each node's first child
 * sits in the node itself and only further children go to the hash table: most contexts are followed by
 * one action, and the context node was just touched, so most lookups never leave it. A hash-table probe
 * is a cache miss on a large trie, which made it the single largest cost of a fit.
 */
export class ContextTrie {
  private readonly edges: PairTable;
  nodes: Int32Array;
  nodeCount: number;
  /** Each node's kind (lattice position, or LEAF_KIND). */
  private kinds: Uint8Array;

  constructor(parts: { edges?: PairTable; nodes?: Int32Array; capacity?: number } = {}) {
    this.edges = parts.edges ?? new PairTable(4096);
    this.nodeCount = parts.nodes ? parts.nodes.length / NODE : 1; // node 0: the root owners hang from
    const capacity = Math.max(parts.capacity ?? 4096, this.nodeCount + 1);
    this.nodes = ensureLength(parts.nodes ?? new Int32Array(capacity * NODE), capacity * NODE);
    this.kinds = new Uint8Array(capacity);
  }

  /** How often the node's symbol followed its parent context. */
  count(node: number): number {
    return this.nodes[node * NODE] as number;
  }

  /** How many actions followed this context. */
  total(node: number): number {
    return this.nodes[node * NODE + 1] as number;
  }

  /** How many distinct actions followed this context. */
  types(node: number): number {
    return this.nodes[node * NODE + 2] as number;
  }

  kind(node: number): number {
    return this.kinds[node] as number;
  }

  /** First action child, or -1; then nextSibling until -1. */
  firstChild(node: number): number {
    return (this.nodes[node * NODE + 3] as number) - 1;
  }

  nextSibling(node: number): number {
    return (this.nodes[node * NODE + 4] as number) - 1;
  }

  /** The symbol (action id) a child node was reached by. */
  symbolOf(node: number): number {
    return this.nodes[node * NODE + 5] as number;
  }

  /** The child node, or -1 when it does not exist (lookups never grow the trie). */
  child(node: number, symbol: number): number {
    if (node < 0) return -1;
    const at = node * NODE;
    const inline = this.nodes[at + 7] as number;
    if (inline === 0) return -1;
    return this.nodes[at + 6] === symbol ? inline - 1 : this.edges.get(node, symbol);
  }

  childOrCreate(node: number, symbol: number, kind: number): number {
    const at = node * NODE;
    const inline = this.nodes[at + 7] as number;
    if (inline !== 0 && this.nodes[at + 6] === symbol) return inline - 1;
    const id = inline === 0 ? this.nodeCount : this.edges.getOrSet(node, symbol, this.nodeCount);
    if (id === this.nodeCount) {
      this.nodeCount += 1;
      // Growing by half, not doubling: the arrays are the largest a fit allocates (see SequenceModel).
      if (this.nodeCount * NODE > this.nodes.length)
        this.nodes = ensureLength(this.nodes, this.nodeCount * NODE, 1.5);
      if (this.nodeCount > this.kinds.length) this.kinds = ensureLength(this.kinds, this.nodeCount, 1.5);
      const { nodes } = this;
      if (inline === 0) {
        nodes[at + 6] = symbol;
        nodes[at + 7] = id + 1;
      }
      nodes[id * NODE + 5] = symbol;
      this.kinds[id] = kind;
    }
    return id;
  }

  /**
   * Records that action `symbol` followed context `node`, adding `weight` (1, or 0 to only reach the
   * child) to its count; returns the child (the next context). The first record of a child must count.
   */
  record(node: number, symbol: number, childKind: number, weight = 1): number {
    return this.recordChild(node, this.childOrCreate(node, symbol, childKind), weight);
  }

  /** record() for a child the caller already knows (it must be `node`'s child); skips the lookup. */
  recordChild(node: number, child: number, weight = 1): number {
    const { nodes } = this;
    const at = node * NODE;
    const c = child * NODE;
    if (nodes[c] === 0) {
      // First time: link the child into the parent's list of action children.
      nodes[c + 4] = nodes[at + 3] as number;
      nodes[at + 3] = child + 1;
      nodes[at + 2] = (nodes[at + 2] as number) + 1;
    }
    nodes[c] = (nodes[c] as number) + weight;
    nodes[at + 1] = (nodes[at + 1] as number) + weight;
    return child;
  }

  /** Count of `symbol` after context `node` (0 when never seen). */
  countOf(node: number, symbol: number): number {
    const child = this.child(node, symbol);
    return child < 0 ? 0 : this.count(child);
  }

  /** Kneser-Ney's discount estimate D = n1 / (n1 + 2 n2) per context kind, from counts-of-counts. */
  discountEstimates(kinds: number): Float64Array {
    const n1 = new Float64Array(kinds);
    const n2 = new Float64Array(kinds);
    for (let node = 1; node < this.nodeCount; node++) {
      const kind = this.kind(node);
      if (kind >= kinds) continue;
      for (let c = this.firstChild(node); c >= 0; c = this.nextSibling(c)) {
        const count = this.count(c);
        if (count === 1) n1[kind] = (n1[kind] as number) + 1;
        else if (count === 2) n2[kind] = (n2[kind] as number) + 1;
      }
    }
    const out = new Float64Array(kinds);
    for (let k = 0; k < kinds; k++) {
      const a = n1[k] as number;
      const b = n2[k] as number;
      out[k] = a + b === 0 ? 0.5 : Math.min(0.95, Math.max(0.05, a / (a + 2 * b)));
    }
    return out;
  }

  snapshot(): { edges: Int32Array; nodes: Int32Array; kinds: Uint8Array } {
    return {
      edges: this.edges.entries(),
      nodes: this.nodes.slice(0, this.nodeCount * NODE),
      kinds: this.kinds.slice(0, this.nodeCount),
    };
  }

  static restore(parts: { edges: Int32Array; nodes: Int32Array; kinds: Uint8Array }): ContextTrie {
    const trie = new ContextTrie({ edges: PairTable.fromEntries(parts.edges), nodes: parts.nodes });
    trie.kinds = ensureLength(parts.kinds, trie.nodeCount + 1);
    return trie;
  }
}
