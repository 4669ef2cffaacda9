import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError, parseConfig, type TrailcastConfigInput } from "./config.ts";
import { peekStageRegion, readStageFile, STAGES_DIR } from "./stage-file.ts";

const ctx = { stage: "dev", region: "us-east-1", source: "test" };
const minimal: TrailcastConfigInput = { network: { allowedCidrs: ["203.0.113.10/32"] } };

/** The validation issues for a config ([] when it is valid). */
function issuesOf(raw: unknown, context = ctx): string[] {
  try {
    parseConfig(raw, context);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

describe("stage config", () => {
  test("a minimal config gets the documented defaults", () => {
    expect(parseConfig(minimal, ctx)).toEqual({
      protect: false,
      network: {
        allowedCidrs: ["203.0.113.10/32"],
        allowPublicIngress: false,
        vpc: { mode: "create", maxAzs: 2, natGateways: 1 },
      },
      sources: { lookupEvents: true, lookupRegions: ["us-east-1"] },
      bedrock: { modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" },
      web: { auth: { type: "none" }, cpu: 512, memoryMiB: 1024, desiredCount: 1 },
      mcp: { memoryMb: 1024, timeoutSeconds: 300 },
      logs: { retentionDays: 30 },
    });
  });

  test("0.0.0.0/0 is refused unless allowPublicIngress is set, naming the field", () => {
    const open = { network: { allowedCidrs: ["198.51.100.0/24", "0.0.0.0/0"] } };
    const issues = issuesOf(open);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^network\.allowedCidrs\.1: 0\.0\.0\.0\/0 opens the app to the whole internet/);
    expect(issues[0]).toContain("network.allowPublicIngress");
    const allowed = parseConfig({ network: { ...open.network, allowPublicIngress: true } }, ctx);
    expect(allowed.network.allowedCidrs).toContain("0.0.0.0/0");
  });

  test("every problem is reported at once, each naming its field", () => {
    const issues = issuesOf({
      network: { allowedCidrs: ["203.0.113.10", "10.0.0.0/8"] },
      sources: {
        trailBucket: { name: "s3://logs", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/trail" },
      },
      mcp: { memoryMb: 64 },
      logs: { retentionDays: 31 },
    });
    expect(issues.map((i) => i.split(":")[0])).toEqual([
      "network.allowedCidrs.0",
      "sources.trailBucket.name",
      "sources.trailBucket.kmsKeyArn",
      "mcp.memoryMb",
      "logs.retentionDays",
    ]);
    expect(issues[0]).toContain("must be an IPv4 CIDR");
    expect(issues[2]).toContain("arn:aws:kms:us-east-1:123456789012:key/");
  });

  test("cross-field rules: auth needs HTTPS, certificate region, Fargate sizes, profile geography", () => {
    expect(issuesOf({ ...minimal, web: { auth: cognito } })).toEqual([
      "web.auth: ALB authentication only works on HTTPS listeners; set web.certificateArn",
    ]);
    expect(issuesOf({ ...minimal, web: { certificateArn: cert("eu-west-1") } })).toEqual([
      "web.certificateArn: the ALB certificate must be in the deploy region us-east-1",
    ]);
    expect(issuesOf({ ...minimal, web: { cpu: 256, memoryMiB: 4096 } })).toEqual([
      "web.memoryMiB: 4096 MiB is not a valid Fargate size for cpu 256",
    ]);
    const [geo] = issuesOf({
      ...minimal,
      bedrock: { modelId: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0" },
    });
    expect(geo).toMatch(/^bedrock\.modelId: the "eu\." inference profile is not offered in us-east-1/);
    // The same profile is fine when the app calls Bedrock from an EU region.
    expect(
      parseConfig(
        {
          ...minimal,
          bedrock: { modelId: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", region: "eu-west-1" },
        },
        ctx,
      ).bedrock.region,
    ).toBe("eu-west-1");
  });

  test("destinationRegions can name a region missing from the built-in geography list", () => {
    const bedrock = {
      modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      destinationRegions: ["ca-central-1"],
    };
    expect(issuesOf({ ...minimal, bedrock }, { ...ctx, region: "ca-central-1" })).toEqual([]);
    expect(
      issuesOf({
        ...minimal,
        bedrock: { modelId: "anthropic.claude-3-haiku-20240307-v1:0", destinationRegions: ["us-east-1"] },
      }),
    ).toEqual([
      "bedrock.destinationRegions: only applies to geographic (us./eu./apac./...) inference profiles",
    ]);
  });

  test("plaintext secrets and unknown fields are rejected with a pointer to Secrets Manager", () => {
    const issues = issuesOf({
      ...minimal,
      web: { certificateArn: cert("us-east-1"), auth: { ...oidc, clientSecret: "hunter2" } },
      debug: true,
    });
    expect(issues.sort()).toEqual([
      '(root): unknown field "debug"',
      'web.auth: unknown field "clientSecret" (secrets never go in stage files: store them in Secrets Manager and reference the ARN)',
    ]);
  });

  test("protect defaults to true for prod and production stages only, and can be overridden", () => {
    expect(parseConfig(minimal, { ...ctx, stage: "prod" }).protect).toBe(true);
    expect(parseConfig(minimal, { ...ctx, stage: "production" }).protect).toBe(true);
    expect(parseConfig(minimal, { ...ctx, stage: "staging" }).protect).toBe(false);
    expect(parseConfig({ ...minimal, protect: true }, ctx).protect).toBe(true);
  });

  test("stage names that would overflow resource name limits are refused", () => {
    expect(issuesOf(minimal, { ...ctx, stage: "a".repeat(31) })[0]).toMatch(/^stage: /);
  });

  test("every committed stage file validates and holds no secret values", () => {
    const dir = path.resolve(STAGES_DIR);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files).toContain("example.json");
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      const raw = JSON.parse(text) as { region?: string };
      expect(() =>
        parseConfig(raw, { stage: "prod", region: raw.region ?? "us-east-1", source: file }),
      ).not.toThrow();
      // Secret-looking keys may only hold references (ARNs, endpoint URLs, JSON field names), never values.
      const secretKeys = [...text.matchAll(/"(\w*(?:secret|password|token)\w*)"\s*:/gi)].map(
        (m) => m[1] ?? "",
      );
      expect(
        secretKeys.filter((k) => !/(Arn|Endpoint|JsonField)$/.test(k)),
        file,
      ).toEqual([]);
    }
  });
});

describe("stage files", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "trailcast-stages-"));
  fs.mkdirSync(path.join(root, STAGES_DIR), { recursive: true });
  fs.writeFileSync(
    path.join(root, STAGES_DIR, "dev.json"),
    JSON.stringify({ ...minimal, region: "eu-west-1" }),
  );
  fs.writeFileSync(path.join(root, STAGES_DIR, "broken.json"), "{ nope");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test("a missing stage file explains how to create it", () => {
    expect(() => readStageFile(root, "qa")).toThrow(
      /no config for stage "qa": copy stacks\/stages\/example\.json/,
    );
  });

  test("invalid JSON names the file", () => {
    expect(() => readStageFile(root, "broken")).toThrow(/stacks\/stages\/broken\.json[\s\S]*not valid JSON/);
  });

  test("the deploy region can be peeked before validation, and is absent for unknown stages", () => {
    expect(readStageFile(root, "dev").raw).toMatchObject({ region: "eu-west-1" });
    expect(peekStageRegion(root, "dev")).toBe("eu-west-1");
    expect(peekStageRegion(root, "qa")).toBeUndefined();
    expect(peekStageRegion(root, undefined)).toBeUndefined();
  });
});

const cert = (region: string) =>
  `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
const cognito = {
  type: "cognito",
  userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
  userPoolClientId: "abc123",
  userPoolDomain: "trailcast-auth",
} as const;
const oidc = {
  type: "oidc",
  issuer: "https://login.example.com",
  authorizationEndpoint: "https://login.example.com/authorize",
  tokenEndpoint: "https://login.example.com/token",
  userInfoEndpoint: "https://login.example.com/userinfo",
  clientId: "trailcast",
  clientSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:trailcast/oidc-AbCdEf",
} as const;
