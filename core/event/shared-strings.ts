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

/** The principal with its repetitive strings shared (the object itself is per event: sessionName varies). */
export function sharedPrincipalStrings(principal: Principal): Principal {
  principal.key = shared(principal.key);
  principal.name = shared(principal.name);
  principal.accountId = sharedOrNull(principal.accountId);
  principal.roleArn = sharedOrNull(principal.roleArn);
  return principal;
}
