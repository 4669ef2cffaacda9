import { HOUR, isoSecond, MINUTE } from "./clock.ts";
import type { LogFile, TrailLocation } from "./delivery.ts";
import type { Rng } from "./prng.ts";

/**
 * Hourly CloudTrail digest files (log file integrity validation) for one region of one trail, chained by
 * `previousDigest…`. Hashes and signatures are random placeholders: the sample has no signing key, so
 * `aws cloudtrail validate-logs` cannot verify it; ingest only needs to recognise and skip these files.
 */

export interface DigestFile {
  path: string;
  body: string;
}

export class DigestChain {
  private readonly hours = new Map<number, LogFile[]>();
  private previous: { object: string; hash: string; signature: string } | null = null;
  private nextHour: number;
  private readonly fingerprint: string;

  constructor(
    private readonly rng: Rng,
    private readonly location: TrailLocation,
    private readonly region: string,
    private readonly trailName: string,
    private readonly bucket: string,
    start: number,
    private readonly end: number,
  ) {
    this.nextHour = Math.floor(start / HOUR) * HOUR;
    this.fingerprint = rng.fork("fingerprint").hex(32);
  }

  /** Notes log files as they are written; only this chain's account and region are kept. */
  track(files: LogFile[]): void {
    for (const file of files) {
      if (file.accountId !== this.location.accountId || file.region !== this.region) continue;
      const hour = Math.floor((file.deliveredAt - 1) / HOUR) * HOUR;
      const list = this.hours.get(hour);
      if (list) list.push(file);
      else this.hours.set(hour, [file]);
    }
  }

  /** Digests for every hour that ended before `watermark` (and within the period). */
  flush(watermark: number): DigestFile[] {
    const out: DigestFile[] = [];
    while (this.nextHour + HOUR <= watermark && this.nextHour < this.end) {
      out.push(this.digest(this.nextHour));
      this.hours.delete(this.nextHour);
      this.nextHour += HOUR;
    }
    return out;
  }

  private digest(hour: number): DigestFile {
    const rng = this.rng.fork(hour);
    const files = this.hours.get(hour) ?? [];
    const delivered = hour + HOUR + rng.range(10, 40) * MINUTE;
    const iso = isoSecond(delivered);
    const stamp = iso.replaceAll("-", "").replaceAll(":", "");
    const day = iso.slice(0, 10).replaceAll("-", "/");
    const { accountId, prefix } = this.location;
    const object = `${prefix}/CloudTrail-Digest/${this.region}/${day}/${accountId}_CloudTrail-Digest_${this.region}_${this.trailName}_${this.region}_${stamp}.json.gz`;
    const times = files.flatMap((f) => [f.oldest, f.newest]);
    const body: Record<string, unknown> = {
      awsAccountId: accountId,
      digestStartTime: isoSecond(hour),
      digestEndTime: isoSecond(hour + HOUR),
      digestS3Bucket: this.bucket,
      digestS3Object: object,
      digestPublicKeyFingerprint: this.fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: times.length ? isoSecond(Math.max(...times)) : null,
      oldestEventTime: times.length ? isoSecond(Math.min(...times)) : null,
      previousDigestS3Bucket: this.previous ? this.bucket : null,
      previousDigestS3Object: this.previous?.object ?? null,
      previousDigestHashValue: this.previous?.hash ?? null,
      previousDigestHashAlgorithm: this.previous ? "SHA-256" : null,
      previousDigestSignature: this.previous?.signature ?? null,
      logFiles: files.map((f) => ({
        s3Bucket: this.bucket,
        s3Object: f.path,
        hashValue: rng.hex(64),
        hashAlgorithm: "SHA-256",
        newestEventTime: isoSecond(f.newest),
        oldestEventTime: isoSecond(f.oldest),
      })),
    };
    this.previous = { object, hash: rng.hex(64), signature: rng.hex(512) };
    return { path: object, body: JSON.stringify(body) };
  }
}
