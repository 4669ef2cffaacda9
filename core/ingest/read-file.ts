import { readFile } from "node:fs/promises";
import { constants, gunzipSync } from "node:zlib";
import type { Skip } from "../event/types.ts";
import { type DecodedContent, decodeContent } from "./content.ts";

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips, keeping what was decompressed before a cut-off instead of losing the whole file. */
function gunzipTolerant(bytes: Uint8Array): { text: string; truncated: boolean } {
  try {
    return { text: gunzipSync(bytes).toString("utf8"), truncated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "Z_BUF_ERROR") throw error;
    const partial = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    return { text: partial.toString("utf8"), truncated: true };
  }
}

/** Reads one file (gzipped or not, decided by its magic bytes, not its name) and decodes its events. */
export async function readEventFile(path: string): Promise<DecodedContent & { bytes: number }> {
  const decoded = await decodeFile(path);
  for (const event of decoded.events) event.origin = path;
  return decoded;
}

async function decodeFile(path: string): Promise<DecodedContent & { bytes: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return unreadable(path, `cannot read file: ${(error as Error).message}`, 0);
  }
  if (!isGzip(bytes)) return { ...decodeContent(bytes.toString("utf8"), path), bytes: bytes.length };
  let inflated: { text: string; truncated: boolean };
  try {
    inflated = gunzipTolerant(bytes);
  } catch (error) {
    return unreadable(path, `not a valid gzip stream: ${(error as Error).message}`, bytes.length);
  }
  return { ...decodeContent(inflated.text, path, { truncated: inflated.truncated }), bytes: bytes.length };
}

function unreadable(path: string, detail: string, bytes: number): DecodedContent & { bytes: number } {
  const skip: Skip = { where: path, reason: "unreadable-file", detail };
  return { events: [], skips: [skip], format: "other", bytes };
}
