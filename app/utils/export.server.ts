import type { EventSummary } from "../../core/query/event-summary.ts";
import { csvRow, jsonLine } from "./csv.ts";
import { lookupEvents } from "./trail-data.server.ts";
import { parseViewState } from "./view-state.ts";

/** Exports stop here; narrow the filters or the range for more (the header says so). */
export const MAX_EXPORT_EVENTS = 100_000;
const PAGE = 500;

const CSV_COLUMNS = [
  "eventId",
  "time",
  "principal",
  "principalName",
  "action",
  "eventSource",
  "region",
  "sourceIp",
  "userAgent",
  "readOnly",
  "errorCode",
  "resources",
  "score",
] as const satisfies readonly (keyof EventSummary)[];

/**
 * The filtered events of the timeline view as JSON Lines or CSV, streamed page by page through lookup_events
 * (oldest first), so memory stays flat and the download starts at once.
 */
export function exportResponse(request: Request, format: "jsonl" | "csv"): Response {
  const url = new URL(request.url);
  const { from, to, filters } = parseViewState(url.searchParams);
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let written = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (format === "csv") controller.enqueue(encoder.encode(csvRow(CSV_COLUMNS)));
      }
      if (request.signal.aborted) return controller.close();
      const page = await lookupEvents(
        filters,
        { from: from ?? 0, ...(to !== undefined ? { to } : {}) },
        {
          limit: Math.min(PAGE, MAX_EXPORT_EVENTS - written),
          cursor,
          order: "oldest",
        },
      );
      // The minimum anomaly score is one of the filters lookup_events applies.
      const text = page.events
        .map((event) =>
          format === "csv" ? csvRow(CSV_COLUMNS.map((column) => event[column])) : jsonLine(event),
        )
        .join("");
      controller.enqueue(encoder.encode(text));
      written += page.events.length;
      cursor = page.nextCursor;
      if (!cursor || written >= MAX_EXPORT_EVENTS || page.events.length === 0) controller.close();
    },
  });
  const name = `trailcast-events.${format}`;
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "x-export-limit": String(MAX_EXPORT_EVENTS),
      "cache-control": "no-store",
    },
  });
}
