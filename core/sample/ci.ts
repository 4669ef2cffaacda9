import { runnerAddress } from "./addresses.ts";
import { cliAgent, cliCommand, jsAgent, type Toolset } from "./agents.ts";
import { assumeRoleWithWebIdentity, getCallerIdentity } from "./api-iam.ts";
import { bucketCall, call, cfnStack, lambdaFn } from "./api-services.ts";
import { DAY, HOUR, localMidnight, MINUTE, SECOND, weekday } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { roleSessionIdentity, webIdentity } from "./identity.ts";
import { sessionAccessKey } from "./ids.ts";
import type { Org } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call, Caller } from "./record.ts";

/**
 * GitHub Actions deployments: OIDC federation into the deploy role, then an image push and a CloudFormation
 * (CDK) change set, or an S3 sync plus CloudFront invalidation for the frontend. Pull requests run a
 * read-only `cdk diff` with the same role (the trust policy allows `pull_request` subjects).
 */

const RUNNER_OS = "linux#6.8.0-1014-azure";
const DOCKER_UA =
  "docker/26.1.3 go/go1.21.10 git-commit/8e96db1 kernel/6.8.0-1014-azure os/linux arch/amd64 UpstreamClient(Docker-Client/26.1.3 \\(linux\\))";
const RUNNER_CLI: Toolset = {
  platform: { os: RUNNER_OS, arch: "x86_64", goos: "linux", browser: "" },
  cli: "2.18.0",
  crt: "0.22.0",
  python: "3.12.6",
  boto: "1.35.36",
  terraform: "",
  provider: "",
};

export function runnerAgent(service: string, name: string): string {
  if (service === "sts")
    return jsAgent("3.654.0", RUNNER_OS, "20.17.0", service, "configure-aws-credentials-for-github-actions");
  if (service === "ecr" && name !== "GetAuthorizationToken") return DOCKER_UA;
  if (service === "cloudformation" || service === "s3")
    return jsAgent("3.654.0", RUNNER_OS, "20.17.0", service, "aws-cdk/2.162.1");
  return cliAgent(RUNNER_CLI, cliCommand(service, name));
}

/** Federates a workflow run into the deploy role; returns the role session's caller. */
export function ciSession(
  rng: Rng,
  org: Org,
  emitter: Emitter,
  subject: string,
  t: number,
  label?: string,
): Caller {
  const role = org.workloads.ciRole;
  const ip = runnerAddress(rng);
  const accessKeyId = sessionAccessKey(rng);
  const oidc: Caller = {
    identity: webIdentity(org.workloads.oidcProvider, subject),
    accountId: role.accountId,
    sourceIp: ip,
    agent: runnerAgent,
  };
  const region = org.accounts.prod.homeRegion;
  emitter.emit(
    rng,
    oidc,
    t,
    region,
    assumeRoleWithWebIdentity(
      rng,
      role,
      "GitHubActions",
      subject,
      org.workloads.oidcProvider,
      accessKeyId,
      t,
    ),
    label,
  );
  return {
    identity: roleSessionIdentity(role, "GitHubActions", accessKeyId, t),
    accountId: role.accountId,
    sourceIp: ip,
    agent: runnerAgent,
  };
}

type Step = [Call, number, boolean?];

