import { principalOf } from "../event/principal.ts";
import type { UserIdentity } from "../event/record-schema.ts";
import { cliAgent, cliCommand, type Toolset } from "./agents.ts";
import { SECOND } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import type { Org } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call, Caller } from "./record.ts";

/** Shared pieces of the attack scenarios: the attacker's tooling and a way to play a scripted sequence. */

export interface ScenarioMeta {
  id: string;
  /** Stratus Red Team technique id where one exists; same naming scheme otherwise. */
  technique: string;
  tactic: string;
  mitre: string;
  description: string;
}

export interface ScenarioResult extends ScenarioMeta {
  principal: string;
  principalName: string;
  accountId: string;
  start: number;
  end: number;
}

export interface AttackContext {
  org: Org;
  emitter: Emitter;
  rng: Rng;
}

/** A rented Debian cloud VM: the attacker's tools report this OS, unlike anyone in the organisation. */
export const ATTACKER_OS = "linux#6.1.0-26-cloud-amd64";

export const ATTACKER_TOOLS: Toolset = {
  platform: { os: ATTACKER_OS, arch: "x86_64", goos: "linux", browser: "" },
  cli: "2.19.5",
  crt: "0.22.0",
  python: "3.11.2",
  boto: "1.35.54",
  terraform: "",
  provider: "",
};

export const attackerCli = (service: string, name: string) =>
  cliAgent(ATTACKER_TOOLS, cliCommand(service, name));
export const attackerBoto = () =>
  `Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/${ATTACKER_OS} md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.54`;

/** One scripted action: a call, the seconds since the previous one, and optionally a region. */
export type Move = [Call, number, string?];

/**
 * Plays moves from `start` under `label`; returns the time of the last one. Moves are emitted only if they
 * land inside the period (the emitter drops the rest), so the ground truth never lists an absent event.
 */
export function play(
  ctx: AttackContext,
  rng: Rng,
  caller: Caller,
  start: number,
  region: string,
  moves: Move[],
  label: string,
): number {
  let t = start;
  for (const [call, gap, where] of moves) {
    t += gap * SECOND;
    ctx.emitter.emit(rng, caller, t, where ?? region, call, label);
  }
  return t;
}

function describePrincipal(caller: Caller): { principal: string; principalName: string } {
  const p = principalOf(caller.identity as UserIdentity);
  return { principal: p.key, principalName: p.name };
}

export function result(meta: ScenarioMeta, caller: Caller, start: number, end: number): ScenarioResult {
  return { ...meta, ...describePrincipal(caller), accountId: caller.accountId, start, end };
}
