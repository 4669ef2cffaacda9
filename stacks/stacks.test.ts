import fs from "node:fs";
import path from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TrailcastConfigInput } from "./config.ts";
import { directorySize, type Synthesized, synthTrailcast } from "./testkit.ts";

/*
 * Offline CDK assertions on the synthesized templates. Three variants, each synthesized once:
 * - http:    stage "test", created VPC without NAT, every CloudTrail source, global. profile, no certificate
 * - example: stage "prod", the shipped stacks/stages/example.json (HTTPS + OIDC, private tasks, us. profile)
 * - public:  stage "demo", default VPC by lookup, 0.0.0.0/0 explicitly allowed, Cognito, eu. profile
 */

const MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const EVENT_DATA_STORE = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const EXAMPLE = JSON.parse(
  fs.readFileSync(path.resolve("stacks/stages/example.json"), "utf8"),
) as TrailcastConfigInput;

const httpConfig: TrailcastConfigInput = {
  network: { allowedCidrs: ["203.0.113.10/32", "198.51.100.0/24"], vpc: { mode: "create", natGateways: 0 } },
  sources: {
    lookupRegions: ["us-east-1", "us-west-2"],
    trailBucket: { name: "org-trail-logs", prefix: "cloudtrail/", kmsKeyArn: KMS_KEY },
    lakeEventDataStoreArn: EVENT_DATA_STORE,
  },
  bedrock: { modelId: `global.${MODEL}` },
  mcp: { memoryMb: 2048, timeoutSeconds: 120 },
  logs: { retentionDays: 14 },
};

const publicConfig: TrailcastConfigInput = {
  network: { allowedCidrs: ["0.0.0.0/0"], allowPublicIngress: true, vpc: { mode: "default" } },
  bedrock: { modelId: `eu.${MODEL}`, region: "eu-west-1" },
  web: {
    certificateArn: CERT,
    healthCheckPort: 8080,
    auth: {
      type: "cognito",
      userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
      userPoolClientId: "abc123client",
      userPoolDomain: "trailcast-auth",
    },
  },
};

const DEFAULT_VPC_CONTEXT = {
  "vpc-provider:account=123456789012:filter.isDefault=true:region=us-east-1:returnAsymmetricSubnets=true": {
    vpcId: "vpc-0default",
    vpcCidrBlock: "172.31.0.0/16",
    ownerAccountId: "123456789012",
    availabilityZones: [],
    subnetGroups: [
      {
        name: "Public",
        type: "Public",
        subnets: [
          {
            subnetId: "subnet-0aaa",
            cidr: "172.31.0.0/20",
            availabilityZone: "us-east-1a",
            routeTableId: "rtb-0a",
          },
          {
            subnetId: "subnet-0bbb",
            cidr: "172.31.16.0/20",
            availabilityZone: "us-east-1b",
            routeTableId: "rtb-0b",
          },
        ],
      },
    ],
  },
};

let http: Synthesized;
let example: Synthesized;
let pub: Synthesized;
let warnings: string[];

beforeAll(async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  http = await synthTrailcast({ stage: "test", config: httpConfig });
  example = await synthTrailcast({ stage: "prod", config: EXAMPLE });
  pub = await synthTrailcast({ stage: "demo", config: publicConfig, context: DEFAULT_VPC_CONTEXT });
  warnings = warn.mock.calls.map((args) => String(args[0]));
  warn.mockRestore();
});

afterAll(() => {
  for (const s of [http, example, pub]) if (s) fs.rmSync(s.outdir, { recursive: true, force: true });
});

const all = () => [http, example, pub].flatMap((s) => [s.iam, s.infra, s.application]);

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  NotAction?: unknown;
  Resource: unknown;
  Condition?: unknown;
};
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Every identity-policy statement in a template, with the logical id of the role (or policy) holding it. */
function policyStatements(template: Template): { owner: string; statement: Statement }[] {
  const out: { owner: string; statement: Statement }[] = [];
  for (const [id, role] of Object.entries(template.findResources("AWS::IAM::Role"))) {
    for (const policy of role.Properties?.Policies ?? []) {
      for (const statement of policy.PolicyDocument.Statement) out.push({ owner: id, statement });
    }
  }
  for (const type of ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]) {
    for (const [id, policy] of Object.entries(template.findResources(type))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) out.push({ owner: id, statement });
    }
  }
  return out;
}

