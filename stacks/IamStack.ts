import {
  Effect,
  ManagedPolicy,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import type { StackContext } from "sst/constructs";
import { bedrockInvokeStatements } from "./bedrock.ts";
import { logGroupArn, type Trailcast, useTrailcast } from "./context.ts";

/**
 * IAM stack: the three roles and every permission they hold, least privilege, no `*` action anywhere.
 * Only the MCP Lambda role can read CloudTrail data; the web task can only call Bedrock and the MCP URL.
 * Resources are scoped to ARNs everywhere the service supports it; the two exceptions are documented inline.
 */
export function IamStack({ app, stack }: StackContext) {
  const t = useTrailcast(app);

  const mcpRole = new Role(stack, "McpFunctionRole", {
    description: `Trailcast ${t.stage}: MCP Lambda (read-only CloudTrail sources)`,
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    inlinePolicies: { TrailcastMcp: new PolicyDocument({ statements: mcpStatements(t) }) },
  });

  // Confused-deputy guard: only ECS tasks of this account may assume the task roles.
  const ecsTasks = new ServicePrincipal("ecs-tasks.amazonaws.com", {
    conditions: { StringEquals: { "aws:SourceAccount": t.account } },
  });

  const webExecutionRole = new Role(stack, "WebExecutionRole", {
    description: `Trailcast ${t.stage}: ECS task execution (pull image, write container logs)`,
    assumedBy: ecsTasks,
    managedPolicies: [
      ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonECSTaskExecutionRolePolicy"),
    ],
  });

  const webTaskRole = new Role(stack, "WebTaskRole", {
    description: `Trailcast ${t.stage}: web app (Bedrock + MCP Function URL only)`,
    assumedBy: ecsTasks,
    inlinePolicies: { TrailcastWeb: new PolicyDocument({ statements: webTaskStatements(t) }) },
  });

  stack.addOutputs({
    McpFunctionRoleArn: mcpRole.roleArn,
    WebTaskRoleArn: webTaskRole.roleArn,
  });

  return {
    mcpRoleArn: mcpRole.roleArn,
    webExecutionRoleArn: webExecutionRole.roleArn,
    webTaskRoleArn: webTaskRole.roleArn,
  };
}

const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
  new PolicyStatement({
    sid,
    effect: Effect.ALLOW,
    actions,
    resources,
    ...(conditions ? { conditions } : {}),
  });

export function mcpStatements(t: Trailcast): PolicyStatement[] {
  const { sources } = t.config;
  const statements = [
    // Lambda writes to the log group the application stack creates (no logs:CreateLogGroup needed).
    allow(
      "WriteOwnLogs",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      [logGroupArn(t, t.names.mcpLogGroup)],
    ),
  ];
  if (sources.lookupEvents) {
    // LookupEvents has no resource type in the service authorization reference: "*" is the only valid
    // resource, so the statement is narrowed by region instead.
    statements.push(
      allow("LookupEvents", ["cloudtrail:LookupEvents"], ["*"], {
        StringEquals: { "aws:RequestedRegion": sources.lookupRegions },
      }),
    );
  }
  if (sources.lakeEventDataStoreArn) {
    statements.push(
      allow(
        "QueryLakeEventDataStore",
        ["cloudtrail:StartQuery", "cloudtrail:DescribeQuery", "cloudtrail:GetQueryResults"],
        [sources.lakeEventDataStoreArn],
      ),
      // ListEventDataStores is a List action without a resource type: it cannot be scoped to an ARN, only to
      // the event data store's region.
      allow("ListEventDataStores", ["cloudtrail:ListEventDataStores"], ["*"], {
        StringEquals: { "aws:RequestedRegion": sources.lakeEventDataStoreArn.split(":")[3] },
      }),
    );
  }
  const bucket = sources.trailBucket;
  if (bucket) {
    const bucketArn = `arn:${t.partition}:s3:::${bucket.name}`;
    statements.push(
      allow(
        "ListTrailBucket",
        ["s3:ListBucket"],
        [bucketArn],
        bucket.prefix ? { StringLike: { "s3:prefix": [bucket.prefix, `${bucket.prefix}/*`] } } : undefined,
      ),
      allow(
        "ReadTrailLogFiles",
        ["s3:GetObject"],
        [`${bucketArn}/${bucket.prefix ? `${bucket.prefix}/` : ""}*`],
      ),
    );
    if (bucket.kmsKeyArn) {
      statements.push(allow("DecryptTrailLogFiles", ["kms:Decrypt"], [bucket.kmsKeyArn]));
    }
  }
  return statements;
}

export function webTaskStatements(t: Trailcast): PolicyStatement[] {
  const { bedrock } = t.config;
  const invokeActions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];
  const bedrockStatements = bedrockInvokeStatements({
    modelId: bedrock.modelId,
    sourceRegion: bedrock.region ?? t.region,
    account: t.account,
    partition: t.partition,
    destinationRegions: bedrock.destinationRegions,
  }).map((s) =>
    allow(
      s.sid,
      invokeActions,
      s.resources,
      s.viaInferenceProfile
        ? { StringEquals: { "bedrock:InferenceProfileArn": s.viaInferenceProfile } }
        : undefined,
    ),
  );
  const mcpFunctionArn = `arn:${t.partition}:lambda:${t.region}:${t.account}:function:${t.names.mcpFunction}`;
  return [
    ...bedrockStatements,
    // Since Oct 2025 an IAM-authenticated Function URL needs both actions on the caller's side.
    allow("InvokeMcpFunctionUrl", ["lambda:InvokeFunctionUrl"], [mcpFunctionArn], {
      StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" },
    }),
    allow("InvokeMcpFunction", ["lambda:InvokeFunction"], [mcpFunctionArn]),
    allow(
      "WriteOwnLogs",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      [logGroupArn(t, t.names.webLogGroup)],
    ),
  ];
}
