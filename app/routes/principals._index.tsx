import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ApplyButton } from "../components/apply-button.tsx";
import { Sparkline } from "../components/charts.tsx";
import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { dataStatus, listPrincipals, sparklines } from "../utils/trail-data.server.ts";

const SORTS = ["events", "maxScore", "lastSeen", "errors"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const sort = SORTS.find((s) => s === url.searchParams.get("sort")) ?? "events";
  const search = url.searchParams.get("q")?.trim().slice(0, 200) || undefined;
  const status = await dataStatus();
  const [principals, lines] = await Promise.all([
    listPrincipals({ limit: 200, sortBy: sort, ...(search ? { search } : {}) }),
    status.first !== null && status.last !== null
      ? sparklines(status.first, status.last)
      : Promise.resolve({} as Record<string, number[]>),
  ]);
  return json({ principals, lines, sort, search: search ?? "" });
}

export const meta: MetaFunction = () => [{ title: "Principals · Trailcast" }];

export default function PrincipalsPage() {
  const { principals, lines, sort, search } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4 p-4">
      <h1 className="text-xl font-semibold">Principals</h1>
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Search</span>
          <input
            name="q"
            defaultValue={search}
            className="rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Sort by</span>
          <select
            name="sort"
            defaultValue={sort}
            className="rounded border border-slate-300 bg-transparent px-1 dark:border-slate-700"
          >
            <option value="events">events</option>
            <option value="maxScore">highest anomaly</option>
            <option value="lastSeen">last seen</option>
            <option value="errors">errors</option>
          </select>
        </label>
        <ApplyButton />
      </Form>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="py-1">Principal</th>
            <th>Type</th>
            <th className="text-right">Events</th>
            <th className="text-right">Errors</th>
            <th className="text-right">Max anomaly</th>
            <th className="pl-4">Activity</th>
            <th>Last seen (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {principals.map((p) => (
            <tr key={p.key} className="border-t border-slate-100 dark:border-slate-800">
              <td className="max-w-md truncate py-1">
                <Link to={`/principals/${encodeURIComponent(p.key)}`} className="underline" title={p.key}>
                  {p.name}
                </Link>
              </td>
              <td className="text-xs">{p.type}</td>
              <td className="text-right tabular-nums">{p.events.toLocaleString("en")}</td>
              <td className="text-right tabular-nums">{p.errors.toLocaleString("en")}</td>
              <td className="text-right tabular-nums">
                {p.maxScore === null ? "–" : `${(p.maxScore * 100).toFixed(0)}%`}
              </td>
              <td className="pl-4">
                <Sparkline values={lines[p.key] ?? []} label={`Activity of ${p.name} over the data span`} />
              </td>
              <td className="text-xs">
                {p.last ? new Date(p.last).toISOString().replace("T", " ").slice(0, 16) : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
