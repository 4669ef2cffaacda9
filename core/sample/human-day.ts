import { travelAddress, VPN_EGRESS } from "./addresses.ts";
import { HOUR, isHoliday, isoDay, localMidnight, weekday } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { HumanCallers } from "./human-callers.ts";
import type { Human, Org } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Step, TaskContext, TaskEntry } from "./task-kit.ts";
import { auditorTasks, FINANCE_TASKS, postureScan } from "./tasks-audit.ts";
import { ANALYST_TASKS } from "./tasks-data.ts";
import { cliWarmup, DEVELOPER_TASKS } from "./tasks-dev.ts";
import { platformTasks } from "./tasks-platform.ts";

/** One person's working day: when they work, from where, and which tasks fill their sessions. */

const SIGN_IN_EVENTS = 6;

export function repertoire(org: Org, person: Human): TaskEntry[] {
  switch (person.role) {
    case "developer":
      return DEVELOPER_TASKS;
    case "analyst":
      return ANALYST_TASKS;
    case "platform":
      return platformTasks(org.accounts.drAccountId);
    case "auditor":
      return auditorTasks([
        ...org.humans.flatMap((h) => (h.iamUser ? [h.iamUser.userName] : [])),
        org.workloads.backup.userName,
        org.workloads.grafana.userName,
      ]);
    case "finance":
      return FINANCE_TASKS;
  }
}

/** Whether the person works on this calendar day (weekday, no public holiday, not on vacation). */
export function isWorkday(person: Human, dayIndex: number, dayStart: number): boolean {
  const dow = weekday(dayStart);
  if (dow === 0 || dow === 6) return false;
  if (isHoliday(person.country, dayStart)) return false;
  const vacation = person.vacation;
  return !(vacation && dayIndex >= vacation[0] && dayIndex < vacation[1]);
}

function dayAddress(rng: Rng, person: Human): string {
  if (rng.chance(0.02)) return travelAddress(rng);
  if (person.office && rng.chance(person.officeShare)) return person.office;
  return rng.chance(0.45) ? rng.pick(VPN_EGRESS) : person.home;
}

interface Session {
  from: number;
  to: number;
  budget: number;
  leading?: (c: TaskContext) => Step[];
}

export interface HumanDayInput {
  org: Org;
  person: Human;
  dayIndex: number;
  /** UTC midnight of the calendar day. */
  dayStart: number;
  /** Events to spend on a full working day. */
  budget: number;
  rng: Rng;
  emitter: Emitter;
}

export function simulateHumanDay(input: HumanDayInput): void {
  const { person, dayIndex, dayStart, rng } = input;
  const midnight = localMidnight(person.tz, dayStart);
  const at = (hour: number) => midnight + hour * HOUR;
  const sessions: Session[] = [];
  if (isWorkday(person, dayIndex, dayStart)) {
    // Sign-ins and console start pages (~6 events a day) come on top of the tasks.
    const budget = Math.max(0, input.budget - SIGN_IN_EVENTS) * rng.logNormal(1, 0.3);
    const start = person.workStart + rng.normal(0, 0.3);
    const lunchEnd = person.lunch + rng.range(0.5, 1);
    const end = person.workEnd + rng.normal(0, 0.5);
    const morning: Session = { from: at(start), to: at(person.lunch), budget: budget * 0.45 };
    // The auditor's posture scan runs first thing on Mondays (or the first working day of a week).
    if (
      person.role === "auditor" &&
      (weekday(dayStart) === 1 || (weekday(dayStart) === 2 && rng.chance(0.3)))
    ) {
      morning.leading = postureScan;
    }
    sessions.push(morning, { from: at(lunchEnd), to: at(end), budget: budget * 0.55 });
    if (rng.chance(0.06))
      sessions.push({ from: at(rng.range(20.5, 21.5)), to: at(22.5), budget: budget * 0.08 });
  } else {
    const onCall = person.role === "platform" ? 0.12 : 0.02;
    if (rng.chance(onCall)) {
      const from = rng.range(10, 20);
      sessions.push({ from: at(from), to: at(from + rng.range(0.3, 1.2)), budget: rng.int(4, 25) });
    }
  }
  if (sessions.length === 0) return;

  const ip = dayAddress(rng, person);
  const callers = new HumanCallers(person, rng, input.emitter, ip, dayIndex);
  const tasks = repertoire(input.org, person);
  const weights = tasks.map((t) => [t, t.weight * (person.habits[t.habit] ?? 1)] as const);
  const region = person.account.homeRegion;
  const day = isoDay(dayStart);
  for (const session of sessions) {
    const planned = planSession(rng, person, session, weights, region, day, callers);
    layout(rng, session, planned, callers, input.emitter, region);
  }
}

type PlannedTask = { steps: Step[]; console: boolean };

function planSession(
  rng: Rng,
  person: Human,
  session: Session,
  weights: (readonly [TaskEntry, number])[],
  region: string,
  day: string,
  callers: HumanCallers,
): PlannedTask[] {
  const planned: PlannedTask[] = [];
  let spent = 0;
  const context = (console: boolean): TaskContext => ({
    rng,
    person,
    account: person.account,
    region,
    time: session.from,
    day,
    console,
    callerArn: callers.callerArn(console ? "console" : "cli"),
  });
  if (session.leading) {
    const steps = session.leading(context(false));
    planned.push({ steps, console: false });
    spent += steps.length;
  }
  while (spent < session.budget && planned.length < 400) {
    const entry = rng.weighted(weights);
    const console = person.role === "finance" || !rng.chance(person.cliShare);
    const steps = entry.task(context(console));
    if (!console && person.role === "developer" && rng.chance(0.1)) steps.unshift(...cliWarmup());
    // A task that would overshoot is kept with the probability that makes the expected total the budget:
    // small budgets (many people, few events) would otherwise always end one whole task over.
    const room = session.budget - spent;
    if (steps.length > room && !rng.chance(room / steps.length)) break;
    planned.push({ steps, console });
    spent += steps.length;
  }
  return planned;
}

function layout(
  rng: Rng,
  session: Session,
  planned: PlannedTask[],
  callers: HumanCallers,
  emitter: Emitter,
  region: string,
): void {
  const durations = planned.map((p) => p.steps.reduce((sum, s) => sum + s.gap, 0) * 1000);
  const busy = durations.reduce((a, b) => a + b, 0);
  const free = Math.max(planned.length * 20_000, session.to - session.from - busy);
  const shares = planned.map(() => rng.exp(1));
  const total = shares.reduce((a, b) => a + b, 0) + rng.exp(1);
  let t = session.from;
  for (const [i, task] of planned.entries()) {
    t += ((shares[i] ?? 0) / total) * free;
    for (const s of task.steps) {
      t += s.gap * 1000;
      const callRegion = s.region ?? region;
      emitter.emit(rng, callers.get(s.via, t, callRegion), t, callRegion, s.call);
    }
  }
}
