import { describe, expect, it } from "vitest";
import { ContextTrie, INLINE_SLOTS, LEAF_KIND } from "./context-trie.ts";
import { mulberry32 } from "./synthetic.ts";

/** Records random (context, action) pairs, returning a plain-Map reference of what the trie must hold. */
function fill(trie: ContextTrie, seed: number, steps: number) {
  const random = mulberry32(seed);
  const reference = new Map<number, Map<number, number>>();
  const contexts = [0];
  for (let i = 0; i < steps; i++) {
    const node = contexts[Math.floor(random() * contexts.length)] as number;
    // Mostly one follower per context (kept inline), sometimes several (hash table).
    const symbol = random() < 0.7 ? (node * 7) % 13 : Math.floor(random() * 40);
    const child = trie.record(node, symbol, LEAF_KIND);
    const counts = reference.get(node) ?? new Map<number, number>();
    counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    reference.set(node, counts);
    if (contexts.length < 500 && !contexts.includes(child)) contexts.push(child);
  }
  return reference;
}

function expectMatches(trie: ContextTrie, reference: Map<number, Map<number, number>>) {
  for (const [node, counts] of reference) {
    let total = 0;
    for (const [symbol, count] of counts) {
      expect(trie.countOf(node, symbol)).toBe(count);
      expect(trie.count(trie.child(node, symbol))).toBe(count);
      total += count;
    }
    expect(trie.total(node)).toBe(total);
    expect(trie.types(node)).toBe(counts.size);
    const listed = new Map<number, number>();
    for (let c = trie.firstChild(node); c >= 0; c = trie.nextSibling(c))
      listed.set(trie.symbolOf(c), trie.count(c));
    expect(listed).toEqual(counts);
    expect(trie.child(node, 1000)).toBe(-1);
  }
}

/** Table entries in a canonical order (a table's slot order depends on its capacity). */
function sortedTriples(edges: Int32Array): number[][] {
  const triples: number[][] = [];
  for (let i = 0; i < edges.length; i += 3) triples.push([...edges.subarray(i, i + 3)]);
  return triples.sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number));
}

