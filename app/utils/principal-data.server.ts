import type { EventSummary } from "../../core/query/event-summary.ts";
import type { Timeline } from "../../core/query/timeline.ts";
import { callTool } from "./mcp.server.ts";
import { toRow } from "./trail-data.server.ts";
import type { EventRow, PrincipalProfile, Transition } from "./trail-types.ts";

/** Principal-page data beyond the profile tool: recent sequence, what follows what, hour-of-week activity. */

const iso = (ms: number) => new Date(ms).toISOString();

/** The principal's latest events (oldest first); lookup_events defaults to the last day, so the range is explicit. */
export async function recentEvents(principal: string, since: number, limit = 500): Promise<EventRow[]> {
  const result = await callTool<{ events: EventSummary[] }>("lookup_events", {
    principal,
    start: iso(since),
    limit,
    order: "newest",
  });
  return result.events.map(toRow).reverse();
}

/** What-follows-what: counts of consecutive action pairs in the principal's recent events (oldest first). */
export function transitions(events: readonly EventRow[], top = 20): Transition[] {
  const counts = new Map<string, Transition>();
  for (let i = 1; i < events.length; i++) {
    const from = (events[i - 1] as EventRow).action;
    const to = (events[i] as EventRow).action;
    const key = `${from}\u0000${to}`;
    const entry = counts.get(key) ?? { from, to, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1))
    .slice(0, top);
}

/**
 * 7 × 24 activity (UTC, Monday first). Exact when get_timeline can bucket the principal's span hourly
 * (≤ 1000 hours); otherwise estimated from the profile's hour-of-day and weekday totals.
 */
export async function hourOfWeek(
  profile: PrincipalProfile,
): Promise<{ cells: number[]; estimated: boolean }> {
  const cells = new Array<number>(7 * 24).fill(0);
  if (profile.first !== null && profile.last !== null) {
    const result = await callTool<Timeline>("get_timeline", {
      principal: profile.key,
      start: iso(profile.first),
      end: iso(profile.last + 1),
      buckets: 1000,
      groupBy: "principal",
      maxGroups: 1,
      eventsUpTo: 0,
    });
    if (result.bucketMs <= 3_600_000) {
      const start = Date.parse(result.start);
      for (const [index, n] of result.totals) {
        const date = new Date(start + index * result.bucketMs);
        const cell = ((date.getUTCDay() + 6) % 7) * 24 + date.getUTCHours();
        cells[cell] = (cells[cell] ?? 0) + n;
      }
      return { cells, estimated: false };
    }
  }
  const total = Math.max(1, profile.events);
  for (let d = 0; d < 7; d++)
    for (let h = 0; h < 24; h++)
      cells[d * 24 + h] = ((profile.activeWeekdaysUtc[d] ?? 0) * (profile.activeHoursUtc[h] ?? 0)) / total;
  return { cells, estimated: true };
}
