import { DATACENTER } from "./addresses.ts";
import { createSnapshot, deleteSnapshot, ec2 } from "./api-ec2.ts";
import { call } from "./api-services.ts";
import { DAY, localMidnight, MINUTE, SECOND } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { iamUserIdentity } from "./identity.ts";
import type { Account } from "./inventory.ts";
import type { Org } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call, Caller } from "./record.ts";

/** Nightly cron on the backup host (01:30 Berlin time): snapshots, waits for them, prunes old ones. */
export function simulateBackup(
  org: Org,
  rng: Rng,
  emitter: Emitter,
  dayStart: number,
  account: Account,
): void {
  const user = org.workloads.backup;
  const start = localMidnight("Europe/Berlin", dayStart) + 90 * MINUTE + rng.range(0.5, 3) * SECOND;
  if (start >= dayStart + DAY) return;
  const caller: Caller = {
    identity: iamUserIdentity(user),
    accountId: account.id,
    sourceIp: DATACENTER[0] ?? "",
    agent: () => "aws-cli/1.33.12 Python/3.9.18 Linux/4.18.0-513.24.1.el8_9.x86_64 botocore/1.35.12",
    tls: "TLSv1.2",
  };
  const inv = account.inventory;
  const steps: [Call, number][] = [
    [
      ec2("DescribeVolumes", {
        volumeSet: {},
        filterSet: { items: [{ name: "tag:backup", valueSet: { items: [{ value: "daily" }] } }] },
      }),
      0,
    ],
  ];
  for (const instance of inv.instances.slice(10)) {
    steps.push([
      createSnapshot(rng, account.id, instance.volume, start, `daily-${instance.name}`),
      rng.range(0.8, 2),
    ]);
  }
  const polls = rng.int(3, 8);
  for (let i = 0; i < polls; i++)
    steps.push([
      ec2("DescribeSnapshots", {
        snapshotSet: {},
        ownersSet: { items: [{ owner: "self" }] },
        filterSet: {},
      }),
      60 + rng.range(0, 2),
    ]);
  for (let i = 0; i < rng.int(2, 4); i++)
    steps.push([deleteSnapshot(rng, rng.pick(inv.snapshots)), rng.range(0.5, 1.5)]);
  const db = inv.dbInstances[0] ?? "orders-db";
  steps.push([
    call("rds", "CreateDBSnapshot", {
      dBSnapshotIdentifier: `${db}-nightly-${new Date(start).toISOString().slice(0, 10)}`,
      dBInstanceIdentifier: db,
    }),
    2,
  ]);
  let at = start;
  for (const [c, gap] of steps) {
    at += gap * SECOND;
    emitter.emit(rng, caller, at, account.homeRegion, c);
  }
}
