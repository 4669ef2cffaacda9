import type { Account } from "./inventory.ts";
import type { Human } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/** How a person issued a call: it selects credentials, user agent and source address. */
export type Via = "console" | "cli" | "terraform" | "script" | "docker";

/** One call of a task, `gap` seconds after the previous step. */
export interface Step {
  call: Call;
  gap: number;
  via: Via;
  region?: string;
}

export interface TaskContext {
  rng: Rng;
  person: Human;
  account: Account;
  /** The region the person normally works in. */
  region: string;
  /** Approximate wall time of the task (ms), for time-valued parameters. */
  time: number;
  /** `YYYY-MM-DD` of the working day. */
  day: string;
  /** Whether this task is done in the console (else on the command line or in code). */
  console: boolean;
  /** ARN of the caller, for error messages. */
  callerArn: string;
}

export type Task = (c: TaskContext) => Step[];

/** A role's repertoire: tasks with base weights and the habit key that personalises the weight. */
export interface TaskEntry {
  name: string;
  habit: string;
  weight: number;
  task: Task;
}

export function step(call: Call, gap: number, via: Via, region?: string): Step {
  return region ? { call, gap, via, region } : { call, gap, via };
}

/** Calls fired together (a console page load, a terraform refresh): sub-second to a couple of seconds apart. */
export function burst(rng: Rng, calls: Call[], via: Via, firstGap: number, region?: string): Step[] {
  return calls.map((call, i) =>
    step(call, i === 0 ? firstGap : rng.chance(0.6) ? 0 : rng.range(0.2, 2), via, region),
  );
}

/** A person reading the screen between actions. */
export function think(rng: Rng, median = 8): number {
  return Math.min(600, rng.logNormal(median, 0.8));
}

/** Polls until something finishes: the same call every `interval` seconds, `count` times. */
export function poll(rng: Rng, call: Call, count: number, interval: number, via: Via): Step[] {
  return Array.from({ length: count }, () => step(call, interval * rng.range(0.85, 1.2), via));
}

/** The mode the person uses for a task: the console unless a coin weighted by their CLI habit says otherwise. */
export function mode(c: TaskContext): Via {
  return c.console ? "console" : "cli";
}

/** Occasionally swaps two neighbouring steps: people do not repeat sequences exactly. */
export function jumble(rng: Rng, steps: Step[], probability = 0.15): Step[] {
  for (let i = 1; i + 1 < steps.length; i++) {
    if (rng.chance(probability)) {
      const a = steps[i] as Step;
      const b = steps[i + 1] as Step;
      steps[i] = { ...b, gap: a.gap };
      steps[i + 1] = { ...a, gap: b.gap };
    }
  }
  return steps;
}
