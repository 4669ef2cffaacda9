import { hostileAddress } from "./addresses.ts";
import { goAgent } from "./agents.ts";
import {
  authorizeIngress,
  createKeyPair,
  createSecurityGroup,
  describeImages,
  ec2,
  modifyImageAttribute,
  runInstances,
} from "./api-ec2.ts";
import { denied } from "./api-errors.ts";
import {
  ADMIN_POLICY,
  assumeRole,
  attachRolePolicy,
  createRole,
  getCallerIdentity,
  trustPolicy,
} from "./api-iam.ts";
import { call } from "./api-services.ts";
import { type AttackContext, type Move, play, result, type ScenarioResult } from "./attack-kit.ts";
import { ciSession } from "./ci.ts";
import { MINUTE } from "./clock.ts";
import { awsAccountIdentity, roleSessionIdentity } from "./identity.ts";
import { ec2Id, roleUniqueId, sessionAccessKey } from "./ids.ts";
import type { RoleRef } from "./org.ts";
import type { Caller } from "./record.ts";

/**
 * Campaign 3: a pull-request workflow abuses the CI role's OIDC trust to create a role for the attacker's
 * account and share an AMI. Campaign 4: the attacker's account assumes that role to share a database snapshot
 * and start GPU instances in a region the organisation does not use for compute.
 */

export interface CiAbuseOutcome {
  scenarios: ScenarioResult[];
  backdoorRole: RoleRef;
}

export function ciAbuseCampaign(ctx: AttackContext, t0: number): CiAbuseOutcome {
  const { org, rng } = ctx;
  const prod = org.accounts.prod;
  const region = prod.homeRegion;
  const external = org.accounts.externalAccountId;
  const repo = org.workloads.repos.find((r) => r.kind === "service")?.name ?? "";
  const caller = ciSession(rng, org, ctx.emitter, `repo:${repo}:pull_request`, t0, "S09");
  const roleName = "cdk-assets-replication-role";
  const backdoorRole: RoleRef = {
    name: roleName,
    arn: `arn:aws:iam::${prod.id}:role/${roleName}`,
    uniqueId: roleUniqueId(rng),
    accountId: prod.id,
  };
  const trust = trustPolicy({ AWS: `arn:aws:iam::${external}:root` });
  const s9End = play(
    ctx,
    rng,
    caller,
    t0,
    region,
    [
      [getCallerIdentity(), 2],
      [createRole(rng, prod.id, roleName, trust, t0 + 30_000), 25],
      [attachRolePolicy(roleName, ADMIN_POLICY), 2],
    ],
    "S09",
  );
  const scenarios = [
    result(
      {
        id: "S09",
        technique: "aws.persistence.iam-create-backdoor-role",
        tactic: "Persistence",
        mitre: "T1098.003",
        description:
          "A pull-request workflow federates into the deploy role and creates an admin role trusting an external account",
      },
      caller,
      t0,
      s9End,
    ),
  ];
  const ami = prod.inventory.amis[0] ?? "";
  const s10Start = s9End + rng.range(5, 30);
  const s10End = play(
    ctx,
    rng,
    caller,
    s10Start,
    region,
    [
      [describeImages(prod.id), 0],
      [modifyImageAttribute(rng, ami, external), 3],
      [ec2("DescribeImageAttribute", { imageId: ami, attribute: "launchPermission" }), 2],
    ],
    "S10",
  );
  scenarios.push(
    result(
      {
        id: "S10",
        technique: "aws.exfiltration.ec2-share-ami",
        tactic: "Exfiltration",
        mitre: "T1537",
        description: "The golden AMI is shared with the external account from the same workflow run",
      },
      caller,
      s10Start,
      s10End,
    ),
  );
  return { scenarios, backdoorRole };
}

const GPU_TYPES = ["p3.8xlarge", "g5.12xlarge", "g4dn.12xlarge"];

