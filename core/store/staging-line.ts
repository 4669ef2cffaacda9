import type { TrailEvent } from "../event/types.ts";

/**
 * Events travel into DuckDB as newline-delimited JSON that DuckDB's own reader parses in parallel: far
 * faster than appending value by value from JS (see docs/decisions/003). One line per event:
 *   {"s":[…strings in STRING_FIELDS order…],"t":<epoch ms>,"ro":<bool|null>,"res":[…],"raw":<record>}
 * `raw` is the record itself, not a string, so it needs no escaping and DuckDB keeps it as JSON text.
 */
const STRING_FIELDS = [
  "event_id",
  "action",
  "service",
  "event_source",
  "event_name",
  "principal_key",
  "principal_name",
  "principal_type",
  "account_id",
  "role_arn",
  "session_name",
  "region",
  "source_ip",
  "user_agent",
  "error_code",
  "error_message",
  "access_key_id",
  "session_key",
  "event_type",
  "recipient_account_id",
  "source_file",
] as const;

/** Pretty-printed source text may hold newlines between tokens (never inside strings): one line per event. */
function singleLine(json: string): string {
  return json.includes("\n") || json.includes("\r") ? json.replace(/[\r\n]+/g, " ") : json;
}

export function stagingLine(event: TrailEvent): string {
  const p = event.principal;
  const strings = [
    event.eventId,
    event.action,
    event.action.slice(0, event.action.indexOf(":")),
    event.eventSource,
    event.eventName,
    p.key,
    p.name,
    p.type,
    p.accountId,
    p.roleArn,
    p.sessionName,
    event.region,
    event.sourceIp,
    event.userAgent,
    event.errorCode,
    event.errorMessage,
    event.accessKeyId,
    event.sessionKey,
    event.eventType,
    event.recipientAccountId,
    event.origin ?? null,
  ];
  return `{"s":${JSON.stringify(strings)},"t":${event.time},"ro":${event.readOnly},"res":${JSON.stringify(event.resources)},"raw":${singleLine(event.raw)}}`;
}

/** SQL that reads a staging file into rows shaped like `events` (its column order, schema.ts). */
export function readStagingSql(path: string): string {
  const at = (name: (typeof STRING_FIELDS)[number]) => `s[${STRING_FIELDS.indexOf(name) + 1}]`;
  const quoted = path.replaceAll("'", "''");
  return `SELECT ${at("event_id")}, make_timestamp(t * 1000), ${at("action")}, ${at("service")}, ${at("event_source")},
    ${at("event_name")}, ${at("principal_key")}, ${at("principal_name")}, ${at("principal_type")}, ${at("account_id")},
    ${at("role_arn")}, ${at("session_name")}, ${at("region")}, ${at("source_ip")}, ${at("user_agent")}, ro,
    ${at("error_code")}, ${at("error_message")}, res, ${at("access_key_id")}, ${at("session_key")}, ${at("event_type")},
    ${at("recipient_account_id")}, ${at("source_file")}, raw::VARCHAR
  FROM read_json('${quoted}', format = 'newline_delimited', maximum_object_size = 33554432,
    columns = {s: 'VARCHAR[]', t: 'BIGINT', ro: 'BOOLEAN', res: 'VARCHAR[]', raw: 'JSON'})`;
}

/** `file#eventID` of a staging line, to report a line the store refused. */
export function describeStagingLine(line: string): string {
  try {
    const strings = (JSON.parse(line) as { s?: (string | null)[] }).s ?? [];
    return `${strings[STRING_FIELDS.indexOf("source_file")] ?? "?"}#${strings[0] ?? "?"}`;
  } catch {
    return "(unreadable staging line)";
  }
}
