import { z } from "zod";
import type { EventQueryFilter } from "../../core/query/event-filter.ts";
import { parseRange, type TimeRange } from "../../core/query/relative-time.ts";
import type { TrailData } from "../../core/query/trail-data.ts";
import { TIME_HELP } from "../tool-kit.ts";

const text = (max = 400) => z.string().min(1).max(max);

/** Time-range arguments shared by the event tools. */
export const timeArgs = {
  start: text(64).optional().describe(`Inclusive start: ${TIME_HELP}. Default depends on the tool.`),
  end: text(64)
    .optional()
    .describe(`Exclusive end, same formats as start. Default: just after the latest event.`),
};

/** Event filters shared by lookup_events, list_anomalies and get_timeline. */
export const filterArgs = {
  principal: text()
    .optional()
    .describe('Principal key (ARN-like, as list_principals returns it) or display name (e.g. "alice")'),
  action: text(200).optional().describe('IAM-style action "service:EventName", e.g. "s3:GetObject"'),
  eventName: text(200).optional().describe('CloudTrail eventName, e.g. "ConsoleLogin"'),
  eventSource: text(200).optional().describe('CloudTrail eventSource, e.g. "iam.amazonaws.com"'),
  readOnly: z.boolean().optional().describe("true: only read-only calls; false: only mutating calls"),
  errorCode: text(200)
    .optional()
    .describe('Only calls that failed with this errorCode (e.g. "AccessDenied"); "*" for any error'),
  sourceIp: text(100).optional().describe("Exact sourceIPAddress (an IP, or an AWS service host name)"),
  resource: text(400).optional().describe("Text contained in a resource ARN or name of the event"),
  resourceType: text(200).optional().describe('Type of a resource of the event, e.g. "AWS::S3::Bucket"'),
  region: text(40).optional().describe('AWS region, e.g. "eu-west-1"'),
  accessKeyId: text(128).optional().describe("Access key ID used for the call"),
};

export type FilterArgs = { [K in keyof typeof filterArgs]?: z.infer<(typeof filterArgs)[K]> };

export async function rangeOf(
  data: TrailData,
  args: { start?: string; end?: string },
  defaultSpanMs: number,
): Promise<TimeRange> {
  return parseRange(args.start, args.end, await data.dataEnd(), defaultSpanMs);
}

/** Turns filter arguments into a store filter (principal names resolved to keys; unknown ones are errors). */
export async function filterOf(
  data: TrailData,
  args: FilterArgs,
  range?: TimeRange,
): Promise<EventQueryFilter> {
  return {
    ...(range ? { from: range.from, to: range.to } : {}),
    ...(args.principal ? { principals: (await data.principals()).resolve(args.principal) } : {}),
    action: args.action,
    eventName: args.eventName,
    eventSource: args.eventSource,
    readOnly: args.readOnly,
    errorCode: args.errorCode,
    sourceIp: args.sourceIp,
    resource: args.resource,
    resourceType: args.resourceType,
    region: args.region,
    accessKeyId: args.accessKeyId,
  };
}

/** Minimum persisted anomaly score, shared by lookup_events and get_timeline (list_anomalies has its own default). */
export const minScoreArg = z
  .number()
  .min(0)
  .max(1)
  .optional()
  .describe(
    "Only events whose anomaly score is at least this (0 ordinary … 1 extremely unusual; 0.5 is as unusual as the top 1% of typical activity). Omit for all events",
  );

export const cursorArg = text(2000)
  .optional()
  .describe("nextCursor from the previous result, with otherwise identical arguments, for the next page");

export const DAY_MS = 86_400_000;
