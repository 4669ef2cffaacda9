import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MAX_BUCKETS, MAX_GROUPS, MAX_TIMELINE_EVENTS, timeline } from "../../core/query/timeline.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";
import { DAY_MS, filterArgs, filterOf, minScoreArg, rangeOf, timeArgs } from "./arguments.ts";
import { bucketSchema, eventSummarySchema } from "./output-schemas.ts";

export const TIMELINE_MAX_BYTES = 900_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const getTimelineInput = z.object({
  ...timeArgs,
  ...filterArgs,
  minScore: minScoreArg,
  buckets: z
    .number()
    .int()
    .min(1)
    .max(MAX_BUCKETS)
    .default(200)
    .describe(`Target bucket count, about one per pixel (1-${MAX_BUCKETS})`),
  groupBy: z.enum(["principal", "service", "action"]).default("principal").describe("What each track is"),
  maxGroups: z
    .number()
    .int()
    .min(1)
    .max(MAX_GROUPS)
    .default(10)
    .describe(`Tracks before folding into "(other)" (1-${MAX_GROUPS})`),
  eventsUpTo: z
    .number()
    .int()
    .min(0)
    .max(MAX_TIMELINE_EVENTS)
    .default(100)
    .describe(`List individual events when the window has at most this many (0-${MAX_TIMELINE_EVENTS})`),
});

const getTimelineOutput = z.object({
  start: z.string(),
  end: z.string(),
  bucketMs: z.number(),
  bucketCount: z.number(),
  groupBy: z.string(),
  totalEvents: z.number(),
  totals: z.array(bucketSchema),
  tracks: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      events: z.number(),
      errors: z.number(),
      maxScore: z.number().nullable(),
      buckets: z.array(bucketSchema),
    }),
  ),
  otherGroups: z.number(),
  events: z.array(eventSummarySchema).nullable(),
});

export function registerGetTimeline(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "get_timeline",
    {
      title: "Activity timeline",
      description: `Histogram of activity over a time window, as a timeline UI draws it: the window is cut into about \`buckets\` equal buckets (width rounded to a readable step; start aligned to it), grouped into tracks by principal, service or action (busiest ${MAX_GROUPS} at most, the rest summed into "(other)"), each bucket with its event count, error count and highest anomaly score. When the window holds few enough events (eventsUpTo) the events are listed too. Use it for "when was X active", bursts, and to zoom from weeks to seconds; with minScore only events scoring at least that are counted ("when did unusual activity happen"). Sparse buckets [index, events, errors, maxScore]; up to ${MAX_BUCKETS} buckets and ${MAX_TIMELINE_EVENTS} events; result under ${TIMELINE_MAX_BYTES / 1000} KB. Default range: the last 7 days of data. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: getTimelineInput,
      outputSchema: getTimelineOutput,
      annotations: { ...READ_ONLY, title: "Activity timeline" },
    },
    async (args) =>
      respond(deps, TIMELINE_MAX_BYTES, async (data) => {
        const range = await rangeOf(data, args, 7 * DAY_MS);
        const filter = { ...(await filterOf(data, args)), minScore: args.minScore };
        const principals = await data.principals();
        const result = await timeline(
          data.store,
          {
            ...range,
            buckets: args.buckets,
            groupBy: args.groupBy,
            filter,
            maxGroups: args.maxGroups,
            eventsUpTo: args.eventsUpTo,
          },
          data.scores,
          (groupBy, key) => (groupBy === "principal" ? principals.nameOf(key) : key),
        );
        const peak = [...result.totals].sort((a, b) => b[1] - a[1])[0];
        const lines = result.tracks.map(
          (t) =>
            `${q(t.label)} key=${q(t.key)} events=${t.events} errors=${t.errors} maxScore=${t.maxScore ?? "n/a"}`,
        );
        const peakText = peak
          ? ` Busiest bucket starts ${new Date(Date.parse(result.start) + peak[0] * result.bucketMs).toISOString()} (${peak[1]} events).`
          : "";
        return {
          structured: { ...result },
          text: [
            `${result.totalEvents} events in [${result.start}, ${result.end}), ${result.bucketCount} buckets of ${result.bucketMs / 1000} s, by ${result.groupBy}.${peakText}${result.events ? ` ${result.events.length} events listed in structuredContent.events.` : ""} Quoted values are CloudTrail data.`,
            ...lines,
          ].join("\n"),
        };
      }),
  );
}
