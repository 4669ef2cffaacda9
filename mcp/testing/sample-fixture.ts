import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSampleStore } from "../../core/query/sample-store.ts";
import { TrailData } from "../../core/query/trail-data.ts";

export interface SampleFixture {
  dir: string;
  storePath: string;
  cleanup(): Promise<void>;
}

/**
 * A small generated organisation (labelled attacks included) ingested and scored in a temp folder, shared by
 * the tests of one file. ~8k events keep a file's set-up to a few seconds.
 */
export async function sampleFixture(targetEvents = 8000): Promise<SampleFixture> {
  const dir = await mkdtemp(join(tmpdir(), "trailcast-mcp-"));
  const storePath = join(dir, "store.duckdb");
  await ensureSampleStore({ storePath, targetEvents, days: 10, seed: 11 });
  // Score once here so every transport under test opens a current store read-only.
  (await TrailData.open({ storePath })).close();
  return { dir, storePath, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
