import { ec2, runInstances, terminateInstances } from "./api-ec2.ts";
import { assumeRole, iam } from "./api-iam.ts";
import { bucketCall, call } from "./api-services.ts";
import { type Cadence, cadence, runTimes } from "./cadence.ts";
import { DAY, HOUR, localMidnight, MINUTE, SECOND, weekday } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { roleSessionIdentity, serviceCaller } from "./identity.ts";
import { sessionAccessKey } from "./ids.ts";
import type { Org, RoleRef } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call, Caller } from "./record.ts";

/**
 * AWS services acting in the account: the Config recorder describing resources, CloudTrail checking its
 * bucket, and EC2 Auto Scaling following the daily load curve. Their calls come "from" the service.
 */
export class Services {
  private readonly config: Cadence;
  private readonly trail: Cadence;

  constructor(
    private readonly org: Org,
    private readonly rng: Rng,
    private readonly emitter: Emitter,
    private readonly periodStart: number,
    private readonly budgets: Record<string, number>,
  ) {
    this.config = cadence(budgets.config ?? 0, 8, 300);
    this.trail = cadence(budgets.cloudtrail ?? 0, 1, 1800);
  }

  simulateDay(dayStart: number): void {
    this.configRuns(dayStart);
    this.trailChecks(dayStart);
    this.autoscaling(dayStart);
  }

  /** One session per role and hour; kept for the whole run (a few thousand entries at most). */
  private readonly sessions = new Map<string, Caller>();

  /**
   * Service-role sessions rotate hourly; the session name is fixed by the service. The service's AssumeRole
   * is recorded when a session is first needed.
   */
  private serviceRole(role: RoleRef, sessionName: string, service: string, t: number): Caller {
    const hour = Math.floor(t / HOUR);
    const key = `${role.name}/${hour}`;
    const existing = this.sessions.get(key);
    if (existing) return existing;
    const rng = this.rng.fork("service-session", role.name, hour);
    const created = hour * HOUR - rng.range(1, 20) * MINUTE;
    const accessKeyId = sessionAccessKey(rng);
    const svc = serviceCaller(service, role.accountId);
    this.emitter.emit(
      rng,
      svc,
      created,
      this.org.accounts.prod.homeRegion,
      assumeRole(rng, role, sessionName, accessKeyId, created),
    );
    const caller: Caller = {
      identity: { ...roleSessionIdentity(role, sessionName, accessKeyId, created), invokedBy: service },
      accountId: role.accountId,
      sourceIp: service,
      agent: () => service,
    };
    this.sessions.set(key, caller);
    return caller;
  }

  private configRuns(dayStart: number): void {
    const account = this.org.accounts.prod;
    const inv = account.inventory;
    const phase = Math.floor(this.rng.fork("phase", "config").float() * this.config.intervalMs);
    for (const t of runTimes(this.periodStart, dayStart, this.config.intervalMs, phase)) {
      const rng = this.rng.fork("config", t);
      const caller = this.serviceRole(
        this.org.workloads.configRole,
        "AWSConfig-Describe",
        "config.amazonaws.com",
        t,
      );
      const region = rng.chance(0.9) ? account.homeRegion : account.secondaryRegion;
      const menu: (() => Call)[] = [
        () =>
          ec2("DescribeInstances", {
            instancesSet: { items: [{ instanceId: rng.pick(inv.instances).id }] },
            filterSet: {},
          }),
        () => ec2("DescribeNetworkInterfaces", { networkInterfaceIdSet: {}, filterSet: {} }),
        () =>
          ec2("DescribeSecurityGroups", {
            securityGroupSet: {},
            securityGroupIdSet: { items: [{ groupId: rng.pick(inv.securityGroups) }] },
            filterSet: {},
          }),
        () =>
          ec2("DescribeVolumes", {
            volumeSet: { items: [{ volumeId: rng.pick(inv.instances).volume }] },
            filterSet: {},
          }),
        () => iam("GetRole", { roleName: rng.pick(inv.roles) }),
        () => iam("ListAttachedRolePolicies", { roleName: rng.pick(inv.roles) }),
        () => bucketCall("GetBucketAcl", "acl", rng.pick(inv.buckets), account, region),
        () => bucketCall("GetBucketVersioning", "versioning", rng.pick(inv.buckets), account, region),
        () => bucketCall("GetBucketEncryption", "encryption", rng.pick(inv.buckets), account, region),
        () => call("lambda", "GetFunction20150331v2", { functionName: rng.pick(inv.functions) }),
      ];
      let at = t + rng.range(0, 20) * SECOND;
      const n = rng.round(this.config.callsPerRun);
      for (let i = 0; i < n; i++) {
        this.emitter.emit(rng, caller, at, region, rng.pick(menu)());
        at += rng.range(50, 1500);
      }
    }
  }

