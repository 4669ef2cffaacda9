import type { ActivityWindow as CoreWindow } from "../../core/query/activity-window.ts";
import type { Anomaly as CoreAnomaly } from "../../core/query/anomalies.ts";
import type { DataStatus as CoreStatus } from "../../core/query/data-status.ts";
import type { EventSummary } from "../../core/query/event-summary.ts";
import type { EventExplanation } from "../../core/query/explain-event.ts";
import type { NextActionsResult } from "../../core/query/predictions.ts";
import type { PrincipalProfile as CoreProfile } from "../../core/query/principal-profile.ts";
import type { PrincipalSummary as CorePrincipal } from "../../core/query/principals.ts";
import type { Timeline } from "../../core/query/timeline.ts";
import { callTool, McpToolError } from "./mcp.server.ts";
import type {
  Anomaly,
  DataStatus,
  EventDetail,
  EventRow,
  Forecast,
  PrincipalProfile,
  PrincipalSummary,
} from "./trail-types.ts";
import { TtlCache } from "./ttl-cache.ts";
import type { Filters } from "./view-state.ts";

/**
 * Typed wrappers over the MCP tools: every CloudTrail-derived value the web app shows comes through here,
 * shaped into the app's types (trail-types.ts). Tool output types are the core query types the MCP server
 * returns as structuredContent.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (text: string | null | undefined) => (text ? Date.parse(text) : null);

/**
 * Timeline filters → the filter arguments get_timeline and lookup_events share. The minimum anomaly score is
 * applied by the tools (on the stored scores), so counts and pages hold only events scoring at least it.
 */
export function filterArgs(filters: Partial<Filters>): Record<string, unknown> {
  return {
    ...(filters.principal ? { principal: filters.principal } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.service
      ? { eventSource: filters.service.includes(".") ? filters.service : `${filters.service}.amazonaws.com` }
      : {}),
    ...(filters.errorsOnly ? { errorCode: "*" } : {}),
    ...(filters.minScore && filters.minScore > 0 ? { minScore: filters.minScore } : {}),
    ...(filters.readWrite === "read"
      ? { readOnly: true }
      : filters.readWrite === "write"
        ? { readOnly: false }
        : {}),
  };
}

/**
 * Every page and window asks for the status (latest event time): kept 30 s, then served stale for up to an
 * hour while it refreshes, so nobody waits for it behind a busy store.
 */
const statusCache = new TtlCache<DataStatus>(30_000, 1, 3_600_000);

export function dataStatus(): Promise<DataStatus> {
  return statusCache.get("status", fetchStatus);
}

async function fetchStatus(): Promise<DataStatus> {
  const status = await callTool<CoreStatus>("get_data_status", {});
  return {
    events: status.events,
    principals: status.principals,
    first: ms(status.dataStart),
    last: ms(status.dataEnd),
    source: status.sources.map((s) => s.kind).join(", "),
  };
}

export function toRow(e: EventSummary): EventRow {
  return {
    eventId: e.eventId,
    time: Date.parse(e.time),
    action: e.action,
    principal: e.principal,
    principalName: e.principalName,
    region: e.region,
    sourceIp: e.sourceIp,
    userAgent: e.userAgent,
    readOnly: e.readOnly,
    errorCode: e.errorCode,
  };
}

/** The summary fields shared by a list_principals row and a get_principal_profile result. */
type SummaryFields = Pick<
  CorePrincipal,
  "principal" | "name" | "type" | "events" | "errors" | "firstSeen" | "lastSeen" | "maxScore" | "anomalies"
>;

function toPrincipal(p: SummaryFields): PrincipalSummary {
  return {
    key: p.principal,
    name: p.name,
    type: p.type,
    events: p.events,
    errors: p.errors,
    first: ms(p.firstSeen),
    last: ms(p.lastSeen),
    maxScore: p.maxScore,
    anomalies: p.anomalies,
  };
}

/** Every timeline page load asks for the busiest principals: kept for 30 s per query, then served stale while refreshed. */
const principalsCache = new TtlCache<PrincipalSummary[]>(30_000, 100, 3_600_000);

export function listPrincipals(
  options: { limit?: number; sortBy?: string; search?: string } = {},
): Promise<PrincipalSummary[]> {
  return principalsCache.get(JSON.stringify(options), () => fetchPrincipals(options));
}

async function fetchPrincipals(options: {
  limit?: number;
  sortBy?: string;
  search?: string;
}): Promise<PrincipalSummary[]> {
  const result = await callTool<{ principals: CorePrincipal[] }>("list_principals", {
    limit: options.limit ?? 100,
    sortBy: options.sortBy ?? "events",
    ...(options.search ? { search: options.search } : {}),
  });
  return result.principals.map(toPrincipal);
}

/** Weekly-ish activity per principal for sparklines: one bucketed timeline over the whole data span. */
export async function sparklines(from: number, to: number, buckets = 40): Promise<Record<string, number[]>> {
  const result = await callTool<Timeline>("get_timeline", {
    start: iso(from),
    end: iso(to + 1),
    buckets,
    groupBy: "principal",
    maxGroups: 25,
    eventsUpTo: 0,
  });
  const lines: Record<string, number[]> = {};
  for (const track of result.tracks) {
    const line = new Array<number>(result.bucketCount).fill(0);
    for (const [index, n] of track.buckets) if (index >= 0 && index < line.length) line[index] = n;
    lines[track.key] = line;
  }
  return lines;
}

