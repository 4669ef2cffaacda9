import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestStore, type TestStore } from "../../e2e/make-store.ts";
import { closeDeps, createLocalDeps, type McpDeps } from "../../mcp/deps.ts";
import { inProcessTransport } from "../../mcp/server.ts";
import type { TimelinePayload } from "../components/timeline/timeline-data.ts";
import { type AgentEvent, SseParser } from "../utils/agent-events.ts";

// Loaders and actions called as Remix calls them, over the real MCP server and a small generated store.
let dir: string;
let store: TestStore;
let deps: McpDeps;
const MALLORY = "arn:aws:iam::111122223333:user/mallory";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-routes-"));
  process.env.TRAILCAST_CHAT = "offline";
  process.env.TRAILCAST_TRIAGE = join(dir, "triage.json");
  store = await makeTestStore(dir, 1000);
  deps = await createLocalDeps({ storePath: store.storePath });
  const { useMcpTransport } = await import("../utils/mcp.server.ts");
  useMcpTransport(() => inProcessTransport(deps));
});

afterAll(async () => {
  closeDeps(deps);
  await rm(dir, { recursive: true, force: true });
});

const args = (url: string, init?: RequestInit) => ({
  request: new Request(`http://localhost${url}`, init),
  params: {},
  context: {},
});

