import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { forecast } from "../utils/trail-data.server.ts";
import type { Forecast } from "../utils/trail-types.ts";

/** The future lane: next-action predictions and activity windows for up to 16 principals. */
export async function loader({ request }: LoaderFunctionArgs) {
  const principals = [
    ...new Set(new URL(request.url).searchParams.getAll("principal").filter(Boolean)),
  ].slice(0, 16);
  const settled = await Promise.allSettled(principals.map((p) => forecast(p, 5)));
  const forecasts = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])) satisfies Forecast[];
  return json({ forecasts }, { headers: { "cache-control": "private, max-age=60" } });
}
