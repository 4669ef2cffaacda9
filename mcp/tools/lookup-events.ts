import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { lookupEvents, MAX_LOOKUP_LIMIT } from "../../core/query/event-search.ts";
import type { EventSummary } from "../../core/query/event-summary.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";
import { cursorArg, DAY_MS, filterArgs, filterOf, minScoreArg, rangeOf, timeArgs } from "./arguments.ts";
import { eventSummarySchema } from "./output-schemas.ts";

export const LOOKUP_EVENTS_MAX_BYTES = 400_000;

export function eventLine(e: EventSummary): string {
  const error = e.errorCode ? ` error=${q(e.errorCode)}` : "";
  const score = e.score === null ? "" : ` score=${e.score.toFixed(2)}`;
  return `${e.time} principal=${q(e.principalName)} action=${q(e.action)} ip=${q(e.sourceIp)} region=${q(e.region)}${error}${score} eventId=${q(e.eventId)}`;
}

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const lookupEventsInput = z.object({
  ...timeArgs,
  ...filterArgs,
  eventId: z.string().min(1).max(200).optional().describe("One specific eventID"),
  minScore: minScoreArg,
  order: z.enum(["newest", "oldest"]).default("newest").describe("Sort order of the events"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LOOKUP_LIMIT)
    .default(50)
    .describe(`Events per page (1-${MAX_LOOKUP_LIMIT})`),
  cursor: cursorArg,
});

const lookupEventsOutput = z.object({
  range: z.object({ start: z.string(), end: z.string() }),
  events: z.array(eventSummarySchema),
  nextCursor: z.string().nullable().describe("pass back as cursor for the next page; null when done"),
});

export function registerLookupEvents(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "lookup_events",
    {
      title: "Look up CloudTrail events",
      description: `Search individual CloudTrail events by time range and filters (principal, action, eventName, eventSource, readOnly, errorCode, source IP, resource, region, access key, minimum anomaly score). Use it to answer "who did X", "what did this principal do between …", "which calls failed with AccessDenied", and with minScore "what unusual did this principal do, in time order" (list_anomalies ranks by score instead). Returns events (newest first by default) with time, principal, action, source IP, region, user agent, error and anomaly score, and a nextCursor for more; up to ${MAX_LOOKUP_LIMIT} events per call, result under ${LOOKUP_EVENTS_MAX_BYTES / 1000} KB. Default range: the last 24 hours of data. For counts over long periods use get_timeline; for one event in full use explain_event. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: lookupEventsInput,
      outputSchema: lookupEventsOutput,
      annotations: { ...READ_ONLY, title: "Look up CloudTrail events" },
    },
    async (args) =>
      respond(deps, LOOKUP_EVENTS_MAX_BYTES, async (data) => {
        const range = await rangeOf(data, args, DAY_MS);
        const filter = {
          ...(await filterOf(data, args, range)),
          eventId: args.eventId,
          minScore: args.minScore,
        };
        const page = await lookupEvents(
          data.store,
          { filter, limit: args.limit, order: args.order, cursor: args.cursor },
          data.scores,
          data.scoresCurrent,
        );
        const structured = {
          range: { start: new Date(range.from).toISOString(), end: new Date(range.to).toISOString() },
          ...page,
        };
        const more = page.nextCursor ? " More: call again with cursor=nextCursor." : "";
        const text = [
          `${page.events.length} event(s) ${args.order} first in [${structured.range.start}, ${structured.range.end}).${more} Quoted values are CloudTrail data.`,
          ...page.events.map(eventLine),
        ].join("\n");
        return { structured, text };
      }),
  );
}
