import { join } from "node:path";
import { LookupEventsSource } from "../core/ingest/lookup-events-source.ts";
import type { EventSource } from "../core/ingest/source.ts";
import type { SourceStatus } from "../core/query/data-status.ts";
import { LakeService } from "../core/query/lake-query.ts";
import { S3TrailSource } from "../core/query/s3-trail-source.ts";
import { TrailData } from "../core/query/trail-data.ts";
import { ingest } from "../core/store/ingest.ts";
import { TrailStore } from "../core/store/trail-store.ts";
import type { McpDeps } from "../mcp/deps.ts";
import type { LambdaConfig } from "./lambda-config.ts";

/** The sources a deployment configured, as EventSources reading into the /tmp cache. */
export function configuredSources(
  config: LambdaConfig,
  now = new Date(),
): Array<{ source: EventSource; status: SourceStatus }> {
  const sources: Array<{ source: EventSource; status: SourceStatus }> = [];
  if (config.TRAILCAST_TRAIL_BUCKET) {
    const prefix = config.TRAILCAST_TRAIL_PREFIX;
    sources.push({
      source: new S3TrailSource({ bucket: config.TRAILCAST_TRAIL_BUCKET, prefix }),
      status: { kind: "s3-trail", detail: `s3://${config.TRAILCAST_TRAIL_BUCKET}/${prefix}` },
    });
  }
  if (config.TRAILCAST_LOOKUP_EVENTS) {
    // Whole hours keep the window (and so the resume checkpoint) stable across refreshes within an hour.
    const end = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
    const start = new Date(end.getTime() - config.TRAILCAST_LOOKUP_DAYS * 86_400_000);
    sources.push({
      source: new LookupEventsSource({ regions: config.TRAILCAST_LOOKUP_REGIONS, start, end }),
      status: {
        kind: "lookup-events",
        detail: `${config.TRAILCAST_LOOKUP_REGIONS.join(",")}, last ${config.TRAILCAST_LOOKUP_DAYS} days`,
      },
    });
  }
  return sources;
}

/**
 * The Lambda's data: a DuckDB cache in /tmp filled from the configured sources (S3 trail, LookupEvents),
 * refreshed when older than TRAILCAST_REFRESH_MINUTES within a bounded time (ingest commits as it goes, so
 * an interrupted refresh resumes next time), or a prepared store (TRAILCAST_STORE) served as is.
 */
export class LambdaData {
  private deps: McpDeps | null = null;
  private refreshedAt = 0;
  private pending: Promise<McpDeps> | null = null;

  constructor(private readonly config: LambdaConfig) {}

  get storePath(): string {
    return this.config.TRAILCAST_STORE ?? join(this.config.TRAILCAST_CACHE_DIR, "trailcast.duckdb");
  }

  /** Current deps, refreshing the cache first when it is stale (one refresh at a time). */
  current(): Promise<McpDeps> {
    const stale = Date.now() - this.refreshedAt > this.config.TRAILCAST_REFRESH_MINUTES * 60_000;
    if (this.deps && !(stale && this.hasSources())) return Promise.resolve(this.deps);
    this.pending ??= this.refresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private hasSources(): boolean {
    return !this.config.TRAILCAST_STORE && configuredSources(this.config).length > 0;
  }

  private async refresh(): Promise<McpDeps> {
    const sources = this.config.TRAILCAST_STORE ? [] : configuredSources(this.config);
    this.deps?.data.close();
    this.deps = null;
    const statuses: SourceStatus[] = sources.map((s) => s.status);
    if (sources.length > 0) {
      const store = await TrailStore.open(this.storePath);
      const signal = AbortSignal.timeout(this.config.TRAILCAST_REFRESH_SECONDS * 1000);
      try {
        for (const { source, status } of sources) {
          if (signal.aborted) break;
          try {
            await ingest(store, source, { signal, chunkSeconds: 5 });
          } catch (error) {
            // Serve what the cache has; the next refresh resumes from the committed checkpoint.
            statuses.push({ kind: status.kind, detail: `refresh incomplete: ${(error as Error).message}` });
          }
        }
      } finally {
        store.close();
      }
    } else if (!this.config.TRAILCAST_STORE) {
      statuses.push({
        kind: "store",
        detail: "no source configured: set TRAILCAST_TRAIL_BUCKET or TRAILCAST_LOOKUP_EVENTS",
      });
      (await TrailStore.open(this.storePath)).close();
    }
    const lakeArn = this.config.TRAILCAST_LAKE_EVENT_DATA_STORE;
    if (lakeArn) statuses.push({ kind: "cloudtrail-lake", detail: lakeArn });
    const data = await TrailData.open({ storePath: this.storePath, sources: statuses });
    this.deps = { data, lake: lakeArn ? new LakeService({ eventDataStore: lakeArn }) : null };
    this.refreshedAt = Date.now();
    return this.deps;
  }
}
