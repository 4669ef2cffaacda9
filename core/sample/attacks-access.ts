import { hostileAddress } from "./addresses.ts";
import { ec2 } from "./api-ec2.ts";
import { denied } from "./api-errors.ts";
import {
  ADMIN_POLICY,
  attachUserPolicy,
  createAccessKey,
  createLoginProfile,
  createUser,
  getCallerIdentity,
  iam,
} from "./api-iam.ts";
import { bucketCall, call, listBuckets, readSecret, trailCall } from "./api-services.ts";
import {
  type AttackContext,
  attackerBoto,
  attackerCli,
  type Move,
  play,
  result,
  type ScenarioResult,
} from "./attack-kit.ts";
import { MINUTE } from "./clock.ts";
import { iamUserIdentity } from "./identity.ts";
import { userAccessKey } from "./ids.ts";
import type { Caller } from "./record.ts";
import { APPROVED_REGIONS } from "./tasks-audit.ts";

/**
 * Campaign 1: a developer's long-term access key leaks (committed to a repository). The attacker enumerates
 * from a rented VM, then plants persistence (a second key for a service user, a new admin user) and uses the
 * service user's new key to sweep Secrets Manager.
 */

const SWEEP_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
  "ca-central-1",
];

export interface StolenKeyOutcome {
  scenarios: ScenarioResult[];
  /** The admin user the attacker created, used by the next campaign. */
  adminUser: string;
  adminKey: string;
}