function roleStatements(template: Template, logicalIdPrefix: string): Statement[] {
  const roles = Object.entries(template.findResources("AWS::IAM::Role")).filter(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  expect(roles).toHaveLength(1);
  return roles[0]?.[1].Properties.Policies.flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );
}

/** The MCP function (SST also adds an idle custom-resource helper function to every stack). */
function mcpFunction(s: Synthesized) {
  const found = Object.values(s.application.findResources("AWS::Lambda::Function")).filter(
    (r) => r.Properties.FunctionName === `${s.stackNames.iam.split("-")[0]}-trailcast-mcp`,
  );
  expect(found).toHaveLength(1);
  return found[0]?.Properties;
}

function onlyResource(template: Template, type: string) {
  const found = Object.values(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0]?.Properties;
}

describe("stacks", () => {
  test("three stage-prefixed stacks, deployed IAM -> infrastructure -> application", () => {
    expect(http.stackNames).toEqual({
      iam: "test-trailcast-IamStack",
      infra: "test-trailcast-InfrastructureStack",
      application: "test-trailcast-ApplicationStack",
    });
    expect(http.dependencies.infra).toEqual(["test-trailcast-IamStack"]);
    expect(http.dependencies.application.sort()).toEqual([
      "test-trailcast-IamStack",
      "test-trailcast-InfrastructureStack",
    ]);
    expect(example.stackNames.application).toBe("prod-trailcast-ApplicationStack");
    expect(pub.missingContext).toEqual([]); // the default-VPC lookup was answered, no dummy values
  });
});

describe("MCP Lambda", () => {
  test("Node 22, handler functions/mcp.handler, configured memory/timeout, role from the IAM stack", () => {
    const fn = mcpFunction(http);
    expect(fn).toMatchObject({
      FunctionName: "test-trailcast-mcp",
      Runtime: "nodejs22.x",
      Handler: "functions/mcp.handler",
      MemorySize: 2048,
      Timeout: 120,
      Architectures: ["x86_64"],
      Role: { "Fn::ImportValue": expect.stringMatching(/^test-trailcast-IamStack:.*McpFunctionRole/) },
      Code: { S3Key: expect.stringMatching(/\.zip$/) },
    });
    expect(fn.Environment.Variables).toMatchObject({
      TRAILCAST_LOOKUP_EVENTS: "true",
      TRAILCAST_LOOKUP_REGIONS: "us-east-1,us-west-2",
      TRAILCAST_TRAIL_BUCKET: "org-trail-logs",
      TRAILCAST_TRAIL_PREFIX: "cloudtrail",
      TRAILCAST_LAKE_EVENT_DATA_STORE: EVENT_DATA_STORE,
    });
    expect(mcpFunction(example)).toMatchObject({ MemorySize: 1024, Timeout: 300 });
  });

  test("the Function URL requires IAM auth, streams, has no CORS and no public resource policy", () => {
    for (const s of [http, example, pub]) {
      const url = onlyResource(s.application, "AWS::Lambda::Url");
      expect(url).toEqual({
        AuthType: "AWS_IAM",
        InvokeMode: "RESPONSE_STREAM",
        TargetFunctionArn: { "Fn::GetAtt": [expect.stringMatching(/^McpFunction/), "Arn"] },
      });
      s.application.resourceCountIs("AWS::Lambda::Permission", 0);
    }
  });

  test("the handler is bundled by esbuild; only DuckDB's prebuilt native binding ships beside it", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(http.outdir, `${http.stackNames.application}.assets.json`), "utf8"),
    );
    const fn = mcpFunction(http);
    const hash = String(fn.Code.S3Key).replace(/\.zip$/, "");
    const dir = path.join(http.outdir, manifest.files[hash].source.path);
    expect(fs.readdirSync(path.join(dir, "functions"))).toContain("mcp.mjs");
    // Copied from node_modules at synth (no npm install, so synth stays offline).
    expect(fs.readdirSync(path.join(dir, "node_modules")).sort()).toEqual(["@duckdb", "detect-libc"]);
    expect(fs.readdirSync(path.join(dir, "node_modules", "@duckdb")).sort()).toEqual([
      "node-bindings",
      "node-bindings-linux-x64",
    ]);
    expect(
      fs.existsSync(path.join(dir, "node_modules", "@duckdb", "node-bindings-linux-x64", "duckdb.node")),
    ).toBe(true);
    // The bundle itself (without the native binding) stays small; the whole asset far below Lambda's 250 MB.
    const native = directorySize(path.join(dir, "node_modules"));
    expect(directorySize(dir) - native).toBeLessThan(15_000_000);
    expect(directorySize(dir)).toBeLessThan(150_000_000);
  });
});

