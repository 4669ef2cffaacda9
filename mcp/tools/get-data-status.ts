import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { dataStatus } from "../../core/query/data-status.ts";
import type { McpDeps } from "../deps.ts";
import { q, READ_ONLY, respond } from "../tool-kit.ts";

export const DATA_STATUS_MAX_BYTES = 32_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const getDataStatusInput = z.object({});

const getDataStatusOutput = z.object({
  sources: z.array(z.object({ kind: z.string(), detail: z.string() })),
  events: z.number(),
  principals: z.number(),
  actions: z.number(),
  errors: z.number(),
  dataStart: z.string().nullable(),
  dataEnd: z.string().nullable(),
  ingestRuns: z.array(
    z.object({
      source: z.string(),
      finished: z.string().nullable(),
      eventsAdded: z.number(),
      skipped: z.number(),
    }),
  ),
  inputsRead: z.number(),
  skippedByReason: z.record(z.string(), z.number()),
  recentSkips: z.array(z.object({ location: z.string(), reason: z.string(), detail: z.string() })),
  scores: z.object({ available: z.boolean(), computedAt: z.string().nullable(), events: z.number() }),
  lake: z.object({ configured: z.boolean(), eventDataStore: z.string().nullable() }),
});

export function registerGetDataStatus(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "get_data_status",
    {
      title: "Data status",
      description: `What data the other tools answer from: sources loaded (local store, bundled sample, S3 trail, LookupEvents, CloudTrail Lake), event/principal/action counts, the time span (dataStart..dataEnd; relative times in other tools count back from dataEnd), ingest runs, inputs read, skipped inputs by reason with recent examples, and whether anomaly scores are computed. Call it first when unsure what period or accounts are covered. Result under ${DATA_STATUS_MAX_BYTES / 1000} KB.`,
      inputSchema: getDataStatusInput,
      outputSchema: getDataStatusOutput,
      annotations: { ...READ_ONLY, title: "Data status" },
    },
    async () =>
      respond(deps, DATA_STATUS_MAX_BYTES, async (data) => {
        const status = await data.once("data-status", () =>
          dataStatus(data.store, {
            sources: data.sources,
            scores: data.scores,
            lakeEventDataStore: deps.lake?.options.eventDataStore ?? null,
          }),
        );
        const skipped =
          Object.entries(status.skippedByReason)
            .map(([reason, n]) => `${reason}=${n}`)
            .join(", ") || "none";
        return {
          structured: { ...status },
          text: [
            `${status.events} events, ${status.principals} principals, ${status.actions} actions, ${status.errors} errors, from ${status.dataStart} to ${status.dataEnd}.`,
            `sources: ${status.sources.map((s) => `${s.kind} ${q(s.detail)}`).join("; ")}`,
            `inputs read: ${status.inputsRead}; skipped: ${skipped}`,
            `anomaly scores: ${status.scores.available ? `${status.scores.events} events scored at ${status.scores.computedAt}` : "not available"}; CloudTrail Lake: ${status.lake.configured ? q(status.lake.eventDataStore) : "not configured"}`,
          ].join("\n"),
        };
      }),
  );
}