export function stolenKeyCampaign(ctx: AttackContext, t0: number): StolenKeyOutcome {
  const { org, rng } = ctx;
  const prod = org.accounts.prod;
  const victim = org.humans.find((h) => h.iamUser)?.iamUser;
  if (!victim) throw new Error("the organisation has no IAM-user developer to compromise");
  const ip = hostileAddress(rng);
  const home = prod.homeRegion;
  const boto: Caller = {
    identity: iamUserIdentity(victim),
    accountId: prod.id,
    sourceIp: ip,
    agent: attackerBoto,
    tls: "TLSv1.3",
  };
  const cli: Caller = { ...boto, agent: attackerCli };
  const arn = victim.arn;

  // S01: enumeration, with the denials of a principal probing beyond its permissions.
  const recon: Move[] = [
    [getCallerIdentity(), 0],
    [iam("GetUser", {}), 2],
    [iam("ListAttachedUserPolicies", { userName: victim.userName }), 1],
    [iam("ListGroupsForUser", { userName: victim.userName }), 0.6],
    [denied(rng, iam("ListUsers", {}), arn), 1.2],
    [denied(rng, iam("ListRoles", {}), arn), 0.8],
    [denied(rng, iam("GetAccountAuthorizationDetails", {}), arn), 0.7],
    [denied(rng, iam("ListPolicies", { scope: "Local" }), arn), 0.5],
    [denied(rng, call("organizations", "DescribeOrganization", null), arn), 0.9],
    [listBuckets(), 2],
  ];
  for (const bucket of prod.inventory.buckets) {
    recon.push([bucketCall("GetBucketAcl", "acl", bucket, prod, home), 0.3]);
    recon.push([denied(rng, bucketCall("GetBucketPolicy", "policy", bucket, prod, home), arn), 0.2]);
    recon.push([bucketCall("GetBucketPublicAccessBlock", "publicAccessBlock", bucket, prod, home), 0.2]);
  }
  recon.push([ec2("DescribeRegions", { regionSet: {}, allRegions: true }), 3, home]);
  // A region-by-region sweep, as enumeration tools do; the SCP denies everything outside approved regions.
  for (const region of SWEEP_REGIONS) {
    const calls = [
      ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }),
      ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
      ec2("DescribeVpcs", { vpcSet: {}, filterSet: {} }),
      call("lambda", "ListFunctions20150331", {}),
    ];
    for (const [i, c] of calls.entries()) {
      const outcome = APPROVED_REGIONS.has(region) ? c : denied(rng, c, arn, "*", true);
      recon.push([outcome, i === 0 ? rng.range(0.3, 1.1) : rng.range(0.05, 0.4), region]);
    }
  }
  recon.push(
    [
      ec2("DescribeSnapshots", { snapshotSet: {}, ownersSet: { items: [{ owner: "self" }] }, filterSet: {} }),
      2,
    ],
    [ec2("DescribeImages", { imagesSet: {}, ownersSet: { items: [{ owner: "self" }] } }), 0.6],
    [call("rds", "DescribeDBInstances", {}), 1],
    [call("rds", "DescribeDBSnapshots", {}), 0.5],
    [call("ecr", "DescribeRepositories", {}), 0.7],
    [call("secretsmanager", "ListSecrets", {}), 1.4],
    [denied(rng, call("guardduty", "ListDetectors", {}), arn), 0.8],
    [call("cloudtrail", "DescribeTrails", { trailNameList: [], includeShadowTrails: true }), 1.5],
    [trailCall("GetTrailStatus", prod.trailName, prod), 0.5],
    [denied(rng, call("ssm", "DescribeParameters", {}), arn), 0.9],
    [denied(rng, call("kms", "ListKeys", {}), arn), 0.6],
    [iam("ListAccessKeys", { userName: victim.userName }), 1.1],
    [iam("ListMFADevices", { userName: victim.userName }), 0.4],
  );
  const s1End = play(ctx, rng, boto, t0, home, recon, "S01");
  const scenarios = [
    result(
      {
        id: "S01",
        technique: "aws.discovery.stolen-key-enumeration",
        tactic: "Discovery",
        mitre: "T1087.004",
        description:
          "Leaked IAM user key used from a new network: identity, IAM, S3 and a 14-region EC2 sweep with many AccessDenied",
      },
      boto,
      t0,
      s1End,
    ),
  ];

  // S02: a second access key for an existing service user (Stratus aws.persistence.iam-backdoor-user).
  const backup = org.workloads.backup;
  const backdoorKey = userAccessKey(rng);
  const s2Start = s1End + rng.range(12, 25) * MINUTE;
  const missing = {
    ...iam("CreateAccessKey", { userName: "admin" }),
    error: { code: "NoSuchEntity", message: "The user with name admin cannot be found." },
  };
  const s2End = play(
    ctx,
    rng,
    cli,
    s2Start,
    home,
    [
      [missing, 0],
      [iam("ListAccessKeys", { userName: backup.userName }), 40],
      [createAccessKey(backup.userName, backdoorKey, s2Start + 60_000), 20],
    ],
    "S02",
  );
  scenarios.push(
    result(
      {
        id: "S02",
        technique: "aws.persistence.iam-backdoor-user",
        tactic: "Persistence",
        mitre: "T1098.001",
        description: "Additional access key created for the svc-backup service user",
      },
      cli,
      s2Start,
      s2End,
    ),
  );

  // S03: a new administrator user with console password and key (aws.persistence.iam-create-admin-user).
  const adminUser = "aws-support-sync";
  const adminKey = userAccessKey(rng);
  const s3Start = s2End + rng.range(8, 20) * MINUTE;
  const s3End = play(
    ctx,
    rng,
    cli,
    s3Start,
    home,
    [
      [createUser(rng, prod.id, adminUser, s3Start), 0],
      [attachUserPolicy(adminUser, ADMIN_POLICY), 4],
      [createLoginProfile(adminUser, s3Start + 30_000), 26],
      [createAccessKey(adminUser, adminKey, s3Start + 50_000), 20],
    ],
    "S03",
  );
  scenarios.push(
    result(
      {
        id: "S03",
        technique: "aws.persistence.iam-create-admin-user",
        tactic: "Persistence",
        mitre: "T1136.003",
        description: "New IAM user with AdministratorAccess, a console password and an access key",
      },
      cli,
      s3Start,
      s3End,
    ),
  );

  // S04: the service user's new key sweeps Secrets Manager (aws.credential-access.secretsmanager-retrieve-secrets).
  const viaBackup: Caller = {
    identity: iamUserIdentity({ ...backup, accessKeyId: backdoorKey }),
    accountId: prod.id,
    sourceIp: ip,
    agent: attackerBoto,
  };
  const s4Start = s3End + rng.range(45, 90) * MINUTE;
  const sweep: Move[] = [
    [getCallerIdentity(), 0],
    [call("secretsmanager", "ListSecrets", { maxResults: 100 }), 2],
  ];
  for (const [i, secret] of prod.inventory.secrets.entries()) {
    sweep.push([call("secretsmanager", "DescribeSecret", { secretId: secret }), rng.range(0.2, 0.6)]);
    sweep.push([call("secretsmanager", "GetResourcePolicy", { secretId: secret }), rng.range(0.1, 0.4)]);
    if (i % 3 === 2) {
      sweep.push([
        denied(rng, call("secretsmanager", "GetSecretValue", { secretId: secret }), backup.arn, secret),
        rng.range(0.4, 1.2),
      ]);
      continue;
    }
    const [get, decrypt] = readSecret(rng, prod, home, secret);
    if (get && decrypt) sweep.push([get, rng.range(0.4, 1.2)], [decrypt, 0]);
  }
  const s4End = play(ctx, rng, viaBackup, s4Start, home, sweep, "S04");
  scenarios.push(
    result(
      {
        id: "S04",
        technique: "aws.credential-access.secretsmanager-retrieve-secrets",
        tactic: "Credential Access",
        mitre: "T1555.006",
        description:
          "The backdoored service user lists and reads every secret it can, from the attacker's network",
      },
      viaBackup,
      s4Start,
      s4End,
    ),
  );
  return { scenarios, adminUser, adminKey };
}
