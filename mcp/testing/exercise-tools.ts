import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect } from "vitest";
import { EXPLAIN_EVENT_MAX_BYTES } from "../tools/explain-event.ts";
import { DATA_STATUS_MAX_BYTES } from "../tools/get-data-status.ts";
import { PROFILE_MAX_BYTES } from "../tools/get-principal-profile.ts";
import { TIMELINE_MAX_BYTES } from "../tools/get-timeline.ts";
import { LIST_ANOMALIES_MAX_BYTES } from "../tools/list-anomalies.ts";
import { LIST_PRINCIPALS_MAX_BYTES } from "../tools/list-principals.ts";
import { LOOKUP_EVENTS_MAX_BYTES } from "../tools/lookup-events.ts";
import { ACTIVITY_WINDOW_MAX_BYTES } from "../tools/predict-activity-window.ts";
import { PREDICT_NEXT_MAX_BYTES } from "../tools/predict-next-actions.ts";

export const LOCAL_TOOLS = [
  "explain_event",
  "get_data_status",
  "get_principal_profile",
  "get_timeline",
  "list_anomalies",
  "list_principals",
  "lookup_events",
  "predict_activity_window",
  "predict_next_actions",
];

export const TOOL_BOUNDS: Record<string, number> = {
  explain_event: EXPLAIN_EVENT_MAX_BYTES,
  get_data_status: DATA_STATUS_MAX_BYTES,
  get_principal_profile: PROFILE_MAX_BYTES,
  get_timeline: TIMELINE_MAX_BYTES,
  list_anomalies: LIST_ANOMALIES_MAX_BYTES,
  list_principals: LIST_PRINCIPALS_MAX_BYTES,
  lookup_events: LOOKUP_EVENTS_MAX_BYTES,
  predict_activity_window: ACTIVITY_WINDOW_MAX_BYTES,
  predict_next_actions: PREDICT_NEXT_MAX_BYTES,
};

// biome-ignore lint/suspicious/noExplicitAny: structuredContent is checked field by field below
type Structured = any;

export interface CallOutcome {
  isError: boolean;
  text: string;
  structured: Structured;
  bytes: number;
}

/** Calls a tool and measures the whole result as it crossed the transport (JSON bytes). */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallOutcome> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Array<{ type: string; text?: string }>;
  return {
    isError: result.isError === true,
    text: content.map((part) => part.text ?? "").join("\n"),
    structured: result.structuredContent,
    bytes: Buffer.byteLength(JSON.stringify(result)),
  };
}

function ok(outcome: CallOutcome, tool: string): Structured {
  if (outcome.isError) throw new Error(`${tool} failed: ${outcome.text}`);
  expect(outcome.bytes, `${tool} result size`).toBeLessThan(TOOL_BOUNDS[tool] ?? 64_000);
  expect(outcome.text.length).toBeGreaterThan(0);
  return outcome.structured;
}

/**
 * Lists the tools and calls every local one with realistic arguments taken from earlier answers (a
 * principal from list_principals, an event from list_anomalies), checking the answers' shape, content and
 * byte size; returns the call results for transport-specific checks.
 */
export async function exerciseAllTools(client: Client): Promise<Record<string, Structured>> {
  const listed = await client.listTools();
  const names = listed.tools.map((tool) => tool.name).sort();
  for (const tool of LOCAL_TOOLS) expect(names).toContain(tool);
  for (const tool of listed.tools) {
    expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    expect(tool.outputSchema, tool.name).toBeDefined();
    expect((tool.description ?? "").length, tool.name).toBeGreaterThan(120);
  }
  const out: Record<string, Structured> = {};
  out.get_data_status = ok(await call(client, "get_data_status"), "get_data_status");
  expect(out.get_data_status.events).toBeGreaterThan(1000);
  expect(out.get_data_status.scores.available).toBe(true);

  out.list_principals = ok(
    await call(client, "list_principals", { sortBy: "events", limit: 5 }),
    "list_principals",
  );
  expect(out.list_principals.principals).toHaveLength(5);
  const busiest = out.list_principals.principals[0];
  expect(busiest.events).toBeGreaterThanOrEqual(out.list_principals.principals[1].events);

  out.get_principal_profile = ok(
    await call(client, "get_principal_profile", { principal: busiest.principal }),
    "get_principal_profile",
  );
  expect(out.get_principal_profile.events).toBe(busiest.events);
  expect(out.get_principal_profile.activeHoursUtc.reduce((a: number, b: number) => a + b, 0)).toBe(
    busiest.events,
  );

  out.predict_next_actions = ok(
    await call(client, "predict_next_actions", { principal: busiest.principal, k: 5 }),
    "predict_next_actions",
  );
  const total = out.predict_next_actions.predictions.reduce(
    (sum: number, p: { probability: number }) => sum + p.probability,
    0,
  );
  expect(out.predict_next_actions.predictions.length).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(1.0001);

  out.predict_activity_window = ok(
    await call(client, "predict_activity_window", { principal: busiest.principal, hours: 4 }),
    "predict_activity_window",
  );
  expect(out.predict_activity_window.likelyHours).toHaveLength(4);

  out.list_anomalies = ok(await call(client, "list_anomalies", { minScore: 0, limit: 5 }), "list_anomalies");
  const scores = out.list_anomalies.anomalies.map((a: { score: number }) => a.score);
  expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
  const top = out.list_anomalies.anomalies[0];

  out.explain_event = ok(
    await call(client, "explain_event", { eventId: top.event.eventId, context: 3 }),
    "explain_event",
  );
  expect(out.explain_event.raw.eventID).toBe(top.event.eventId);
  expect(out.explain_event.score).toBe(top.score);

  out.lookup_events = ok(
    await call(client, "lookup_events", { start: "1 day ago", limit: 20 }),
    "lookup_events",
  );
  expect(out.lookup_events.events.length).toBeGreaterThan(0);

  out.get_timeline = ok(
    await call(client, "get_timeline", { start: "3 days ago", buckets: 72, groupBy: "service" }),
    "get_timeline",
  );
  const summed = out.get_timeline.totals.reduce(
    (sum: number, bucket: number[]) => sum + (bucket[1] as number),
    0,
  );
  expect(summed).toBe(out.get_timeline.totalEvents);
  return out;
}

/** Bad arguments: each must come back as an isError result with a message naming the problem. */
export async function exerciseBadArguments(client: Client): Promise<void> {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["lookup_events", { principal: "no-such-principal" }, /unknown principal/],
    ["get_principal_profile", { principal: "no-such-principal" }, /unknown principal/],
    ["lookup_events", { start: "now", end: "2 hours ago" }, /must be before/],
    ["lookup_events", { limit: 1e9 }, /limit|500/],
    ["lookup_events", { cursor: "not-a-cursor" }, /malformed cursor/],
    ["lookup_events", { start: "the day the music died" }, /cannot read time/],
    ["list_anomalies", { cursor: "eyJraW5kIjoieCJ9" }, /malformed cursor/],
    ["explain_event", { eventId: "00000000-0000-0000-0000-000000000000" }, /no event/],
    ["predict_next_actions", { principal: "no-such-principal" }, /unknown principal/],
    ["predict_next_actions", { principal: "x", k: 1e9 }, /k|25/],
    ["lookup_events", { minScore: 1.5 }, /minScore|1/],
    ["get_timeline", { minScore: -0.1 }, /minScore|0/],
  ];
  for (const [tool, args, message] of cases) {
    const outcome = await call(client, tool, args);
    expect(outcome.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
    expect(outcome.text).toMatch(message);
  }
}
