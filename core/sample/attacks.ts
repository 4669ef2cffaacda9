import { trailCall } from "./api-services.ts";
import type { AttackContext, ScenarioResult } from "./attack-kit.ts";
import { stolenKeyCampaign } from "./attacks-access.ts";
import { ciAbuseCampaign, externalRoleCampaign } from "./attacks-cloud.ts";
import { evasionCampaign, exfiltrationAfterEvasion } from "./attacks-evasion.ts";
import { ssoTokenCampaign } from "./attacks-sso.ts";
import { DAY, HOUR, MINUTE, SECOND, weekday } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { HumanCallers } from "./human-callers.ts";
import type { Org } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/**
 * Places the attack campaigns in the last third of the period, so a chronological train/test split has attacks
 * only in the test part, and emits them (they are few, so they are generated up front). Also registers the
 * logging gap StopLogging causes and the on-call admin who ends it.
 */

export interface AttackWindow {
  /** Start of the last third: no attack event is earlier. */
  from: number;
  to: number;
}

export function attackWindow(start: number, days: number): AttackWindow {
  const end = start + days * DAY;
  const from = days >= 3 ? start + Math.ceil((days * 2) / 3) * DAY : start + ((end - start) * 2) / 3;
  return { from, to: end };
}

export function planAttacks(
  org: Org,
  rng: Rng,
  emitter: Emitter,
  start: number,
  days: number,
): ScenarioResult[] {
  const window = attackWindow(start, days);
  const span = window.to - window.from;
  const spanDays = Math.floor(span / DAY);
  const latest = window.to - 7 * HOUR;
  /** A campaign start: on a given fraction of the window's days at a UTC hour, or proportionally when short. */
  const at = (fraction: number, shortFraction: number, hourUtc: number, weekdayOnly = false): number => {
    if (spanDays < 3) return Math.min(latest, window.from + shortFraction * span);
    let day = Math.floor(fraction * spanDays);
    while (weekdayOnly && day < spanDays - 1 && [0, 6].includes(weekday(window.from + day * DAY))) day++;
    const t = window.from + day * DAY + hourUtc * HOUR + rng.range(0, 40) * MINUTE;
    return Math.max(window.from, Math.min(latest, t));
  };
  const ctx: AttackContext = { org, emitter, rng };
  const scenarios: ScenarioResult[] = [];

  const stolen = stolenKeyCampaign({ ...ctx, rng: rng.fork("c1") }, at(0.05, 0.04, 1.2));
  scenarios.push(...stolen.scenarios);

  const ci = ciAbuseCampaign({ ...ctx, rng: rng.fork("c3") }, at(0.25, 0.24, 9.5, true));
  scenarios.push(...ci.scenarios);

  scenarios.push(
    ...externalRoleCampaign({ ...ctx, rng: rng.fork("c4") }, at(0.6, 0.44, 14), ci.backdoorRole),
  );
  scenarios.push(...ssoTokenCampaign({ ...ctx, rng: rng.fork("c5") }, at(0.8, 0.6, 18.4)));

  const evasionStart = at(0.4, 0.7, 21.5);
  const evasion = evasionCampaign(
    { ...ctx, rng: rng.fork("c2") },
    evasionStart,
    stolen.adminUser,
    stolen.adminKey,
  );
  scenarios.push(...evasion.scenarios);
  // Record times have whole seconds; so do the gap's bounds, so StartLogging at `resumeAt` is kept.
  const stoppedAt = Math.floor(evasion.stoppedAt / SECOND) * SECOND;
  const resumeAt = Math.floor((stoppedAt + rng.range(25, 40) * MINUTE) / SECOND) * SECOND;
  emitter.gaps.push({ accountId: org.accounts.prod.id, from: stoppedAt, to: resumeAt });
  respond(org, rng.fork("responder"), emitter, resumeAt, start);
  const later = resumeAt + rng.range(100, 160) * MINUTE;
  scenarios.push(
    ...exfiltrationAfterEvasion({ ...ctx, rng: rng.fork("c2b") }, later, stolen.adminUser, stolen.adminKey),
  );

  return scenarios.sort((a, b) => a.start - b.start);
}

/**
 * The on-call platform admin, paged by a "trail stopped" alarm, restarts logging from home. Benign and not
 * labelled, but off-hours and touching CloudTrail: exactly what a good detector must not confuse with attack.
 * Their sign-in falls inside the gap and is therefore missing from the trail, as it would be.
 */
function respond(org: Org, rng: Rng, emitter: Emitter, resumeAt: number, periodStart: number): void {
  const admin = org.humans.find((h) => h.role === "platform");
  if (!admin) return;
  const prod = org.accounts.prod;
  const day = Math.floor((resumeAt - periodStart) / DAY);
  const callers = new HumanCallers(admin, rng, emitter, admin.home, day);
  const region = prod.homeRegion;
  const steps: [Call, number][] = [
    [trailCall("GetTrailStatus", prod.trailName, prod), -40],
    [trailCall("StartLogging", prod.trailName, prod), 40],
    [trailCall("GetTrailStatus", prod.trailName, prod), 6],
    [
      {
        service: "cloudtrail",
        name: "LookupEvents",
        params: {
          lookupAttributes: [{ attributeKey: "EventName", attributeValue: "StopLogging" }],
          maxResults: 50,
        },
      },
      25,
    ],
    [{ service: "iam", name: "ListUsers", params: {} }, 90],
    [
      {
        service: "cloudtrail",
        name: "LookupEvents",
        params: {
          lookupAttributes: [{ attributeKey: "Username", attributeValue: "aws-support-sync" }],
          maxResults: 50,
        },
      },
      60,
    ],
  ];
  let t = resumeAt;
  for (const [call, gap] of steps) {
    t += gap * SECOND;
    emitter.emit(rng, callers.get("cli", t, region), t, region, call);
  }
}
