import type { Skip, TrailEvent } from "../event/types.ts";
import { FileSource } from "./file-source.ts";

/**
 * Reads every event under the given files and folders into memory, in time order (stable), deduplicated by
 * eventID (duplicates are reported as skips). For evaluation and tests; large data goes through the store.
 */
export async function readEvents(paths: string[]): Promise<{ events: TrailEvent[]; skips: Skip[] }> {
  const events: TrailEvent[] = [];
  const skips: Skip[] = [];
  const seen = new Set<string>();
  for await (const batch of new FileSource(paths).read()) {
    for (const skip of batch.skips) skips.push(skip);
    for (const event of batch.events) {
      if (seen.has(event.eventId)) {
        skips.push({ where: event.eventId, reason: "duplicate", detail: "eventID already read" });
        continue;
      }
      seen.add(event.eventId);
      events.push(event);
    }
  }
  // CloudTrail times have one-second resolution: a stable sort keeps same-second events in delivery order,
  // which is the best evidence of their real order (an eventID tie-break would scramble sequences).
  events.sort((a, b) => a.time - b.time);
  return { events, skips };
}