describe("resource routes", () => {
  it("/api/timeline aggregates a long window into sparse lane buckets", async () => {
    const { loader } = await import("./api.timeline.ts");
    const end = Date.parse(store.dataEnd);
    const response = await loader(args(`/api/timeline?from=${end - 4 * 86_400_000}&to=${end}&buckets=960`));
    const payload = (await response.json()) as TimelinePayload;
    expect(payload.events).toBeNull();
    expect(payload.bucketMs).toBeGreaterThanOrEqual(60_000);
    expect(payload.lanes.length).toBeGreaterThan(3);
    const counted = payload.lanes.reduce(
      (sum, lane) => sum + lane.cells.filter((_, i) => i % 4 === 1).reduce((a, b) => a + b, 0),
      0,
    );
    expect(counted).toBe(payload.lanes.reduce((sum, lane) => sum + lane.total, 0));
    expect(payload.latest).toBeGreaterThanOrEqual(store.plantedTime + 60_000);
    expect(payload.latest).toBeLessThanOrEqual(end);
  });

  it("/api/timeline says in Server-Timing whether the window was cached", async () => {
    const { loader } = await import("./api.timeline.ts");
    const end = Date.parse(store.dataEnd);
    const url = `/api/timeline?from=${end - 2 * 86_400_000}&to=${end}&buckets=480`;
    const first = await loader(args(`${url}&prefetch=1`));
    expect(first.headers.get("server-timing")).toMatch(/cache;desc=miss/);
    const again = await loader(args(url));
    expect(again.headers.get("server-timing")).toMatch(/cache;desc=hit/);
    expect(await again.json()).toEqual(await first.json());
  });

  it("/api/timeline returns the events themselves in a small window, filtered", async () => {
    const { loader } = await import("./api.timeline.ts");
    const url = `/api/timeline?from=${store.plantedTime - 60_000}&to=${store.plantedTime + 120_000}&buckets=960&principal=${encodeURIComponent(MALLORY)}`;
    const payload = (await (await loader(args(url))).json()) as TimelinePayload;
    expect(payload.events?.map((e) => e.id)).toEqual([store.xssEventId, store.injectionEventId]);
    expect(payload.events?.[0]).toMatchObject({
      lane: MALLORY,
      action: "s3:PutBucketPolicy",
      error: "AccessDenied",
    });
    const errors = (await (await loader(args(`${url}&errors=1`))).json()) as TimelinePayload;
    expect(errors.events?.map((e) => e.id)).toEqual([store.xssEventId]);
  });

  it("/api/timeline refuses a request without a range", async () => {
    const { loader } = await import("./api.timeline.ts");
    await expect(loader(args("/api/timeline?buckets=10"))).rejects.toMatchObject({ status: 400 });
  });

  it("/export/events.csv streams every filtered event with a header", async () => {
    const { loader } = await import("./export.events[.]csv.ts");
    const from = new Date(store.plantedTime - 60_000).toISOString();
    const response = loader(args(`/export/events.csv?from=${from}&principal=${encodeURIComponent(MALLORY)}`));
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith(`${store.xssEventId},`)).toBe(true);
  });

  it("/api/timeline and the exports count exactly the events scoring at least minScore", async () => {
    const { callTool } = await import("../utils/mcp.server.ts");
    const { loader: timeline } = await import("./api.timeline.ts");
    const { loader: jsonl } = await import("./export.events[.]jsonl.ts");
    const end = Date.parse(store.dataEnd) + 1;
    const start = end - 10 * 86_400_000;
    // Every event with its score, unfiltered: the expected counts are computed here, not by the tools.
    const scores: number[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: { events: { score: number | null }[]; nextCursor: string | null } = await callTool(
        "lookup_events",
        {
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
          limit: 500,
          ...(cursor ? { cursor } : {}),
        },
      );
      scores.push(...page.events.map((e) => e.score ?? 0));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const min = 0.3;
    const expected = scores.filter((score) => score >= min).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(scores.length);

    const payload = (await (
      await timeline(args(`/api/timeline?from=${start}&to=${end}&buckets=200&minScore=${min}`))
    ).json()) as TimelinePayload;
    const totals = payload.lanes.reduce((sum, lane) => sum + lane.total, 0);
    const cells = payload.lanes.reduce(
      (sum, lane) => sum + lane.cells.filter((_, i) => i % 4 === 1).reduce((a, b) => a + b, 0),
      0,
    );
    expect(totals).toBe(expected);
    expect(cells).toBe(expected);
    // Every bucket left holds a matching event, so its highest score reaches the minimum.
    for (const lane of payload.lanes)
      for (let i = 3; i < lane.cells.length; i += 4)
        expect(lane.cells[i]).toBeGreaterThanOrEqual(min * 1000 - 1);

    const exported = (
      await jsonl(args(`/export/events.jsonl?from=${start}&to=${end}&minScore=${min}`)).text()
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { score: number });
    expect(exported).toHaveLength(expected);
    expect(exported.every((e) => e.score >= min)).toBe(true);
  });

  it("/api/chat answers offline with tool progress over text/event-stream", async () => {
    const { action } = await import("./api.chat.ts");
    const response = await action(
      args("/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ conversationId: "test-conversation", message: "What will mallory do next?" }),
      }),
    );
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events: AgentEvent[] = new SseParser().push(await response.text());
    expect(events[0]).toEqual({ type: "mode", mode: "offline" });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "tool_end", name: "predict_next_actions", ok: true }),
    );
    const text = events.flatMap((e) => (e.type === "text" ? [e.text] : [])).join("");
    expect(text).toMatch(/Most likely next actions of mallory[\s\S]*: \d+\.\d%/);
    expect(events.at(-1)).toEqual({ type: "done", stopReason: "end_turn" });
  });

  it("triage actions persist star, tags and note in the triage file", async () => {
    const { action } = await import("./anomalies.tsx");
    const form = (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      return args("/anomalies", { method: "POST", body });
    };
    await action(form({ eventId: store.xssEventId, intent: "star" }));
    await action(
      form({ eventId: store.xssEventId, intent: "save", tags: "xss, planted ,", note: "test record" }),
    );
    const saved = JSON.parse(await readFile(join(dir, "triage.json"), "utf8"));
    expect(saved[store.xssEventId]).toMatchObject({
      starred: true,
      tags: ["xss", "planted"],
      note: "test record",
    });
    await expect(action(form({ eventId: store.xssEventId, intent: "delete" }))).rejects.toMatchObject({
      status: 400,
    });
  });
});
