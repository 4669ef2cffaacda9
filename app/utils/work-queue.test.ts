import { describe, expect, it } from "vitest";
import { Ticket, WorkQueue } from "./work-queue.ts";

const later = () => {
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { gate, open };
};

describe("WorkQueue", () => {
  it("runs the most urgent first, newest first among interactive, FIFO otherwise", async () => {
    const queue = new WorkQueue(1);
    const order: string[] = [];
    const blocker = later();
    const first = queue.run(() => blocker.gate);
    const job = (name: string) => async () => {
      order.push(name);
    };
    const done = [
      queue.run(job("bg1"), { priority: "background" }),
      queue.run(job("bg2"), { priority: "background" }),
      queue.run(job("normal"), { priority: "normal" }),
      queue.run(job("view1"), { priority: "interactive" }),
      queue.run(job("view2"), { priority: "interactive" }),
    ];
    blocker.open();
    await Promise.all([first, ...done]);
    expect(order).toEqual(["view2", "view1", "normal", "bg1", "bg2"]);
  });

  it("drops work whose signal aborts before it starts, finishes work that started", async () => {
    const queue = new WorkQueue(1);
    const blocker = later();
    const started = new AbortController();
    const running = queue.run(() => blocker.gate.then(() => "ran"), { signal: started.signal });
    const waiting = new AbortController();
    let ran = false;
    const dropped = queue.run(
      async () => {
        ran = true;
      },
      { signal: waiting.signal },
    );
    waiting.abort();
    started.abort();
    await expect(dropped).rejects.toThrow(/aborted/);
    expect(queue.pending).toBe(0);
    blocker.open();
    await expect(running).resolves.toBe("ran");
    expect(ran).toBe(false);
  });

  it("raises waiting work when a more urgent caller needs it", async () => {
    const queue = new WorkQueue(1);
    const order: string[] = [];
    const blocker = later();
    const first = queue.run(() => blocker.gate);
    const ticket = new Ticket("background");
    const prefetch = queue.run(async () => order.push("prefetch"), { ticket });
    const other = queue.run(async () => order.push("normal"), { priority: "normal" });
    queue.raise(ticket, "interactive");
    blocker.open();
    await Promise.all([first, prefetch, other]);
    expect(order).toEqual(["prefetch", "normal"]);
  });
});
