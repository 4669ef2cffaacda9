import { describe, expect, it } from "vitest";
import { ContextTrie, LEAF_KIND } from "./context-trie.ts";
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
  it("counts followers exactly, first child inline and the rest in the table", () => {
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
});
