import {
  authorizeIngress,
  consoleVolumesPage,
  describeSnapshots,
  ec2,
  modifySnapshotAttribute,
} from "./api-ec2.ts";
import { notFound, throttled } from "./api-errors.ts";
import { attachRolePolicy, createRole, getCallerIdentity, iam, trustPolicy } from "./api-iam.ts";
import { bucketCall, call } from "./api-services.ts";
import { burst, type Step, step, type TaskContext, type TaskEntry, think } from "./task-kit.ts";
import { trailReview } from "./tasks-audit.ts";
import { ec2Look, iamLook, logsLook } from "./tasks-dev.ts";

/** What the platform admin does: Terraform runs, capacity, IAM and data housekeeping. */

const TF_BUCKET_READS: [string, string][] = [
  ["GetBucketAcl", "acl"],
  ["GetBucketCors", "cors"],
  ["GetBucketWebsite", "website"],
  ["GetBucketVersioning", "versioning"],
  ["GetBucketAccelerateConfiguration", "accelerate"],
  ["GetBucketRequestPayment", "requestPayment"],
  ["GetBucketLogging", "logging"],
  ["GetBucketLifecycle", "lifecycle"],
  ["GetBucketReplication", "replication"],
  ["GetBucketEncryption", "encryption"],
  ["GetBucketObjectLockConfiguration", "object-lock"],
  ["GetBucketTagging", "tagging"],
];

/** terraform plan: a refresh of every managed resource, dozens of reads within seconds; sometimes an apply. */
function terraform(c: TaskContext): Step[] {
  const inv = c.account.inventory;
  const { rng } = c;
  const reads = [
    getCallerIdentity(),
    ec2("DescribeVpcs", { vpcSet: { items: [{ vpcId: inv.vpc }] }, filterSet: {} }),
    ec2("DescribeVpcAttribute", { vpcId: inv.vpc, attribute: "enableDnsSupport" }),
    ec2("DescribeVpcAttribute", { vpcId: inv.vpc, attribute: "enableDnsHostnames" }),
    ec2("DescribeSubnets", { subnetSet: {}, filterSet: {} }),
    ec2("DescribeRouteTables", { routeTableIdSet: {}, filterSet: {} }),
    ec2("DescribeSecurityGroups", {
      securityGroupSet: {},
      securityGroupIdSet: { items: inv.securityGroups.map((groupId) => ({ groupId })) },
      filterSet: {},
    }),
    ec2("DescribeNatGateways", { DescribeNatGatewaysRequest: { NatGatewayId: {} } }),
  ];
  for (const role of rng.shuffle([...inv.roles]).slice(0, rng.int(2, 5))) {
    reads.push(
      iam("GetRole", { roleName: role }),
      iam("ListRolePolicies", { roleName: role }),
      iam("ListAttachedRolePolicies", { roleName: role }),
    );
  }
  // A role declared in new code but not created yet: the refresh finds nothing (NoSuchEntity), as in real plans.
  if (rng.chance(0.15)) {
    const missing = `${rng.pick(["billing-export", "search-indexer", "audit-forwarder"])}-role`;
    reads.push(notFound(iam("GetRole", { roleName: missing }), missing));
  }
  for (const bucket of rng.shuffle([...inv.buckets]).slice(0, rng.int(1, 3))) {
    reads.push(bucketCall("GetBucketPolicy", "policy", bucket, c.account, c.region));
    for (const [name, sub] of TF_BUCKET_READS) reads.push(bucketCall(name, sub, bucket, c.account, c.region));
  }
  reads.push(call("rds", "DescribeDBInstances", { dBInstanceIdentifier: rng.pick(inv.dbInstances) }));
  const steps = burst(rng, rng.shuffle(reads.slice(1)), "terraform", 1);
  steps.unshift(step(reads[0] ?? getCallerIdentity(), 0, "terraform"));
  for (const s of steps) {
    if (s.call.name === "GetBucketPolicy" && rng.chance(0.5)) s.call = notFound(s.call, "policy");
    else if (rng.chance(0.01)) s.call = throttled(s.call);
  }
  if (rng.chance(0.3)) {
    const writes = [
      authorizeIngress(rng, rng.pick(inv.securityGroups), 443, `192.0.2.${rng.int(0, 15) * 16}/28`),
      ec2(
        "CreateTags",
        {
          resourcesSet: { items: [{ resourceId: rng.pick(inv.instances).id }] },
          tagSet: { items: [{ key: "CostCenter", value: "platform" }] },
        },
        { _return: true },
      ),
      iam("PutRolePolicy", {
        roleName: rng.pick(inv.roles),
        policyName: "inline-access",
        policyDocument: "{...}",
      }),
      call("autoscaling", "UpdateAutoScalingGroup", {
        autoScalingGroupName: inv.autoScalingGroup,
        minSize: 2,
        maxSize: rng.int(6, 12),
      }),
    ];
    steps.push(...burst(rng, rng.shuffle(writes).slice(0, rng.int(1, 2)), "terraform", think(rng, 45)));
  }
  return steps;
}

