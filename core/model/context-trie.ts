import { ensureLength, PairTable } from "./pair-table.ts";

/**
 * Ints per node: count, total, types, first action child + 1, next sibling + 1, the symbol the node was
 * reached by, and the node's first child inline (its symbol, then its id + 1, or minus its count for a
 * leaf: see recordLeaf). 32 bytes, so a node never straddles a cache line; a walk over a node's children
 * (every prediction's) reads each child's symbol and count from one line. Node kinds, read only when
 * estimating discounts, live in a byte array beside.
 */
const NODE = 8;
/** Kind of nodes never used as a context (leaves such as 4-grams): excluded from discount estimates. */
export const LEAF_KIND = 255;
/** What snapshot() returns and restore() takes (persisted by persist.ts). */
export interface TrieSnapshot {
  edges: Int32Array;
  nodes: Int32Array;
  kinds: Uint8Array;
}

/** Symbol of a side slot no side child has claimed yet (symbols are never negative). */
const UNCLAIMED = -1;

/**
 * A forward n-gram trie per owner (principal, peer group, everyone). The node reached by symbols
 * s1…sk from an owner's root is the context "s1…sk happened last"; its action children carry the counts
 * of what followed. Because "a followed context c" is the node child(c, a), the increment that records
 * an event also yields the next event's context node: one lookup per order per event.
 * Fields are interleaved (8 ints per node) so an update touches few cache lines. Each node's first child
 * sits in the node itself and only further children go to the hash table: most contexts are followed by
 * one action, and the context node was just touched, so most lookups never leave it. A hash-table probe
 * is a cache miss on a large trie, which made it the single largest cost of a fit.
 *
 * Leaves (followers never used as a context: a principal's 4-grams and decorated contexts' followers, the
 * peer and everyone levels' 3-grams) are only a count. A node's first leaf keeps that count in the node's inline slot and has no
 * node of its own, so recording it touches the context's line alone: the leaf's own line was a cache
 * miss on most events, and the leaves so kept were over a quarter of a fit's nodes. Further leaves are
 * nodes in the table, as other children are. A node's followers are all leaves or all nodes.
 *
 * Side children (contexts reached by a decoration rather than an action, never counted under their
 * parent) get a slot of their own: a node of a "side kind" is created with the next node reserved for
 * its first side child, both in one cache line. Otherwise a node followed by both kinds of children spent
 * its inline slot on whichever came first, and every lookup of the other kind probed the table (the
 * principal's last-action contexts: one probe per event, for the action after it).
 */
export class ContextTrie {
  private readonly edges: PairTable;
  nodes: Int32Array;
  nodeCount: number;
  /** Each node's kind (lattice position, or LEAF_KIND). */
  private kinds: Uint8Array;
  /** 1 for kinds whose nodes are created with a side slot. */
  private readonly sideKinds = new Uint8Array(256);