describe("logs and removal policies", () => {
  test("both log groups have the configured retention and stage-aware names", () => {
    const groups = (s: Synthesized) =>
      Object.values(s.application.findResources("AWS::Logs::LogGroup")).map((r) => r.Properties);
    expect(groups(http)).toEqual([
      { LogGroupName: "/aws/lambda/test-trailcast-mcp", RetentionInDays: 14, Tags: expect.any(Array) },
      { LogGroupName: "/trailcast/test/web", RetentionInDays: 14, Tags: expect.any(Array) },
    ]);
    expect(groups(example).map((g) => g.RetentionInDays)).toEqual([30, 30]);
    // No legacy LogRetention custom resource (and its extra Lambda) anywhere.
    for (const t of all()) t.resourceCountIs("Custom::LogRetention", 0);
  });

  test("a protected stage (prod) retains logs and turns on ALB deletion protection; others clean up", () => {
    for (const group of Object.values(example.application.findResources("AWS::Logs::LogGroup"))) {
      expect(group).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    }
    for (const group of Object.values(http.application.findResources("AWS::Logs::LogGroup"))) {
      expect(group).toMatchObject({ DeletionPolicy: "Delete" });
    }
    const protection = (s: Synthesized) =>
      onlyResource(s.application, "AWS::ElasticLoadBalancingV2::LoadBalancer").LoadBalancerAttributes.find(
        (a: { Key: string }) => a.Key === "deletion_protection.enabled",
      ).Value;
    expect(protection(example)).toBe("true");
    expect(protection(http)).toBe("false");
  });
});

