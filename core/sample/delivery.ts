import { isoSecond, MINUTE, SECOND } from "./clock.ts";
import type { PendingRecord } from "./emitter.ts";
import type { Rng } from "./prng.ts";

/**
 * Groups records into log files the way CloudTrail delivers them: per account and region, a file about every
 * five minutes holding what arrived in that window (so event times in one file span ~5–15 minutes), records
 * not quite in time order, occasionally two files for one window, and a few records delivered twice.
 */

const SLOT = 5 * MINUTE;
const MAX_RECORDS_PER_FILE = 1500;

export interface TrailLocation {
  accountId: string;
  /** `AWSLogs/<account>` or, for an organization trail, `AWSLogs/<orgId>/<account>`. */
  prefix: string;
}

export interface LogFile {
  /** Path relative to the output folder. */
  path: string;
  body: Buffer;
  accountId: string;
  region: string;
  /** The delivery time encoded in the file name. */
  deliveredAt: number;
  records: number;
  oldest: number;
  newest: number;
}

/** Four independent uniform numbers in [0, 1) from a record's random bits: no extra random stream needed. */
function unit(record: PendingRecord, which: 0 | 1 | 2 | 3): number {
  const word = record.bits[which >> 1] ?? 0;
  return ((which & 1 ? word >>> 16 : word & 0xffff) + 0.5) / 65536;
}

function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** `{"Records":[…]}` written straight into one buffer: no intermediate multi-megabyte string. */
function recordsFile(bucket: Queued[]): Buffer {
  // 14 bytes of framing, one comma per record (one more than needed).
  let size = 14;
  for (const q of bucket) size += q.record.data.length + 1;
  const buffer = Buffer.allocUnsafe(size);
  let at = buffer.write('{"Records":[', 0, "latin1");
  for (const [i, q] of bucket.entries()) {
    if (i > 0) at += buffer.write(",", at, "latin1");
    at += q.record.data.copy(buffer, at);
  }
  at += buffer.write("]}", at, "latin1");
  return buffer.subarray(0, at);
}

interface Queued {
  record: PendingRecord;
  /** Sort key: event time plus a few seconds of per-record noise, so files are only roughly ordered. */
  order: number;
}

export class Delivery {
  private readonly slots = new Map<string, Queued[]>();
  readonly duplicates: string[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly locations: Map<string, TrailLocation>,
    private readonly duplicateRate: number,
  ) {}

  add(records: PendingRecord[]): void {
    for (const record of records) {
      // Delivery delay: typically a few minutes, rarely up to ~12 (CloudTrail's documented average is ~5).
      const delay = 30 * SECOND + Math.min(11 * MINUTE, -Math.log(1 - unit(record, 0)) * 2.5 * MINUTE);
      const queued = { record, order: record.time + unit(record, 1) * 4 * SECOND };
      this.queue(record, Math.floor((record.time + delay) / SLOT) * SLOT, queued);
      if (unit(record, 2) < this.duplicateRate) {
        // Redelivered in a later file of the same region, byte for byte.
        const later = Math.floor((record.time + delay) / SLOT + 1 + unit(record, 3) * 3) * SLOT;
        this.queue(record, later, queued);
        this.duplicates.push(record.eventId);
      }
    }
  }

  private queue(record: PendingRecord, slot: number, queued: Queued): void {
    const key = `${record.accountId}|${record.region}|${String(slot).padStart(15, "0")}`;
    const list = this.slots.get(key);
    if (list) list.push(queued);
    else this.slots.set(key, [queued]);
  }

  /** Builds the files of every delivery window that starts before `watermark` (no later record can join it). */
  flush(watermark: number): LogFile[] {
    const ready = [...this.slots.keys()].filter((key) => Number(key.split("|")[2]) < watermark).sort();
    const files: LogFile[] = [];
    for (const key of ready) {
      const [accountId = "", region = "", slotText = "0"] = key.split("|");
      const queued = this.slots.get(key) ?? [];
      this.slots.delete(key);
      const slot = Number(slotText);
      const rng = this.rng.fork(key);
      const parts =
        Math.ceil(queued.length / MAX_RECORDS_PER_FILE) + (queued.length >= 10 && rng.chance(0.1) ? 1 : 0);
      const buckets: Queued[][] = Array.from({ length: parts }, () => []);
      for (const q of queued) buckets[Math.floor(unit(q.record, 3) * parts)]?.push(q);
      for (const bucket of buckets) {
        if (bucket.length === 0) continue;
        bucket.sort((a, b) => a.order - b.order || (a.record.eventId < b.record.eventId ? -1 : 1));
        files.push(this.file(rng, accountId, region, slot + SLOT, bucket));
      }
    }
    return files;
  }

  private file(rng: Rng, accountId: string, region: string, deliveredAt: number, bucket: Queued[]): LogFile {
    const location = this.locations.get(accountId);
    if (!location) throw new Error(`no trail location for account ${accountId}`);
    const day = isoSecond(deliveredAt).slice(0, 10).replaceAll("-", "/");
    const name = `${accountId}_CloudTrail_${region}_${stamp(deliveredAt)}_${rng.alnum(16)}.json.gz`;
    let oldest = Number.POSITIVE_INFINITY;
    let newest = 0;
    for (const q of bucket) {
      oldest = Math.min(oldest, q.record.time);
      newest = Math.max(newest, q.record.time);
    }
    return {
      path: `${location.prefix}/CloudTrail/${region}/${day}/${name}`,
      body: recordsFile(bucket),
      accountId,
      region,
      deliveredAt,
      records: bucket.length,
      oldest,
      newest,
    };
  }
}