  private trailChecks(dayStart: number): void {
    const account = this.org.accounts.prod;
    const caller = serviceCaller("cloudtrail.amazonaws.com", account.id);
    const phase = Math.floor(this.rng.fork("phase", "trail").float() * this.trail.intervalMs);
    for (const t of runTimes(this.periodStart, dayStart, this.trail.intervalMs, phase)) {
      const rng = this.rng.fork("trail", t);
      const check = bucketCall("GetBucketAcl", "acl", account.trailBucket, account, account.homeRegion);
      this.emitter.emit(rng, caller, t + rng.range(0, 300) * SECOND, account.homeRegion, check);
    }
  }

  /** Scale out on weekday mornings, in at night, plus a few reactive actions; each action is 2 calls. */
  private autoscaling(dayStart: number): void {
    const account = this.org.accounts.prod;
    const inv = account.inventory;
    const rng = this.rng.fork("autoscaling", dayStart);
    const actions = (this.budgets.autoscaling ?? 0) / 2;
    const dow = weekday(dayStart);
    const weekend = dow === 0 || dow === 6;
    const midnight = localMidnight("Europe/Berlin", dayStart);
    const times: { t: number; out: boolean }[] = [];
    const scheduled = weekend ? actions * 0.3 : actions * 0.8;
    for (let i = 0; i < rng.round(scheduled / 2); i++) {
      times.push({ t: midnight + (7.5 + rng.range(0, 0.5)) * HOUR, out: true });
      times.push({ t: midnight + (19.5 + rng.range(0, 1)) * HOUR, out: false });
    }
    for (let i = 0; i < rng.poisson(actions * 0.2); i++)
      times.push({ t: dayStart + rng.range(0, DAY), out: rng.chance(0.5) });
    const targetGroup = `arn:aws:elasticloadbalancing:${account.homeRegion}:${account.id}:targetgroup/orders-api/${this.rng.fork("tg").hex(16)}`;
    for (const { t, out } of times) {
      const caller = this.serviceRole(
        this.org.workloads.autoscalingRole,
        "AutoScaling",
        "autoscaling.amazonaws.com",
        t,
      );
      const instance = rng.pick(inv.instances.slice(0, 10));
      const first = out
        ? runInstances(rng, account.id, {
            type: instance.type,
            imageId: inv.amis[0] ?? "",
            count: 1,
            subnetId: inv.subnets[0] ?? "",
            az: instance.az,
            tag: "orders-api",
          })
        : terminateInstances(rng, [instance.id]);
      const second = call("elasticloadbalancing", out ? "RegisterTargets" : "DeregisterTargets", {
        targetGroupArn: targetGroup,
        targets: [{ id: instance.id, port: 8080 }],
      });
      this.emitter.emit(rng, caller, t, account.homeRegion, first);
      this.emitter.emit(
        rng,
        caller,
        t + (out ? rng.range(60, 180) : rng.range(1, 5)) * SECOND,
        account.homeRegion,
        second,
      );
    }
  }
}
