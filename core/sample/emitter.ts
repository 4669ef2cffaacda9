import { principalOf } from "../event/principal.ts";
import type { UserIdentity } from "../event/record-schema.ts";
import type { Rng } from "./prng.ts";
import { type Call, type Caller, serializeRecord } from "./record.ts";

/** A serialised record waiting for delivery into a log file. */
export interface PendingRecord {
  time: number;
  accountId: string;
  region: string;
  eventId: string;
  /** Random bits of the eventID, for delivery choices (delay, file, duplicate). */
  bits: [number, number];
  /**
   * The record's JSON as UTF-8 bytes. Held off the JS heap until its file is written: at a million events the
   * records waiting for delivery would otherwise dominate garbage collection.
   */
  data: Buffer;
}

/** A window in which an account's trail was not logging (after StopLogging): its events are never delivered. */
export interface LoggingGap {
  accountId: string;
  from: number;
  to: number;
}

/**
 * Where every behaviour generator sends its calls. It serialises records right away (memory stays flat), keeps
 * them until delivery, and counts what the summary reports. Labels never enter the record: they are kept here,
 * beside it, and written to the ground-truth file only.
 */
export class Emitter {
  pending: PendingRecord[] = [];
  events = 0;
  readonly principals = new Set<string>();
  readonly labels = new Map<string, string[]>();
  readonly gaps: LoggingGap[] = [];
  private readonly keyCache = new WeakMap<object, string>();

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Records one call; returns its eventID, or null when the call falls outside the period or a logging gap. */
  emit(rng: Rng, caller: Caller, time: number, region: string, call: Call, label?: string): string | null {
    const t = Math.floor(time / 1000) * 1000;
    if (t < this.start || t >= this.end) return null;
    for (const gap of this.gaps) {
      if (gap.accountId === caller.accountId && t > gap.from && t < gap.to) return null;
    }
    const record = serializeRecord(rng, caller, t, region, call);
    const eventId = record.eventId;
    this.pending.push({
      time: t,
      accountId: caller.accountId,
      region: record.region,
      eventId,
      bits: record.bits,
      data: Buffer.from(record.json, "utf8"),
    });
    this.events++;
    this.principals.add(this.keyOf(record.identity as UserIdentity));
    if (label) {
      const list = this.labels.get(label) ?? [];
      list.push(eventId);
      this.labels.set(label, list);
    }
    return eventId;
  }

  private keyOf(identity: UserIdentity): string {
    let key = this.keyCache.get(identity);
    if (key === undefined) {
      key = principalOf(identity).key;
      this.keyCache.set(identity, key);
    }
    return key;
  }

  /** Removes and returns the records whose time is before `watermark`. */
  take(watermark: number): PendingRecord[] {
    const ready: PendingRecord[] = [];
    const keep: PendingRecord[] = [];
    for (const record of this.pending) (record.time < watermark ? ready : keep).push(record);
    this.pending = keep;
    return ready;
  }
}
