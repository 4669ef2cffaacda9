import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FileSource } from "../ingest/file-source.ts";
import { generateSample } from "../sample/index.ts";
import { ingest } from "../store/ingest.ts";
import { DEFAULT_STORE_PATH, TrailStore } from "../store/trail-store.ts";

export interface SampleStoreOptions {
  /** Store file; default `.trailcast/trailcast.duckdb`. */
  storePath?: string;
  /** Where the generated logs go; default `sample/` beside the store. */
  sampleDir?: string;
  seed?: number;
  days?: number;
  targetEvents?: number;
  onProgress?: (message: string) => void;
}

export interface SampleStoreResult {
  storePath: string;
  /** True when the sample was generated and ingested now, false when the store already existed. */
  created: boolean;
  sampleDir: string | null;
}

/**
 * Makes sure a store exists: when the file is absent, generates the bundled sample organisation (labelled
 * attacks included) into `sample/` beside it and ingests it. `npm start`, the web app and the MCP server all
 * call this so a fresh clone shows data without an AWS account.
 */
export async function ensureSampleStore(options: SampleStoreOptions = {}): Promise<SampleStoreResult> {
  const storePath = resolve(options.storePath ?? DEFAULT_STORE_PATH);
  if (existsSync(storePath)) return { storePath, created: false, sampleDir: null };
  const sampleDir = resolve(options.sampleDir ?? join(storePath, "..", "sample"));
  if (!existsSync(join(sampleDir, "ground-truth.json"))) {
    options.onProgress?.(`generating the sample organisation into ${sampleDir}`);
    await generateSample({
      outDir: sampleDir,
      seed: options.seed ?? 42,
      days: options.days ?? 30,
      targetEvents: options.targetEvents ?? 200_000,
    });
  }
  options.onProgress?.(`ingesting ${sampleDir} into ${storePath}`);
  // Ingest into a temporary file first so an interrupted run never leaves a half-filled default store.
  const partial = `${storePath}.partial`;
  const store = await TrailStore.open(partial);
  try {
    await ingest(store, new FileSource([join(sampleDir, "AWSLogs")]));
  } finally {
    store.close();
  }
  await rm(`${partial}.wal`, { force: true });
  await rename(partial, storePath);
  return { storePath, created: true, sampleDir };
}
