import { ec2 } from "./api-ec2.ts";
import { denied } from "./api-errors.ts";
import { getCallerIdentity, iam } from "./api-iam.ts";
import { call, costAndUsage, trailCall } from "./api-services.ts";
import type { Rng } from "./prng.ts";
import { burst, poll, type Step, step, type TaskContext, type TaskEntry, think } from "./task-kit.ts";
import { iamLook } from "./tasks-dev.ts";

/** What the security auditor and finance do, and what the console loads after sign-in. */

function trailReview(c: TaskContext): Step[] {
  const via = c.console ? "console" : "cli";
  const trail = c.account.trailName;
  const steps = [
    step(call("cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }), 0, via),
    step(trailCall("GetTrailStatus", trail, c.account), think(c.rng, 3), via),
  ];
  if (c.rng.chance(0.5))
    steps.push(step(trailCall("GetEventSelectors", trail, c.account, "trailName"), think(c.rng, 3), via));
  const lookups = c.rng.int(1, 4);
  for (let i = 0; i < lookups; i++) {
    const attribute = c.rng.pick(["EventName", "Username", "EventSource", "ResourceName"]);
    steps.push(
      step(
        call("cloudtrail", "LookupEvents", {
          lookupAttributes: [
            {
              attributeKey: attribute,
              attributeValue: c.rng.pick([
                "ConsoleLogin",
                "iam.amazonaws.com",
                "CreateAccessKey",
                "svc-backup",
              ]),
            },
          ],
          maxResults: 50,
        }),
        think(c.rng, 20),
        via,
      ),
    );
  }
  return steps;
}

function securityReview(c: TaskContext): Step[] {
  const via = c.console ? "console" : "script";
  const detector = c.rng.hex(32);
  const steps = [
    step(call("guardduty", "ListDetectors", {}), 0, via),
    step(
      call("guardduty", "ListFindings", {
        detectorId: detector,
        findingCriteria: { criterion: { "service.archived": { eq: ["false"] } } },
        maxResults: 50,
      }),
      1,
      via,
    ),
    step(
      call("guardduty", "GetFindings", {
        detectorId: detector,
        findingIds: Array.from({ length: c.rng.int(1, 6) }, () => c.rng.hex(32)),
      }),
      think(c.rng, 4),
      via,
    ),
  ];
  const pages = c.rng.int(1, 4);
  for (let i = 0; i < pages; i++)
    steps.push(
      step(
        call("securityhub", "GetFindings", {
          filters: { RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" }] },
          maxResults: 100,
        }),
        think(c.rng, 6),
        via,
      ),
    );
  if (c.rng.chance(0.5)) {
    steps.push(
      step(
        call("config", "DescribeComplianceByConfigRule", { complianceTypes: ["NON_COMPLIANT"] }),
        think(c.rng, 10),
        via,
      ),
    );
    steps.push(
      step(
        call("config", "GetComplianceDetailsByConfigRule", {
          configRuleName: c.rng.pick([
            "s3-bucket-public-read-prohibited",
            "restricted-ssh",
            "iam-user-mfa-enabled",
            "cloudtrail-enabled",
          ]),
        }),
        think(c.rng, 6),
        via,
      ),
    );
  }
  if (c.rng.chance(0.3))
    steps.push(
      step(
        call("access-analyzer", "ListFindingsV2", {
          analyzerArn: `arn:aws:access-analyzer:${c.region}:${c.account.id}:analyzer/org-analyzer`,
        }),
        think(c.rng),
        via,
      ),
    );
  return steps;
}

function credentialAudit(c: TaskContext, users: string[]): Step[] {
  const via = c.console ? "console" : "script";
  const steps = [
    step(
      iam("GenerateCredentialReport", null, {
        state: "STARTED",
        description: "No report exists. Starting a new report generation task",
      }),
      0,
      via,
    ),
  ];
  steps.push(...poll(c.rng, iam("GetCredentialReport"), c.rng.int(1, 3), 4, via));
  steps.push(step(iam("ListUsers", {}), think(c.rng, 8), via));
  for (const userName of users) {
    steps.push(step(iam("ListAccessKeys", { userName }), c.rng.range(0.2, 2), via));
    if (c.rng.chance(0.5)) steps.push(step(iam("ListMFADevices", { userName }), c.rng.range(0.2, 1), via));
  }
  if (c.rng.chance(0.4))
    steps.push(
      step(
        iam("GetAccountAuthorizationDetails", { filter: ["User", "Role", "Group", "LocalManagedPolicy"] }),
        think(c.rng, 20),
        via,
      ),
    );
  return steps;
}

const ALL_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "sa-east-1",
];

export const APPROVED_REGIONS = new Set(["eu-central-1", "eu-west-1", "us-east-1"]);

/** A weekly posture scan across every region: wide, fast, with SCP denials outside approved regions. */
function postureScan(c: TaskContext): Step[] {
  const steps: Step[] = [step(getCallerIdentity(), 0, "script", "us-east-1")];
  for (const region of ALL_REGIONS) {
    const calls = [
      ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }),
      ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
      ec2("DescribeFlowLogs", { DescribeFlowLogsRequest: {} }),
      ec2("GetEbsEncryptionByDefault", {}),
      call("cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }),
    ];
    const denyAll = !APPROVED_REGIONS.has(region);
    for (const [i, request] of calls.entries()) {
      const outcome = denyAll ? denied(c.rng, request, c.callerArn, "*", true) : request;
      steps.push(step(outcome, i === 0 ? c.rng.range(0.5, 3) : c.rng.range(0.1, 0.8), "script", region));
    }
  }
  return steps;
}

function costReview(c: TaskContext): Step[] {
  const steps = [step(costAndUsage(c.day, "SERVICE"), 0, "console", "us-east-1")];
  const more = [
    costAndUsage(c.day, "LINKED_ACCOUNT"),
    costAndUsage(c.day, "USAGE_TYPE"),
    call("ce", "GetCostForecast", {
      timePeriod: { start: c.day, end: `${c.day.slice(0, 8)}28` },
      metric: "UNBLENDED_COST",
      granularity: "MONTHLY",
    }),
    call("ce", "GetDimensionValues", {
      timePeriod: { start: `${c.day.slice(0, 8)}01`, end: c.day },
      dimension: "SERVICE",
      context: "COST_AND_USAGE",
    }),
    call("ce", "GetSavingsPlansUtilization", { timePeriod: { start: `${c.day.slice(0, 8)}01`, end: c.day } }),
    call("ce", "GetAnomalies", { dateInterval: { startDate: `${c.day.slice(0, 8)}01` }, maxResults: 20 }),
    call("budgets", "DescribeBudgets", { accountId: c.account.id, maxResults: 100 }),
    call("budgets", "DescribeBudgetPerformanceHistory", {
      accountId: c.account.id,
      budgetName: c.rng.pick(["monthly-total", "data-platform", "compute"]),
    }),
  ];
  for (const next of c.rng.shuffle(more).slice(0, c.rng.int(2, 6)))
    steps.push(step(next, think(c.rng, 12), "console", "us-east-1"));
  return steps;
}

/** Calls the console home page makes right after sign-in. */
export function consoleHome(rng: Rng, day: string): Step[] {
  const calls = [
    call("health", "DescribeEventAggregates", {
      aggregateField: "eventTypeCategory",
      filter: { eventStatusCodes: ["open", "upcoming"] },
    }),
    call("notifications", "ListNotificationHubs", {}),
  ];
  if (rng.chance(0.5)) calls.push(costAndUsage(day, "SERVICE"));
  return burst(rng, calls, "console", rng.range(1, 4), "us-east-1");
}

export function auditorTasks(users: string[]): TaskEntry[] {
  return [
    { name: "security", habit: "security", weight: 2, task: securityReview },
    { name: "credentials", habit: "iam", weight: 0.7, task: (c) => credentialAudit(c, users) },
    { name: "trail", habit: "security", weight: 0.8, task: trailReview },
    { name: "iam", habit: "iam", weight: 0.5, task: iamLook },
  ];
}

export const FINANCE_TASKS: TaskEntry[] = [{ name: "cost", habit: "cost", weight: 1, task: costReview }];

export { postureScan, trailReview };
