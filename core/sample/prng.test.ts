import { describe, expect, it } from "vitest";
import { Rng } from "./prng.ts";

describe("Rng", () => {
  it("repeats the same sequence for the same label and differs for another", () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const seqA = Array.from({ length: 20 }, () => a.u32());
    expect(Array.from({ length: 20 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.u32())).not.toEqual(seqA);
  });

  it("forks streams that do not depend on how much the parent has been used", () => {
    const fresh = Rng.fromSeed(1).fork("alice", 3);
    const used = Rng.fromSeed(1);
    for (let i = 0; i < 100; i++) used.u32();
    expect(used.fork("alice", 3).u32()).toBe(fresh.u32());
    expect(Rng.fromSeed(1).fork("alice", 4).u32()).not.toBe(Rng.fromSeed(1).fork("alice", 3).u32());
  });

  it("produces well-formed, unique version-4 UUIDs", () => {
    const rng = Rng.fromSeed(9);
    const ids = Array.from({ length: 5000 }, () => rng.uuid());
    for (const id of ids.slice(0, 200))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps draws in range and roughly uniform", () => {
    const rng = Rng.fromSeed(5);
    let sum = 0;
    let outside = 0;
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) {
      const f = rng.float();
      if (f < 0 || f >= 1) outside++;
      sum += f;
      const k = rng.int(0, 5);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(sum / 60_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it("honours weights and expected values of derived distributions", () => {
    const rng = Rng.fromSeed(11);
    const picks = { a: 0, b: 0 };
    let exp = 0;
    let poisson = 0;
    for (let i = 0; i < 20_000; i++) {
      picks[
        rng.weighted([
          ["a", 3],
          ["b", 1],
        ] as const)
      ]++;
      exp += rng.exp(4);
      poisson += rng.poisson(2.5);
    }
    expect(picks.a / 20_000).toBeCloseTo(0.75, 1);
    expect(exp / 20_000).toBeCloseTo(4, 0);
    expect(poisson / 20_000).toBeCloseTo(2.5, 1);
  });
});
