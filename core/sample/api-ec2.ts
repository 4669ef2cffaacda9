import { ec2Id } from "./ids.ts";
import type { Inventory } from "./inventory.ts";
import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/** EC2 calls with the request/response shapes CloudTrail records (XML-derived `items` lists, `_return`). */

const items = <T>(list: T[]) => ({ items: list });

export function ec2(name: string, params: unknown = {}, response: unknown = null): Call {
  return { service: "ec2", name, params, response };
}

export function describeInstances(inv: Inventory, rng: Rng, specific = false): Call {
  if (specific) {
    const picked = rng.pick(inv.instances);
    return ec2("DescribeInstances", { instancesSet: items([{ instanceId: picked.id }]), filterSet: {} });
  }
  return rng.chance(0.5)
    ? ec2("DescribeInstances", { instancesSet: {}, filterSet: {} })
    : ec2("DescribeInstances", {
        instancesSet: {},
        filterSet: items([{ name: "instance-state-name", valueSet: items([{ value: "running" }]) }]),
      });
}

export function describeSnapshots(accountId: string): Call {
  return ec2("DescribeSnapshots", {
    snapshotSet: {},
    ownersSet: items([{ owner: accountId }]),
    sharedUsersSet: {},
    filterSet: {},
  });
}

export function describeImages(accountId: string): Call {
  return ec2("DescribeImages", {
    executableBySet: {},
    imagesSet: {},
    ownersSet: items([{ owner: accountId }]),
  });
}

/** The read-only calls the EC2 console fires together when a page loads. */
export function consoleInstancesPage(inv: Inventory, rng: Rng): Call[] {
  const calls = [
    describeInstances(inv, rng),
    ec2("DescribeInstanceStatus", { instancesSet: {}, filterSet: {}, includeAllInstances: true }),
    ec2("DescribeAddresses", { publicIpsSet: {}, allocationIdsSet: {}, filterSet: {} }),
    ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
    ec2("DescribeVpcs", { vpcSet: {}, filterSet: {} }),
    ec2("DescribeSubnets", { subnetSet: {}, filterSet: {} }),
    ec2("DescribeInstanceTypes", { instanceTypeSet: {}, filterSet: {} }),
  ];
  if (rng.chance(0.5)) calls.push(ec2("DescribeTags", { filterSet: {} }));
  if (rng.chance(0.4))
    calls.push(ec2("DescribeAvailabilityZones", { availabilityZoneSet: {}, availabilityZoneIdSet: {} }));
  return calls;
}

export function consoleVolumesPage(): Call[] {
  return [
    ec2("DescribeVolumes", { volumeSet: {}, filterSet: {} }),
    ec2("DescribeVolumeStatus", { volumeSet: {}, filterSet: {} }),
    ec2("DescribeSnapshots", { snapshotSet: {}, ownersSet: items([{ owner: "self" }]), filterSet: {} }),
  ];
}

export function createSnapshot(
  rng: Rng,
  accountId: string,
  volumeId: string,
  time: number,
  tag: string,
): Call {
  const snapshotId = ec2Id(rng, "snap");
  return ec2(
    "CreateSnapshot",
    {
      volumeId,
      description: tag,
      tagSpecificationSet: items([{ resourceType: "snapshot", tags: [{ key: "Name", value: tag }] }]),
    },
    {
      requestId: rng.uuid(),
      snapshotId,
      volumeId,
      status: "pending",
      startTime: Math.floor(time / 1000) * 1000,
      progress: "",
      ownerId: accountId,
      volumeSize: rng.pick([20, 50, 100, 200]),
      encrypted: true,
    },
  );
}

export function deleteSnapshot(rng: Rng, snapshotId: string): Call {
  return ec2("DeleteSnapshot", { snapshotId }, { requestId: rng.uuid(), _return: true });
}

export function modifySnapshotAttribute(rng: Rng, snapshotId: string, accountId: string): Call {
  return ec2(
    "ModifySnapshotAttribute",
    {
      snapshotId,
      createVolumePermission: { add: items([{ userId: accountId }]) },
      attributeType: "CREATE_VOLUME_PERMISSION",
    },
    { requestId: rng.uuid(), _return: true },
  );
}

export function modifyImageAttribute(rng: Rng, imageId: string, accountId: string): Call {
  return ec2(
    "ModifyImageAttribute",
    { imageId, launchPermission: { add: items([{ userId: accountId }]) }, attributeType: "launchPermission" },
    { requestId: rng.uuid(), _return: true },
  );
}

