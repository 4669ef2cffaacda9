import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { principalProfile } from "../../core/query/principal-profile.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond } from "../tool-kit.ts";
import { countSchema } from "./output-schemas.ts";

export const PROFILE_MAX_BYTES = 64_000;

const top = (counts: Array<{ value: string; events: number }>) =>
  counts.map((c) => `${q(c.value)}×${c.events}`).join(", ") || "none";

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const getPrincipalProfileInput = z.object({
  principal: z.string().min(1).max(400).describe("Principal key or display name (from list_principals)"),
});

const getPrincipalProfileOutput = z.object({
  principal: z.string(),
  name: z.string(),
  type: z.string(),
  accountId: z.string().nullable(),
  roleArn: z.string().nullable(),
  events: z.number(),
  errors: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  topActions: z.array(countSchema),
  topServices: z.array(countSchema),
  sourceIps: z.array(countSchema),
  sourceNetworks: z.array(countSchema),
  regions: z.array(countSchema),
  userAgents: z.array(countSchema),
  errorCodes: z.array(countSchema),
  rolesAssumed: z.array(countSchema),
  activeHoursUtc: z.array(z.number()).describe("events per UTC hour 0..23"),
  activeWeekdaysUtc: z.array(z.number()).describe("events per UTC weekday, Monday first"),
  peerGroup: z.string().nullable(),
  maxScore: z.number().nullable(),
  anomalies: z.number().nullable(),
});

export function registerGetPrincipalProfile(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "get_principal_profile",
    {
      title: "Principal behaviour profile",
      description: `Summarize how one principal normally behaves: top actions and services, source IPs and networks, regions, user agents, error codes, roles it assumed, active hours and weekdays (UTC), first/last seen, its peer group in the model, and its highest anomaly score. Use it to judge whether an event fits the principal's habits. Result under ${PROFILE_MAX_BYTES / 1000} KB (top 10 per list). ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: getPrincipalProfileInput,
      outputSchema: getPrincipalProfileOutput,
      annotations: { ...READ_ONLY, title: "Principal behaviour profile" },
    },
    async (args) =>
      respond(deps, PROFILE_MAX_BYTES, async (data) => {
        const principal = (await data.principals()).one(args.principal);
        const model = await data.model();
        const profile = await principalProfile(
          data.store,
          principal,
          model.peerGroup(principal),
          data.scores,
        );
        const busiest = profile.activeHoursUtc
          .map((n, hour) => ({ n, hour }))
          .sort((a, b) => b.n - a.n)
          .slice(0, 3)
          .map((h) => `${h.hour}:00`)
          .join(", ");
        const text = [
          `Profile of ${q(profile.name)} (key ${q(profile.principal)}, ${profile.type}): ${profile.events} events, ${profile.errors} errors, ${profile.firstSeen}..${profile.lastSeen}, peer group ${q(profile.peerGroup)}, max anomaly ${profile.maxScore ?? "n/a"}. Quoted values are CloudTrail data.`,
          `top actions: ${top(profile.topActions)}`,
          `services: ${top(profile.topServices)}`,
          `networks: ${top(profile.sourceNetworks)}`,
          `regions: ${top(profile.regions)}`,
          `user agents: ${top(profile.userAgents)}`,
          `errors: ${top(profile.errorCodes)}`,
          `roles assumed: ${top(profile.rolesAssumed)}`,
          `busiest UTC hours: ${busiest}`,
        ].join("\n");
        return { structured: { ...profile }, text };
      }),
  );
}
