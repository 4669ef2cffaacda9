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
): readonly TrailEvent[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) {
    if ((events[i] as TrailEvent).time < (events[i - 1] as TrailEvent).time) sorted = false;
  }
  // Array.prototype.sort is stable, so equal times keep their input order.
  const ordered = sorted ? events : [...events].sort((a, b) => a.time - b.time);
  // Kept events are compacted into `kept`: the sorted copy itself, or the caller's array (read only) until
  // a duplicate turns up. Without duplicates no array is allocated or grown: at a million events those
  // allocations are what started a full collection of a reader's multi-gigabyte heap during a fit.
  let kept: TrailEvent[] | null = sorted ? null : (ordered as TrailEvent[]);
  let count = 0;
  let runStart = 0;
  let runIds: Set<string> | null = null;
  let previousTime = Number.NaN;
  for (let i = 0; i < ordered.length; i++) {
    const event = ordered[i] as TrailEvent;
    if (event.time !== previousTime) {
      runStart = count;
      runIds = null;
      previousTime = event.time;
    }
    const run = kept ?? ordered;
    let duplicate = false;
    if (count - runStart < 16) {
      for (let j = runStart; j < count && !duplicate; j++) {
        duplicate = (run[j] as TrailEvent).eventId === event.eventId;
      }
    } else {
      runIds ??= new Set(run.slice(runStart, count).map((e) => e.eventId));
      duplicate = runIds.has(event.eventId);
      if (!duplicate) runIds.add(event.eventId);
    }
    if (duplicate) {
      kept ??= ordered.slice(0, count);
      continue;
    }
    visit?.(event, count);
    if (kept) kept[count] = event;
    count += 1;
  }
  if (!kept) return ordered;
  kept.length = count;
  return kept;
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
