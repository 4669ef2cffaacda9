import type { TrailEvent } from "../event/types.ts";

/** A principal idle for longer than this starts a new session (CloudTrail has no session end event). */
export const DEFAULT_IDLE_GAP_MS = 30 * 60_000;

export interface Session {
  principalKey: string;
  /** The credential session (access key / role session) when CloudTrail said, else null. */
  sessionKey: string | null;
  start: number;
  end: number;
  events: TrailEvent[];
}

/**
 * Events in time order, duplicates (same eventID, which CloudTrail can deliver twice) dropped. Ties keep
 * input order (S3 trail files are chronological inside a file), so the result is deterministic for a
 * given input. `visit` sees each kept event with its index in the result, in order, during the pass that
 * keeps it: a caller that needs one more pass over the events saves touching them again (on a million
 * parsed events, each touch is a likely cache and TLB miss).
 */
export function chronological(
  events: readonly TrailEvent[],
  visit?: (event: TrailEvent, index: number) => void,
): TrailEvent[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) {
    if ((events[i] as TrailEvent).time < (events[i - 1] as TrailEvent).time) sorted = false;
  }
  // Array.prototype.sort is stable, so equal times keep their input order.
  const ordered = sorted ? events : [...events].sort((a, b) => a.time - b.time);
  // A duplicate delivery repeats the record, eventTime included: only same-time runs need checking.
  const unique: TrailEvent[] = [];
  let runStart = 0;
  let runIds: Set<string> | null = null;
  for (let i = 0; i < ordered.length; i++) {
    const event = ordered[i] as TrailEvent;
    if (i > 0 && event.time !== (ordered[i - 1] as TrailEvent).time) {
      runStart = unique.length;
      runIds = null;
    }
    let duplicate = false;
    if (unique.length - runStart < 16) {
      for (let j = runStart; j < unique.length && !duplicate; j++) {
        duplicate = (unique[j] as TrailEvent).eventId === event.eventId;
      }
    } else {
      runIds ??= new Set(unique.slice(runStart).map((e) => e.eventId));
      duplicate = runIds.has(event.eventId);
      if (!duplicate) runIds.add(event.eventId);
    }
    if (duplicate) continue;
    visit?.(event, unique.length);
    unique.push(event);
  }
  return unique;
}

/** True when `event` cannot continue the session whose last event was `previous`. */
export function startsNewSession(
  previous: { time: number; sessionKey: string | null } | undefined,
  event: { time: number; sessionKey: string | null },
  idleGapMs = DEFAULT_IDLE_GAP_MS,
): boolean {
  if (!previous) return true;
  if (event.time - previous.time > idleGapMs) return true;
  return (
    previous.sessionKey !== null && event.sessionKey !== null && previous.sessionKey !== event.sessionKey
  );
}

/**
 * Per principal, time-ordered sessions. Input may arrive in any order (CloudTrail delivers files out of
 * order and duplicates records); sessions are cut on an idle gap or a change of credential session.
 */
export function sessionize(
  events: readonly TrailEvent[],
  idleGapMs = DEFAULT_IDLE_GAP_MS,
): Map<string, Session[]> {
  const byPrincipal = new Map<string, Session[]>();
  for (const event of chronological(events)) {
    const key = event.principal.key;
    let sessions = byPrincipal.get(key);
    if (!sessions) {
      sessions = [];
      byPrincipal.set(key, sessions);
    }
    const current = sessions.at(-1);
    const last = current?.events.at(-1);
    if (!current || startsNewSession(last, event, idleGapMs)) {
      sessions.push({
        principalKey: key,
        sessionKey: event.sessionKey,
        start: event.time,
        end: event.time,
        events: [event],
      });
    } else {
      current.events.push(event);
      current.end = event.time;
    }
  }
  return byPrincipal;
}