export function runInstances(
  rng: Rng,
  accountId: string,
  opts: {
    type: string;
    imageId: string;
    count: number;
    subnetId: string;
    keyName?: string;
    az: string;
    tag: string;
  },
): Call {
  const instances = Array.from({ length: opts.count }, (_, i) => ({
    instanceId: ec2Id(rng, "i"),
    imageId: opts.imageId,
    currentInstanceBootMode: "legacy-bios",
    instanceState: { code: 0, name: "pending" },
    privateDnsName: `ip-10-20-${rng.int(0, 47)}-${rng.int(4, 250)}.ec2.internal`,
    ...(opts.keyName ? { keyName: opts.keyName } : {}),
    amiLaunchIndex: i,
    productCodes: {},
    instanceType: opts.type,
    placement: { availabilityZone: opts.az, tenancy: "default" },
    subnetId: opts.subnetId,
    architecture: "x86_64",
    rootDeviceType: "ebs",
  }));
  return ec2(
    "RunInstances",
    {
      instancesSet: items([
        {
          imageId: opts.imageId,
          minCount: 1,
          maxCount: opts.count,
          ...(opts.keyName ? { keyName: opts.keyName } : {}),
        },
      ]),
      instanceType: opts.type,
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      subnetId: opts.subnetId,
      disableApiTermination: false,
      disableApiStop: false,
      clientToken: rng.uuid(),
      tagSpecificationSet: items([{ resourceType: "instance", tags: [{ key: "Name", value: opts.tag }] }]),
    },
    {
      requestId: rng.uuid(),
      reservationId: `r-0${rng.hex(16)}`,
      ownerId: accountId,
      groupSet: {},
      instancesSet: items(instances),
    },
  );
}

export function terminateInstances(rng: Rng, ids: string[]): Call {
  return ec2(
    "TerminateInstances",
    { instancesSet: items(ids.map((instanceId) => ({ instanceId }))) },
    {
      requestId: rng.uuid(),
      instancesSet: items(
        ids.map((instanceId) => ({
          instanceId,
          currentState: { code: 32, name: "shutting-down" },
          previousState: { code: 16, name: "running" },
        })),
      ),
    },
  );
}

export function stopStartInstance(rng: Rng, name: "StopInstances" | "StartInstances", id: string): Call {
  const [from, to] = name === "StopInstances" ? [16, 64] : [80, 0];
  const label = (code: number) => ({ 0: "pending", 16: "running", 64: "stopping", 80: "stopped" })[code];
  return ec2(
    name,
    { instancesSet: items([{ instanceId: id }]), ...(name === "StopInstances" ? { force: false } : {}) },
    {
      requestId: rng.uuid(),
      instancesSet: items([
        {
          instanceId: id,
          currentState: { code: to, name: label(to) },
          previousState: { code: from, name: label(from) },
        },
      ]),
    },
  );
}

export function deleteFlowLogs(rng: Rng, flowLogId: string): Call {
  return ec2(
    "DeleteFlowLogs",
    { DeleteFlowLogsRequest: { FlowLogId: { content: flowLogId, tag: 1 } } },
    {
      DeleteFlowLogsResponse: {
        xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
        requestId: rng.uuid(),
        unsuccessful: "",
      },
    },
  );
}

export function createKeyPair(rng: Rng, keyName: string): Call {
  return ec2(
    "CreateKeyPair",
    { keyName, keyType: "rsa", keyFormat: "pem" },
    {
      requestId: rng.uuid(),
      keyName,
      keyFingerprint: Array.from({ length: 20 }, () => rng.hex(2)).join(":"),
      keyPairId: `key-0${rng.hex(16)}`,
      keyMaterial: "<sensitiveDataRemoved>",
    },
  );
}

export function createSecurityGroup(rng: Rng, name: string, vpcId: string): Call {
  return ec2(
    "CreateSecurityGroup",
    { groupName: name, groupDescription: name, vpcId },
    { requestId: rng.uuid(), _return: true, groupId: ec2Id(rng, "sg") },
  );
}

export function authorizeIngress(rng: Rng, groupId: string, port: number, cidr: string): Call {
  return ec2(
    "AuthorizeSecurityGroupIngress",
    {
      groupId,
      ipPermissions: items([
        {
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          groups: {},
          ipRanges: items([{ cidrIp: cidr }]),
          ipv6Ranges: {},
          prefixListIds: {},
        },
      ]),
    },
    {
      requestId: rng.uuid(),
      _return: true,
      securityGroupRuleSet: items([
        {
          groupOwnerId: "",
          groupId,
          securityGroupRuleId: `sgr-0${rng.hex(16)}`,
          isEgress: false,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        },
      ]),
    },
  );
}
