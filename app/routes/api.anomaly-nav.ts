import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { invariantResponse } from "../components/error-boundary.tsx";
import { dataStatus, listAnomalies } from "../utils/trail-data.server.ts";
import { parseViewState } from "../utils/view-state.ts";

const HOUR = 3_600_000;

/**
 * The nearest anomaly (score ≥ max(0.5, minScore)) strictly after or before `at`. list_anomalies ranks by
 * score, so the search widens a time window from `at` (1 h, doubling) and takes the closest hit of the first
 * window that has any.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const at = Number(url.searchParams.get("at"));
  const direction = url.searchParams.get("direction") === "previous" ? "previous" : "next";
  invariantResponse(Number.isFinite(at), "at (epoch ms) is required");
  const { filters } = parseViewState(url.searchParams);
  const status = await dataStatus();
  const limit = direction === "next" ? (status.last ?? at) + 1 : (status.first ?? at);
  const minScore = Math.max(0.5, filters.minScore);
  for (let span = HOUR; ; span *= 2) {
    const range =
      direction === "next"
        ? { from: at + 1, to: Math.min(at + 1 + span, limit) }
        : { from: Math.max(at - span, limit), to: at };
    if (range.from >= range.to) return json(null);
    const found = await listAnomalies({
      ...range,
      minScore,
      limit: 100,
      ...(filters.principal ? { principal: filters.principal } : {}),
    });
    if (found.length > 0) {
      const best = found.reduce((a, b) =>
        (direction === "next" ? b.time < a.time : b.time > a.time) ? b : a,
      );
      return json({ eventId: best.eventId, time: best.time });
    }
    if (direction === "next" ? range.to >= limit : range.from <= limit) return json(null);
  }
}
