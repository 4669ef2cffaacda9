import type { Principal, TrailEvent } from "./types.ts";

/**
 * One flat `eventSource` string per service, shared by every event built here, like the strings a parser
 * produces: a template literal per event is a rope (a concatenation) that each lookup must flatten again.
 */
const sources = new Map<string, string>();

function sourceOf(service: string): string {
  let source = sources.get(service);
  if (source === undefined) {
    source = [service, "amazonaws.com"].join("."); // join builds a flat string
    sources.set(service, source);
  }
  return source;
}

/**
 * An `AwsApiCall` event built from an IAM-style action (`s3:GetObject` → source `s3.amazonaws.com`, name
 * `GetObject`) rather than parsed from a record: hypothetical histories for predictions, synthetic
 * benchmark data and test fixtures. Fields not given are empty; the account is the principal's.
 */
export function apiCallEvent(
  principal: Principal,
  action: string,
  time: number,
  fields: Partial<TrailEvent> & Pick<TrailEvent, "eventId">,
): TrailEvent {
  const [service, name] = action.split(":") as [string, string];
  return {
    time,
    action,
    eventSource: sourceOf(service),
    eventName: name,
    principal,
    region: "",
    sourceIp: "",
    userAgent: "",
    readOnly: null,
    errorCode: null,
    errorMessage: null,
    resources: [],
    accessKeyId: null,
    sessionKey: null,
    eventType: "AwsApiCall",
    recipientAccountId: principal.accountId,
    raw: "",
    ...fields,
  };
}
