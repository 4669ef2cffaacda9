import { afterEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "./ttl-cache.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("TtlCache", () => {
  it("shares one computation and forgets failures", async () => {
    const cache = new TtlCache<number>(1000);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await Promise.all([cache.get("a", compute), cache.get("a", compute)])).toEqual([1, 1]);
    await expect(cache.get("b", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await cache.get("b", compute)).toBe(2);
  });

  it("serves a stale value at once and refreshes it behind", async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<number>(1000, 10, 60_000);
    let value = 1;
    const compute = async () => value;
    expect(await cache.get("k", compute)).toBe(1);
    value = 2;
    vi.advanceTimersByTime(1500);
    expect(await cache.get("k", compute)).toBe(1);
    await Promise.resolve();
    expect(await cache.get("k", compute)).toBe(2);
    vi.advanceTimersByTime(120_000);
    value = 3;
    expect(await cache.get("k", compute)).toBe(3);
  });
});