  constructor(
    parts: { edges?: PairTable; nodes?: Int32Array; capacity?: number; sideKinds?: readonly number[] } = {},
  ) {
    for (const kind of parts.sideKinds ?? []) this.sideKinds[kind] = 1;
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

  /**
   * The child node, or -1 when it does not exist (lookups never grow the trie). A leaf kept inline has
   * no node (-1 too): read leaves with countOf.
   */
  child(node: number, symbol: number): number {
    if (node < 0) return -1;
    const at = node * NODE;
    const inline = this.nodes[at + 7] as number;
    if (inline === 0) return -1;
    if (this.nodes[at + 6] !== symbol) return this.edges.get(node, symbol);
    return inline > 0 ? inline - 1 : -1;
  }

  /** Symbol of the leaf kept inline in `node`; meaningful when inlineLeafCount(node) > 0. */
  inlineLeafSymbol(node: number): number {
    return this.nodes[node * NODE + 6] as number;
  }

  /** Count of the leaf kept inline in `node` (0 when it keeps none); the rest are its listed children. */
  inlineLeafCount(node: number): number {
    const inline = this.nodes[node * NODE + 7] as number;
    return inline < 0 ? -inline : 0;
  }

  /** Calls `visit` with every follower of `node` and its count: the inline leaf, then listed children. */
  forEachFollower(node: number, visit: (symbol: number, count: number) => void): void {
    const leaf = this.inlineLeafCount(node);
    if (leaf > 0) visit(this.inlineLeafSymbol(node), leaf);
    for (let c = this.firstChild(node); c >= 0; c = this.nextSibling(c))
      visit(this.symbolOf(c), this.count(c));
  }

  /** The child node reached by `symbol`, created as `kind` when missing (followers that are nodes). */
  childOrCreate(node: number, symbol: number, kind: number): number {
    const at = node * NODE;
    const inline = this.nodes[at + 7] as number;
    if (inline > 0 && this.nodes[at + 6] === symbol) return inline - 1;
    // A node with a side slot starts at an even id, so the pair shares a 64-byte line.
    const fresh = this.sideKinds[kind] === 1 ? (this.nodeCount + 1) & ~1 : this.nodeCount;
    const id = inline === 0 ? fresh : this.edges.getOrSet(node, symbol, fresh);
    if (id === fresh) {
      if (inline === 0) {
        this.nodes[at + 6] = symbol;
        this.nodes[at + 7] = id + 1;
      }
      this.create(id, symbol, kind);
      if (this.sideKinds[kind] === 1) this.create(id + 1, UNCLAIMED, LEAF_KIND);
    }
    return id;
  }

  /** The side child of `node` (created with a side slot) reached by `symbol`, or -1. */
  sideChild(node: number, symbol: number): number {
    if (node < 0) return -1;
    return this.nodes[(node + 1) * NODE + 5] === symbol ? node + 1 : this.edges.get(node, symbol);
  }

  /** sideChild(), creating the child when missing: in the slot while it is free, else in the table. */
  sideChildOrCreate(node: number, symbol: number, kind: number): number {
    const slot = (node + 1) * NODE + 5;
    const held = this.nodes[slot] as number;
    if (held === symbol) return node + 1;
    if (held === UNCLAIMED) {
      this.nodes[slot] = symbol;
      this.kinds[node + 1] = kind;
      return node + 1;
    }
    const id = this.edges.getOrSet(node, symbol, this.nodeCount);
    if (id === this.nodeCount) this.create(id, symbol, kind);
    return id;
  }

  /** Makes node `id` (at or past the end; ids skipped on the way become unused leaves). */
  private create(id: number, symbol: number, kind: number): void {
    const from = this.nodeCount;
    this.nodeCount = id + 1;
    // Growing by half, not doubling: the arrays are the largest a fit allocates (see SequenceModel).
    if (this.nodeCount * NODE > this.nodes.length)
      this.nodes = ensureLength(this.nodes, this.nodeCount * NODE, 1.5);
    if (this.nodeCount > this.kinds.length) this.kinds = ensureLength(this.kinds, this.nodeCount, 1.5);
    for (let skipped = from; skipped < id; skipped++) {
      this.nodes[skipped * NODE + 5] = UNCLAIMED;
      this.kinds[skipped] = LEAF_KIND;
    }
    this.nodes[id * NODE + 5] = symbol;
    this.kinds[id] = kind;
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

  /**
   * Records that leaf `symbol` followed context `node` once; returns the leaf's new count. The first leaf
   * a node sees is kept inline (see the class comment), later ones are LEAF_KIND nodes in the table.
   */
  recordLeaf(node: number, symbol: number): number {
    const { nodes } = this;
    const at = node * NODE;
    const inline = nodes[at + 7] as number;
    if (inline === 0) {
      nodes[at + 6] = symbol;
      nodes[at + 7] = -1;
      nodes[at + 2] = (nodes[at + 2] as number) + 1;
      nodes[at + 1] = (nodes[at + 1] as number) + 1;
      return 1;
    }
    if (inline < 0 && nodes[at + 6] === symbol) {
      nodes[at + 7] = inline - 1;
      nodes[at + 1] = (nodes[at + 1] as number) + 1;
      return 1 - inline;
    }
    return this.count(this.record(node, symbol, LEAF_KIND));
  }

  /** Count of `symbol` after context `node` (0 when never seen), whether a node or a leaf kept inline. */
  countOf(node: number, symbol: number): number {
    if (node < 0) return 0;
    const at = node * NODE;
    const inline = this.nodes[at + 7] as number;
    if (inline === 0) return 0;
    if (this.nodes[at + 6] === symbol) return inline > 0 ? this.count(inline - 1) : -inline;
    const child = this.edges.get(node, symbol);
    return child < 0 ? 0 : this.count(child);
  }

  /** Kneser-Ney's discount estimate D = n1 / (n1 + 2 n2) per context kind, from counts-of-counts. */
  discountEstimates(kinds: number): Float64Array {
    const n1 = new Float64Array(kinds);
    const n2 = new Float64Array(kinds);
    for (let node = 1; node < this.nodeCount; node++) {
      const kind = this.kind(node);
      if (kind >= kinds) continue;
      const leaf = this.inlineLeafCount(node);
      if (leaf === 1) n1[kind] = (n1[kind] as number) + 1;
      else if (leaf === 2) n2[kind] = (n2[kind] as number) + 1;
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

  snapshot(): TrieSnapshot {
    return {
      edges: this.edges.entries(),
      nodes: this.nodes.slice(0, this.nodeCount * NODE),
      kinds: this.kinds.slice(0, this.nodeCount),
    };
  }

  static restore(parts: TrieSnapshot, sideKinds: readonly number[] = []): ContextTrie {
    const trie = new ContextTrie({
      edges: PairTable.fromEntries(parts.edges),
      nodes: parts.nodes,
      sideKinds,
    });
    trie.kinds = ensureLength(parts.kinds, trie.nodeCount + 1);
    return trie;
  }
}
