import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MAX_WINDOW_HOURS, predictActivityWindow } from "../../core/query/activity-window.ts";
import { parseTime } from "../../core/query/relative-time.ts";
import type { McpDeps } from "../deps.ts";
import { q, READ_ONLY, respond, TIME_HELP } from "../tool-kit.ts";

export const ACTIVITY_WINDOW_MAX_BYTES = 16_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const predictActivityWindowInput = z.object({
  principal: z.string().min(1).max(400).describe("Principal key or display name (from list_principals)"),
  from: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`Start of the forecast: ${TIME_HELP}. Default: the latest event in the data`),
  hours: z
    .number()
    .int()
    .min(1)
    .max(MAX_WINDOW_HOURS)
    .default(6)
    .describe(`How many likely hours to list (1-${MAX_WINDOW_HOURS})`),
});

const predictActivityWindowOutput = z.object({
  principal: z.string(),
  from: z.string(),
  lastSeen: z.string(),
  likelyHours: z.array(z.object({ hourStart: z.string(), probability: z.number() })),
  medianGapSeconds: z.number().nullable(),
  expectedNextEvent: z.string().nullable(),
  busiestHoursUtc: z.array(z.object({ weekday: z.string(), hour: z.number(), events: z.number() })),
});

export function registerPredictActivityWindow(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "predict_activity_window",
    {
      title: "Predict activity window",
      description: `Predict when a principal is next likely to be active: the most likely hours in the following week (probability of at least one event per hour, from its hour-of-week rhythm, backed off to its peer group for new principals), its median gap between events, the expected time of its next event, and its historically busiest UTC hours. Use it to tell whether activity at some time is in character, or when to expect it next. Up to ${MAX_WINDOW_HOURS} hours; result under ${ACTIVITY_WINDOW_MAX_BYTES / 1000} KB.`,
      inputSchema: predictActivityWindowInput,
      outputSchema: predictActivityWindowOutput,
      annotations: { ...READ_ONLY, title: "Predict activity window" },
    },
    async (args) =>
      respond(deps, ACTIVITY_WINDOW_MAX_BYTES, async (data) => {
        const principal = (await data.principals()).one(args.principal);
        const now = await data.dataEnd();
        const from = args.from === undefined ? now : parseTime(args.from, now);
        const window = await predictActivityWindow(data.store, await data.model(), principal, {
          from,
          hours: args.hours,
        });
        const hours = window.likelyHours
          .map((h) => `${h.hourStart} p=${h.probability.toFixed(2)}`)
          .join("; ");
        return {
          structured: { ...window },
          text: `${q(window.principal)} last seen ${window.lastSeen}; median gap ${window.medianGapSeconds ?? "n/a"} s; expected next event ${window.expectedNextEvent ?? "n/a"}. Most likely active hours after ${window.from}: ${hours}`,
        };
      }),
  );
}
