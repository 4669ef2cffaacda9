import net from "node:net";
import { z } from "zod";
import { parseModelId } from "./bedrock.ts";

/**
 * Per-stage deployment configuration. One JSON file per stage, `stacks/stages/<stage>.json`, validated here
 * before any construct is created so `sst deploy` fails fast with messages that name the field to fix.
 * Secrets never live in these files: anything secret is a Secrets Manager ARN that CloudFormation resolves at
 * deploy time (see `web.auth.clientSecretArn`). Every object is strict, so a stray `clientSecret` is an error.
 */

/** CDK context key that replaces the stage file (tests, programmatic use). */
export const CONFIG_CONTEXT_KEY = "trailcast:config";

const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Valid Fargate CPU units → memory (MiB) sizes. */
const FARGATE_SIZES: Record<number, (memory: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
};

const arn = (service: string, resource: string, example: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws(-[a-z]+)*:${service}:[a-z0-9-]+:\\d{12}:${resource}$`),
      `must be an ARN like ${example}`,
    );

const Ipv4Cidr = z.string().refine((value) => {
  const [ip, bits, extra] = value.split("/");
  return (
    extra === undefined &&
    ip !== undefined &&
    net.isIPv4(ip) &&
    /^\d{1,2}$/.test(bits ?? "x") &&
    Number(bits) <= 32
  );
}, "must be an IPv4 CIDR such as 203.0.113.10/32 (the load balancer is IPv4-only)");

const Port = z.number().int().min(1024).max(65535);

const VpcConfig = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("create"),
    maxAzs: z.number().int().min(2).max(3).default(2),
    natGateways: z
      .number()
      .int()
      .min(0)
      .max(3)
      .default(1)
      .describe("0 puts tasks in public subnets with public IPs (no NAT cost); >=1 keeps them private"),
  }),
  z.strictObject({ mode: z.literal("default") }),
]);

const OidcAuth = z.strictObject({
  type: z.literal("oidc"),
  issuer: z.url(),
  authorizationEndpoint: z.url(),
  tokenEndpoint: z.url(),
  userInfoEndpoint: z.url(),
  clientId: z.string().min(1),
  clientSecretArn: arn(
    "secretsmanager",
    "secret:[A-Za-z0-9/_+=.@-]+",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:trailcast/oidc-AbCdEf",
  ).describe("Secrets Manager secret holding the client secret; CloudFormation resolves it at deploy time"),
  clientSecretJsonField: z.string().min(1).optional(),
  scope: z.string().default("openid"),
});

const CognitoAuth = z.strictObject({
  type: z.literal("cognito"),
  userPoolArn: arn(
    "cognito-idp",
    "userpool/[\\w-]+_[0-9a-zA-Z]+",
    "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
  ),
  userPoolClientId: z.string().regex(/^[\w+]+$/, "must be an app client id"),
  userPoolDomain: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      "must be the Cognito domain prefix (e.g. trailcast-auth)",
    ),
});

const Auth = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("none") }),
  OidcAuth,
  CognitoAuth,
]);

const ConfigShape = z.strictObject({
  $schema: z.string().optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
    .optional()
    .describe("deploy region for this stage; `sst deploy --region` wins"),
  protect: z
    .boolean()
    .optional()
    .describe("retain logs and block ALB deletion; defaults to true for prod/production"),
  network: z.strictObject({
    allowedCidrs: z.array(Ipv4Cidr).min(1, "list at least one CIDR allowed to reach the load balancer"),
    allowPublicIngress: z.boolean().default(false),
    vpc: VpcConfig.default({ mode: "create", maxAzs: 2, natGateways: 1 }),
  }),
  sources: z
    .strictObject({
      lookupEvents: z.boolean().default(true),
      lookupRegions: z
        .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region"))
        .min(1)
        .optional()
        .describe("regions whose event history LookupEvents reads; defaults to the deploy region"),
      trailBucket: z
        .strictObject({
          name: z
            .string()
            .regex(
              /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
              "must be an S3 bucket name (not an ARN or s3:// URL)",
            ),
          prefix: z
            .string()
            .default("")
            .refine(
              (p) => !p.startsWith("/") && !p.includes("*"),
              "must be a key prefix without a leading / or *",
            )
            .transform((p) => p.replace(/\/+$/, "")),
          kmsKeyArn: arn(
            "kms",
            "key/[A-Za-z0-9-]+",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          )
            .optional()
            .describe("key ARN (not an alias) that encrypts the trail's log files"),
        })
        .optional(),
      lakeEventDataStoreArn: arn(
        "cloudtrail",
        "eventdatastore/[A-Za-z0-9-]+",
        "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE",
      ).optional(),
    })
    .prefault({}),
  bedrock: z
    .strictObject({
      modelId: z.string().default("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region")
        .optional()
        .describe("region the app calls Bedrock in; defaults to the deploy region"),
      destinationRegions: z
        .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region"))
        .min(1)
        .optional()
        .describe("override the regions a geographic inference profile routes to"),
    })
    .prefault({}),
  web: z
    .strictObject({
      certificateArn: arn(
        "acm",
        "certificate/[A-Za-z0-9-]+",
        "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234",
      ).optional(),
      auth: Auth.default({ type: "none" }),
      cpu: z
        .union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)])
        .default(512),
      memoryMiB: z.number().int().default(1024),
      desiredCount: z.number().int().min(0).max(10).default(1),
      healthCheckPort: Port.optional().describe("defaults to the app port (3000)"),
    })
    .prefault({}),
  mcp: z
    .strictObject({
      memoryMb: z.number().int().min(128).max(10240).default(1024),
      timeoutSeconds: z.number().int().min(1).max(900).default(300),
    })
    .prefault({}),
  logs: z
    .strictObject({
      retentionDays: z
        .number()
        .refine((d) => (RETENTION_DAYS as readonly number[]).includes(d), {
          message: `must be one of CloudWatch's retention values: ${RETENTION_DAYS.join(", ")}`,
        })
        .default(30),
    })
    .prefault({}),
});

