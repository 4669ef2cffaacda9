import { z } from "zod";

/** Output schemas shared by several tools (structuredContent is validated against them by the SDK). */
export const eventSummarySchema = z.object({
  eventId: z.string(),
  time: z.string(),
  principal: z.string(),
  principalName: z.string(),
  action: z.string(),
  eventSource: z.string(),
  region: z.string(),
  sourceIp: z.string(),
  userAgent: z.string(),
  readOnly: z.boolean().nullable(),
  errorCode: z.string().nullable(),
  resources: z.array(z.string()),
  score: z.number().nullable().describe("anomaly score 0..1 from history strictly before the event"),
});

export const reasonSchema = z.object({
  kind: z.string(),
  detail: z.string(),
  bits: z.number(),
});

export const countSchema = z.object({ value: z.string(), events: z.number() });

export const bucketSchema = z
  .tuple([z.number(), z.number(), z.number(), z.number().nullable()])
  .describe("[bucket index, events, errors, max anomaly score]");
