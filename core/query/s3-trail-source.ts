import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Skip, TrailEvent } from "../event/types.ts";
import { decodeContent } from "../ingest/content.ts";
import type { CompletedInput, EventSource, ReadOptions, SourceBatch } from "../ingest/source.ts";

export interface S3TrailOptions {
  bucket: string;
  /** Key prefix of the trail (the part before AWSLogs/), may be empty. */
  prefix: string;
  client?: S3Client;
  /** Objects fetched at once. */
  concurrency?: number;
  /** Only objects modified at or after this time (bounds the first read of a large bucket). */
  since?: Date;
}

/** Objects per batch handed to the store. */
const OBJECTS_PER_BATCH = 64;

function isLogObject(key: string): boolean {
  return /\/CloudTrail\/.+\.json(\.gz)?$/.test(key) && !key.includes("/CloudTrail-Digest/");
}

/**
 * A trail's S3 bucket (the CloudTrail S3 layout under `<prefix>/AWSLogs/…`): lists objects with
 * ListObjectsV2 and reads each log file with GetObject. The ETag is the fingerprint, so objects already
 * ingested unchanged are passed over without being downloaded again.
 */
export class S3TrailSource implements EventSource {
  readonly name: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3TrailOptions) {
    this.name = `s3://${options.bucket}/${options.prefix}`;
    this.client = options.client ?? new S3Client({});
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceBatch> {
    const pending: Array<{ key: string; etag: string }> = [];
    let unchanged = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.options.prefix,
          ContinuationToken: token,
        }),
        { abortSignal: options.signal },
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? "";
        if (!isLogObject(key)) continue;
        if (this.options.since && object.LastModified && object.LastModified < this.options.since) continue;
        const etag = object.ETag ?? `${object.Size ?? 0}`;
        if (options.isKnownInput?.(this.idOf(key), etag)) unchanged++;
        else pending.push({ key, etag });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && !options.signal?.aborted);
    const total = pending.length;
    let done = 0;
    options.onProgress?.({ done, total, unit: "files" });
    for (let i = 0; i < pending.length && !options.signal?.aborted; i += OBJECTS_PER_BATCH) {
      const slice = pending.slice(i, i + OBJECTS_PER_BATCH);
      const decoded = await this.mapLimited(slice, (object) => this.readObject(object.key, options.signal));
      const events: TrailEvent[] = [];
      const skips: Skip[] = [];
      const completed: CompletedInput[] = [];
      slice.forEach((object, j) => {
        const result = decoded[j] as { events: TrailEvent[]; skips: Skip[]; read: boolean };
        events.push(...result.events);
        skips.push(...result.skips);
        // An object that could not be fetched is not marked done, so the next refresh tries it again.
        if (result.read) completed.push({ id: this.idOf(object.key), fingerprint: object.etag });
      });
      done += slice.length;
      options.onProgress?.({ done, total, unit: "files" });
      yield { events, skips, inputs: slice.length, completed, unchanged: i === 0 ? unchanged : 0 };
    }
    if (pending.length === 0) yield { events: [], skips: [], inputs: 0, completed: [], unchanged };
  }

  private idOf(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }

  private async readObject(
    key: string,
    signal?: AbortSignal,
  ): Promise<{ events: TrailEvent[]; skips: Skip[]; read: boolean }> {
    const where = this.idOf(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), {
        abortSignal: signal,
      });
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
      const text = (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
      const decoded = decodeContent(text, where);
      for (const event of decoded.events) event.origin = where;
      return { events: decoded.events, skips: decoded.skips, read: true };
    } catch (error) {
      if (signal?.aborted) throw error;
      return {
        events: [],
        skips: [{ where, reason: "unreadable-file", detail: (error as Error).message }],
        read: false,
      };
    }
  }

  private async mapLimited<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index] as T);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, items.length) }, worker));
    return results;
  }
}