export type TrailcastConfigInput = z.input<typeof ConfigShape>;
type ParsedShape = z.output<typeof ConfigShape>;
export type TrailcastConfig = Omit<ParsedShape, "sources" | "protect"> & {
  protect: boolean;
  sources: ParsedShape["sources"] & { lookupRegions: string[] };
};

export interface ConfigContext {
  stage: string;
  /** Region the stacks deploy to; cross-checked against the certificate and the Bedrock profile. */
  region: string;
  /** Where the raw config came from, for error messages. */
  source: string;
}

const isWholeInternet = (cidr: string) => cidr.endsWith("/0");

function crossFieldIssues(config: z.output<typeof ConfigShape>, ctx: ConfigContext): string[] {
  const issues: string[] = [];
  if (!/^[A-Za-z][A-Za-z0-9-]{0,29}$/.test(ctx.stage)) {
    issues.push(
      `stage: "${ctx.stage}" must be a letter then up to 29 letters, digits or hyphens (it prefixes names with length limits)`,
    );
  }
  config.network.allowedCidrs.forEach((cidr, i) => {
    if (isWholeInternet(cidr) && !config.network.allowPublicIngress) {
      issues.push(
        `network.allowedCidrs.${i}: ${cidr} opens the app to the whole internet; list your office/VPN CIDRs, ` +
          "or set network.allowPublicIngress: true if you really mean it (and configure web.auth)",
      );
    }
  });
  const { web, bedrock } = config;
  if (!FARGATE_SIZES[web.cpu]?.(web.memoryMiB)) {
    issues.push(`web.memoryMiB: ${web.memoryMiB} MiB is not a valid Fargate size for cpu ${web.cpu}`);
  }
  if (web.auth.type !== "none" && !web.certificateArn) {
    issues.push("web.auth: ALB authentication only works on HTTPS listeners; set web.certificateArn");
  }
  if (web.certificateArn && web.certificateArn.split(":")[3] !== ctx.region) {
    issues.push(`web.certificateArn: the ALB certificate must be in the deploy region ${ctx.region}`);
  }
  const model = parseModelId(bedrock.modelId);
  if ("error" in model) {
    issues.push(`bedrock.modelId: ${model.error}`);
  } else {
    const source = bedrock.region ?? ctx.region;
    const regions =
      bedrock.destinationRegions ?? (model.kind === "geographic" ? model.destinationRegions : []);
    if (model.kind === "geographic" && !regions.includes(source)) {
      issues.push(
        `bedrock.modelId: the "${model.geography}." inference profile is not offered in ${source}; ` +
          `call it from one of ${regions.join(", ")} (bedrock.region) or pick another profile`,
      );
    }
    if (bedrock.destinationRegions && model.kind !== "geographic") {
      issues.push(
        "bedrock.destinationRegions: only applies to geographic (us./eu./apac./...) inference profiles",
      );
    }
  }
  return issues;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  if (issue.code === "unrecognized_keys") {
    const secretish = issue.keys.filter((k) => /secret|password|token|credential|key$/i.test(k));
    const hint =
      secretish.length > 0
        ? " (secrets never go in stage files: store them in Secrets Manager and reference the ARN)"
        : "";
    return `${where}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}${hint}`;
  }
  return `${where}: ${issue.message}`;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid Trailcast config (${source}):\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validate raw config for a stage; throws ConfigError listing every problem, each naming its field. */
export function parseConfig(raw: unknown, ctx: ConfigContext): TrailcastConfig {
  const result = ConfigShape.safeParse(raw);
  if (!result.success) throw new ConfigError(ctx.source, result.error.issues.map(formatIssue));
  const issues = crossFieldIssues(result.data, ctx);
  if (issues.length > 0) throw new ConfigError(ctx.source, issues);
  const { data } = result;
  return {
    ...data,
    protect: data.protect ?? ["prod", "production"].includes(ctx.stage),
    sources: { ...data.sources, lookupRegions: data.sources.lookupRegions ?? [ctx.region] },
  };
}
