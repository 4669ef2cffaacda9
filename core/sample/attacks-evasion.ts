import { hostileAddress } from "./addresses.ts";
import {
  createSnapshot,
  deleteFlowLogs,
  describeSnapshots,
  ec2,
  modifySnapshotAttribute,
} from "./api-ec2.ts";
import { getCallerIdentity, iam, trustPolicy, updateAssumeRolePolicy } from "./api-iam.ts";
import { call, trailCall } from "./api-services.ts";
import {
  type AttackContext,
  attackerCli,
  type Move,
  play,
  result,
  type ScenarioResult,
} from "./attack-kit.ts";
import { MINUTE } from "./clock.ts";
import { iamUserIdentity } from "./identity.ts";
import { ec2Id } from "./ids.ts";
import { iamUser } from "./org.ts";
import type { Caller } from "./record.ts";

/**
 * Campaign 2: the attacker's admin user (created in campaign 1) blinds the defenders by deleting flow logs and
 * stopping CloudTrail, then, once logging is back, backdoors a role and shares an EBS snapshot out.
 */

export interface EvasionOutcome {
  scenarios: ScenarioResult[];
  /** When StopLogging took effect; a responder restarts logging at `resumeAt`. */
  stoppedAt: number;
}

export function evasionCampaign(
  ctx: AttackContext,
  t0: number,
  adminUser: string,
  adminKey: string,
): EvasionOutcome {
  const { org, rng } = ctx;
  const prod = org.accounts.prod;
  const region = prod.homeRegion;
  const user = { ...iamUser(rng.fork("admin-user"), prod, adminUser), accessKeyId: adminKey };
  const caller: Caller = {
    identity: iamUserIdentity(user),
    accountId: prod.id,
    sourceIp: hostileAddress(rng),
    agent: attackerCli,
  };
  const flowLog = prod.inventory.flowLogs[0] ?? "";
  const s5End = play(
    ctx,
    rng,
    caller,
    t0,
    region,
    [
      [getCallerIdentity(), 0],
      [ec2("DescribeFlowLogs", { DescribeFlowLogsRequest: {} }), 6],
      [deleteFlowLogs(rng, flowLog), 14],
    ],
    "S05",
  );
  const scenarios = [
    result(
      {
        id: "S05",
        technique: "aws.defense-evasion.vpc-remove-flow-logs",
        tactic: "Defense Evasion",
        mitre: "T1562.008",
        description: "VPC flow logs of the production VPC deleted by the attacker's admin user",
      },
      caller,
      t0,
      s5End,
    ),
  ];
  const s6Start = s5End + rng.range(3, 9) * MINUTE;
  const trail = prod.trailName;
  const s6End = play(
    ctx,
    rng,
    caller,
    s6Start,
    region,
    [
      [call("cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }), 0],
      [trailCall("GetTrailStatus", trail, prod), 3],
      [trailCall("StopLogging", trail, prod), 8],
    ],
    "S06",
  );
  scenarios.push(
    result(
      {
        id: "S06",
        technique: "aws.defense-evasion.cloudtrail-stop",
        tactic: "Defense Evasion",
        mitre: "T1562.008",
        description: "The account's trail is stopped; nothing is recorded until a responder restarts it",
      },
      caller,
      s6Start,
      s6End,
    ),
  );
  return { scenarios, stoppedAt: s6End };
}

/** After logging is back: a role's trust policy opened to the attacker, and an EBS snapshot shared out. */
export function exfiltrationAfterEvasion(
  ctx: AttackContext,
  t0: number,
  adminUser: string,
  adminKey: string,
): ScenarioResult[] {
  const { org, rng } = ctx;
  const prod = org.accounts.prod;
  const region = prod.homeRegion;
  const external = org.accounts.externalAccountId;
  const user = { ...iamUser(rng.fork("admin-user"), prod, adminUser), accessKeyId: adminKey };
  const caller: Caller = {
    identity: iamUserIdentity(user),
    accountId: prod.id,
    sourceIp: hostileAddress(rng),
    agent: attackerCli,
  };
  const target = "ReadOnlyAuditRole";
  const trust = trustPolicy({ AWS: [`arn:aws:iam::${prod.id}:root`, `arn:aws:iam::${external}:root`] });
  const s8End = play(
    ctx,
    rng,
    caller,
    t0,
    region,
    [
      [iam("ListRoles", {}), 0],
      [iam("GetRole", { roleName: target }), 12],
      [updateAssumeRolePolicy(target, trust), 30],
    ],
    "S08",
  );
  const scenarios = [
    result(
      {
        id: "S08",
        technique: "aws.persistence.iam-backdoor-role",
        tactic: "Persistence",
        mitre: "T1098",
        description: "Trust policy of an existing role extended to an external account",
      },
      caller,
      t0,
      s8End,
    ),
  ];
  const s7Start = s8End + rng.range(10, 25) * MINUTE;
  const instance = prod.inventory.instances[0];
  const snapshotId = ec2Id(rng, "snap");
  const create = createSnapshot(rng, prod.id, instance?.volume ?? "", s7Start, "maintenance");
  const moves: Move[] = [
    [ec2("DescribeVolumes", { volumeSet: {}, filterSet: {} }), 0],
    [{ ...create, response: { ...(create.response as object), snapshotId } }, 25],
  ];
  for (let i = 0; i < rng.int(3, 6); i++) moves.push([describeSnapshots(prod.id), 45 * rng.range(0.8, 1.3)]);
  moves.push([modifySnapshotAttribute(rng, snapshotId, external), 20]);
  moves.push([ec2("DescribeSnapshotAttribute", { snapshotId, attribute: "createVolumePermission" }), 5]);
  const s7End = play(ctx, rng, caller, s7Start, region, moves, "S07");
  scenarios.push(
    result(
      {
        id: "S07",
        technique: "aws.exfiltration.ec2-share-ebs-snapshot",
        tactic: "Exfiltration",
        mitre: "T1537",
        description: "Snapshot of a production volume created and shared with an external account",
      },
      caller,
      s7Start,
      s7End,
    ),
  );
  return scenarios;
}
