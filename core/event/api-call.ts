import type { Principal, TrailEvent } from "./types.ts";

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
    eventSource: `${service}.amazonaws.com`,
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
