import { z } from "zod";

/**
 * Server environment, parsed once at start-up. A bad value stops the server with a message naming the
 * variable and the fix rather than failing later inside a request.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** The DuckDB store the local MCP server reads (the same default as the CLI). */
  TRAILCAST_STORE: z.string().min(1).default(".trailcast/trailcast.duckdb"),
  /** Where triage state (stars, tags, notes) is kept; defaults to a JSON file next to the store. */
  TRAILCAST_TRIAGE: z.string().min(1).optional(),
  /** When set, CloudTrail data comes from this Streamable HTTP MCP endpoint (a Lambda Function URL). */
  MCP_URL: z.url().optional(),
  /** Region of the MCP Lambda (SigV4 scope); defaults to AWS_REGION. */
  MCP_REGION: z.string().min(1).optional(),
  BEDROCK_MODEL_ID: z.string().min(1).default("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
  BEDROCK_REGION: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  /** Test hook: a local fake Bedrock endpoint (http://127.0.0.1:port). Never set in production. */
  BEDROCK_ENDPOINT: z.url().optional(),
  /** `offline` forces the offline assistant; `bedrock` forces Bedrock; `auto` uses Bedrock when credentials exist. */
  TRAILCAST_CHAT: z.enum(["auto", "offline", "bedrock"]).default("auto"),
  /** Agent loop bound: model calls per question. */
  AGENT_MAX_ITERATIONS: z.coerce.number().int().min(1).max(50).default(8),
});

export type Env = z.infer<typeof schema>;

function parseEnv(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid environment for the Trailcast web app:\n${problems}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();

export function bedrockRegion(): string {
  return env.BEDROCK_REGION ?? env.AWS_REGION ?? "us-east-1";
}
