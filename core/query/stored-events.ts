import type { DuckDBValue } from "@duckdb/node-api";
import type { IdentityType, TrailEvent } from "../event/types.ts";
import { timestampParam } from "../store/query-events.ts";
import type { TrailStore } from "../store/trail-store.ts";

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
  return {
    eventId: row.event_id,
    time: row.time_ms,
    action: row.action,
    eventSource: row.event_source,
    eventName: row.event_name,
    principal: {
      key: row.principal_key,
      name: row.principal_name,
      type: row.principal_type as IdentityType,
      accountId: row.account_id,
      roleArn: row.role_arn,
      sessionName: row.session_name,
    },
    region: row.region,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    readOnly: row.read_only,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    resources: row.resources ?? [],
    accessKeyId: row.access_key_id,
    sessionKey: row.session_key,
    eventType: row.event_type,
    recipientAccountId: row.recipient_account_id,
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

/**
 * Every stored event in time order, streamed in pages so the caller never holds more than one page of rows
 * and its own state (the model walk holds TrailEvents without `raw`, about 1 KB each).
 */
export async function* allStoredEvents(store: TrailStore, pageSize = 50_000): AsyncGenerator<TrailEvent[]> {
  let after: [number, string] | null = null;
  for (;;) {
    const page: TrailEvent[] = after
      ? await storedEvents(
          store,
          "WHERE time >= $1 AND (time > $1 OR event_id > $2)",
          [timestampParam(after[0]), after[1]],
          { limit: pageSize },
        )
      : await storedEvents(store, "", [], { limit: pageSize });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1] as TrailEvent;
    after = [last.time, last.eventId];
    if (page.length < pageSize) return;
  }
}
