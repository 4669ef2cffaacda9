import { principalOf } from "../event/principal.ts";
import type { UserIdentity } from "../event/record-schema.ts";
import type { ScenarioResult } from "./attack-kit.ts";
import { isoSecond } from "./clock.ts";
import type { LoggingGap } from "./emitter.ts";
import { iamUserIdentity, roleSessionIdentity, samlIdentity } from "./identity.ts";
import type { Org, RoleRef } from "./org.ts";

/**
 * The labels, kept apart from the logs: `ground-truth.json` (scenarios, the organisation chart, known
 * delivery quirks) and `labels.txt` (one malicious eventID per line). Nothing in AWSLogs/ refers to them.
 */

export interface GroundTruthScenario {
  id: string;
  technique: string;
  tactic: string;
  mitre: string;
  principal: string;
  principalName: string;
  accountId: string;
  start: string;
  end: string;
  events: number;
  eventIds: string[];
  description: string;
}

export interface GroundTruthPerson {
  id: string;
  role: string;
  timeZone: string;
  country: string;
  /** Principal keys (core/event/principal.ts) under which this person's activity appears. */
  principals: string[];
  workHours: [number, number];
  vacationDays: [number, number] | null;
}

const key = (identity: Record<string, unknown>) => principalOf(identity as UserIdentity).key;
const roleKey = (role: RoleRef, session: string) => key(roleSessionIdentity(role, session, "", 0));

export function people(org: Org): GroundTruthPerson[] {
  return org.humans.map((h) => {
    const principals: string[] = [];
    if (h.sso) {
      for (const role of h.sso.permissionSets) principals.push(roleKey(role, h.email));
      principals.push(key(samlIdentity(h.email, h.sso.samlProvider, h.sso.nameQualifier)));
    }
    if (h.iamUser) principals.push(key(iamUserIdentity(h.iamUser)));
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      id: h.id,
      role: h.role,
      timeZone: h.tz,
      country: h.country,
      principals,
      workHours: [round(h.workStart), round(h.workEnd)],
      vacationDays: h.vacation,
    };
  });
}

/** Principal keys of the scheduled workloads, by workload name. */
export function workloadPrincipals(org: Org): Record<string, string> {
  const w = org.workloads;
  return {
    "inventory-collector": roleKey(w.inventoryFn, "inventory-collector"),
    "snapshot-janitor": roleKey(w.janitorFn, "snapshot-janitor"),
    "etl-runner": roleKey(w.etlTask, "0123456789abcdef0123456789abcdef"),
    grafana: key(iamUserIdentity(w.grafana)),
    backup: key(iamUserIdentity(w.backup)),
    ci: roleKey(w.ciRole, "GitHubActions"),
  };
}

export function scenarioEntries(
  scenarios: ScenarioResult[],
  labels: Map<string, string[]>,
): GroundTruthScenario[] {
  return scenarios.map((s) => {
    const eventIds = labels.get(s.id) ?? [];
    return {
      id: s.id,
      technique: s.technique,
      tactic: s.tactic,
      mitre: s.mitre,
      principal: s.principal,
      principalName: s.principalName,
      accountId: s.accountId,
      start: isoSecond(s.start),
      end: isoSecond(s.end),
      events: eventIds.length,
      eventIds,
      description: s.description,
    };
  });
}

export function gapEntries(gaps: LoggingGap[]) {
  return gaps.map((g) => ({
    accountId: g.accountId,
    from: isoSecond(g.from),
    to: isoSecond(g.to),
    reason:
      "StopLogging (scenario S06) until an on-call admin ran StartLogging; events in between were never delivered",
  }));
}

/** Benign activity that resembles attacks on purpose, so a detector is tested on more than rare API names. */
export const BENIGN_LOOKALIKES = [
  "Weekly multi-region posture scan by the security auditor (boto3): EC2/CloudTrail describes in 16 regions with SCP AccessDenied outside approved regions",
  "Platform admin: Terraform refreshes with bursts of reads, NoSuchBucketPolicy errors and occasional throttling; rare CreateRole+AttachRolePolicy for a Lambda service role",
  "Platform admin: EBS snapshots occasionally shared with the organisation's disaster-recovery account (ModifySnapshotAttribute)",
  "On-call admin restarting CloudTrail at night after the StopLogging alarm (StartLogging, LookupEvents)",
  "Developers: AccessDenied on iam:CreateRole, ParameterNotFound and ResourceNotFound mistakes; CLI upgrades producing new user agents; hotel/travel networks",
  "CI: pull_request workflows using the deploy role read-only (cdk diff); failed deploys with ResourceConflictException",
];
