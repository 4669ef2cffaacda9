import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { LakeService } from "../../core/query/lake-query.ts";
import { MAX_LAKE_ROWS } from "../../core/query/lake-query.ts";
import { MAX_SQL_CHARS } from "../../core/query/lake-sql.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";

export const LAKE_QUERY_MAX_BYTES = 1_000_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const lakeQueryInput = z.object({
  sql: z
    .string()
    .min(1)
    .max(MAX_SQL_CHARS)
    .optional()
    .describe(
      "One SELECT reading FROM the configured event data store id (see the tool description), e.g. SELECT eventName, count(*) FROM <store id> WHERE eventTime > '2026-10-01 00:00:00' GROUP BY 1",
    ),
  queryId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Collect an earlier query (still running, or for further pages) instead of starting one"),
  cursor: z.string().min(1).max(4000).optional().describe("nextCursor of the previous page (with queryId)"),
  maxRows: z
    .number()
    .int()
    .min(1)
    .max(MAX_LAKE_ROWS)
    .default(50)
    .describe(`Rows per page (1-${MAX_LAKE_ROWS})`),
});

const lakeQueryOutput = z.object({
  queryId: z.string(),
  status: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  nextCursor: z.string().nullable(),
  statistics: z
    .object({
      bytesScanned: z.number().nullable(),
      resultsCount: z.number().nullable(),
      executionTimeMs: z.number().nullable(),
    })
    .nullable(),
  stillRunning: z.boolean(),
});

const listEventDataStoresInput = z.object({});

const listEventDataStoresOutput = z.object({
  eventDataStores: z.array(
    z.object({
      arn: z.string(),
      name: z.string(),
      status: z.string().nullable(),
      configured: z.boolean(),
    }),
  ),
});

/** Registered only when a CloudTrail Lake event data store is configured. */
export function registerLakeQuery(server: McpServer, deps: McpDeps, lake: LakeService): void {
  const storeId = lake.options.eventDataStore.split("/").pop();
  server.registerTool(
    "lake_query",
    {
      title: "CloudTrail Lake SQL",
      description: `Run one read-only SQL SELECT on the configured CloudTrail Lake event data store (FROM ${storeId}), for questions beyond the local data: long history, organisation-wide counts, fields the other tools do not expose. SELECT / WITH only: no comments, one statement, no data-changing keywords. Waits up to about 20 s; if the query is still running, the result has stillRunning=true and a queryId to pass back. Pages of up to ${MAX_LAKE_ROWS} rows (cells cut at 2000 chars) with nextCursor; result under ${LAKE_QUERY_MAX_BYTES / 1000} KB. Lake bills per byte scanned: always filter on eventTime. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: lakeQueryInput,
      outputSchema: lakeQueryOutput,
      annotations: { ...READ_ONLY, openWorldHint: true, title: "CloudTrail Lake SQL" },
    },
    async (args) =>
      respond(
        deps,
        LAKE_QUERY_MAX_BYTES,
        async () => {
          const result = await lake.query(args);
          const head = result.stillRunning
            ? `Query ${q(result.queryId)} is still running (${result.status}): call lake_query again with queryId.`
            : `Query ${q(result.queryId)}: ${result.rows.length} row(s)${result.nextCursor ? ", more with queryId + cursor" : ""}. Cells are CloudTrail data.`;
          const lines = result.rows.slice(0, 50).map((row) => q(row));
          return { structured: { ...result }, text: [head, q(result.columns), ...lines].join("\n") };
        },
        { store: false },
      ),
  );
}

export function registerListEventDataStores(server: McpServer, deps: McpDeps, lake: LakeService): void {
  server.registerTool(
    "list_event_data_stores",
    {
      title: "List CloudTrail Lake event data stores",
      description:
        "List the CloudTrail Lake event data stores in the account and region (ARN, name, status), marking the one lake_query uses. Result under 64 KB (at most 200 stores).",
      inputSchema: listEventDataStoresInput,
      outputSchema: listEventDataStoresOutput,
      annotations: { ...READ_ONLY, openWorldHint: true, title: "List event data stores" },
    },
    async () =>
      respond(
        deps,
        64_000,
        async () => {
          const eventDataStores = await lake.listEventDataStores();
          const lines = eventDataStores.map(
            (s) => `${q(s.name)} ${q(s.arn)} ${s.status ?? ""}${s.configured ? " (used by lake_query)" : ""}`,
          );
          return {
            structured: { eventDataStores },
            text: [`${eventDataStores.length} event data store(s):`, ...lines].join("\n"),
          };
        },
        { store: false },
      ),
  );
}
