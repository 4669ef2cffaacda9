import { afterEach, describe, expect, it, vi } from "vitest";
import { planWindow, type TimelinePayload } from "./timeline-data.ts";
import { WindowLoader } from "./window-loader.ts";

const payload = (from: number, to: number): TimelinePayload => ({
  from,
  to,
  bucketMs: 1000,
  buckets: 960,
  lanes: [],
  events: null,
  foldedLanes: 0,
  latest: null,
});

/** A fake /api/timeline: records requests, answers when told to. */
function fakeServer() {
  const requests: { url: URL; signal: AbortSignal; answer: () => void }[] = [];
  vi.stubGlobal("fetch", (input: string, init: RequestInit) => {
    const url = new URL(input, "http://localhost");
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal as AbortSignal;
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      const body = payload(Number(url.searchParams.get("from")), Number(url.searchParams.get("to")));
      requests.push({ url, signal, answer: () => resolve(new Response(JSON.stringify(body))) });
    });
  });
  return requests;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("WindowLoader", () => {
  const query = new URLSearchParams({ group: "principal" });
  const from = 1_790_000_000_000;
  const to = from + 3_600_000;

  it("aborts a view request a newer view superseded, then prefetches around the view", async () => {
    const requests = fakeServer();
    const loader = new WindowLoader({ onData: () => {}, onStatus: () => {} });
    loader.want("k", query, from, to);
    loader.want("k", query, from, to);
    expect(requests).toHaveLength(1);
    loader.want("k", query, from + 86_400_000, to + 86_400_000);
    expect(requests[0]?.signal.aborted).toBe(true);
    requests[1]?.answer();
    await flush();
    const prefetches = requests.slice(2);
    expect(prefetches).toHaveLength(4);
    expect(prefetches.every((r) => r.url.searchParams.get("prefetch") === "1")).toBe(true);
    expect(loader.cache.lookup("k", from + 86_400_000, to + 86_400_000)?.exact).toBe(true);
  });

  it("does not fetch the window the page loader is streaming", async () => {
    const requests = fakeServer();
    const loader = new WindowLoader({ onData: () => {}, onStatus: () => {} });
    const plan = planWindow(from, to);
    let deliver: (p: TimelinePayload | null) => void = () => {};
    loader.seed("k", query, { from, to }, new Promise((resolve) => (deliver = resolve)));
    loader.want("k", query, from, to);
    expect(requests).toHaveLength(0);
    deliver(payload(plan.from, plan.to));
    await flush();
    expect(loader.cache.lookup("k", from, to)?.exact).toBe(true);
    expect(requests.map((r) => r.url.searchParams.get("prefetch"))).toEqual(["1", "1", "1", "1"]);
  });
});
