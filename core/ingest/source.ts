import type { Skip, TrailEvent } from "../event/types.ts";

/**
 * Where events come from. Local files, the LookupEvents API, CloudTrail Lake and an S3 trail bucket all
 * implement this, so the store and the CLI never care which one they read.
 */
export interface EventSource {
  /** Human-readable, stable across runs: `files:/data/trail`, `lookup-events:123456789012`. */
  readonly name: string;
  /**
   * Streams events in batches. A batch carries every skip found while producing it, so nothing is dropped
   * silently. `checkpoint`, when present, is an opaque token: passing the last one seen back through
   * `resumeFrom` continues after that batch (used for long API pulls that may be interrupted).
   */
  read(options?: ReadOptions): AsyncIterable<SourceBatch>;
}

export interface ReadOptions {
  resumeFrom?: string;
  signal?: AbortSignal;
  /** Called as units of work complete (files, pages) so the CLI can draw progress. */
  onProgress?: (progress: SourceProgress) => void;
  /**
   * Inputs already ingested unchanged (same id and fingerprint) may be passed over without reading them;
   * dedupe by eventID keeps re-ingest correct anyway, this only makes it fast.
   */
  isKnownInput?: (id: string, fingerprint: string) => boolean;
  /**
   * The caller (the store) would rather have events already serialized as staging lines
   * (core/store/staging-line.ts); sources that can do that off the main thread return `staged` batches.
   */
  preferStagingLines?: boolean;
}

/** One unit of input (a file, an S3 object) that was read completely. */
export interface CompletedInput {
  id: string;
  fingerprint: string;
}

export interface SourceProgress {
  done: number;
  total: number | null;
  unit: "files" | "bytes" | "pages";
}

export interface SourceBatch {
  events: TrailEvent[];
  /** Events serialized as staging lines, when `preferStagingLines` was asked for and the source can. */
  staged?: StagedEvents;
  skips: Skip[];
  /** Inputs looked at while producing this batch (files, pages), for reporting. */
  inputs?: number;
  /** Inputs read completely in this batch, so a later run can pass over them. */
  completed?: CompletedInput[];
  /** Inputs passed over because `isKnownInput` said they were already ingested unchanged. */
  unchanged?: number;
  checkpoint?: string;
}

/**
 * Events serialized for the store's bulk load (core/store/staging-line.ts), in parts (one per file): each
 * part's lines pre-joined so the store writes them as they are, with the IDs dedupe needs.
 */
export interface StagedEvents {
  parts: StagedPart[];
}

export interface StagedPart {
  /** Newline-terminated staging lines, one per event, in `ids` order. */
  text: string;
  ids: string[];
  /** Where the part's events were read from, for duplicate reports. */
  origin: string;
}
