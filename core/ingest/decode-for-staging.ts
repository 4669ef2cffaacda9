import type { Skip } from "../event/types.ts";
import { stagingLine } from "../store/staging-line.ts";
import { readEventFile } from "./read-file.ts";

export interface StagedFile {
  /** Newline-terminated staging lines (see core/store/staging-line.ts), one per event, in `ids` order. */
  text: string;
  ids: string[];
  skips: Skip[];
}

/** Reads one file and serializes its events for the store's bulk load. */
export async function decodeForStaging(path: string): Promise<StagedFile> {
  const decoded = await readEventFile(path);
  let text = "";
  for (const event of decoded.events) text += `${stagingLine(event)}\n`;
  return { text, ids: decoded.events.map((event) => event.eventId), skips: decoded.skips };
}
