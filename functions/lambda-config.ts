import { z } from "zod";

const flag = z
  .enum(["true", "false"], { message: 'must be "true" or "false"' })
  .default("false")
  .transform((value) => value === "true");

const regions = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((region) => region.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be AWS region names like eu-west-1")));

/** The MCP Lambda's environment (set by stacks/application/mcp-function.ts), parsed once at cold start. */
const schema = z
  .object({
    TRAILCAST_LOOKUP_EVENTS: flag,
    TRAILCAST_LOOKUP_REGIONS: regions,
    /** Days of LookupEvents history to keep in the cache (the API keeps 90). */
    TRAILCAST_LOOKUP_DAYS: z.coerce.number().int().min(1).max(90).default(90),
    TRAILCAST_TRAIL_BUCKET: z.string().min(3).max(63).optional(),
    TRAILCAST_TRAIL_PREFIX: z.string().max(1024).default(""),
    TRAILCAST_LAKE_EVENT_DATA_STORE: z.string().min(1).optional(),
    /** Where the DuckDB cache lives (Lambda: /tmp, the only writable path). */
    TRAILCAST_CACHE_DIR: z.string().min(1).default("/tmp/trailcast"),
    /** A prepared store to serve instead of pulling sources (local harness, tests). */
    TRAILCAST_STORE: z.string().min(1).optional(),
    /** Longest time a request waits for sources to refresh before serving what the cache has. */
    TRAILCAST_REFRESH_SECONDS: z.coerce.number().int().min(1).max(840).default(60),
    /** Sources are refreshed again when the cache is older than this. */
    TRAILCAST_REFRESH_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  })
  .refine((env) => !env.TRAILCAST_LOOKUP_EVENTS || env.TRAILCAST_LOOKUP_REGIONS.length > 0, {
    message: "TRAILCAST_LOOKUP_EVENTS=true needs TRAILCAST_LOOKUP_REGIONS (comma-separated regions)",
    path: ["TRAILCAST_LOOKUP_REGIONS"],
  });

export type LambdaConfig = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment, failing with one readable line per problem. */
export function parseLambdaConfig(env: Record<string, string | undefined>): LambdaConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${String(issue.path[0] ?? "environment")}: ${issue.message}`,
    );
    throw new ConfigError(`invalid Trailcast MCP configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}
