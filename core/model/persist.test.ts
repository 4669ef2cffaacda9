import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreEvent } from "./anomaly.ts";
import { fitModel } from "./fit.ts";
import { loadModel, ModelFileError, saveModel } from "./persist.ts";
import { syntheticEvents } from "./synthetic.ts";

describe("saveModel / loadModel", () => {
  it("round-trips: same predictions and scores, and the loaded model keeps learning the same way", async () => {
    const events = syntheticEvents({ events: 3600, seed: 21, principals: 15 });
    const original = fitModel(events.slice(0, 2400));
    const path = join(await mkdtemp(join(tmpdir(), "trailcast-model-")), "model.json.gz");
    await saveModel(original, path);
    const loaded = await loadModel(path);
    for (const e of events.slice(2400)) {
      expect(loaded.predictNext(e.principal, 5)).toEqual(original.predictNext(e.principal, 5));
      expect(scoreEvent(e, { model: loaded })).toEqual(scoreEvent(e, { model: original }));
      original.observe(e);
      loaded.observe(e);
    }
    // The smoothing was re-fitted online along the way, identically in both.
    expect(loaded.tuner?.refits).toBeGreaterThan(0);
    expect(loaded.tuner?.snapshot()).toEqual(original.tuner?.snapshot());
    expect(loaded.sequence.params).toEqual(original.sequence.params);
  });

  it("refuses a file that is not a model", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "trailcast-model-")), "nope.json.gz");
    await expect(loadModel(path)).rejects.toThrow(ModelFileError);
  });
});
