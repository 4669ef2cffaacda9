import type { SourceStatus } from "../core/query/data-status.ts";
import { LakeService } from "../core/query/lake-query.ts";
import { ensureSampleStore } from "../core/query/sample-store.ts";
import { TrailData } from "../core/query/trail-data.ts";
import { DEFAULT_STORE_PATH, isDefaultStorePath } from "../core/store/trail-store.ts";

/** What the tools need: the data (store, scores, model) and, when configured, CloudTrail Lake. */
export interface McpDeps {
  data: TrailData;
  lake: LakeService | null;
}

export interface LocalDepsOptions {
  /** DuckDB store; default `.trailcast/trailcast.duckdb`. */
  storePath?: string;
  /**
   * Generate and ingest the bundled sample when the store does not exist (default: only for the default
   * store path, so a mistyped --store is an error rather than a surprise sample).
   */
  sampleIfMissing?: boolean;
  /** CloudTrail Lake event data store ARN for lake_query (credentials from the environment). */
  lakeEventDataStore?: string;
  onProgress?: (message: string) => void;
}

/**
 * Dependencies for a local server (CLI stdio/HTTP, the web app in-process): the store (sample generated
 * when absent), scores computed if stale, Lake when an event data store is given. Close with `closeDeps`.
 */
export async function createLocalDeps(options: LocalDepsOptions = {}): Promise<McpDeps> {
  const storePath = options.storePath ?? DEFAULT_STORE_PATH;
  const sources: SourceStatus[] = [];
  // The web app's worker passes an absolute path: the default store is recognized however it is spelled.
  if (options.sampleIfMissing ?? isDefaultStorePath(storePath)) {
    const sample = await ensureSampleStore({ storePath, onProgress: options.onProgress });
    if (sample.sampleDir)
      sources.push({ kind: "sample", detail: `bundled sample generated into ${sample.sampleDir}` });
  }
  const lakeArn = options.lakeEventDataStore ?? null;
  if (lakeArn) sources.push({ kind: "cloudtrail-lake", detail: lakeArn });
  const data = await TrailData.open({ storePath, sources, onProgress: options.onProgress });
  return { data, lake: lakeArn ? new LakeService({ eventDataStore: lakeArn }) : null };
}

export function closeDeps(deps: McpDeps): void {
  deps.data.close();
}