export async function principalProfile(principal: string): Promise<PrincipalProfile> {
  const p = await callTool<CoreProfile>("get_principal_profile", { principal });
  return {
    ...toPrincipal(p),
    accountId: p.accountId,
    roleArn: p.roleArn,
    topActionCounts: p.topActions.map((c) => ({ action: c.value, count: c.events })),
    topServices: p.topServices.map((c) => ({ action: c.value, count: c.events })),
    activeHoursUtc: p.activeHoursUtc,
    activeWeekdaysUtc: p.activeWeekdaysUtc,
    regions: p.regions.map((c) => c.value),
    sourceIps: p.sourceIps.map((c) => c.value),
    userAgents: p.userAgents.map((c) => c.value),
    errorCodes: p.errorCodes.map((c) => ({ action: c.value, count: c.events })),
    peerGroup: p.peerGroup,
  };
}

/** Forecasts only change when the data does: kept for a minute, then served stale while refreshed (the timeline asks for a dozen per page). */
const forecastCache = new TtlCache<Forecast>(60_000, 500, 3_600_000);

/** The future lane is secondary: its tool calls wait behind views and page loads. */
export function forecast(principal: string, k = 5): Promise<Forecast> {
  return forecastCache.get(`${k}\u0000${principal}`, () => computeForecast(principal, k));
}

async function computeForecast(principal: string, k: number): Promise<Forecast> {
  const background = { priority: "background" } as const;
  const [next, window, status] = await Promise.all([
    callTool<NextActionsResult>("predict_next_actions", { principal, k }, background),
    callTool<CoreWindow>("predict_activity_window", { principal, hours: 6 }, background),
    dataStatus(),
  ]);
  const gap = window.medianGapSeconds === null ? null : window.medianGapSeconds * 1000;
  const after = Date.parse(window.lastSeen);
  const windows = window.likelyHours.map((h) => ({
    start: Date.parse(h.hourStart),
    end: Date.parse(h.hourStart) + 3_600_000,
    p: h.probability,
  }));
  // The continuation of the latest session comes first when the model has a typical gap for it.
  const expected = window.expectedNextEvent ? Date.parse(window.expectedNextEvent) : null;
  if (expected !== null && gap !== null)
    windows.unshift({
      start: expected,
      end: expected + Math.max(gap, 60_000),
      p: 1 - (next.otherProbability ?? 0),
    });
  // The future lane starts at the latest event in the data: a session continuation that would have been
  // due before it did not happen and is not a forecast any more.
  const dataEnd = status.last ?? after;
  return {
    principal: next.principal,
    name: principal,
    after,
    predictions: next.predictions.map((p) => ({ action: p.action, p: p.probability })),
    otherProbability: next.otherProbability,
    context: next.context,
    windows: windows.filter((w) => w.end > dataEnd),
    medianGapMs: gap,
  };
}

function toAnomaly(a: CoreAnomaly): Anomaly {
  return {
    eventId: a.event.eventId,
    time: Date.parse(a.event.time),
    principal: a.event.principal,
    principalName: a.event.principalName,
    action: a.event.action,
    score: a.score,
    reasons: a.reasons,
    tactic: a.tactic,
    technique: a.technique,
    errorCode: a.event.errorCode,
  };
}

export async function listAnomalies(options: {
  from?: number;
  to?: number;
  principal?: string;
  minScore?: number;
  limit?: number;
}): Promise<Anomaly[]> {
  const result = await callTool<{ anomalies: CoreAnomaly[] }>("list_anomalies", {
    ...(options.from !== undefined ? { start: iso(options.from) } : {}),
    ...(options.to !== undefined ? { end: iso(options.to) } : {}),
    ...(options.principal ? { principal: options.principal } : {}),
    minScore: options.minScore ?? 0.5,
    limit: options.limit ?? 50,
  });
  return result.anomalies.map(toAnomaly);
}

export async function eventDetail(eventId: string): Promise<EventDetail | null> {
  let explained: EventExplanation;
  try {
    explained = await callTool<EventExplanation>("explain_event", { eventId, context: 8 });
  } catch (error) {
    if (error instanceof McpToolError) return null;
    throw error;
  }
  return {
    event: toRow(explained.event),
    raw: typeof explained.raw === "string" ? explained.raw : JSON.stringify(explained.raw),
    rawTruncated: explained.rawTruncated,
    score: explained.score,
    reasons: explained.reasons,
    tactic: explained.tactic,
    technique: explained.technique,
    neighbours: [...explained.before, explained.event, ...explained.after].map(toRow),
  };
}

export async function lookupEvents(
  filters: Partial<Filters>,
  range: { from?: number; to?: number },
  options: { limit: number; cursor?: string | null; order?: "oldest" | "newest" },
): Promise<{ events: EventSummary[]; nextCursor: string | null }> {
  return callTool<{ events: EventSummary[]; nextCursor: string | null }>("lookup_events", {
    ...filterArgs(filters),
    ...(range.from !== undefined ? { start: iso(range.from) } : {}),
    ...(range.to !== undefined ? { end: iso(range.to) } : {}),
    limit: options.limit,
    order: options.order ?? "oldest",
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
}
