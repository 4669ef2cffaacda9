import type { Principal, TrailEvent } from "../event/types.ts";
import { errorClass, readOnlyCode, timeOfDayBucket, UA_FAMILY_NAMES, uaFamilyCode } from "./tokens.ts";

/**
 * What the model remembers about a principal's current session: for each level (principal, peer group,
 * everyone) the trie nodes of its last one, two and three actions. Mutated in place, once per event.
 */
export interface SessionState {
  /** [level * 3 + k - 1] = node of the last k actions at that level, -1 when the session is shorter. */
  contexts: Int32Array;
  lastTime: number;
  lastSessionKey: string | null;
  /** Side context of the last call: error class, readOnly and user-agent family, packed. */
  lastSide: number;
  /** Action id of the last call (-1 when unknown) and how many times in a row it was called. */
  lastAction: number;
  run: number;
}

/** The question a prediction answers: who acts next, when, in which credential session — never what. */
export interface Query {
  principal: Principal;
  time: number;
  sessionKey?: string | null;
}

export function sideCode(event: Pick<TrailEvent, "errorCode" | "readOnly" | "userAgent">): number {
  const flags = errorClass(event.errorCode) * 3 + readOnlyCode(event.readOnly);
  return flags * UA_FAMILY_NAMES.length + uaFamilyCode(event.userAgent);
}

/** Decorations: 12 time-of-day buckets for a session's first action, else the previous call's side code. */
export const TIME_DECORATIONS = 12;

/** Decoration of the first call under new credentials within a session (beyond every side code). */
export const CREDENTIAL_CHANGE = 1 << 16;

export type ContextMode = "continue" | "fresh" | "late";

export interface ResolvedContext {
  mode: ContextMode;
  decoration: number;
}

/** Whether a query continues the principal's session, starts a new one, or arrived late (no allocation). */
export function resolveContextInto(
  state: SessionState | undefined,
  time: number,
  sessionKey: string | null | undefined,
  idleGapMs: number,
  out: ResolvedContext,
): ResolvedContext {
  if (state && time < state.lastTime) {
    out.mode = "late";
    out.decoration = 0;
    return out;
  }
  const key = sessionKey ?? null;
  const fresh = !state || time - state.lastTime > idleGapMs;
  const newCredential =
    !fresh && state.lastSessionKey !== null && key !== null && state.lastSessionKey !== key;
  out.mode = fresh ? "fresh" : "continue";
  out.decoration =
    fresh || !state
      ? timeOfDayBucket(time)
      : newCredential
        ? CREDENTIAL_CHANGE
        : TIME_DECORATIONS + state.lastSide;
  return out;
}

export function newSessionState(): SessionState {
  return {
    contexts: new Int32Array(9).fill(-1),
    lastTime: 0,
    lastSessionKey: null,
    lastSide: 0,
    lastAction: -1,
    run: 0,
  };
}
