import {
  CloudTrailClient,
  type LookupAttribute,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from "@aws-sdk/client-cloudtrail";
import { normalizeRecord } from "../event/normalize.ts";
import type { Skip, TrailEvent } from "../event/types.ts";
import { backoffDelay, type Clock, RateLimiter, systemClock } from "./rate-limit.ts";
import type { EventSource, ReadOptions, SourceBatch } from "./source.ts";

export interface LookupEventsOptions {
  regions: string[];
  /** Inclusive window start and exclusive end (LookupEvents keeps 90 days). */
  start: Date;
  end: Date;
  /** Used in the source name so checkpoints of different accounts never mix. */
  account?: string;
  lookupAttributes?: LookupAttribute[];
  requestsPerSecond?: number;
  maxRetries?: number;
  clientFor?: (region: string) => CloudTrailClient;
  clock?: Clock;
  random?: () => number;
}

interface RegionState {
  nextToken?: string;
  done: boolean;
}

interface Checkpoint {
  v: 1;
  start: string;
  end: string;
  regions: Record<string, RegionState>;
}

export class LookupEventsError extends Error {}

function isThrottle(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === "ThrottlingException" ||
    e?.name === "TooManyRequestsException" ||
    e?.$metadata?.httpStatusCode === 429
  );
}

/**
 * The CloudTrail LookupEvents API (last 90 days of management events) over a time window and several regions.
 * Regions are read concurrently, each held to 2 requests/s; throttling is retried with jittered backoff;
 * every page ends in a checkpoint so an interrupted pull resumes where it stopped.
 */
export class LookupEventsSource implements EventSource {
  readonly name: string;
  private readonly options: Required<Omit<LookupEventsOptions, "account" | "lookupAttributes">> &
    Pick<LookupEventsOptions, "lookupAttributes">;

  constructor(options: LookupEventsOptions) {
    if (options.regions.length === 0) throw new LookupEventsError("at least one region is required");
    if (!(options.start < options.end)) {
      throw new LookupEventsError(
        `start (${options.start.toISOString()}) must be before end (${options.end.toISOString()})`,
      );
    }
    this.name = `lookup-events:${options.account ?? "default"}`;
    this.options = {
      requestsPerSecond: 2,
      maxRetries: 8,
      clientFor: (region) => new CloudTrailClient({ region, maxAttempts: 1 }),
      clock: systemClock,
      random: Math.random,
      ...options,
    };
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceBatch> {
    const { regions } = this.options;
    const state = this.resumeState(options.resumeFrom);
    const pending = regions.filter((region) => !state.regions[region]?.done);
    type Page = { region: string; output?: LookupEventsCommandOutput; error?: unknown };
    const pages = new Map<string, Promise<Page>>();
    // Failures become values so a failing region never leaves another's rejection unhandled.
    const fetchNext = (region: string) =>
      pages.set(
        region,
        this.fetchPage(region, state.regions[region]?.nextToken, options.signal).then(
          (output) => ({ region, output }),
          (error: unknown) => ({ region, error }),
        ),
      );
    for (const region of pending) fetchNext(region);
    let done = 0;
    while (pages.size > 0) {
      const { region, output, error } = await Promise.race(pages.values());
      pages.delete(region);
      if (error || !output) throw error;
      const nextToken = output.NextToken;
      state.regions[region] = { nextToken, done: !nextToken };
      if (nextToken && !options.signal?.aborted) fetchNext(region);
      done++;
      options.onProgress?.({ done, total: null, unit: "pages" });
      yield { ...this.decodePage(region, output), inputs: 1, checkpoint: JSON.stringify(state) };
    }
  }

  private resumeState(resumeFrom: string | undefined): Checkpoint {
    const fresh: Checkpoint = {
      v: 1,
      start: this.options.start.toISOString(),
      end: this.options.end.toISOString(),
      regions: {},
    };
    if (!resumeFrom) return fresh;
    try {
      const saved = JSON.parse(resumeFrom) as Checkpoint;
      // A checkpoint is only valid for the same window; NextTokens are tied to the request parameters.
      if (saved.v === 1 && saved.start === fresh.start && saved.end === fresh.end) return saved;
    } catch {
      // An unreadable checkpoint means starting over, which dedupe makes safe.
    }
    return fresh;
  }

  private async fetchPage(region: string, nextToken: string | undefined, signal?: AbortSignal) {
    const limiter = this.limiterFor(region);
    const client = this.clientFor(region);
    for (let attempt = 0; ; attempt++) {
      await limiter.take();
      try {
        return await client.send(
          new LookupEventsCommand({
            StartTime: this.options.start,
            EndTime: this.options.end,
            MaxResults: 50,
            NextToken: nextToken,
            LookupAttributes: this.options.lookupAttributes,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        if (!isThrottle(error) || attempt >= this.options.maxRetries) {
          const why = isThrottle(error)
            ? `still throttled after ${attempt + 1} attempts`
            : (error as Error).message;
          throw new LookupEventsError(`LookupEvents in ${region} failed: ${why}`, { cause: error });
        }
        await this.options.clock.sleep(backoffDelay(attempt, this.options.random));
      }
    }
  }

  private readonly limiters = new Map<string, RateLimiter>();
  private limiterFor(region: string): RateLimiter {
    let limiter = this.limiters.get(region);
    if (!limiter) {
      limiter = new RateLimiter(this.options.requestsPerSecond, this.options.clock);
      this.limiters.set(region, limiter);
    }
    return limiter;
  }

  private readonly clients = new Map<string, CloudTrailClient>();
  private clientFor(region: string): CloudTrailClient {
    let client = this.clients.get(region);
    if (!client) {
      client = this.options.clientFor(region);
      this.clients.set(region, client);
    }
    return client;
  }

  private decodePage(
    region: string,
    output: LookupEventsCommandOutput,
  ): { events: TrailEvent[]; skips: Skip[] } {
    const events: TrailEvent[] = [];
    const skips: Skip[] = [];
    for (const item of output.Events ?? []) {
      const where = `lookup-events:${region}#${item.EventId ?? "?"}`;
      const text = item.CloudTrailEvent;
      if (!text) {
        skips.push({ where, reason: "missing-field", detail: "LookupEvents result without CloudTrailEvent" });
        continue;
      }
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        skips.push({ where, reason: "invalid-json", detail: `CloudTrailEvent: ${(error as Error).message}` });
        continue;
      }
      const result = normalizeRecord(record, text);
      if (result.ok) {
        result.event.origin = `lookup-events:${region}`;
        events.push(result.event);
      } else skips.push({ where, reason: result.reason, detail: result.detail });
    }
    return { events, skips };
  }
}
