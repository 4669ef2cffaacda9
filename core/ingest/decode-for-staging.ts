import type { Skip } from "../event/types.ts";
import { stagingLine } from "../store/staging-line.ts";
import { readEventFile } from "./read-file.ts";

export interface StagedFile {
  /** Staging lines (see core/store/staging-line.ts), one per event, and the events' IDs in the same order. */
  lines: string[];
  ids: string[];
  skips: Skip[];
}

/** Reads one file and serializes its events for the store's bulk load. */
export async function decodeForStaging(path: string): Promise<StagedFile> {
  const decoded = await readEventFile(path);
  return {
    lines: decoded.events.map(stagingLine),
    ids: decoded.events.map((event) => event.eventId),
    skips: decoded.skips,
  };
}
