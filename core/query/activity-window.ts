import type { Principal } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { round } from "./event-summary.ts";
import type { BehaviourService } from "./model-service.ts";

export const MAX_WINDOW_HOURS = 48;

export interface ActivityWindow {
  principal: string;
  from: string;
  lastSeen: string;
  /** Most likely active hours in the week after `from`, best first: probability of at least one event. */
  likelyHours: Array<{ hourStart: string; probability: number }>;
  /** Median gap between consecutive events of this principal (null without enough history). */
  medianGapSeconds: number | null;
  /** lastSeen + median gap: when a continuation of its latest session would be expected. */
  expectedNextEvent: string | null;
  /** UTC weekday × hour most active historically (from the data). */
  busiestHoursUtc: Array<{ weekday: string; hour: number; events: number }>;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** When the principal is next likely active, from the model's hour-of-week rhythm and gap statistics. */
export async function predictActivityWindow(
  store: TrailStore,
  service: BehaviourService,
  principal: Principal,
  options: { from: number; hours: number },
): Promise<ActivityWindow> {
  const limit = Math.max(1, Math.min(MAX_WINDOW_HOURS, Math.trunc(options.hours)));
  const window = service.nextActive(principal, options.from, limit);
  const [last] = await store.rows<{ last_ms: number }>(
    "SELECT epoch_ms(max(time)) AS last_ms FROM events WHERE principal_key = $1",
    [principal.key],
  );
  const busiest = await store.rows<{ d: number; h: number; n: number }>(
    `SELECT isodow(time) - 1 AS d, hour(time) AS h, count(*) AS n FROM events WHERE principal_key = $1
     GROUP BY d, h ORDER BY n DESC, d, h LIMIT 5`,
    [principal.key],
  );
  const lastMs = last?.last_ms ?? options.from;
  return {
    principal: principal.key,
    from: new Date(options.from).toISOString(),
    lastSeen: new Date(lastMs).toISOString(),
    likelyHours: window.hours.map((h) => ({
      hourStart: new Date(h.hourStart).toISOString(),
      probability: round(h.probability, 4),
    })),
    medianGapSeconds: window.medianGapMs === null ? null : round(window.medianGapMs / 1000, 1),
    expectedNextEvent:
      window.medianGapMs === null ? null : new Date(lastMs + window.medianGapMs).toISOString(),
    busiestHoursUtc: busiest.map((row) => ({ weekday: WEEKDAYS[row.d] ?? "?", hour: row.h, events: row.n })),
  };
}
