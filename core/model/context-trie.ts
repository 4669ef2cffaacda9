import { ensureLength, PairTable } from "./pair-table.ts";

/**
 * Ints per node: count, total, types, first action child + 1, next sibling + 1, the symbol the node was
 * reached by, then INLINE_SLOTS children kept in the node, each its symbol and either its id + 1 or, for
 * a leaf, minus its count (see recordLeaf); a slot holding 0 is free, and slots fill in order. 64 bytes,
 * one cache line: a lookup among a node's first five children reads nothing else, and a walk over its
 * listed children (every prediction's) reads each child's symbol and count from one line. Node kinds,
 * read only when estimating discounts, live in a byte array beside.
 */
const NODE = 16;
/** Children kept in a node before the rest go to the hash table. */
export const INLINE_SLOTS = 5;
/** Offset of the first inline slot's symbol (its reference follows). */
const SLOTS_AT = 6;
/** slotOf(): every inline slot holds another symbol, so the child, if any, is in the table. */
const IN_TABLE = -1;
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
 * Fields are interleaved (one cache line per node) so an update touches few lines. A node's first
 * INLINE_SLOTS children sit in the node itself and only further children go to the hash table: most
 * contexts are followed by few actions, and the context node was just touched, so most lookups never
 * leave it. A hash-table probe is a cache miss on a large trie, which made it the single largest cost of
 * a fit; with one inline child the generated sample's fits probed 3.7 times per event (its principals'
 * contexts are followed by many actions), with five 1.25 times (ADR 047).
 *
 * Leaves (followers never used as a context: a principal's 4-grams and decorated contexts' followers, the
 * peer and everyone levels' 3-grams) are only a count. A leaf kept inline has no node of its own: its
 * count is in the slot, so recording it touches the context's line alone. Further leaves are nodes in the
 * table, as other children are. A node's followers are all leaves or all nodes.
 *
 * Side children (contexts reached by a decoration rather than an action, never counted under their
 * parent) get a slot of their own: a node of a "side kind" is created with the next node reserved for
 * its first side child. Otherwise a node followed by both kinds of children spent its inline slots on
 * both, and the principal's last-action contexts (a decoration before every action) half of theirs.
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
    const slot = this.slotOf(node, symbol);
    if (slot >= 0) {
      const ref = this.nodes[slot + 1] as number;
      return ref > 0 ? ref - 1 : -1;
    }
    return slot === IN_TABLE ? this.edges.get(node, symbol) : -1;
  }

  /**
   * Where `symbol` is among `node`'s inline slots: the index in `nodes` of its slot; when a free slot
   * ends the search first, -2 minus that free slot's index (slots fill in order, so no child follows,
   * inline or in the table); IN_TABLE when every slot holds another symbol.
   */
  private slotOf(node: number, symbol: number): number {
    const { nodes } = this;
    const at = node * NODE + SLOTS_AT;
    for (let slot = at; slot < at + 2 * INLINE_SLOTS; slot += 2) {
      if (nodes[slot + 1] === 0) return -2 - slot;
      if (nodes[slot] === symbol) return slot;
    }
    return IN_TABLE;
  }

  /** Symbol held in inline slot `slot` (0 ≤ slot < INLINE_SLOTS) of `node`. */
  inlineSymbol(node: number, slot: number): number {
    return this.nodes[node * NODE + SLOTS_AT + 2 * slot] as number;
  }

  /** Count of the leaf in inline slot `slot` of `node`; 0 when the slot is free or holds a node. */
  inlineLeafCount(node: number, slot: number): number {
    const ref = this.nodes[node * NODE + SLOTS_AT + 2 * slot + 1] as number;
    return ref < 0 ? -ref : 0;
  }

  /** Calls `visit` with every follower of `node` and its count: inline leaves, then listed children. */
  forEachFollower(node: number, visit: (symbol: number, count: number) => void): void {
    for (let slot = 0; slot < INLINE_SLOTS; slot++) {
      const leaf = this.inlineLeafCount(node, slot);
      if (leaf > 0) visit(this.inlineSymbol(node, slot), leaf);
    }
    for (let c = this.firstChild(node); c >= 0; c = this.nextSibling(c))
      visit(this.symbolOf(c), this.count(c));
  }

  /** The child node reached by `symbol`, created as `kind` when missing (followers that are nodes). */
  childOrCreate(node: number, symbol: number, kind: number): number {
    const { nodes } = this;
    const slot = this.slotOf(node, symbol);
    if (slot >= 0 && (nodes[slot + 1] as number) > 0) return (nodes[slot + 1] as number) - 1;
    const free = slot < IN_TABLE ? -2 - slot : -1;
    const fresh = this.nodeCount;
    const id = free >= 0 ? fresh : this.edges.getOrSet(node, symbol, fresh);
    if (id === fresh) {
      if (free >= 0) {
        nodes[free] = symbol;
        nodes[free + 1] = id + 1;
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

  /** Makes node `id`, the next one. */
  private create(id: number, symbol: number, kind: number): void {
    this.nodeCount = id + 1;
    // Growing by half, not doubling: the arrays are the largest a fit allocates (see SequenceModel).
    if (this.nodeCount * NODE > this.nodes.length)
      this.nodes = ensureLength(this.nodes, this.nodeCount * NODE, 1.5);
    if (this.nodeCount > this.kinds.length) this.kinds = ensureLength(this.kinds, this.nodeCount, 1.5);
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
    const slot = this.slotOf(node, symbol);
    if (slot < IN_TABLE) {
      const free = -2 - slot;
      nodes[free] = symbol;
      nodes[free + 1] = -1;
      nodes[at + 2] = (nodes[at + 2] as number) + 1;
      nodes[at + 1] = (nodes[at + 1] as number) + 1;
      return 1;
    }
    const ref = slot >= 0 ? (nodes[slot + 1] as number) : 0;
    if (ref < 0) {
      nodes[slot + 1] = ref - 1;
      nodes[at + 1] = (nodes[at + 1] as number) + 1;
      return 1 - ref;
    }
    return this.count(this.record(node, symbol, LEAF_KIND));
  }

  /** Count of `symbol` after context `node` (0 when never seen), whether a node or a leaf kept inline. */
  countOf(node: number, symbol: number): number {
    if (node < 0) return 0;
    const slot = this.slotOf(node, symbol);
    if (slot >= 0) {
      const ref = this.nodes[slot + 1] as number;
      return ref > 0 ? this.count(ref - 1) : -ref;
    }
    if (slot !== IN_TABLE) return 0;
    const child = this.edges.get(node, symbol);
    return child < 0 ? 0 : this.count(child);
  }

  /** Kneser-Ney's discount estimate D = n1 / (n1 + 2 n2) per context kind, from counts-of-counts. */
  discountEstimates(kinds: number): Float64Array {
    const n1 = new Float64Array(kinds);
    const n2 = new Float64Array(kinds);
    let kind = 0;
    const tally = (_symbol: number, count: number) => {
      if (count === 1) n1[kind] = (n1[kind] as number) + 1;
      else if (count === 2) n2[kind] = (n2[kind] as number) + 1;
    };
    for (let node = 1; node < this.nodeCount; node++) {
      kind = this.kind(node);
      if (kind < kinds) this.forEachFollower(node, tally);
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
