import type { DuckDBValue } from "@duckdb/node-api";
import { shared, sharedOrNull, sharedPrincipal } from "../event/shared-strings.ts";
import type { IdentityType, TrailEvent } from "../event/types.ts";
import { rowsOf, type TrailStore, timestampParam } from "../store/trail-store.ts";

// One definition of the bound timestamp, in the store; re-exported for the query modules that import it here.
export { timestampParam };

/** Columns that rebuild a TrailEvent (everything the model reads; `raw` only when asked for). */
const MODEL_COLUMNS = `event_id, epoch_ms(time) AS time_ms, action, event_source, event_name, principal_key,
  principal_name, principal_type, account_id, role_arn, session_name, region, source_ip, user_agent, read_only,
  error_code, error_message, resources, access_key_id, session_key, event_type, recipient_account_id`;

interface EventRecordRow {
  event_id: string;
  time_ms: number;
  action: string;
  event_source: string;
  event_name: string;
  principal_key: string;
  principal_name: string;
  principal_type: string;
  account_id: string | null;
  role_arn: string | null;
  session_name: string | null;
  region: string;
  source_ip: string;
  user_agent: string;
  read_only: boolean | null;
  error_code: string | null;
  error_message: string | null;
  resources: string[];
  access_key_id: string | null;
  session_key: string | null;
  event_type: string;
  recipient_account_id: string | null;
  raw?: string;
}

function toTrailEvent(row: EventRecordRow): TrailEvent {
  // Rows give every event its own string copies; the repetitive ones are shared (see shared-strings.ts).
  return {
    eventId: row.event_id,
    time: row.time_ms,
    action: shared(row.action),
    eventSource: shared(row.event_source),
    eventName: shared(row.event_name),
    principal: sharedPrincipal({
      key: row.principal_key,
      name: row.principal_name,
      type: row.principal_type as IdentityType,
      accountId: row.account_id,
      roleArn: row.role_arn,
      sessionName: row.session_name,
    }),
    region: shared(row.region),
    sourceIp: shared(row.source_ip),
    userAgent: shared(row.user_agent),
    readOnly: row.read_only,
    errorCode: sharedOrNull(row.error_code),
    errorMessage: row.error_message,
    resources: row.resources ?? [],
    accessKeyId: row.access_key_id,
    sessionKey: row.session_key,
    eventType: shared(row.event_type),
    recipientAccountId: sharedOrNull(row.recipient_account_id),
    raw: row.raw ?? "",
  };
}

/** Stored events matching a WHERE clause as TrailEvents, in (time, eventID) order. */
export async function storedEvents(
  store: TrailStore,
  where: string,
  params: DuckDBValue[],
  options: { limit?: number; withRaw?: boolean } = {},
): Promise<TrailEvent[]> {
  const limit = options.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.trunc(options.limit))}`;
  const rows = await store.rows<EventRecordRow>(
    `SELECT ${MODEL_COLUMNS}${options.withRaw ? ", raw" : ""} FROM events ${where} ORDER BY time, event_id${limit}`,
    params,
  );
  return rows.map(toTrailEvent);
}

/** Consecutive [from, to) epoch-ms ranges of whole minutes, each holding about `pageSize` events. */
async function timePages(
  store: TrailStore,
  pageSize: number,
  since: number | null,
): Promise<Array<[number, number]>> {
  const minutes = await store.rows<{ m: number; n: number }>(
    `SELECT epoch_ms(time_bucket(INTERVAL 1 minute, time)) AS m, count(*) AS n FROM events
     ${since === null ? "" : "WHERE time >= $1"} GROUP BY 1 ORDER BY 1`,
    since === null ? undefined : [timestampParam(since)],
  );
  const pages: Array<[number, number]> = [];
  let from: number | null = null;
  let events = 0;
  for (const { m, n } of minutes) {
    if (from !== null && events + n > pageSize) {
      pages.push([from, m]);
      from = null;
      events = 0;
    }
    from ??= m;
    events += n;
  }
  const last = minutes[minutes.length - 1];
  if (from !== null && last) pages.push([from, last.m + 60_000]);
  return pages;
}

/**
 * Every stored event in (time, eventID) order (or, with `unscoredSince`, those from then on without a
 * score), in pages of whole minutes (about `pageSize` events, so the caller holds one or two pages of rows
 * plus its own state; the model walk holds TrailEvents without `raw`, about 1 KB each). Pages are time ranges rather than keyset LIMIT queries, so each one reads only its own
 * row groups of the time-sorted table; the next page is queried on a second connection while the caller
 * works on the current one (DuckDB runs it on its own threads).
 */
export async function* allStoredEvents(
  store: TrailStore,
  options: { pageSize?: number; unscoredSince?: number } = {},
): AsyncGenerator<TrailEvent[]> {
  const since = options.unscoredSince ?? null;
  const pages = await timePages(store, options.pageSize ?? 50_000, since);
  const reader = await store.connect();
  // The reader sees committed scores only, so a walk appending scores still reads every unscored event.
  // ($1, the page's start, bounds the scores read: an event's score has the event's own time.)
  const unscored =
    since === null
      ? ""
      : "AND NOT EXISTS (SELECT 1 FROM event_scores s WHERE s.time >= $1 AND s.event_id = events.event_id)";
  const fetchPage = async ([from, to]: [number, number]) =>
    rowsOf<EventRecordRow>(
      await reader.run(
        `SELECT ${MODEL_COLUMNS} FROM events WHERE time >= $1 AND time < $2 ${unscored} ORDER BY time, event_id`,
        [timestampParam(from), timestampParam(to)],
      ),
    ).map(toTrailEvent);
  let next: Promise<TrailEvent[]> | null = null;
  try {
    for (let i = 0; i < pages.length; i++) {
      const page: TrailEvent[] = await (next ?? fetchPage(pages[i] as [number, number]));
      next = i + 1 < pages.length ? fetchPage(pages[i + 1] as [number, number]) : null;
      // Settled later (or dropped when the caller stops early): never an unhandled rejection.
      next?.catch(() => undefined);
      yield page;
    }
  } finally {
    await next?.catch(() => undefined);
    reader.closeSync();
  }
}
