import type { Skip, TrailEvent } from "../event/types.ts";
import { DecodePool } from "./decode-pool.ts";
import { type DiscoveredFile, discoverFiles } from "./discover-files.ts";
import { readEventFile } from "./read-file.ts";
import type { CompletedInput, EventSource, ReadOptions, SourceBatch, StagedPart } from "./source.ts";

/** Events per batch handed to the store: large enough to amortise a load, small enough to bound memory. */
const BATCH_EVENTS = 20_000;
/** Files in flight at once, so disk, workers and the store overlap. */
const IN_FLIGHT = 64;

export function fingerprintOf(file: Pick<DiscoveredFile, "size" | "mtimeMs">): string {
  return `${file.size}:${Math.trunc(file.mtimeMs)}`;
}

export interface FileSourceOptions {
  /** Decode worker threads when staging lines are asked for; 0 decodes on the calling thread. */
  workers?: number;
}

interface Decoded {
  path: string;
  events: TrailEvent[];
  staged: StagedPart | null;
  skips: Skip[];
}

/** Local files and folders: S3 trail trees, exports, lookup-events output (see discoverFiles). */
export class FileSource implements EventSource {
  readonly name: string;

  constructor(
    private readonly paths: string[],
    private readonly sourceOptions: FileSourceOptions = {},
  ) {
    this.name = `files:${paths.join(",")}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceBatch> {
    const discovery = await discoverFiles(this.paths);
    const skips: Skip[] = discovery.missing.map((missing) => ({
      where: missing.path,
      reason: "unreadable-file" as const,
      detail: missing.detail,
    }));
    let unchanged = 0;
    const completed: CompletedInput[] = [];
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
    const total = discovery.files.length;
    let done = total - toRead.length;
    options.onProgress?.({ done, total, unit: "files" });

    const pool = options.preferStagingLines ? new DecodePool(this.sourceOptions.workers) : null;
    const decode = async (file: DiscoveredFile): Promise<Decoded> => {
      if (pool) {
        const { text, ids, skips } = await pool.decode(file.path);
        return { path: file.path, events: [], staged: { text, ids, origin: file.path }, skips };
      }
      const decoded = await readEventFile(file.path);
      return { path: file.path, events: decoded.events, staged: null, skips: decoded.skips };
    };

    let batch = emptyBatch();
    const flush = (): SourceBatch => {
      const out: SourceBatch = {
        ...batch,
        skips: [...batch.skips, ...skips.splice(0)],
        completed: [...batch.completed, ...completed.splice(0)],
        unchanged,
      };
      unchanged = 0;
      batch = emptyBatch();
      return out;
    };
    try {
      const inFlight = toRead.slice(0, IN_FLIGHT).map(decode);
      for (let i = 0; i < toRead.length; i++) {
        if (options.signal?.aborted) break;
        const file = toRead[i] as DiscoveredFile;
        const decoded = await (inFlight[i] as Promise<Decoded>);
        inFlight[i] = undefined as never; // release the decoded text for GC
        const next = toRead[i + IN_FLIGHT];
        if (next) inFlight.push(decode(next));
        addTo(batch, decoded);
        batch.inputs++;
        batch.completed.push({ id: file.path, fingerprint: fingerprintOf(file) });
        options.onProgress?.({ done: ++done, total, unit: "files" });
        if (batch.events.length + batch.stagedEvents >= BATCH_EVENTS) yield flush();
      }
      yield flush();
    } finally {
      await pool?.close();
    }
  }
}

type MutableBatch = SourceBatch & { inputs: number; completed: CompletedInput[]; stagedEvents: number };

function emptyBatch(): MutableBatch {
  return { events: [], skips: [], inputs: 0, completed: [], stagedEvents: 0 };
}

function addTo(batch: MutableBatch, decoded: Decoded): void {
  for (const event of decoded.events) batch.events.push(event);
  for (const skip of decoded.skips) batch.skips.push(skip);
  if (decoded.staged && decoded.staged.ids.length > 0) {
    batch.staged ??= { parts: [] };
    batch.staged.parts.push(decoded.staged);
    batch.stagedEvents += decoded.staged.ids.length;
  }
}
