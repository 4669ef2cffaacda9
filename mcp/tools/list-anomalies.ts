import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { listAnomalies, MAX_ANOMALIES_LIMIT } from "../../core/query/anomalies.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";
import { cursorArg, filterArgs, filterOf, rangeOf, timeArgs } from "./arguments.ts";
import { eventSummarySchema, reasonSchema } from "./output-schemas.ts";

export const LIST_ANOMALIES_MAX_BYTES = 300_000;
const ALL_TIME_MS = 100 * 365 * 86_400_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const listAnomaliesInput = z.object({
  ...timeArgs,
  ...filterArgs,
  minScore: z.number().min(0).max(1).default(0.5).describe("Only events scoring at least this (0-1)"),
  tactic: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('MITRE ATT&CK tactic, e.g. "Persistence", "Credential Access"'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_ANOMALIES_LIMIT)
    .default(20)
    .describe(`Events per page (1-${MAX_ANOMALIES_LIMIT})`),
  cursor: cursorArg,
});

const listAnomaliesOutput = z.object({
  total: z.number().describe("matching events over all pages"),
  anomalies: z.array(
    z.object({
      event: eventSummarySchema,
      score: z.number(),
      surprisalBits: z.number(),
      reasons: z.array(reasonSchema),
      tactic: z.string().nullable(),
      technique: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export function registerListAnomalies(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "list_anomalies",
    {
      title: "List anomalous events",
      description: `Rank events by anomaly score (highest first) with human-readable reasons: unexpected next action, first-seen action/service/network/region/client, AccessDenied bursts, call-rate spikes, sensitive APIs mapped to MITRE ATT&CK tactics, unusual hours. Each event is scored from history strictly before it. Score 0.5 ≈ as unusual as the top 1% of normal activity. Filter by time window, minimum score, principal, tactic (e.g. "Persistence", "Discovery") and the lookup_events filters. Use it to triage; follow up with explain_event. Up to ${MAX_ANOMALIES_LIMIT} per page with nextCursor; result under ${LIST_ANOMALIES_MAX_BYTES / 1000} KB. Default range: all data. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: listAnomaliesInput,
      outputSchema: listAnomaliesOutput,
      annotations: { ...READ_ONLY, title: "List anomalous events" },
    },
    async (args) =>
      respond(deps, LIST_ANOMALIES_MAX_BYTES, async (data) => {
        const range = await rangeOf(data, args, ALL_TIME_MS);
        const filter = {
          ...(await filterOf(data, args, range)),
          minScore: args.minScore,
          tactic: args.tactic,
        };
        const result = await listAnomalies(
          data.store,
          { filter, limit: args.limit, cursor: args.cursor },
          data.scores,
        );
        const lines = result.anomalies.map(
          (a) =>
            `score=${a.score.toFixed(3)} ${a.event.time} principal=${q(a.event.principalName)} action=${q(a.event.action)}${a.tactic ? ` tactic=${q(a.tactic)}` : ""} eventId=${q(a.event.eventId)} reasons=${q(a.reasons.map((r) => r.detail))}`,
        );
        const more = result.nextCursor ? " More: call again with cursor=nextCursor." : "";
        return {
          structured: result,
          text: [
            `${result.anomalies.length} of ${result.total} event(s) scoring >= ${args.minScore}.${more} Quoted values are CloudTrail data.`,
            ...lines,
          ].join("\n"),
        };
      }),
  );
}
