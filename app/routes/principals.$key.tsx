import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionBars, HourHeatmap, PredictionBars, TransitionGraph } from "../components/charts.tsx";
import { GeneralErrorBoundary, invariantResponse } from "../components/error-boundary.tsx";
import { McpToolError } from "../utils/mcp.server.ts";
import { hourOfWeek, recentEvents, transitions } from "../utils/principal-data.server.ts";
import { forecast, listAnomalies, principalProfile } from "../utils/trail-data.server.ts";
import { timelineHref } from "../utils/view-state.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const key = params.key ?? "";
  invariantResponse(key.length > 0, "a principal key is required");
  const profile = await principalProfile(key).catch((error: unknown) => {
    if (error instanceof McpToolError)
      throw new Response(`No principal ${key} in the data.`, { status: 404, statusText: "Not Found" });
    throw error;
  });
  const [next, heatmap, recent, anomalies] = await Promise.all([
    forecast(profile.key, 10),
    hourOfWeek(profile),
    recentEvents(profile.key, profile.first ?? 0, 500),
    listAnomalies({ principal: profile.key, minScore: 0.3, limit: 20 }),
  ]);
  return json({ profile, next, heatmap, transitions: transitions(recent, 24), anomalies });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.profile.name ?? "Principal"} · Trailcast` },
];

export default function PrincipalPage() {
  const { profile, next, heatmap, transitions, anomalies } = useLoaderData<typeof loader>();
  const iso = (t: number | null) =>
    t === null ? "–" : `${new Date(t).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return (
    <div className="space-y-6 p-4">
      <header>
        <h1 className="text-xl font-semibold break-all">{profile.name}</h1>
        <p className="text-xs break-all text-slate-500">{profile.key}</p>
        <p className="mt-1 text-sm">
          {profile.type} · {profile.events.toLocaleString("en")} events ·{" "}
          {profile.errors.toLocaleString("en")} errors · seen {iso(profile.first)} – {iso(profile.last)}
          {profile.peerGroup ? ` · peer group ${profile.peerGroup}` : ""}
        </p>
        <p className="mt-1 text-sm">
          <Link className="underline" to={`/?principal=${encodeURIComponent(profile.key)}`}>
            Open on the timeline
          </Link>
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="next-title">
          <h2 id="next-title" className="font-semibold">
            Predicted next actions
          </h2>
          <p className="mb-2 text-xs text-slate-500">
            After {next.context.length > 0 ? next.context.join(" → ") : "its latest events"};{" "}
            {(next.otherProbability * 100).toFixed(1)}% on other actions.
          </p>
          <div data-testid="predictions">
            <PredictionBars predictions={next.predictions} />
          </div>
          {next.windows.length > 0 ? (
            <>
              <h3 className="mt-3 text-sm font-semibold">Expected activity</h3>
              <ul className="text-xs">
                {next.windows.slice(0, 4).map((w) => (
                  <li key={w.start}>
                    {iso(w.start)} – {new Date(w.end).toISOString().slice(11, 16)} · {(w.p * 100).toFixed(0)}%
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section aria-labelledby="actions-title">
          <h2 id="actions-title" className="mb-2 font-semibold">
            Top actions
          </h2>
          <ActionBars counts={profile.topActionCounts} />
        </section>
        <section aria-labelledby="hours-title">
          <h2 id="hours-title" className="mb-2 font-semibold">
            Active hours
          </h2>
          <HourHeatmap cells={heatmap.cells} estimated={heatmap.estimated} />
        </section>
        <section aria-labelledby="graph-title">
          <h2 id="graph-title" className="mb-2 font-semibold">
            What follows what
          </h2>
          <TransitionGraph transitions={transitions} />
        </section>
      </div>
      <section aria-labelledby="anomalies-title">
        <h2 id="anomalies-title" className="mb-2 font-semibold">
          Anomalies
        </h2>
        {anomalies.length === 0 ? <p className="text-sm text-slate-500">None scoring 30% or more.</p> : null}
        <ol className="space-y-2 text-sm">
          {anomalies.map((a) => (
            <li key={a.eventId}>
              <Link className="underline" to={timelineHref(a.time, { eventId: a.eventId })}>
                {iso(a.time)}
              </Link>{" "}
              <span className="font-mono">{(a.score * 100).toFixed(0)}%</span> {a.action}
              {a.tactic ? <span className="text-violet-700 dark:text-violet-300"> · {a.tactic}</span> : null}
              <ul className="list-disc pl-5 text-xs text-slate-600 dark:text-slate-400">
                {a.reasons.map((r) => (
                  <li key={`${r.kind}:${r.detail}`}>{r.detail}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="where-title" className="grid gap-4 text-xs sm:grid-cols-3">
        <h2 id="where-title" className="sr-only">
          Where from
        </h2>
        <div>
          <h3 className="font-semibold">Regions</h3>
          <p className="break-all">{profile.regions.join(", ")}</p>
        </div>
        <div>
          <h3 className="font-semibold">Source IPs</h3>
          <p className="break-all">{profile.sourceIps.join(", ")}</p>
        </div>
        <div>
          <h3 className="font-semibold">User agents</h3>
          <ul>
            {profile.userAgents.map((ua) => (
              <li key={ua} className="break-all">
                {ua}
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
