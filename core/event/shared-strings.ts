import type { Principal } from "./types.ts";

/**
 * One instance per distinct value for the repetitive strings of events (service, API name, region, client,
 * account, principal key, access key / credential session, …). Parsed JSON and database rows give every
 * event its own copy; sharing them keeps a million events smaller, and every later lookup (the model
 * interns these per event) then meets a string whose hash is computed and whose characters are already in
 * the cache.
 */
const table = new Map<string, string>();
/** Bounded like the model's caches: past this many distinct values the table starts over. */
const LIMIT = 200_000;

export function shared(value: string): string {
  const known = table.get(value);
  if (known !== undefined) return known;
  if (table.size >= LIMIT) table.clear();
  table.set(value, value);
  return value;
}

export function sharedOrNull(value: string | null): string | null {
  return value === null ? null : shared(value);
}

/**
 * Per principal key, per raw session name, the distinct principals seen with them (usually one). Keyed by
 * the session name too: one key can carry a new raw session name per session (names with per-session
 * suffixes map to one stable key), and a scan over all of them would grow with every session.
 */
const principals = new Map<string, Map<string | null, Principal[]>>();
let principalCount = 0;

/**
 * One frozen instance per distinct principal (all six fields equal), its strings shared. Events are read
 * by the million and most of them repeat a few thousand principals: a separate object per event cost
 * ~80 bytes each, and every pass that reads an event's principal key took a cache miss on it (ordering a
 * fit's million sample events: ~0.3 s of ~0.8 s). Frozen, because it is shared: nothing changes a
 * principal after parsing, and a change would now be loud instead of leaking into other events.
 */
export function sharedPrincipal(principal: Principal): Readonly<Principal> {
  const key = shared(principal.key);
  const name = shared(principal.name);
  const accountId = sharedOrNull(principal.accountId);
  const roleArn = sharedOrNull(principal.roleArn);
  const sessionName = sharedOrNull(principal.sessionName);
  let bySession = principals.get(key);
  const known = bySession?.get(sessionName);
  if (known) {
    for (const p of known) {
      if (
        p.name === name &&
        p.type === principal.type &&
        p.accountId === accountId &&
        p.roleArn === roleArn
      ) {
        return p;
      }
    }
  }
  if (principalCount >= LIMIT) {
    principals.clear();
    principalCount = 0;
    bySession = undefined;
  }
  // Spread first: the fields keep the order the caller built them in (JSON output stays the same).
  const canonical = Object.freeze({ ...principal, key, name, accountId, roleArn, sessionName });
  if (!bySession) {
    bySession = new Map();
    principals.set(key, bySession);
  }
  const list = bySession.get(sessionName);
  if (list) list.push(canonical);
  else bySession.set(sessionName, [canonical]);
  principalCount += 1;
  return canonical;
}
