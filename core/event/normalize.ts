import type { z } from "zod";
import { principalOf } from "./principal.ts";
import { type CloudTrailRecord, cloudTrailRecordSchema } from "./record-schema.ts";
import { shared, sharedOrNull, sharedPrincipal } from "./shared-strings.ts";
import type { SkipReason, TrailEvent } from "./types.ts";

export type NormalizeResult =
  | { ok: true; event: TrailEvent }
  | { ok: false; reason: SkipReason; detail: string };

/** `s3.amazonaws.com` → `s3`; the prefix IAM policies use for the same service. */
export function serviceOf(eventSource: string): string {
  const dot = eventSource.indexOf(".");
  return dot > 0 ? eventSource.slice(0, dot) : eventSource;
}

export function actionOf(eventSource: string, eventName: string): string {
  // join builds a flat string; a template literal would give a rope that each later lookup flattens again.
  return [serviceOf(eventSource), eventName].join(":");
}

function describeIssue(issue: z.core.$ZodIssue): { reason: SkipReason; detail: string } {
  const field = issue.path.join(".") || "(record)";
  const missing = issue.code === "invalid_type" && /received undefined|received null/.test(issue.message);
  return missing
    ? { reason: "missing-field", detail: `missing required field ${field}` }
    : { reason: "wrong-type", detail: `field ${field}: ${issue.message}` };
}

function resourceNames(record: CloudTrailRecord): string[] {
  return (record.resources ?? [])
    .map((resource) => resource.ARN ?? resource.arn ?? "")
    .filter((name) => name.length > 0);
}

function parseTime(value: string): number | null {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Turns one parsed record into a TrailEvent, or says precisely why not. `rawText` is the record's JSON
 * text when the caller already has it (JSON Lines, lookup-events), so it is kept byte for byte.
 */
export function normalizeRecord(input: unknown, rawText?: string): NormalizeResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, reason: "not-cloudtrail", detail: "record is not a JSON object" };
  }
  let candidate = input as Record<string, unknown>;
  if (candidate.eventCategory === "Insight" || candidate.eventType === "AwsCloudTrailInsight") {
    return { ok: false, reason: "insights-event", detail: "CloudTrail Insights event (not an API call)" };
  }
  if (
    !(
      "eventID" in candidate ||
      "eventName" in candidate ||
      "eventSource" in candidate ||
      "userIdentity" in candidate
    )
  ) {
    return {
      ok: false,
      reason: "not-cloudtrail",
      detail: "object has no CloudTrail fields (eventID, eventName, …)",
    };
  }
  // Logstash/Elastic exports rename eventTime to @timestamp; accept it rather than lose the record.
  if (candidate.eventTime === undefined && typeof candidate["@timestamp"] === "string") {
    candidate = { ...candidate, eventTime: candidate["@timestamp"] };
  }
  const parsed = cloudTrailRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return first
      ? { ok: false, ...describeIssue(first) }
      : { ok: false, reason: "wrong-type", detail: "record failed validation" };
  }
  const record = parsed.data;
  const time = parseTime(record.eventTime);
  if (time === null) {
    return {
      ok: false,
      reason: "wrong-type",
      detail: `field eventTime: not a timestamp: ${record.eventTime.slice(0, 40)}`,
    };
  }
  const principal = sharedPrincipal(principalOf(record.userIdentity));
  const identity = record.userIdentity;
  // Shared like the other repetitive strings: a session's events then carry one instance, so the model's
  // per-event "same credential session?" check is a pointer comparison instead of a character compare.
  const accessKeyId = sharedOrNull(identity.accessKeyId ?? null);
  const creation = identity.sessionContext?.attributes?.creationDate;
  const readOnly =
    record.readOnly === undefined || record.readOnly === null
      ? null
      : record.readOnly === true || record.readOnly === "true";
  return {
    ok: true,
    event: {
      eventId: record.eventID,
      time,
      action: shared(actionOf(record.eventSource, record.eventName)),
      eventSource: shared(record.eventSource),
      eventName: shared(record.eventName),
      principal,
      region: shared(record.awsRegion ?? ""),
      sourceIp: shared(record.sourceIPAddress ?? ""),
      userAgent: shared(record.userAgent ?? ""),
      readOnly,
      errorCode: record.errorCode ? shared(record.errorCode) : null,
      errorMessage: record.errorMessage || null,
      resources: resourceNames(record),
      accessKeyId,
      sessionKey:
        accessKeyId ?? (creation && principal.roleArn ? shared(`${principal.key}@${creation}`) : null),
      eventType: shared(record.eventType ?? ""),
      recipientAccountId: sharedOrNull(record.recipientAccountId ?? null),
      raw: rawText ?? JSON.stringify(input),
    },
  };
}
