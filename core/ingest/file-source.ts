import type { Skip, TrailEvent } from "../event/types.ts";
import { type DiscoveredFile, discoverFiles } from "./discover-files.ts";
import { readEventFile } from "./read-file.ts";
import type { CompletedInput, EventSource, ReadOptions, SourceBatch } from "./source.ts";

/** Events per batch handed to the store: large enough to amortise appends, small enough to bound memory. */
const BATCH_EVENTS = 20_000;
/** Files read ahead while the current one is decoded, so disk and CPU overlap. */
const READ_AHEAD = 4;

export function fingerprintOf(file: Pick<DiscoveredFile, "size" | "mtimeMs">): string {
  return `${file.size}:${Math.trunc(file.mtimeMs)}`;
}

/** Local files and folders: S3 trail trees, exports, lookup-events output (see discoverFiles). */
export class FileSource implements EventSource {
  readonly name: string;

  constructor(private readonly paths: string[]) {
    this.name = `files:${paths.join(",")}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceBatch> {
    const discovery = await discoverFiles(this.paths);
    const skips: Skip[] = discovery.missing.map((missing) => ({
      where: missing.path,
      reason: "unreadable-file" as const,
      detail: missing.detail,
    }));
    const total = discovery.files.length;
    let done = 0;
    let unchanged = 0;
    let events: TrailEvent[] = [];
    let completed: CompletedInput[] = [];
    let inputs = 0;
    const flush = (): SourceBatch => {
      const batch = { events, skips: skips.splice(0), inputs, completed, unchanged };
      events = [];
      completed = [];
      inputs = 0;
      unchanged = 0;
      return batch;
    };

    const toRead = discovery.files.filter((file) => {
      if (options.isKnownInput?.(file.path, fingerprintOf(file))) {
        unchanged++;
        return false;
      }
      if (file.digest) {
        skips.push({ where: file.path, reason: "digest-file", detail: "CloudTrail digest file (no events)" });
        completed.push({ id: file.path, fingerprint: fingerprintOf(file) });
        return false;
      }
      return true;
    });
    done = total - toRead.length;
    options.onProgress?.({ done, total, unit: "files" });

    const pending = toRead.slice(0, READ_AHEAD).map((file) => readEventFile(file.path));
    for (let i = 0; i < toRead.length; i++) {
      if (options.signal?.aborted) break;
      const file = toRead[i] as DiscoveredFile;
      const decoded = await (pending[i] as ReturnType<typeof readEventFile>);
      const next = toRead[i + READ_AHEAD];
      if (next) pending.push(readEventFile(next.path));
      pending[i] = undefined as never; // release the decoded text for GC
      for (const event of decoded.events) events.push(event);
      for (const skip of decoded.skips) skips.push(skip);
      inputs++;
      completed.push({ id: file.path, fingerprint: fingerprintOf(file) });
      done++;
      options.onProgress?.({ done, total, unit: "files" });
      if (events.length >= BATCH_EVENTS) yield flush();
    }
    yield flush();
  }
}