describe("IAM, least privilege", () => {
  const logs = ["logs:CreateLogStream", "logs:PutLogEvents"];
  const invoke = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];

  test("MCP role: exactly the CloudTrail, S3 and KMS reads its configured sources use", () => {
    expect(roleStatements(http.iam, "McpFunctionRole")).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: logs,
        Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/test-trailcast-mcp:*",
      },
      {
        Sid: "LookupEvents",
        Effect: "Allow",
        Action: "cloudtrail:LookupEvents",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "us-west-2"] } },
      },
      {
        Sid: "QueryLakeEventDataStore",
        Effect: "Allow",
        Action: ["cloudtrail:StartQuery", "cloudtrail:DescribeQuery", "cloudtrail:GetQueryResults"],
        Resource: EVENT_DATA_STORE,
      },
      {
        Sid: "ListEventDataStores",
        Effect: "Allow",
        Action: "cloudtrail:ListEventDataStores",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
      },
      {
        Sid: "ListTrailBucket",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws:s3:::org-trail-logs",
        Condition: { StringLike: { "s3:prefix": ["cloudtrail", "cloudtrail/*"] } },
      },
      {
        Sid: "ReadTrailLogFiles",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::org-trail-logs/cloudtrail/*",
      },
      { Sid: "DecryptTrailLogFiles", Effect: "Allow", Action: "kms:Decrypt", Resource: KMS_KEY },
    ]);
    // With only LookupEvents configured, nothing else is granted.
    expect(roleStatements(pub.iam, "McpFunctionRole").map((s) => s.Sid)).toEqual([
      "WriteOwnLogs",
      "LookupEvents",
    ]);
  });

  test("web task role: Bedrock on the configured profile and its models, the MCP function, its own logs", () => {
    const profile = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${MODEL}`;
    const mcp = "arn:aws:lambda:us-east-1:123456789012:function:test-trailcast-mcp";
    expect(roleStatements(http.iam, "WebTaskRole")).toEqual([
      { Sid: "InvokeInferenceProfile", Effect: "Allow", Action: invoke, Resource: profile },
      {
        Sid: "InvokeModelsBehindProfile",
        Effect: "Allow",
        Action: invoke,
        Resource: [
          `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`,
          `arn:aws:bedrock:::foundation-model/${MODEL}`,
        ],
        Condition: { StringEquals: { "bedrock:InferenceProfileArn": profile } },
      },
      {
        Sid: "InvokeMcpFunctionUrl",
        Effect: "Allow",
        Action: "lambda:InvokeFunctionUrl",
        Resource: mcp,
        Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
      },
      { Sid: "InvokeMcpFunction", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: mcp },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: logs,
        Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/trailcast/test/web:*",
      },
    ]);
    // eu. profile called from eu-west-1: profile ARN in eu-west-1, models only in EU regions.
    const [euProfile, euModels] = roleStatements(pub.iam, "WebTaskRole");
    expect(euProfile?.Resource).toBe(`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${MODEL}`);
    expect(
      asArray(euModels?.Resource as string[]).every((arn) => /^arn:aws:bedrock:eu-[a-z]+-\d::/.test(arn)),
    ).toBe(true);
  });

  test("the names the IAM stack scopes to are the ones the application stack creates", () => {
    expect(mcpFunction(http).FunctionName).toBe("test-trailcast-mcp");
    const [mcpLogs, webLogs] = Object.values(http.application.findResources("AWS::Logs::LogGroup")).map(
      (r) => r.Properties.LogGroupName,
    );
    const resources = [
      ...roleStatements(http.iam, "McpFunctionRole"),
      ...roleStatements(http.iam, "WebTaskRole"),
    ]
      .filter((s) => s.Sid === "WriteOwnLogs")
      .map((s) => s.Resource);
    expect(resources).toEqual([
      `arn:aws:logs:us-east-1:123456789012:log-group:${mcpLogs}:*`,
      `arn:aws:logs:us-east-1:123456789012:log-group:${webLogs}:*`,
    ]);
  });

  test("execution role: the standard ECS task execution policy only; task roles trust only this account's ECS", () => {
    const [exec] = Object.entries(http.iam.findResources("AWS::IAM::Role")).filter(([id]) =>
      id.startsWith("WebExecutionRole"),
    );
    expect(exec?.[1].Properties.Policies).toBeUndefined();
    expect(exec?.[1].Properties.ManagedPolicyArns).toEqual([
      {
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
          ],
        ],
      },
    ]);
    http.iam.resourcePropertiesCountIs(
      "AWS::IAM::Role",
      {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: "sts:AssumeRole",
              Effect: "Allow",
              Principal: { Service: "ecs-tasks.amazonaws.com" },
              Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
          ],
        },
      },
      2,
    );
  });

  test("no `*` action anywhere, and `*` resources only where the service has no resource type", () => {
    const statements = all().flatMap(policyStatements);
    expect(statements.length).toBeGreaterThan(20);
    for (const { owner, statement } of statements) {
      expect(statement.NotAction, owner).toBeUndefined();
      for (const action of asArray(statement.Action))
        expect(action, owner).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      if (asArray(statement.Resource as string).includes("*")) {
        expect(asArray(statement.Action), owner).toEqual([
          expect.stringMatching(/^cloudtrail:(LookupEvents|ListEventDataStores)$/),
        ]);
        expect(statement.Condition, owner).toEqual({
          StringEquals: { "aws:RequestedRegion": expect.anything() },
        });
      }
    }
    // Managed policies in play: the ECS execution policy and SST's custom-resource helper's basic logging.
    const managed = new Set(
      all().flatMap((t) =>
        Object.values(t.findResources("AWS::IAM::Role")).flatMap((r) =>
          (r.Properties.ManagedPolicyArns ?? []).map((a: { "Fn::Join": [string, string[]] }) =>
            a["Fn::Join"][1].at(-1),
          ),
        ),
      ),
    );
    expect([...managed].sort()).toEqual([
      ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    ]);
  });

  test("CloudTrail, S3 and KMS only in the MCP role; Bedrock and Lambda invoke only in the web task role", () => {
    const owners = new Map<string, Set<string>>();
    for (const { owner, statement } of all().flatMap(policyStatements)) {
      for (const action of asArray(statement.Action)) {
        const service = action.split(":")[0] ?? "";
        const key = action.startsWith("lambda:Invoke") ? "lambda:Invoke" : service;
        owners.set(key, new Set([...(owners.get(key) ?? []), owner.replace(/[0-9A-F]{8}$/, "")]));
      }
    }
    for (const service of ["cloudtrail", "s3", "kms"])
      expect([...(owners.get(service) ?? [])], service).toEqual(["McpFunctionRole"]);
    for (const service of ["bedrock", "lambda:Invoke"])
      expect([...(owners.get(service) ?? [])], service).toEqual(["WebTaskRole"]);
  });
});

describe("network", () => {
  const ingress = (t: Template, idPrefix: string) =>
    Object.entries(t.findResources("AWS::EC2::SecurityGroup"))
      .filter(([id]) => id.startsWith(idPrefix))
      .flatMap(([, sg]) => sg.Properties.SecurityGroupIngress ?? [])
      .map((r: Record<string, unknown>) => `${r.CidrIp} ${r.IpProtocol}/${r.FromPort}-${r.ToPort}`)
      .sort();

  test("ALB ingress: only the configured CIDRs, on 80 (HTTP) or 80+443 (HTTPS)", () => {
    expect(ingress(http.infra, "AlbSecurityGroup")).toEqual([
      "198.51.100.0/24 tcp/80-80",
      "203.0.113.10/32 tcp/80-80",
    ]);
    expect(ingress(example.infra, "AlbSecurityGroup")).toEqual([
      "203.0.113.10/32 tcp/443-443",
      "203.0.113.10/32 tcp/80-80",
    ]);
    expect(ingress(pub.infra, "AlbSecurityGroup")).toEqual(["0.0.0.0/0 tcp/443-443", "0.0.0.0/0 tcp/80-80"]);
  });

  test("0.0.0.0/0 ingress exists only where the stage explicitly allowed it, and only on listener ports", () => {
    const openIngress = (s: Synthesized) =>
      [s.infra, s.application]
        .flatMap((t) => [
          ...Object.entries(t.findResources("AWS::EC2::SecurityGroup")).flatMap(([id, sg]) =>
            (sg.Properties.SecurityGroupIngress ?? []).map((r: Record<string, unknown>) => ({ id, ...r })),
          ),
          ...Object.entries(t.findResources("AWS::EC2::SecurityGroupIngress")).map(([id, r]) => ({
            id,
            ...r.Properties,
          })),
        ])
        .filter((r) => r.CidrIp === "0.0.0.0/0" || r.CidrIpv6 === "::/0");
    expect(openIngress(http)).toEqual([]);
    expect(openIngress(example)).toEqual([]);
    expect(
      openIngress(pub)
        .map((r) => `${r.id.replace(/[0-9A-F]{8}$/, "")}:${r.FromPort}`)
        .sort(),
    ).toEqual(["AlbSecurityGroup:443", "AlbSecurityGroup:80"]);
  });

  test("refuses to synthesize 0.0.0.0/0 without the explicit allow, naming the field", async () => {
    await expect(
      synthTrailcast({ stage: "test", config: { network: { allowedCidrs: ["0.0.0.0/0"] } } }),
    ).rejects.toThrow(/network\.allowedCidrs\.0: 0\.0\.0\.0\/0 opens the app to the whole internet/);
  });

  test("web tasks accept traffic only from the ALB group, on the app port and the health-check port", () => {
    const fromAlb = (s: Synthesized) =>
      Object.values(s.infra.findResources("AWS::EC2::SecurityGroupIngress")).map((r) => [
        r.Properties.GroupId["Fn::GetAtt"][0].replace(/[0-9A-F]{8}$/, ""),
        r.Properties.SourceSecurityGroupId["Fn::GetAtt"][0].replace(/[0-9A-F]{8}$/, ""),
        r.Properties.FromPort,
        r.Properties.ToPort,
      ]);
    expect(fromAlb(http)).toEqual([["WebSecurityGroup", "AlbSecurityGroup", 3000, 3000]]);
    expect(fromAlb(pub)).toEqual([
      ["WebSecurityGroup", "AlbSecurityGroup", 3000, 3000],
      ["WebSecurityGroup", "AlbSecurityGroup", 8080, 8080],
    ]);
    expect(ingress(http.infra, "WebSecurityGroup")).toEqual([]); // no CIDR ingress at all
  });

  test("egress: ALB only to the tasks (plus HTTPS to the IdP with auth), tasks only HTTPS", () => {
    const egress = (s: Synthesized, idPrefix: string) =>
      Object.entries(s.infra.findResources("AWS::EC2::SecurityGroup"))
        .filter(([id]) => id.startsWith(idPrefix))
        .flatMap(([, sg]) => sg.Properties.SecurityGroupEgress ?? [])
        .map((r: Record<string, unknown>) => `${r.CidrIp} ${r.IpProtocol}/${r.FromPort}-${r.ToPort}`);
    // The placeholder keeps EC2's default allow-all egress off the ALB group.
    expect(egress(http, "AlbSecurityGroup")).toEqual(["255.255.255.255/32 icmp/252-86"]);
    expect(egress(example, "AlbSecurityGroup")).toEqual(["0.0.0.0/0 tcp/443-443"]);
    for (const s of [http, example, pub])
      expect(egress(s, "WebSecurityGroup")).toEqual(["0.0.0.0/0 tcp/443-443"]);
    const toTasks = Object.values(pub.infra.findResources("AWS::EC2::SecurityGroupEgress")).map((r) => [
      r.Properties.DestinationSecurityGroupId["Fn::GetAtt"][0].replace(/[0-9A-F]{8}$/, ""),
      r.Properties.FromPort,
    ]);
    expect(toTasks).toEqual([
      ["WebSecurityGroup", 3000],
      ["WebSecurityGroup", 8080],
    ]);
  });

  test("VPC: created (2 AZs, NAT only when tasks are private) or the default VPC by lookup", () => {
    http.infra.resourceCountIs("AWS::EC2::VPC", 1);
    http.infra.resourceCountIs("AWS::EC2::NatGateway", 0);
    example.infra.resourceCountIs("AWS::EC2::NatGateway", 1);
    pub.infra.resourceCountIs("AWS::EC2::VPC", 0);
    expect(onlyResource(pub.application, "AWS::ElasticLoadBalancingV2::LoadBalancer").Subnets).toEqual([
      "subnet-0aaa",
      "subnet-0bbb",
    ]);
    const placement = (s: Synthesized) =>
      onlyResource(s.application, "AWS::ECS::Service").NetworkConfiguration.AwsvpcConfiguration;
    expect(placement(http).AssignPublicIp).toBe("ENABLED");
    expect(placement(pub)).toMatchObject({
      AssignPublicIp: "ENABLED",
      Subnets: ["subnet-0aaa", "subnet-0bbb"],
    });
    expect(placement(example).AssignPublicIp).toBe("DISABLED");
    expect(JSON.stringify(placement(example).Subnets)).toMatch(/VpcprivateSubnet1.*VpcprivateSubnet2/);
  });
});

describe("load balancer", () => {
  const listeners = (s: Synthesized) =>
    Object.values(s.application.findResources("AWS::ElasticLoadBalancingV2::Listener"))
      .map((l) => l.Properties)
      .sort((a, b) => a.Port - b.Port);

  test("without a certificate: one HTTP listener forwarding to the tasks, and a loud warning", () => {
    expect(listeners(http)).toEqual([
      {
        Port: 80,
        Protocol: "HTTP",
        LoadBalancerArn: { Ref: expect.stringMatching(/^Alb/) },
        DefaultActions: [
          { Type: "forward", TargetGroupArn: { Ref: expect.stringMatching(/^WebTargetGroup/) } },
        ],
      },
    ]);
    http.application.hasOutput("SecurityWarning", { Value: Match.stringLikeRegexp("plain HTTP") });
    expect(http.warnings.some((w) => w.includes("plain HTTP"))).toBe(true);
    expect(warnings.filter((w) => w.includes("plain HTTP"))).toHaveLength(1); // printed once, for the http variant
    http.application.hasOutput("WebUrl", { Value: { "Fn::Join": ["", ["http://", Match.anyValue()]] } });
  });

  test("with a certificate: HTTPS with OIDC in front of the tasks, HTTP only redirects", () => {
    const [plain, tls] = listeners(example);
    expect(plain).toMatchObject({
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [
        { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
      ],
    });
    expect(tls).toMatchObject({
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: EXAMPLE.web?.certificateArn }],
      SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      DefaultActions: [
        {
          Type: "authenticate-oidc",
          Order: 1,
          AuthenticateOidcConfig: {
            Issuer: "https://login.example.com",
            ClientId: "trailcast",
            Scope: "openid",
            ClientSecret:
              "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:trailcast/oidc-AbCdEf:SecretString:clientSecret::}}",
          },
        },
        { Type: "forward", Order: 2, TargetGroupArn: { Ref: expect.stringMatching(/^WebTargetGroup/) } },
      ],
    });
    expect(() => example.application.hasOutput("SecurityWarning", {})).toThrow();
    expect(example.warnings).toEqual([]);
    example.application.hasOutput("WebUrl", { Value: { "Fn::Join": ["", ["https://", Match.anyValue()]] } });
  });

  test("Cognito variant authenticates with the configured user pool, client and domain", () => {
    const [, tls] = listeners(pub);
    expect(tls?.DefaultActions[0]).toEqual({
      Type: "authenticate-cognito",
      Order: 1,
      AuthenticateCognitoConfig: {
        UserPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
        UserPoolClientId: "abc123client",
        UserPoolDomain: "trailcast-auth",
      },
    });
  });

  test("target group health-checks /healthz on the traffic port or the configured health port", () => {
    expect(onlyResource(http.application, "AWS::ElasticLoadBalancingV2::TargetGroup")).toMatchObject({
      Port: 3000,
      Protocol: "HTTP",
      TargetType: "ip",
      HealthCheckPath: "/healthz",
      HealthCheckPort: "traffic-port",
      Matcher: { HttpCode: "200" },
    });
    expect(onlyResource(pub.application, "AWS::ElasticLoadBalancingV2::TargetGroup").HealthCheckPort).toBe(
      "8080",
    );
  });
});

describe("web service", () => {
  test("task definition: image asset, non-root user, /healthz health check, wiring env", () => {
    const task = onlyResource(http.application, "AWS::ECS::TaskDefinition");
    expect(task).toMatchObject({
      Family: "test-trailcast-web",
      Cpu: "512",
      Memory: "1024",
      RequiresCompatibilities: ["FARGATE"],
      RuntimePlatform: { CpuArchitecture: "X86_64", OperatingSystemFamily: "LINUX" },
      ExecutionRoleArn: { "Fn::ImportValue": expect.stringMatching(/IamStack:.*WebExecutionRole/) },
      TaskRoleArn: { "Fn::ImportValue": expect.stringMatching(/IamStack:.*WebTaskRole/) },
    });
    const [container] = task.ContainerDefinitions;
    expect(container).toMatchObject({
      Name: "web",
      User: "1000:1000",
      Image: {
        "Fn::Sub": expect.stringMatching(
          /cdk-hnb659fds-container-assets-123456789012-us-east-1:[0-9a-f]{64}$/,
        ),
      },
      PortMappings: [{ ContainerPort: 3000, Protocol: "tcp" }],
      LinuxParameters: { InitProcessEnabled: true },
      HealthCheck: {
        Command: ["CMD", "node", "-e", expect.stringContaining("http://127.0.0.1:3000/healthz")],
        Interval: 30,
        Retries: 3,
      },
      LogConfiguration: { LogDriver: "awslogs", Options: { "awslogs-stream-prefix": "web" } },
    });
    const env = Object.fromEntries(
      container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]),
    );
    expect(env).toEqual({
      NODE_ENV: "production",
      PORT: "3000",
      MCP_URL: { "Fn::GetAtt": [expect.stringMatching(/^McpFunctionFunctionUrl/), "FunctionUrl"] },
      BEDROCK_MODEL_ID: `global.${MODEL}`,
      BEDROCK_REGION: "us-east-1",
      AWS_REGION: "us-east-1",
      TRAILCAST_STAGE: "test",
    });
    const pubEnv = onlyResource(pub.application, "AWS::ECS::TaskDefinition").ContainerDefinitions[0]
      .Environment;
    expect(pubEnv).toContainEqual({ Name: "BEDROCK_REGION", Value: "eu-west-1" });
    expect(pubEnv).toContainEqual({ Name: "AWS_REGION", Value: "us-east-1" });
  });

  test("service: Fargate, rolling deploys with circuit-breaker rollback, behind the target group", () => {
    expect(onlyResource(example.application, "AWS::ECS::Service")).toMatchObject({
      LaunchType: "FARGATE",
      DesiredCount: 1,
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      LoadBalancers: [{ ContainerName: "web", ContainerPort: 3000 }],
    });
  });

  test("the image asset is the repo's Dockerfile for linux/amd64, staged without node_modules (size measured)", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(http.outdir, `${http.stackNames.application}.assets.json`), "utf8"),
    );
    const images = Object.values(manifest.dockerImages) as {
      source: { directory: string; platform?: string };
    }[];
    expect(images).toHaveLength(1);
    expect(images[0]?.source.platform).toBe("linux/amd64");
    const staged = path.join(http.outdir, images[0]?.source.directory ?? "");
    const entries = fs.readdirSync(staged);
    expect(entries).toEqual(expect.arrayContaining(["Dockerfile", "package.json", "package-lock.json"]));
    for (const excluded of ["node_modules", ".git", ".sst", "cdk.out", "build", "stacks", ".env"]) {
      expect(entries, excluded).not.toContain(excluded);
    }
    const bytes = directorySize(staged);
    console.info(
      `staged web image context: ${(bytes / 1024).toFixed(0)} KiB; whole cdk.out: ${(directorySize(http.outdir) / 1048576).toFixed(1)} MiB`,
    );
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });
});

describe("secrets", () => {
  test("no stage config leaks a secret into a template: only dynamic references reach CloudFormation", () => {
    const texts = all().map((t) => JSON.stringify(t.toJSON()));
    const references = texts.flatMap((t) => [...t.matchAll(/\{\{resolve:[^}]+\}\}/g)].map((m) => m[0]));
    expect(references).toEqual([
      "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:trailcast/oidc-AbCdEf:SecretString:clientSecret::}}",
    ]);
    for (const text of texts) {
      expect(text).not.toMatch(/"(ClientSecret|Password|SecretString)":"(?!\{\{resolve:)/);
      expect(text).not.toMatch(/AKIA[0-9A-Z]{16}/);
    }
    for (const s of [http, example, pub]) {
      const env = onlyResource(s.application, "AWS::ECS::TaskDefinition").ContainerDefinitions[0].Environment;
      expect(
        env.map((e: { Name: string }) => e.Name).filter((n: string) => /SECRET|PASSWORD|TOKEN|KEY/.test(n)),
      ).toEqual([]);
    }
  });
});

describe("Dockerfile and .dockerignore (the image contract the task definition relies on)", () => {
  const dockerfile = fs.readFileSync("Dockerfile", "utf8");
  const ignore = fs.readFileSync(".dockerignore", "utf8").split("\n");

  test("multi-stage node:22-slim, production deps only, non-root, /healthz health check, remix-serve", () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-slim$/m);
    expect(dockerfile.match(/^FROM \$\{NODE_IMAGE\} AS \w[\w-]*$/gm)).toHaveLength(3);
    expect(dockerfile).toMatch(/RUN npm ci --no-audit --no-fund\n[\s\S]*RUN npm run build/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node_modules\/\.bin\/remix-serve", "build\/server\/index\.js"\]$/m);
  });

  test(".dockerignore keeps heavy and private paths out of the build context", () => {
    for (const entry of [
      "node_modules",
      ".sst",
      "cdk.out",
      ".git",
      ".trailcast",
      "build",
      "test-results",
      ".env",
    ]) {
      expect(ignore, entry).toContain(entry);
    }
  });
});