/** Creating a role for a new workload: the benign twin of a backdoor role (trusts a service, not an account). */
function newServiceRole(c: TaskContext): Step[] {
  const name = `${c.rng.pick(["report-exporter", "thumbnailer", "audit-forwarder", "queue-drainer"])}-role`;
  const trust = trustPolicy({ Service: "lambda.amazonaws.com" });
  return [
    step(createRole(c.rng, c.account.id, name, trust, c.time), 0, "cli"),
    step(
      attachRolePolicy(name, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
      think(c.rng, 10),
      "cli",
    ),
  ];
}

function capacityCheck(c: TaskContext): Step[] {
  const via = c.console ? "console" : "cli";
  const inv = c.account.inventory;
  const steps = [
    step(
      call("autoscaling", "DescribeAutoScalingGroups", { autoScalingGroupNames: [inv.autoScalingGroup] }),
      0,
      via,
    ),
    step(
      call("autoscaling", "DescribeScalingActivities", { autoScalingGroupName: inv.autoScalingGroup }),
      think(c.rng, 4),
      via,
    ),
    step(
      call("elasticloadbalancing", "DescribeTargetHealth", {
        targetGroupArn: `arn:aws:elasticloadbalancing:${c.region}:${c.account.id}:targetgroup/orders-api/${c.rng.hex(16)}`,
      }),
      think(c.rng, 4),
      via,
    ),
  ];
  if (c.rng.chance(0.2))
    steps.push(
      step(
        call("autoscaling", "SetDesiredCapacity", {
          autoScalingGroupName: inv.autoScalingGroup,
          desiredCapacity: c.rng.int(3, 8),
          honorCooldown: false,
        }),
        think(c.rng, 30),
        via,
      ),
    );
  return steps;
}

/** Database housekeeping; rarely a snapshot copy shared with the organisation's DR account. */
function dataOps(c: TaskContext, drAccountId: string): Step[] {
  const via = c.console ? "console" : "cli";
  const inv = c.account.inventory;
  const steps = [
    step(call("rds", "DescribeDBInstances", {}), 0, via),
    step(
      call("rds", "DescribeDBSnapshots", { dBInstanceIdentifier: inv.dbInstances[0] }),
      think(c.rng, 5),
      via,
    ),
  ];
  if (c.console) steps.push(...burst(c.rng, consoleVolumesPage(), via, think(c.rng, 10)));
  // Sharing needs the admin permission set, which this person only uses from the command line.
  if (!c.console && c.rng.chance(0.08)) {
    steps.push(step(describeSnapshots(c.account.id), think(c.rng, 20), via));
    steps.push(
      step(modifySnapshotAttribute(c.rng, c.rng.pick(inv.snapshots), drAccountId), think(c.rng, 15), via),
    );
  }
  return steps;
}

export function platformTasks(drAccountId: string): TaskEntry[] {
  return [
    { name: "terraform", habit: "terraform", weight: 1.5, task: terraform },
    { name: "ec2", habit: "ec2", weight: 1, task: ec2Look },
    { name: "capacity", habit: "ec2", weight: 0.6, task: capacityCheck },
    { name: "iam", habit: "iam", weight: 0.5, task: iamLook },
    { name: "new-role", habit: "iam", weight: 0.04, task: newServiceRole },
    { name: "trail", habit: "security", weight: 0.3, task: trailReview },
    { name: "data", habit: "ec2", weight: 0.4, task: (c) => dataOps(c, drAccountId) },
    { name: "logs", habit: "logs", weight: 0.6, task: (c) => logsLook(c) },
  ];
}
