import { DATACENTER, NAT_EIPS, vpcAddress } from "./addresses.ts";
import { goAgent, jsAgent } from "./agents.ts";
import { deleteSnapshot, ec2 } from "./api-ec2.ts";
import { assumeRole } from "./api-iam.ts";
import { athenaQuery, call, getMetricData, glueViaAthena } from "./api-services.ts";
import { simulateBackup } from "./backup-job.ts";
import { type Cadence, cadence, runTimes } from "./cadence.ts";
import { HOUR, MINUTE, SECOND } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { iamUserIdentity, roleSessionIdentity, serviceCaller } from "./identity.ts";
import { sessionAccessKey, vpcEndpointId } from "./ids.ts";
import type { Account } from "./inventory.ts";
import type { Org, RoleRef } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call, Caller } from "./record.ts";

/**
 * Scheduled workloads: a Lambda inventory collector and snapshot janitor, an ECS ETL task, a Grafana server
 * polling CloudWatch, and a nightly backup job. Machine-regular: fixed intervals, second-level jitter.
 */

interface RoleSession {
  caller: Caller;
  expires: number;
}

const LAMBDA_OS = "linux#5.10.227-239.884.amzn2.x86_64";

export class Machines {
  private readonly sessions = new Map<string, RoleSession>();
  private readonly cadences: Record<string, Cadence>;
  private readonly natIp: string;

  constructor(
    private readonly org: Org,
    private readonly rng: Rng,
    private readonly emitter: Emitter,
    private readonly periodStart: number,
    budgets: Record<string, number>,
  ) {
    this.cadences = {
      inventory: cadence(budgets.inventory ?? 0, 6, 60),
      janitor: cadence(budgets.janitor ?? 0, 3, 300),
      etl: cadence(budgets.etl ?? 0, 12, 300),
      grafana: cadence(budgets.grafana ?? 0, 3, 30),
    };
    this.natIp = rng.pick(NAT_EIPS);
  }

  simulateDay(dayIndex: number, dayStart: number): void {
    const prod = this.org.accounts.prod;
    const w = this.org.workloads;
    this.scheduled("inventory", dayStart, (run, t, n) => this.inventoryRun(run, t, n, prod, w.inventoryFn));
    this.scheduled("janitor", dayStart, (run, t, n) => this.janitorRun(run, t, n, prod, w.janitorFn));
    this.scheduled("etl", dayStart, (run, t, n) =>
      this.etlRun(run, t, n, this.org.accounts.data, w.etlTask, dayIndex),
    );
    this.scheduled("grafana", dayStart, (run, t, n) => this.grafanaRun(run, t, n, prod));
    simulateBackup(this.org, this.rng.fork("backup", dayStart), this.emitter, dayStart, prod);
  }

  private scheduled(name: string, dayStart: number, run: (rng: Rng, t: number, calls: number) => void): void {
    const c = this.cadences[name];
    if (!c) return;
    const phase = Math.floor(this.rng.fork("phase", name).float() * c.intervalMs);
    for (const t of runTimes(this.periodStart, dayStart, c.intervalMs, phase)) {
      const rng = this.rng.fork(name, t);
      run(rng, t, rng.round(c.callsPerRun));
    }
  }

  /** Lambda and ECS credentials: the service assumes the role when an environment starts; reused until it ends. */
  private roleSession(
    rng: Rng,
    key: string,
    t: number,
    role: RoleRef,
    service: string,
    sessionName: () => string,
    lifetime: number,
    make: (identity: Caller["identity"]) => Caller,
  ): Caller {
    const current = this.sessions.get(key);
    if (current && t < current.expires) return current.caller;
    const accessKeyId = sessionAccessKey(rng);
    const at = t - rng.range(0.2, 0.9) * SECOND;
    const name = sessionName();
    const svc = serviceCaller(service, role.accountId);
    this.emitter.emit(
      rng,
      svc,
      at,
      this.org.accounts.prod.homeRegion,
      assumeRole(rng, role, name, accessKeyId, at, 43200),
    );
    const caller = make(roleSessionIdentity(role, name, accessKeyId, at));
    this.sessions.set(key, { caller, expires: t + lifetime });
    return caller;
  }