describe("ContextTrie", () => {
  it("counts followers exactly, the first children inline and the rest in the table", () => {
    const trie = new ContextTrie();
    expectMatches(trie, fill(trie, 3, 20_000));
  });

  it("restores from its snapshot and keeps counting identically", () => {
    const trie = new ContextTrie();
    const reference = fill(trie, 5, 10_000);
    const restored = ContextTrie.restore(trie.snapshot());
    expectMatches(restored, reference);
    const more = fill(trie, 6, 5000);
    expect(fill(restored, 6, 5000)).toEqual(more);
    const [a, b] = [restored.snapshot(), trie.snapshot()];
    expect(a.nodes).toEqual(b.nodes);
    expect(sortedTriples(a.edges)).toEqual(sortedTriples(b.edges));
  });

  it("keeps a node's first leaves as counts in the node and the rest as nodes, counting and listing them all", () => {
    const trie = new ContextTrie();
    const random = mulberry32(13);
    const contexts = Array.from({ length: 300 }, (_, i) => trie.childOrCreate(0, i, 1));
    const reference = new Map<number, Map<number, number>>();
    const recordLeaves = (into: ContextTrie, steps: number) => {
      for (let i = 0; i < steps; i++) {
        const node = contexts[Math.floor(random() * contexts.length)] as number;
        const symbol = random() < 0.7 ? node % 5 : Math.floor(random() * 30);
        const counts = reference.get(node) ?? new Map<number, number>();
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
        reference.set(node, counts);
        expect(into.recordLeaf(node, symbol)).toBe(counts.get(symbol));
      }
    };
    const expectLeaves = (t: ContextTrie) => {
      for (const [node, counts] of reference) {
        for (const [symbol, count] of counts) expect(t.countOf(node, symbol)).toBe(count);
        expect(t.countOf(node, 999)).toBe(0);
        expect(t.total(node)).toBe([...counts.values()].reduce((x, y) => x + y, 0));
        expect(t.types(node)).toBe(counts.size);
        const listed = new Map<number, number>();
        t.forEachFollower(node, (symbol, count) => {
          expect(listed.has(symbol)).toBe(false);
          listed.set(symbol, count);
        });
        expect(listed).toEqual(counts);
        // The first INLINE_SLOTS leaves fill the slots (the layout's point: no table probe for them).
        const inline = Array.from({ length: INLINE_SLOTS }, (_, slot) => t.inlineLeafCount(node, slot) > 0);
        expect(inline.filter(Boolean).length).toBe(Math.min(INLINE_SLOTS, counts.size));
        // Inline leaves have no node: child() finds none for them.
        for (let slot = 0; slot < INLINE_SLOTS; slot++) {
          if (t.inlineLeafCount(node, slot) > 0) expect(t.child(node, t.inlineSymbol(node, slot))).toBe(-1);
        }
      }
    };
    recordLeaves(trie, 20_000);
    expectLeaves(trie);
    const restored = ContextTrie.restore(trie.snapshot());
    expectLeaves(restored);
    // The same counts with every leaf a node: the inline leaves save nodes and leave estimates unchanged.
    const plain = new ContextTrie();
    for (let i = 0; i < 300; i++) plain.childOrCreate(0, i, 1);
    for (const [node, counts] of reference)
      for (const [symbol, count] of counts)
        for (let k = 0; k < count; k++) plain.record(node, symbol, LEAF_KIND);
    expect(trie.nodeCount).toBeLessThan(plain.nodeCount);
    expect(trie.discountEstimates(2)).toEqual(plain.discountEstimates(2));
    recordLeaves(restored, 2000);
    expectLeaves(restored);
  });

  it("keeps side children apart: the first in the node's side slot, the rest in the table, none counted", () => {
    const SIDE = 7;
    const trie = new ContextTrie({ sideKinds: [SIDE] });
    const random = mulberry32(11);
    const parents: number[] = [];
    const sides = new Map<number, Map<number, number>>();
    const actions = new Map<number, Map<number, number>>();
    for (let i = 0; i < 5000; i++) {
      if (parents.length < 50 && random() < 0.2) {
        // Side-kind nodes created among other nodes.
        trie.record(0, 100 + parents.length, LEAF_KIND);
        parents.push(trie.record(0, 1000 + parents.length, SIDE));
        continue;
      }
      const parent = parents[Math.floor(random() * parents.length)];
      if (parent === undefined) continue;
      if (random() < 0.5) {
        const symbol = 500 + Math.floor(random() * 4);
        const child = trie.sideChildOrCreate(parent, symbol, 2);
        const known = sides.get(parent) ?? new Map<number, number>();
        expect(known.get(symbol) ?? child).toBe(child);
        known.set(symbol, child);
        sides.set(parent, known);
      } else {
        const symbol = Math.floor(random() * 6);
        trie.record(parent, symbol, LEAF_KIND);
        const counts = actions.get(parent) ?? new Map<number, number>();
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
        actions.set(parent, counts);
      }
    }
    const restored = ContextTrie.restore(trie.snapshot(), [SIDE]);
    for (const t of [trie, restored]) {
      for (const parent of parents) {
        const known = sides.get(parent) ?? new Map<number, number>();
        const first = [...known.values()].includes(parent + 1);
        expect(first).toBe(known.size > 0);
        for (const [symbol, child] of known) {
          expect(t.sideChild(parent, symbol)).toBe(child);
          expect(t.count(child)).toBe(0);
          expect(t.kind(child)).toBe(2);
        }
        expect(t.sideChild(parent, 499)).toBe(-1);
        const listed = new Map<number, number>();
        for (let c = t.firstChild(parent); c >= 0; c = t.nextSibling(c))
          listed.set(t.symbolOf(c), t.count(c));
        expect(listed).toEqual(actions.get(parent) ?? new Map());
      }
    }
    // Unclaimed slots are leaves: they never weigh in the discount estimates.
    const plain = new ContextTrie();
    for (const parent of parents)
      for (const [s, c] of actions.get(parent) ?? [])
        for (let k = 0; k < c; k++) plain.record(plain.childOrCreate(0, parent, SIDE), s, LEAF_KIND);
    expect(trie.discountEstimates(16)[SIDE]).toBe(plain.discountEstimates(16)[SIDE]);
  });
});