function serviceDeploy(rng: Rng, org: Org, repo: string, failed: boolean): Step[] {
  const inv = org.accounts.prod.inventory;
  const name = repo.split("/")[1] ?? "orders-api";
  const stack = name === "orders-api" ? "OrdersApiStack" : "WebFrontendStack";
  const steps: Step[] = [
    [getCallerIdentity(), 1],
    [call("ecr", "GetAuthorizationToken", {}), rng.range(20, 90)],
  ];
  steps.push([
    call("ecr", "BatchCheckLayerAvailability", {
      repositoryName: name,
      layerDigests: [`sha256:${rng.hex(64)}`],
    }),
    rng.range(30, 180),
  ]);
  for (let i = 0; i < rng.int(2, 4); i++) {
    const uploadId = rng.uuid();
    steps.push([
      call("ecr", "InitiateLayerUpload", { repositoryName: name }, { uploadId, partSize: 10485760 }),
      rng.range(0.1, 1),
    ]);
    steps.push([
      call("ecr", "UploadLayerPart", {
        repositoryName: name,
        uploadId,
        partFirstByte: 0,
        partLastByte: rng.int(1e6, 6e7),
      }),
      rng.range(0.5, 6),
    ]);
    steps.push([
      call("ecr", "CompleteLayerUpload", {
        repositoryName: name,
        uploadId,
        layerDigests: [`sha256:${rng.hex(64)}`],
      }),
      rng.range(0.2, 1),
    ]);
  }
  const tag = rng.hex(40);
  steps.push([call("ecr", "PutImage", { repositoryName: name, imageTag: tag }), 1]);
  steps.push(
    [cfnStack("DescribeStacks", stack), rng.range(20, 60)],
    [cfnStack("GetTemplate", stack, { templateStage: "Original" }), 0.5],
  );
  steps.push([
    bucketCall(
      "GetBucketLocation",
      "location",
      inv.buckets.find((b) => b.startsWith("cdk-")) ?? "",
      org.accounts.prod,
      org.accounts.prod.homeRegion,
    ),
    1,
  ]);
  const changeSetName = `cdk-deploy-change-set-${rng.hex(6)}`;
  steps.push([
    cfnStack("CreateChangeSet", stack, {
      changeSetName,
      changeSetType: "UPDATE",
      capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    }),
    2,
  ]);
  for (let i = 0; i < rng.int(2, 4); i++)
    steps.push([cfnStack("DescribeChangeSet", stack, { changeSetName }), 5]);
  steps.push([cfnStack("ExecuteChangeSet", stack, { changeSetName }), 1]);
  // CloudFormation then calls the services with the pipeline's credentials; those calls come "from" it.
  const fn = inv.functions[0] ?? "orders-api-handler";
  const account = org.accounts.prod.id;
  const region = org.accounts.prod.homeRegion;
  steps.push([
    {
      ...lambdaFn("UpdateFunctionCode20150331v2", fn, {
        imageUri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}:${tag}`,
        publish: false,
      }),
      invokedBy: "cloudformation.amazonaws.com",
    },
    rng.range(5, 15),
  ]);
  const conflict = {
    code: "ResourceConflictException",
    message: `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:${region}:${account}:function:${fn}`,
  };
  const update = {
    ...lambdaFn("UpdateFunctionConfiguration20150331v2", fn, { environment: {} }),
    invokedBy: "cloudformation.amazonaws.com",
  };
  steps.push([failed ? { ...update, error: conflict } : update, rng.range(1, 4)]);
  steps.push([
    { ...lambdaFn("GetFunction20150331v2", fn), invokedBy: "cloudformation.amazonaws.com" },
    rng.range(2, 8),
  ]);
  const events = rng.int(4, 14) + (failed ? 6 : 0);
  for (let i = 0; i < events; i++)
    steps.push([cfnStack("DescribeStackEvents", stack), 5 * rng.range(0.9, 1.1)]);
  steps.push([cfnStack("DescribeStacks", stack), 1]);
  return steps;
}

function frontendDeploy(rng: Rng, org: Org): Step[] {
  const prod = org.accounts.prod;
  const inv = prod.inventory;
  const distributionId = inv.distribution;
  const invalidation = `I${rng.upperAlnum(13)}`;
  const steps: Step[] = [[getCallerIdentity(), 1]];
  steps.push([
    bucketCall(
      "GetBucketLocation",
      "location",
      inv.buckets.find((b) => b.endsWith("web-frontend")) ?? "",
      prod,
      prod.homeRegion,
    ),
    rng.range(60, 200),
  ]);
  steps.push([
    call(
      "cloudfront",
      "CreateInvalidation",
      {
        distributionId,
        invalidationBatch: {
          paths: { quantity: 1, items: ["/*"] },
          callerReference: `gh-${rng.int(1e9, 9e9)}`,
        },
      },
      {
        location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distributionId}/invalidation/${invalidation}`,
        invalidation: { id: invalidation, status: "InProgress" },
      },
    ),
    rng.range(20, 60),
  ]);
  for (let i = 0; i < rng.int(1, 5); i++)
    steps.push([call("cloudfront", "GetInvalidation", { distributionId, id: invalidation }), 15]);
  return steps;
}

function cdkDiff(rng: Rng, stack: string): Step[] {
  return [
    [getCallerIdentity(), 1],
    [cfnStack("DescribeStacks", stack), rng.range(30, 90)],
    [cfnStack("GetTemplate", stack, { templateStage: "Original" }), 0.5],
    [call("cloudformation", "GetTemplateSummary", { stackName: stack }), rng.range(0.5, 2)],
  ];
}

export function simulateCiDay(org: Org, rng: Rng, emitter: Emitter, dayStart: number, budget: number): void {
  const developers = org.humans.filter((h) => h.role === "developer");
  const dow = weekday(dayStart);
  const scale = dow === 0 || dow === 6 ? 0.08 : 1;
  let spent = 0;
  const repos = org.workloads.repos;
  let guard = 0;
  let done = false;
  while (!done && spent < budget * scale && guard++ < 5000) {
    const dev = rng.pick(developers);
    // Pushes follow the developers' working hours (in their own time zones).
    let t =
      localMidnight(dev.tz, dayStart) + (dev.workStart + rng.range(0.3, dev.workEnd - dev.workStart)) * HOUR;
    if (t < dayStart || t >= dayStart + DAY) t = dayStart + rng.range(0, DAY);
    const burst = 1 + (rng.chance(0.3) ? rng.int(1, 3) : 0);
    for (let b = 0; b < burst; b++) {
      const repo = rng.weighted(repos.map((r) => [r, r.kind === "service" ? 0.65 : 0.35] as const));
      const pullRequest = repo.kind === "service" && rng.chance(0.35);
      const subject = pullRequest
        ? `repo:${repo.name}:pull_request`
        : `repo:${repo.name}:ref:refs/heads/main`;
      const run = rng.fork("run", t, b);
      const steps = pullRequest
        ? cdkDiff(run, "OrdersApiStack")
        : repo.kind === "service"
          ? serviceDeploy(run, org, repo.name, run.chance(0.07))
          : frontendDeploy(run, org);
      // The run that would overshoot the budget happens with the probability that keeps the expectation.
      const room = budget * scale - spent;
      if (steps.length + 1 > room && !rng.chance(room / (steps.length + 1))) {
        done = true;
        break;
      }
      const caller = ciSession(run, org, emitter, subject, t + run.range(20, 60) * SECOND);
      let at = t + 60 * SECOND;
      for (const [c, gap] of steps) {
        at += gap * SECOND;
        emitter.emit(run, caller, at, org.accounts.prod.homeRegion, c);
      }
      spent += steps.length + 1;
      t = at + rng.range(2, 25) * MINUTE;
    }
  }
}
