import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ApplyButton } from "../components/apply-button.tsx";
import { GeneralErrorBoundary, invariantResponse } from "../components/error-boundary.tsx";
import { listAnomalies } from "../utils/trail-data.server.ts";
import type { Anomaly } from "../utils/trail-types.ts";
import { getTriage, setTriage, type Triage } from "../utils/triage.server.ts";
import { timelineHref } from "../utils/view-state.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const minScore = Math.min(1, Math.max(0, Number(url.searchParams.get("minScore") ?? 0.5) || 0));
  const principal = url.searchParams.get("principal") || undefined;
  const starredOnly = url.searchParams.get("starred") === "1";
  const anomalies = await listAnomalies({ minScore, limit: 100, ...(principal ? { principal } : {}) });
  const triage = await getTriage(anomalies.map((a) => a.eventId));
  const rows = anomalies.filter((a) => !starredOnly || triage[a.eventId]?.starred);
  return json({ anomalies: rows, triage, minScore, starredOnly, principal: principal ?? "" });
}

const triageForm = z.object({
  eventId: z.string().min(1).max(200),
  intent: z.enum(["star", "unstar", "save"]),
  tags: z.string().max(400).optional(),
  note: z.string().max(4000).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = triageForm.safeParse(Object.fromEntries(await request.formData()));
  invariantResponse(parsed.success, "expected eventId and intent (star, unstar or save)");
  const { eventId, intent, tags, note } = parsed.data;
  if (intent === "star" || intent === "unstar")
    return json({ eventId, triage: await setTriage(eventId, { starred: intent === "star" }) });
  const tagList = (tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return json({ eventId, triage: await setTriage(eventId, { tags: tagList, note: note ?? "" }) });
}

export const meta: MetaFunction = () => [{ title: "Anomalies · Trailcast" }];

export default function AnomaliesPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4 p-4">
      <h1 className="text-xl font-semibold">Anomalies</h1>
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Min score</span>
          <input
            name="minScore"
            type="number"
            min={0}
            max={1}
            step={0.05}
            defaultValue={data.minScore}
            className="w-20 rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Principal key</span>
          <input
            name="principal"
            defaultValue={data.principal}
            className="rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="starred" value="1" defaultChecked={data.starredOnly} /> Starred only
        </label>
        <ApplyButton />
      </Form>
      {data.anomalies.length === 0 ? <p role="status">No anomalies at or above this score.</p> : null}
      <ol className="space-y-3" aria-label="Anomalies, highest score first">
        {data.anomalies.map((a, index) => (
          <AnomalyItem key={a.eventId} rank={index + 1} anomaly={a} triage={data.triage[a.eventId]} />
        ))}
      </ol>
    </div>
  );
}

function AnomalyItem({
  rank,
  anomaly,
  triage,
}: {
  rank: number;
  anomaly: Anomaly;
  triage: Triage | undefined;
}) {
  const star = useFetcher<typeof action>();
  const save = useFetcher<typeof action>();
  const starred = star.formData ? star.formData.get("intent") === "star" : (triage?.starred ?? false);
  return (
    <li className="rounded border border-slate-200 p-3 dark:border-slate-800" data-testid="anomaly">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="text-slate-500">#{rank}</span>
        <span className="rounded bg-red-100 px-1.5 font-mono text-sm text-red-900 dark:bg-red-900 dark:text-red-100">
          {(anomaly.score * 100).toFixed(0)}%
        </span>
        <span className="font-semibold break-all">{anomaly.action}</span>
        <span className="break-all">
          by{" "}
          <Link className="underline" to={`/principals/${encodeURIComponent(anomaly.principal)}`}>
            {anomaly.principalName}
          </Link>
        </span>
        <span className="text-xs text-slate-500">
          {new Date(anomaly.time).toISOString().replace("T", " ").slice(0, 19)} UTC
        </span>
        {anomaly.tactic ? (
          <span className="rounded bg-violet-100 px-1.5 text-xs text-violet-900 dark:bg-violet-900 dark:text-violet-100">
            ATT&CK {anomaly.tactic}
            {anomaly.technique ? ` · ${anomaly.technique}` : ""}
          </span>
        ) : null}
        {anomaly.errorCode ? <span className="text-xs text-red-600">{anomaly.errorCode}</span> : null}
        <span className="ml-auto flex items-center gap-2">
          <star.Form method="post">
            <input type="hidden" name="eventId" value={anomaly.eventId} />
            <button
              type="submit"
              name="intent"
              value={starred ? "unstar" : "star"}
              aria-pressed={starred}
              aria-label={starred ? "Unstar" : "Star"}
              className="text-lg leading-none"
            >
              {starred ? "★" : "☆"}
            </button>
          </star.Form>
          <Link
            className="text-sm underline"
            to={timelineHref(anomaly.time, { eventId: anomaly.eventId })}
            data-testid="anomaly-timeline-link"
          >
            Show on timeline
          </Link>
        </span>
      </div>
      <ul className="mt-1 list-disc pl-5 text-sm">
        {anomaly.reasons.map((r) => (
          <li key={`${r.kind}:${r.detail}`}>{r.detail}</li>
        ))}
      </ul>
      <save.Form method="post" className="mt-2 flex flex-wrap gap-2 text-xs">
        <input type="hidden" name="eventId" value={anomaly.eventId} />
        <label className="flex items-center gap-1">
          Tags
          <input
            name="tags"
            defaultValue={triage?.tags.join(", ") ?? ""}
            placeholder="e.g. benign, ticket-123"
            className="rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <label className="flex flex-1 items-center gap-1">
          Note
          <input
            name="note"
            defaultValue={triage?.note ?? ""}
            className="flex-1 rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <button
          type="submit"
          name="intent"
          value="save"
          className="rounded border border-slate-300 px-2 dark:border-slate-700"
        >
          {save.state !== "idle" ? "Saving…" : save.data ? "Saved" : "Save"}
        </button>
      </save.Form>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
