import { consoleInstancesPage, describeInstances, ec2, stopStartInstance } from "./api-ec2.ts";
import { denied, notFound } from "./api-errors.ts";
import { getCallerIdentity, iam } from "./api-iam.ts";
import { call, lambdaFn, logsInsights } from "./api-services.ts";
import { burst, mode, poll, type Step, step, type TaskContext, type TaskEntry, think } from "./task-kit.ts";
import { cfnLook, dynamoLook, ecrPush, s3Look, secretsLook, ssmLook } from "./tasks-services.ts";

/** What developers do, step by step, with the small variations real people show. */

function ec2Look(c: TaskContext): Step[] {
  const inv = c.account.inventory;
  if (c.console) return burst(c.rng, consoleInstancesPage(inv, c.rng), "console", 0);
  const steps = [step(describeInstances(inv, c.rng, c.rng.chance(0.4)), 0, "cli")];
  if (c.rng.chance(0.3))
    steps.push(
      step(ec2("DescribeSecurityGroups", { securityGroupSet: {}, filterSet: {} }), think(c.rng), "cli"),
    );
  if (c.rng.chance(0.08)) {
    const batch = inv.instances.filter((i) => i.name.startsWith("batch"));
    if (batch.length > 0) {
      const id = c.rng.pick(batch).id;
      const name = c.rng.chance(0.5) ? "StopInstances" : "StartInstances";
      steps.push(step(stopStartInstance(c.rng, name, id), think(c.rng, 20), "cli"));
    }
  }
  return steps;
}

function lambdaDebug(c: TaskContext): Step[] {
  const via = mode(c);
  const fn = c.rng.pick(c.account.inventory.functions.filter((f) => f !== "inventory-collector"));
  const steps: Step[] = [];
  if (c.console || c.rng.chance(0.3)) steps.push(step(call("lambda", "ListFunctions20150331", {}), 0, via));
  steps.push(step(lambdaFn("GetFunction20150331v2", fn), think(c.rng, 4), via));
  if (c.console) {
    steps.push(
      ...burst(
        c.rng,
        [
          lambdaFn("GetPolicy20150331v2", fn),
          lambdaFn("ListEventSourceMappings20150331", fn),
          lambdaFn("GetFunctionConcurrency", fn),
        ],
        via,
        1,
      ),
    );
  } else if (c.rng.chance(0.5)) {
    steps.push(step(lambdaFn("GetFunctionConfiguration20150331v2", fn), think(c.rng), via));
  }
  steps.push(...logsLook(c, `/aws/lambda/${fn}`));
  if (c.rng.chance(0.12)) {
    steps.push(
      step(
        lambdaFn("UpdateFunctionConfiguration20150331v2", fn, { timeout: c.rng.pick([15, 30, 60]) }),
        think(c.rng, 30),
        via,
      ),
    );
    steps.push(step(lambdaFn("GetFunctionConfiguration20150331v2", fn), 3, via));
  }
  return steps;
}

function logsLook(c: TaskContext, group?: string): Step[] {
  const via = mode(c);
  const logGroup = group ?? c.rng.pick(c.account.inventory.logGroups);
  const steps: Step[] = [];
  if (!group || c.rng.chance(0.3))
    steps.push(
      step(
        call("logs", "DescribeLogGroups", c.console ? {} : { logGroupNamePrefix: logGroup.slice(0, 12) }),
        think(c.rng),
        via,
      ),
    );
  if (c.rng.chance(0.4)) {
    steps.push(
      step(
        call("logs", "DescribeLogStreams", {
          logGroupName: logGroup,
          orderBy: "LastEventTime",
          descending: true,
        }),
        think(c.rng, 3),
        via,
      ),
    );
  }
  const queries = c.rng.int(1, 3);
  for (let q = 0; q < queries; q++) {
    const insight = logsInsights(c.rng, logGroup, c.time);
    steps.push(step(insight.start, think(c.rng, q === 0 ? 5 : 40), via));
    steps.push(...poll(c.rng, insight.poll, c.rng.int(1, 4), c.console ? 1.5 : 2, via));
  }
  if (c.rng.chance(0.1)) {
    const missing = `${logGroup}-old`;
    steps.push(
      step(
        notFound(call("logs", "DescribeLogStreams", { logGroupName: missing }), missing),
        think(c.rng),
        via,
      ),
    );
  }
  return steps;
}

function iamLook(c: TaskContext): Step[] {
  const via = mode(c);
  const role = c.rng.pick(c.account.inventory.roles);
  const steps = [
    step(iam("GetRole", { roleName: role }), 0, via),
    step(iam("ListAttachedRolePolicies", { roleName: role }), think(c.rng, 3), via),
  ];
  if (c.rng.chance(0.5)) steps.push(step(iam("ListRolePolicies", { roleName: role }), 1, via));
  // Developers' permission set cannot write IAM; trying it anyway is a common, benign AccessDenied.
  if (c.rng.chance(0.12)) {
    const attempt = iam("CreateRole", {
      roleName: `${c.rng.pick(c.account.inventory.functions)}-test-role`,
      assumeRolePolicyDocument: "{...}",
    });
    steps.push(step(denied(c.rng, attempt, c.callerArn), think(c.rng, 30), via));
  }
  return steps;
}

export function cliWarmup(): Step[] {
  return [step(getCallerIdentity(), 0, "cli")];
}

export const DEVELOPER_TASKS: TaskEntry[] = [
  { name: "ec2", habit: "ec2", weight: 1.2, task: ec2Look },
  { name: "lambda", habit: "lambda", weight: 1.5, task: lambdaDebug },
  { name: "logs", habit: "logs", weight: 1.3, task: (c) => logsLook(c) },
  { name: "s3", habit: "s3", weight: 0.8, task: s3Look },
  { name: "ssm", habit: "ssm", weight: 0.6, task: ssmLook },
  { name: "secrets", habit: "secrets", weight: 0.25, task: secretsLook },
  { name: "ecr", habit: "ecr", weight: 0.4, task: ecrPush },
  { name: "cfn", habit: "cfn", weight: 0.8, task: cfnLook },
  { name: "dynamodb", habit: "dynamodb", weight: 0.5, task: dynamoLook },
  { name: "iam", habit: "iam", weight: 0.3, task: iamLook },
];

export { ec2Look, iamLook, logsLook };