  private inventoryRun(rng: Rng, t: number, n: number, account: Account, role: RoleRef): void {
    const caller = this.roleSession(
      rng,
      "inventory",
      t,
      role,
      "lambda.amazonaws.com",
      () => "inventory-collector",
      rng.range(40, 150) * MINUTE,
      (identity) => ({
        identity,
        accountId: account.id,
        sourceIp: this.natIp,
        agent: (service) =>
          jsAgent("3.654.0", LAMBDA_OS, "20.17.0", service, "exec-env/AWS_Lambda_nodejs20.x"),
      }),
    );
    // The home region is swept every run; the DR region only hourly (it holds little and changes rarely).
    const hourly =
      Math.floor(t / HOUR) !== Math.floor((t - (this.cadences.inventory?.intervalMs ?? HOUR)) / HOUR);
    const regions = hourly ? [account.homeRegion, account.secondaryRegion] : [account.homeRegion];
    const calls: [Call, string][] = [];
    for (const region of regions) {
      calls.push([ec2("DescribeInstances", { instancesSet: {}, filterSet: {}, maxResults: 200 }), region]);
      calls.push([ec2("DescribeVolumes", { volumeSet: {}, filterSet: {}, maxResults: 500 }), region]);
      calls.push([
        ec2("DescribeSecurityGroups", { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
        region,
      ]);
    }
    for (let page = 0; calls.length < n; page++) {
      const token = rng.base64(40);
      calls.splice(1 + page, 0, [
        ec2("DescribeInstances", { instancesSet: {}, filterSet: {}, maxResults: 200, nextToken: token }),
        account.homeRegion,
      ]);
    }
    let at = t + rng.range(0.3, 1.2) * SECOND;
    for (const [c, region] of calls.slice(0, n)) {
      this.emitter.emit(rng, caller, at, region, c);
      at += rng.range(60, 450);
    }
  }

  private janitorRun(rng: Rng, t: number, n: number, account: Account, role: RoleRef): void {
    const caller = this.roleSession(
      rng,
      "janitor",
      t,
      role,
      "lambda.amazonaws.com",
      () => "snapshot-janitor",
      rng.range(30, 90) * MINUTE,
      (identity) => ({
        identity,
        accountId: account.id,
        sourceIp: this.natIp,
        // The boto3 bundled with the Lambda Python runtime.
        agent: () =>
          `Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/${LAMBDA_OS} md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145`,
      }),
    );
    const calls: Call[] = [
      ec2("DescribeSnapshots", {
        snapshotSet: {},
        ownersSet: { items: [{ owner: "self" }] },
        filterSet: { items: [{ name: "tag:managed-by", valueSet: { items: [{ value: "svc-backup" }] } }] },
      }),
    ];
    while (calls.length < n) {
      if (rng.chance(0.6))
        calls.push(
          ec2("DescribeSnapshots", {
            snapshotSet: {},
            ownersSet: { items: [{ owner: "self" }] },
            nextToken: rng.base64(40),
          }),
        );
      else {
        const del = deleteSnapshot(rng, rng.pick(account.inventory.snapshots));
        const inUse = {
          code: "Client.InvalidSnapshot.InUse",
          message: "The snapshot is currently in use by an AMI",
        };
        calls.push(rng.chance(0.1) ? { ...del, error: inUse } : del);
      }
    }
    let at = t + rng.range(0.8, 2.5) * SECOND;
    for (const c of calls) {
      this.emitter.emit(rng, caller, at, account.homeRegion, c);
      at += rng.range(80, 900);
    }
  }

  private etlRun(rng: Rng, t: number, n: number, account: Account, role: RoleRef, dayIndex: number): void {
    // The service is redeployed every day, so each day has a new task (and task-id session name).
    const taskId = this.rng.fork("etl-task", dayIndex).hex(32);
    const endpoint = vpcEndpointId(this.rng.fork("etl-vpce"));
    const caller = this.roleSession(
      rng,
      `etl:${dayIndex}`,
      t,
      role,
      "ecs-tasks.amazonaws.com",
      () => taskId,
      6 * HOUR,
      (identity) => ({
        identity,
        accountId: account.id,
        sourceIp: vpcAddress(this.rng.fork("etl-ip", dayIndex), 40),
        vpcEndpointId: endpoint,
        agent: (service) => goAgent("1.32.2", service, service === "glue" ? "1.100.0" : "1.44.3"),
      }),
    );
    const { database, table } = rng.pick(account.inventory.tables);
    const query = athenaQuery(
      rng,
      "etl",
      database,
      `INSERT INTO ${database}.${table}_daily SELECT * FROM ${database}.${table} WHERE dt = current_date - interval '1' day`,
    );
    const steps: [Call, number][] = [[query.start, rng.range(0.2, 1.5)]];
    for (const g of glueViaAthena(database, table)) steps.push([g, 0.1]);
    const polls = Math.max(1, n - steps.length - 1);
    for (let i = 0; i < polls; i++) steps.push([query.poll, rng.range(1.8, 2.3)]);
    steps.push([query.results, 0.2]);
    if (rng.chance(0.2))
      steps.push([
        call("glue", "BatchCreatePartition", {
          databaseName: database,
          tableName: table,
          partitionInputList: [{ values: ["2026"] }],
        }),
        1,
      ]);
    let at = t;
    for (const [c, gap] of steps) {
      at += gap * SECOND;
      this.emitter.emit(rng, caller, at, account.homeRegion, c);
    }
  }

  private grafanaRun(rng: Rng, t: number, n: number, account: Account): void {
    const user = this.org.workloads.grafana;
    const caller: Caller = {
      identity: iamUserIdentity(user),
      accountId: account.id,
      sourceIp: DATACENTER[1] ?? "",
      agent: () => "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Grafana/11.2.2",
      tls: "TLSv1.2",
    };
    const panels: [string, string, [string, string], string][] = [
      ["AWS/Lambda", "Errors", ["FunctionName", "orders-api-handler"], account.homeRegion],
      [
        "AWS/ApplicationELB",
        "TargetResponseTime",
        ["LoadBalancer", "app/orders-api/4f2a"],
        account.homeRegion,
      ],
      ["AWS/RDS", "CPUUtilization", ["DBInstanceIdentifier", "orders-db"], account.homeRegion],
      ["AWS/Billing", "EstimatedCharges", ["Currency", "USD"], "us-east-1"],
    ];
    let at = t + rng.range(0, 1.5) * SECOND;
    // The billing panel (us-east-1) refreshes hourly; the service panels on every evaluation.
    const hourly =
      Math.floor(t / HOUR) !== Math.floor((t - (this.cadences.grafana?.intervalMs ?? HOUR)) / HOUR);
    const active = hourly ? panels : panels.slice(0, 3);
    for (let i = 0; i < n; i++) {
      const [ns, metric, dim, region] = active[i % active.length] ?? panels[0] ?? ["", "", ["", ""], ""];
      this.emitter.emit(rng, caller, at, region, getMetricData(rng, t, ns, metric, dim));
      at += rng.range(20, 700);
    }
    if (rng.chance(0.05))
      this.emitter.emit(
        rng,
        caller,
        at,
        account.homeRegion,
        call("monitoring", "ListMetrics", { namespace: "AWS/Lambda" }),
      );
  }
}
