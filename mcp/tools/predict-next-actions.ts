import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MAX_K, predictNextActions } from "../../core/query/predictions.ts";
import { parseTime } from "../../core/query/relative-time.ts";
import type { McpDeps } from "../deps.ts";
import { DATA_NOT_INSTRUCTIONS, q, READ_ONLY, respond, TIME_HELP } from "../tool-kit.ts";

export const PREDICT_NEXT_MAX_BYTES = 32_000;

// Object schemas built once: the SDK wraps a raw shape in a new z.object on every registration (every
// stateless request), and each fresh object recompiles its zod parser on first use.
const predictNextActionsInput = z.object({
  principal: z.string().min(1).max(400).describe("Principal key or display name (from list_principals)"),
  k: z.number().int().min(1).max(MAX_K).default(5).describe(`How many actions to return (1-${MAX_K})`),
  recentActions: z
    .array(z.string().min(3).max(200))
    .max(20)
    .optional()
    .describe('Hypothetical recent actions, oldest first, e.g. ["sts:GetCallerIdentity","s3:ListBuckets"]'),
  at: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`When the next action happens: ${TIME_HELP}. Default: right after the context`),
});

const predictNextActionsOutput = z.object({
  principal: z.string(),
  context: z.array(z.string()).describe("actions the prediction conditions on, oldest first"),
  hypothetical: z.boolean(),
  at: z.string(),
  predictions: z.array(
    z.object({
      action: z.string(),
      probability: z.number(),
      evidence: z.object({
        principalCalls: z.number(),
        afterLastAction: z.number(),
        principalsCalling: z.number(),
      }),
    }),
  ),
  otherProbability: z.number(),
  peerGroup: z.string().nullable(),
});

export function registerPredictNextActions(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    "predict_next_actions",
    {
      title: "Predict next actions",
      description: `Predict the k most likely next API actions of a principal, with calibrated probabilities (they sum to at most 1; otherProbability is the rest) and the evidence behind each: how often the principal called it, how often right after its last action, and how many principals call it at all. By default the context is the principal's latest stored events; pass recentActions for a hypothetical ("what would it do after s3:ListBuckets, s3:GetBucketPolicy?"). Use it to anticipate activity or to judge whether an observed action was expected. Up to ${MAX_K} predictions; result under ${PREDICT_NEXT_MAX_BYTES / 1000} KB. ${DATA_NOT_INSTRUCTIONS}`,
      inputSchema: predictNextActionsInput,
      outputSchema: predictNextActionsOutput,
      annotations: { ...READ_ONLY, title: "Predict next actions" },
    },
    async (args) =>
      respond(deps, PREDICT_NEXT_MAX_BYTES, async (data) => {
        const principal = (await data.principals()).one(args.principal);
        const now = await data.dataEnd();
        const result = await predictNextActions(data.histories, await data.model(), principal, {
          k: args.k,
          recentActions: args.recentActions,
          at: args.at === undefined ? undefined : parseTime(args.at, now),
          now,
        });
        const lines = result.predictions.map(
          (p, i) =>
            `${i + 1}. ${q(p.action)} p=${p.probability.toFixed(3)} (called ${p.evidence.principalCalls}× by this principal, ${p.evidence.afterLastAction}× right after its last action; ${p.evidence.principalsCalling} principal(s) call it)`,
        );
        const context = result.hypothetical ? "hypothetical context" : "latest stored context";
        return {
          structured: { ...result },
          text: [
            `Next actions of ${q(result.principal)} at ${result.at}, ${context} ${q(result.context)}; other actions p=${result.otherProbability}:`,
            ...lines,
          ].join("\n"),
        };
      }),
  );
}
