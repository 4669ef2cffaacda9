import type { Principal } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { clip, round, scoreJoin } from "./event-summary.ts";

export interface Count {
  value: string;
  events: number;
}

export interface PrincipalProfile {
  principal: string;
  name: string;
  type: string;
  accountId: string | null;
  roleArn: string | null;
  events: number;
  errors: number;
  firstSeen: string;
  lastSeen: string;
  topActions: Count[];
  topServices: Count[];
  sourceIps: Count[];
  /** IPv4 /24 (or the host name for AWS-internal callers) → events. */
  sourceNetworks: Count[];
  regions: Count[];
  userAgents: Count[];
  errorCodes: Count[];
  /** Role ARNs this principal assumed (sts:AssumeRole requestParameters.roleArn). */
  rolesAssumed: Count[];
  /** Events per UTC hour of day, index 0 = 00:00-00:59. */
  activeHoursUtc: number[];
  /** Events per UTC weekday, index 0 = Monday. */
  activeWeekdaysUtc: number[];
  /** Peer group the model compares it with (role, or behaviour cluster of its account). */
  peerGroup: string | null;
  maxScore: number | null;
  anomalies: number | null;
}

const TOP = 10;

async function top(store: TrailStore, expression: string, key: string, where = "TRUE"): Promise<Count[]> {
  const rows = await store.rows<{ value: string | null; events: number }>(
    `SELECT ${expression} AS value, count(*) AS events FROM events
     WHERE principal_key = $1 AND ${where} GROUP BY value HAVING value IS NOT NULL
     ORDER BY events DESC, value LIMIT ${TOP}`,
    [key],
  );
  return rows.map((row) => ({ value: clip(row.value), events: row.events }));
}

/** What a principal usually does: actions, services, networks, regions, clients, rhythm, roles assumed. */
export async function principalProfile(
  store: TrailStore,
  principal: Principal,
  peerGroup: string | null,
  scores: boolean,
): Promise<PrincipalProfile> {
  const key = principal.key;
  const [totals] = await store.rows<{
    events: number;
    errors: number;
    first_ms: number;
    last_ms: number;
    max_score: number | null;
    anomalies: number;
  }>(
    `SELECT count(*) AS events, count(e.error_code) AS errors, epoch_ms(min(e.time)) AS first_ms,
            epoch_ms(max(e.time)) AS last_ms, max(s.score) AS max_score,
            count(*) FILTER (WHERE s.score >= 0.5) AS anomalies
     FROM events e ${scoreJoin(scores)} WHERE e.principal_key = $1`,
    [key],
  );
  const hours = await store.rows<{ h: number; n: number }>(
    "SELECT hour(time) AS h, count(*) AS n FROM events WHERE principal_key = $1 GROUP BY h",
    [key],
  );
  const days = await store.rows<{ d: number; n: number }>(
    "SELECT isodow(time) - 1 AS d, count(*) AS n FROM events WHERE principal_key = $1 GROUP BY d",
    [key],
  );
  const activeHoursUtc = new Array<number>(24).fill(0);
  for (const row of hours) activeHoursUtc[row.h] = row.n;
  const activeWeekdaysUtc = new Array<number>(7).fill(0);
  for (const row of days) activeWeekdaysUtc[row.d] = row.n;
  return {
    principal: key,
    name: principal.name,
    type: principal.type,
    accountId: principal.accountId,
    roleArn: principal.roleArn,
    events: totals?.events ?? 0,
    errors: totals?.errors ?? 0,
    firstSeen: new Date(totals?.first_ms ?? 0).toISOString(),
    lastSeen: new Date(totals?.last_ms ?? 0).toISOString(),
    topActions: await top(store, "action", key),
    topServices: await top(store, "service", key),
    sourceIps: await top(store, "source_ip", key),
    sourceNetworks: await top(
      store,
      "CASE WHEN regexp_matches(source_ip, '^\\d+\\.\\d+\\.\\d+\\.\\d+$') THEN regexp_replace(source_ip, '\\.\\d+$', '.0/24') ELSE source_ip END",
      key,
    ),
    regions: await top(store, "region", key),
    userAgents: await top(store, "user_agent", key),
    errorCodes: await top(store, "error_code", key, "error_code IS NOT NULL"),
    rolesAssumed: await top(
      store,
      "json_extract_string(raw, '$.requestParameters.roleArn')",
      key,
      "action = 'sts:AssumeRole'",
    ),
    activeHoursUtc,
    activeWeekdaysUtc,
    peerGroup,
    maxScore: totals?.max_score == null ? null : round(totals.max_score, 4),
    anomalies: scores ? (totals?.anomalies ?? 0) : null,
  };
}
