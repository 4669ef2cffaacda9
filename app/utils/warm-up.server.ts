import { planWindow } from "../components/timeline/timeline-data.ts";
import { timelineWindow } from "./timeline-window.server.ts";
import { dataStatus, forecast, listPrincipals } from "./trail-data.server.ts";
import { defaultRange, parseViewState } from "./view-state.ts";

/** What the timeline page asks for first: the loader's principals and the forecasts of the busiest. */
export const PAGE_PRINCIPALS = 40;
export const FORECAST_PRINCIPALS = 12;

/**
 * Start-up work, in the order a first visitor needs it: the data status and principals (the page loader), the
 * default timeline window (first paint), then the forecasts of the busiest principals (the first prediction
 * builds the behaviour model, which holds the store and the event loop for a while, so it comes last).
 */
export async function warmUp(): Promise<void> {
  const status = await dataStatus();
  const principals = await listPrincipals({ limit: PAGE_PRINCIPALS });
  const range = defaultRange(status);
  const defaults = parseViewState(new URLSearchParams());
  const plan = planWindow(range.from, range.to);
  await timelineWindow(
    {
      from: plan.from,
      to: plan.to,
      buckets: plan.buckets,
      group: defaults.group,
      filters: defaults.filters,
    },
    { priority: "background" },
  );
  await Promise.allSettled(principals.slice(0, FORECAST_PRINCIPALS).map((p) => forecast(p.key)));
}