export function externalRoleCampaign(ctx: AttackContext, t0: number, role: RoleRef): ScenarioResult[] {
  const { org, rng } = ctx;
  const prod = org.accounts.prod;
  const region = prod.homeRegion;
  const external = org.accounts.externalAccountId;
  const ip = hostileAddress(rng);
  const sessionName = `botocore-session-${Math.floor(t0 / 1000)}`;
  const accessKeyId = sessionAccessKey(rng);
  const outsider: Caller = {
    identity: awsAccountIdentity(external, `AIDA${rng.upperAlnum(17)}`),
    accountId: prod.id,
    sourceIp: ip,
    agent: (s) => goAgent("1.30.3", s, "1.32.0"),
  };
  ctx.emitter.emit(rng, outsider, t0, region, assumeRole(rng, role, sessionName, accessKeyId, t0), "S11");
  const caller: Caller = {
    identity: roleSessionIdentity(role, sessionName, accessKeyId, t0),
    accountId: prod.id,
    sourceIp: ip,
    agent: (s) => goAgent("1.30.3", s, "1.60.0"),
  };
  const db = prod.inventory.dbInstances[0] ?? "orders-db";
  const snapshot = `${db}-pre-upgrade-check`;
  const moves: Move[] = [
    [call("rds", "DescribeDBInstances", {}), 8],
    [
      call(
        "rds",
        "CreateDBSnapshot",
        { dBSnapshotIdentifier: snapshot, dBInstanceIdentifier: db },
        { dBSnapshotIdentifier: snapshot, dBInstanceIdentifier: db, status: "creating", engine: "postgres" },
      ),
      15,
    ],
  ];
  for (let i = 0; i < rng.int(4, 8); i++)
    moves.push([
      call("rds", "DescribeDBSnapshots", { dBSnapshotIdentifier: snapshot }),
      30 * rng.range(0.9, 1.2),
    ]);
  moves.push([
    call(
      "rds",
      "ModifyDBSnapshotAttribute",
      { dBSnapshotIdentifier: snapshot, attributeName: "restore", valuesToAdd: [external] },
      {
        dBSnapshotIdentifier: snapshot,
        dBSnapshotAttributes: [{ attributeName: "restore", attributeValues: [external] }],
      },
    ),
    10,
  ]);
  const s11End = play(ctx, rng, caller, t0, region, moves, "S11");
  const scenarios = [
    result(
      {
        id: "S11",
        technique: "aws.exfiltration.rds-share-snapshot",
        tactic: "Exfiltration",
        mitre: "T1537",
        description:
          "The external account assumes the backdoor role and shares a fresh database snapshot with itself",
      },
      caller,
      t0,
      s11End,
    ),
  ];
  // S12: GPU instances where the organisation runs no compute; the first region is blocked by the SCP.
  const s12Start = s11End + rng.range(4, 12) * MINUTE;
  const blocked = "ap-southeast-1";
  const chosen = "us-east-1";
  const vpc = ec2Id(rng, "vpc");
  const sg = ec2Id(rng, "sg");
  const arn = `arn:aws:sts::${prod.id}:assumed-role/${role.name}/${sessionName}`;
  const launch = (type: string, count: number) =>
    runInstances(rng, prod.id, {
      type,
      imageId: ec2Id(rng, "ami"),
      count,
      subnetId: ec2Id(rng, "subnet"),
      keyName: "ops-key",
      az: `${chosen}a`,
      tag: "",
    });
  const probes: Move[] = [];
  for (const probe of ["ap-southeast-1", "us-west-2", "sa-east-1"]) {
    probes.push([
      denied(rng, ec2("DescribeInstanceTypeOfferings", { locationType: "region" }), arn, "*", true),
      rng.range(1, 3),
      probe,
    ]);
    probes.push([denied(rng, launch(rng.pick(GPU_TYPES), 4), arn, "*", true), rng.range(2, 6), probe]);
  }
  const s12End = play(
    ctx,
    rng,
    caller,
    s12Start,
    chosen,
    [
      [ec2("DescribeRegions", { regionSet: {} }), 0, region],
      [
        denied(rng, ec2("DescribeInstanceTypeOfferings", { locationType: "region" }), arn, "*", true),
        4,
        blocked,
      ],
      ...probes,
      [ec2("DescribeInstanceTypeOfferings", { locationType: "region" }), 6],
      [
        ec2("DescribeImages", {
          imagesSet: {},
          filterSet: {
            items: [
              {
                name: "name",
                valueSet: {
                  items: [{ value: "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04)*" }],
                },
              },
            ],
          },
        }),
        3,
      ],
      [createKeyPair(rng, "ops-key"), 8],
      [createSecurityGroup(rng, "ops-sg", vpc), 4],
      [authorizeIngress(rng, sg, 22, "0.0.0.0/0"), 3],
      [
        {
          ...launch(rng.pick(GPU_TYPES), 8),
          error: {
            code: "Client.VcpuLimitExceeded",
            message:
              "You have requested more vCPU capacity than your current vCPU limit of 64 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
          },
        },
        6,
      ],
      [launch("g4dn.12xlarge", 1), 9],
      [launch("g4dn.12xlarge", 1), 2],
      [launch("g5.12xlarge", 2), 3],
      [ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }), 20],
      [ec2("DescribeInstanceStatus", { instancesSet: {}, filterSet: {}, includeAllInstances: true }), 40],
      [ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }), 60],
    ],
    "S12",
  );
  scenarios.push(
    result(
      {
        id: "S12",
        technique: "aws.execution.ec2-launch-unusual-instances",
        tactic: "Execution",
        mitre: "T1578.002",
        description:
          "GPU instances with an SSH-open security group in a region the organisation does not use for compute",
      },
      caller,
      s12Start,
      s12End,
    ),
  );
  return scenarios;
}
