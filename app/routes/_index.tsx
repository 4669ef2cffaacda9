import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { defer, redirect } from "@remix-run/node";
import {
  type ShouldRevalidateFunction,
  useFetcher,
  useLoaderData,
  useNavigate,
  useSearchParams,
} from "@remix-run/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { EventDrawer } from "../components/event-drawer.tsx";
import { FilterBar } from "../components/filter-bar.tsx";
import { Timeline } from "../components/timeline/timeline.tsx";
import { planWindow, type TimelinePayload } from "../components/timeline/timeline-data.ts";
import { timelineWindow } from "../utils/timeline-window.server.ts";
import { dataStatus, eventDetail, listPrincipals } from "../utils/trail-data.server.ts";
import type { Forecast } from "../utils/trail-types.ts";
import { defaultRange, parseViewState, writeViewState } from "../utils/view-state.ts";
import { PAGE_PRINCIPALS } from "../utils/warm-up.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const state = parseViewState(url.searchParams);
  const eventId = url.searchParams.get("event");
  // A link to an event without a range (chat citations, anomalies): centre the view on it.
  if (eventId && state.from === undefined) {
    const detail = await eventDetail(eventId);
    if (detail) {
      const params = writeViewState(
        { ...state, from: detail.event.time - 15 * 60_000, to: detail.event.time + 15 * 60_000 },
        url.searchParams,
      );
      return redirect(`/?${params.toString()}`);
    }
  }
  const [status, principals] = await Promise.all([dataStatus(), listPrincipals({ limit: PAGE_PRINCIPALS })]);
  const fallback = defaultRange(status);
  const range = { from: state.from ?? fallback.from, to: state.to ?? fallback.to };
  // The first view's window streams with the document (deferred: the page shell does not wait for it), so the
  // timeline paints without a round trip after hydration; the default one is computed at start-up.
  const plan = planWindow(range.from, range.to);
  const window: Promise<TimelinePayload | null> = timelineWindow(
    { from: plan.from, to: plan.to, buckets: plan.buckets, group: state.group, filters: state.filters },
    { priority: "interactive", signal: request.signal },
  ).then(
    (result) => result.payload,
    () => null,
  );
  return defer({
    status,
    principals: principals.map((p) => ({ key: p.key, label: p.name, events: p.events })),
    range,
    window,
  });
}

// Panning and zooming only change from/to/event: the page data stays valid, the timeline fetches its windows.
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  defaultShouldRevalidate,
}) => {
  const strip = (u: URL) => {
    const p = new URLSearchParams(u.searchParams);
    for (const name of ["from", "to", "event"]) p.delete(name);
    p.sort();
    return `${u.pathname}?${p.toString()}`;
  };
  if (currentUrl.pathname === nextUrl.pathname && strip(currentUrl) === strip(nextUrl)) {
    return nextUrl.searchParams.get("event") !== null && nextUrl.searchParams.get("from") === null;
  }
  return defaultShouldRevalidate;
};

export const meta: MetaFunction = () => [{ title: "Timeline · Trailcast" }];

export default function TimelinePage() {
  const data = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const state = useMemo(() => parseViewState(params), [params]);
  const from = state.from ?? data.range.from;
  const to = state.to ?? data.range.to;
  const selected = params.get("event");

  const lanes = useMemo(
    () =>
      state.group === "principal" && !state.filters.principal
        ? data.principals.map(({ key, label }) => ({ key, label }))
        : [],
    [state.group, state.filters.principal, data.principals],
  );

  const forecasts = useFetcher<{ forecasts: Forecast[] }>();
  const forecastKeys =
    state.filters.principal ??
    data.principals
      .slice(0, 12)
      .map((p) => p.key)
      .join("\n");
  // The future lane loads after the first timeline window is drawn: both share the server's store queue.
  const [timelineReady, setTimelineReady] = useState(false);
  const onFirstData = useCallback(() => setTimelineReady(true), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per principal set
  useEffect(() => {
    if (!timelineReady) return;
    forecasts.load(
      `/api/forecasts?${new URLSearchParams(forecastKeys.split("\n").map((k) => ["principal", k])).toString()}`,
    );
  }, [forecastKeys, timelineReady]);

  const namedForecasts = useMemo(() => {
    const names = new Map(data.principals.map((p) => [p.key, p.label]));
    return (forecasts.data?.forecasts ?? []).map((f) => ({ ...f, name: names.get(f.principal) ?? f.name }));
  }, [forecasts.data, data.principals]);

  const onViewChange = useCallback(
    (f: number, t: number) => {
      setParams((current) => writeViewState({ ...parseViewState(current), from: f, to: t }, current), {
        preventScrollReset: true,
      });
    },
    [setParams],
  );

  const onSelectEvent = useCallback(
    (id: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const s = parseViewState(current);
          if (s.from === undefined) {
            next.set("from", new Date(from).toISOString());
            next.set("to", new Date(to).toISOString());
          }
          next.set("event", id);
          return next;
        },
        { preventScrollReset: true },
      );
    },
    [setParams, from, to],
  );

  const onNavigateAnomaly = useCallback(
    async (direction: "next" | "previous", f: number, t: number) => {
      const q = new URLSearchParams(writeViewState({ ...state, from: undefined, to: undefined }));
      q.set("direction", direction);
      q.set("at", String(Math.round((f + t) / 2)));
      const response = await fetch(`/api/anomaly-nav?${q.toString()}`);
      if (!response.ok) return;
      const found = (await response.json()) as { eventId: string; time: number } | null;
      if (!found) return;
      const span = t - f;
      const next = writeViewState(
        { ...state, from: found.time - span / 2, to: found.time + span / 2 },
        params,
      );
      next.set("event", found.eventId);
      navigate(`/?${next.toString()}`, { preventScrollReset: true });
    },
    [state, params, navigate],
  );

  return (
    <div className="flex flex-col gap-3 p-4">
      <FilterBar state={state} principals={data.principals} range={{ from, to }} />
      {data.status.events === 0 ? (
        <p role="status">
          The store is empty. Ingest CloudTrail logs with `npx trailcast ingest` and reload.
        </p>
      ) : null}
      <Timeline
        from={from}
        to={to}
        group={state.group}
        filters={state.filters}
        initialLanes={lanes}
        latest={data.status.last}
        forecasts={namedForecasts}
        selectedId={selected}
        onSelectEvent={onSelectEvent}
        onViewChange={onViewChange}
        onNavigateAnomaly={onNavigateAnomaly}
        onFirstData={onFirstData}
        initialWindow={data.window}
      />
      <p className="text-xs text-slate-500">
        {data.status.events.toLocaleString("en")} events · {data.status.principals} principals · source{" "}
        {data.status.source}. Wheel or pinch to zoom, drag to pan, shift-drag or drag the time axis to select
        a range, double-click to zoom in, click a bar to zoom into it, click an event to open it. Keys
        (timeline focused): W/S zoom, A/D pan, N/P next or previous anomaly.
      </p>
      {selected ? (
        <EventDrawer
          eventId={selected}
          onClose={() =>
            setParams(
              (current) => {
                const next = new URLSearchParams(current);
                next.delete("event");
                return next;
              },
              { preventScrollReset: true },
            )
          }
        />
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
