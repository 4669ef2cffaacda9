import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { IDENTITY_TYPES } from "../../core/event/types.ts";
import { listPrincipals, MAX_PRINCIPALS_LIMIT } from "../../core/query/principals.ts";
import { QueryError } from "../../core/query/query-error.ts";
import { parseTime } from "../../core/query/relative-time.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";
import { cursorArg, timeArgs } from "./arguments.ts";

export const LIST_PRINCIPALS_MAX_BYTES = 200_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const listPrincipalsInput = z.object({
  ...timeArgs,
  type: z.enum(IDENTITY_TYPES).optional().describe("Only principals of this userIdentity type"),
  search: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Case-insensitive text in the principal key or name"),
  sortBy: z.enum(["events", "lastSeen", "maxScore", "errors"]).default("events").describe("Ranking order"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PRINCIPALS_LIMIT)
    .default(50)
    .describe(`Principals per page (1-${MAX_PRINCIPALS_LIMIT})`),
  cursor: cursorArg,
});

const listPrincipalsOutput = z.object({
  total: z.number().describe("principals matching, over all pages"),
  principals: z.array(
    z.object({
      principal: z.string().describe("stable key: pass it to other tools"),
      name: z.string(),
      type: z.string(),
      events: z.number(),
      errors: z.number(),
      distinctActions: z.number(),
      firstSeen: z.string(),
      lastSeen: z.string(),
      maxScore: z.number().nullable(),
      anomalies: z.number().nullable().describe("events scoring >= 0.5"),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export function registerListPrincipals(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "list_principals",
    {
      title: "List principals",
      description: `List the IAM principals (users, role sessions, root, AWS services) seen in the data, with event and error counts, distinct actions, first/last seen, identity type and highest anomaly score. Use it first to find who is active or suspicious, and to get the principal keys other tools take. Sort by events, lastSeen, maxScore or errors; up to ${MAX_PRINCIPALS_LIMIT} per page with nextCursor; result under ${LIST_PRINCIPALS_MAX_BYTES / 1000} KB. Default range: all data. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: listPrincipalsInput,
      outputSchema: listPrincipalsOutput,
      annotations: { ...READ_ONLY, title: "List principals" },
    },
    async (args) =>
      respond(deps, LIST_PRINCIPALS_MAX_BYTES, async (data) => {
        const now = await data.dataEnd();
        const from = args.start === undefined ? undefined : parseTime(args.start, now);
        const to = args.end === undefined ? undefined : parseTime(args.end, now);
        if (from !== undefined && to !== undefined && !(from < to)) {
          throw new QueryError("start must be before end");
        }
        const result = await listPrincipals(
          data.store,
          {
            from,
            to,
            type: args.type,
            search: args.search,
            sortBy: args.sortBy,
            limit: args.limit,
            cursor: args.cursor,
          },
          data.scores,
        );
        const lines = result.principals.map(
          (p) =>
            `${q(p.name)} key=${q(p.principal)} type=${p.type} events=${p.events} errors=${p.errors} maxScore=${p.maxScore ?? "n/a"} seen ${p.firstSeen}..${p.lastSeen}`,
        );
        const more = result.nextCursor ? " More: call again with cursor=nextCursor." : "";
        return {
          structured: result,
          text: [
            `${result.principals.length} of ${result.total} principal(s) by ${args.sortBy}.${more}`,
            ...lines,
          ].join("\n"),
        };
      }),
  );
}
