import { normalizeRecord } from "../event/normalize.ts";
import type { Skip, SkipReason, TrailEvent } from "../event/types.ts";
import { findRecordsArray, salvageArrayElements } from "./salvage.ts";

export interface DecodedContent {
  events: TrailEvent[];
  skips: Skip[];
  /** What the text turned out to be, for reporting. */
  format: "trail-file" | "json-array" | "json-lines" | "lookup-events" | "single-event" | "digest" | "other";
}

interface Item {
  value: unknown;
  rawText?: string;
  where: string;
}

function looksLikeRecord(value: Record<string, unknown>): boolean {
  return "eventID" in value || ("eventName" in value && "eventSource" in value);
}

function isDigest(value: Record<string, unknown>): boolean {
  return "digestStartTime" in value || "digestS3Object" in value || "logFiles" in value;
}

/** `aws cloudtrail lookup-events` wraps each record as a JSON string in `CloudTrailEvent`. */
function unwrapLookupEvent(item: Item): Item | Skip {
  const value = item.value as Record<string, unknown>;
  const text = value.CloudTrailEvent;
  if (typeof text !== "string") return item;
  try {
    return { value: JSON.parse(text), rawText: text, where: item.where };
  } catch (error) {
    return {
      where: item.where,
      reason: "invalid-json",
      detail: `CloudTrailEvent: ${(error as Error).message}`,
    };
  }
}

function toEvents(items: Item[], skips: Skip[]): TrailEvent[] {
  const events: TrailEvent[] = [];
  for (const candidate of items) {
    const item =
      candidate.value && typeof candidate.value === "object" ? unwrapLookupEvent(candidate) : candidate;
    if ("reason" in item) {
      skips.push(item);
      continue;
    }
    const result = normalizeRecord(item.value, item.rawText);
    if (result.ok) events.push(result.event);
    else skips.push({ where: item.where, reason: result.reason, detail: result.detail });
  }
  return events;
}

function fromParsed(value: unknown, where: string, skips: Skip[]): DecodedContent {
  const skip = (reason: SkipReason, detail: string, format: DecodedContent["format"] = "other") => {
    skips.push({ where, reason, detail });
    return { events: [], skips, format };
  };
  const items = (list: unknown[]) => list.map((entry, i) => ({ value: entry, where: `${where}#${i}` }));
  if (Array.isArray(value)) return { events: toEvents(items(value), skips), skips, format: "json-array" };
  if (!value || typeof value !== "object") return skip("not-cloudtrail", "JSON is not an object or array");
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.Records)) {
    return { events: toEvents(items(object.Records), skips), skips, format: "trail-file" };
  }
  if (Array.isArray(object.Events)) {
    return { events: toEvents(items(object.Events), skips), skips, format: "lookup-events" };
  }
  if (isDigest(object))
    return skip("digest-file", "CloudTrail digest file (integrity metadata, no events)", "digest");
  if (looksLikeRecord(object) || typeof object.CloudTrailEvent === "string") {
    return { events: toEvents([{ value, where }], skips), skips, format: "single-event" };
  }
  const keys = Object.keys(object).slice(0, 5).join(", ");
  return skip("not-cloudtrail", `JSON object without Records, Events or eventID (keys: ${keys || "none"})`);
}

function fromJsonLines(lines: string[], where: string, skips: Skip[]): DecodedContent {
  const items: Item[] = [];
  lines.forEach((line, index) => {
    const text = line.trim();
    if (!text) return;
    const lineWhere = `${where}:${index + 1}`;
    try {
      items.push({ value: JSON.parse(text), rawText: text, where: lineWhere });
    } catch (error) {
      skips.push({ where: lineWhere, reason: "invalid-json", detail: (error as Error).message });
    }
  });
  return { events: toEvents(items, skips), skips, format: "json-lines" };
}

/** Keeps every complete record of a damaged Records array and reports the damage once, for the file. */
function fromDamaged(text: string, where: string, parseError: string, truncated: boolean, skips: Skip[]) {
  const start = findRecordsArray(text);
  if (start < 0) {
    skips.push({
      where,
      reason: truncated ? "truncated-gzip" : "invalid-json",
      detail: truncated ? "gzip stream is cut off before any record" : parseError,
    });
    return { events: [], skips, format: "other" as const };
  }
  const { elements, complete } = salvageArrayElements(text, start);
  const items: Item[] = [];
  elements.forEach((element, i) => {
    try {
      items.push({ value: JSON.parse(element), where: `${where}#${i}` });
    } catch (error) {
      skips.push({ where: `${where}#${i}`, reason: "invalid-json", detail: (error as Error).message });
    }
  });
  const reason: SkipReason = truncated ? "truncated-gzip" : "invalid-json";
  const tail = complete ? "" : "; the text after the last complete record is cut off";
  skips.push({
    where,
    reason,
    detail: `${parseError}; found ${elements.length} complete records, each kept unless listed as skipped${tail}`,
  });
  return { events: toEvents(items, skips), skips, format: "trail-file" as const };
}

/**
 * Decodes the text of one input into events, whatever CloudTrail export shape it has: an S3 trail file,
 * a JSON array, JSON Lines, lookup-events output or a single record. Never throws on bad data.
 */
export function decodeContent(
  text: string,
  where: string,
  options: { truncated?: boolean } = {},
): DecodedContent {
  const skips: Skip[] = [];
  if (!text.trim()) {
    skips.push({
      where,
      reason: options.truncated ? "truncated-gzip" : "not-cloudtrail",
      detail: "empty file",
    });
    return { events: [], skips, format: "other" };
  }
  if (!options.truncated) {
    try {
      return fromParsed(JSON.parse(text), where, skips);
    } catch (error) {
      const message = (error as Error).message;
      const lines = text.split(/\r?\n/).filter((line) => line.trim());
      if (lines.length > 1 && lines[0]?.trim().startsWith("{") && parsesAsObject(lines[0])) {
        return fromJsonLines(text.split(/\r?\n/), where, skips);
      }
      return fromDamaged(text, where, message, false, skips);
    }
  }
  return fromDamaged(text, where, "gzip stream is truncated", true, skips);
}

function parsesAsObject(line: string): boolean {
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
