import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrailStore } from "../store/trail-store.ts";
import { ensureSampleStore } from "./sample-store.ts";
import { TrailData } from "./trail-data.ts";

export interface ScoredSample {
  store: TrailStore;
  /** Epoch ms of the first and last stored event. */
  first: number;
  last: number;
  dispose(): Promise<void>;
}

/**
 * A small generated organisation (attacks included, so there are errors, tactics and high scores), scored
 * by TrailData and reopened read-only: the fixture of tests that compare two ways of answering a query.
 */
export async function scoredSample(seed: number): Promise<ScoredSample> {
  const dir = await mkdtemp(join(tmpdir(), "trailcast-scored-"));
  const storePath = join(dir, "store.duckdb");
  await ensureSampleStore({ storePath, targetEvents: 6000, days: 6, seed });
  (await TrailData.open({ storePath })).close();
  const store = await TrailStore.open(storePath, { readOnly: true });
  const [span] = await store.rows<{ first: number; last: number }>(
    "SELECT epoch_ms(min(time)) AS first, epoch_ms(max(time)) AS last FROM events",
  );
  return {
    store,
    first: span?.first ?? 0,
    last: span?.last ?? 0,
    dispose: async () => {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
