import { describe, expect, it } from "vitest";
import { Fifo } from "./fifo.ts";

describe("Fifo", () => {
  it("behaves like an array used with push and shift, across compactions", () => {
    const fifo = new Fifo<number>([1, 2]);
    const reference = [1, 2];
    for (let i = 0; i < 5000; i++) {
      // Grow and shrink in waves so the front is removed both while the list is long and while it is short.
      const pushes = i % 400 < 200 ? 3 : 1;
      for (let p = 0; p < pushes; p++) {
        fifo.push(i * 10 + p);
        reference.push(i * 10 + p);
      }
      expect(fifo.shift()).toBe(reference.shift());
      expect(fifo.shift()).toBe(reference.shift());
      expect(fifo.length).toBe(reference.length);
      expect(fifo.first()).toBe(reference[0]);
      expect(fifo.last()).toBe(reference.at(-1));
      expect(fifo.at(fifo.length >> 1)).toBe(reference[reference.length >> 1]);
    }
    expect(fifo.toArray()).toEqual(reference);
    expect(fifo.tail(3)).toEqual(reference.slice(-3));
    expect(fifo.tail(reference.length + 5)).toEqual(reference);
  });

  it("says undefined past either end, like an array", () => {
    const fifo = new Fifo<string>();
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.first()).toBeUndefined();
    expect(fifo.last()).toBeUndefined();
    fifo.push("a");
    expect(fifo.at(1)).toBeUndefined();
    expect(fifo.at(-1)).toBeUndefined();
    expect(fifo.tail(0)).toEqual([]);
  });
});
