import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { BehaviourModel, type FitInfo, type SessionPeak } from "./behaviour-model.ts";
import { Interner } from "./intern.ts";
import { NoveltyTracker } from "./novelty.ts";
import { OnlineTuner } from "./online-tuning.ts";
import { type RatesSnapshot, RateTracker } from "./rates.ts";
import { SequenceModel } from "./sequence-model.ts";
import type { SessionState } from "./session-context.ts";
import { SurpriseTracker } from "./surprise.ts";
import { ActivityProfiles } from "./timing.ts";

/** Default location, next to the default store (.trailcast/trailcast.duckdb). */
export const DEFAULT_MODEL_PATH = ".trailcast/model.json.gz";
const FORMAT = "trailcast-model";
// 5: trie nodes hold their symbol; kinds are a byte array (ADR 047's layout, stop 14).
// 6: decorated contexts keep a side slot for their first decoration (stop 16).
// 7: a node's first leaf is a count in the node's inline slot, with no node of its own (stop 17).
// 8: nodes are 16 ints with five inline children (stop 17).
const VERSION = 8;

export class ModelFileError extends Error {}

type Typed = Int32Array | Float64Array | Uint8Array;
const encode = (array: Typed) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
function decodeInt32(text: string): Int32Array {
  const bytes = Buffer.from(text, "base64");
  return new Int32Array(new Uint8Array(bytes).buffer);
}
function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  return new Float64Array(new Uint8Array(bytes).buffer);
}

const sessionsOf = (map: Map<number, SessionState>) =>
  [...map].map(
    ([id, s]) =>
      [id, [...s.contexts], s.lastTime, s.lastSessionKey, s.lastSide, s.lastAction, s.run] as const,
  );

function sessionMap(
  rows: ReadonlyArray<readonly [number, number[], number, string | null, number, number, number]>,
): Map<number, SessionState> {
  return new Map(
    rows.map(([id, contexts, lastTime, lastSessionKey, lastSide, lastAction, run]) => [
      id,
      {
        contexts: Int32Array.from(contexts),
        lastTime,
        lastSessionKey,
        lastSide,
        lastAction,
        run,
      },
    ]),
  );
}

/** The model as one JSON-able object (typed arrays as base64). */
export function serializeModel(model: BehaviourModel): Record<string, unknown> {
  const { sequence } = model;
  const trie = sequence.trie.snapshot();
  const novelty = model.novelty.snapshot() as {
    tokens: string[][];
    seen: Int32Array;
    counts: Int32Array;
    scopeTotal: Int32Array;
    scopeDistinct: Int32Array;
  };
  return {
    format: FORMAT,
    version: VERSION,
    sequence: {
      actions: sequence.actions.toJSON(),
      principals: sequence.principals.toJSON(),
      peers: sequence.peers.toJSON(),
      peerOf: Array.from(sequence.peerOf, (p) => p ?? -1),
      assignedPeers: [...sequence.assignedPeers],
      trie: { edges: encode(trie.edges), nodes: encode(trie.nodes), kinds: encode(trie.kinds) },
      params: {
        discount: [...sequence.params.discount],
        strength: [...sequence.params.strength],
        mix: [...sequence.params.mix],
        universe: sequence.params.universe,
        copy: [...sequence.params.copy],
        hazard: [...sequence.params.hazard],
      },
      temperature: sequence.temperature,
      idleGapMs: sequence.idleGapMs,
      sessions: sessionsOf(sequence.sessions),
      backfills: sessionsOf(sequence.backfills),
    },
    novelty: {
      tokens: novelty.tokens.slice(1),
      seen: encode(novelty.seen),
      counts: encode(novelty.counts),
      scopeTotal: encode(novelty.scopeTotal),
      scopeDistinct: encode(novelty.scopeDistinct),
    },
    timing: model.timing.snapshot(),
    rates: model.rates.snapshot(),
    surprise: model.surprise.snapshot(),
    accounts: model.accounts.toJSON(),
    peaks: [...model.peaks],
    anomalyScaleBits: model.anomalyScaleBits,
    tuner: model.tuner
      ? { ...model.tuner.snapshot(), samples: encode(model.tuner.snapshot().samples) }
      : null,
    fitInfo: model.fitInfo,
    eventsSeen: model.eventsSeen,
  };
}

const fileSchema = z.looseObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  sequence: z.looseObject({ actions: z.array(z.string()), trie: z.looseObject({ nodes: z.string() }) }),
});

/** -1 marks a principal interned but never observed: left as a hole so its peer is assigned later. */
function peerArray(stored: number[]): number[] {
  const peerOf: number[] = [];
  stored.forEach((peer, id) => {
    if (peer >= 0) peerOf[id] = peer;
  });
  return peerOf;
}

export function deserializeModel(data: unknown, source = "model"): BehaviourModel {
  const checked = fileSchema.safeParse(data);
  if (!checked.success) {
    throw new ModelFileError(`${source} is not a Trailcast model file (version ${VERSION}); refit it`);
  }
  // biome-ignore lint/suspicious/noExplicitAny: shape checked above; the rest mirrors serializeModel.
  const d = data as any;
  const s = d.sequence;
  const actions = new Interner(s.actions);
  const sequence = new SequenceModel({
    actions,
    principals: new Interner(s.principals),
    peers: new Interner(s.peers),
    peerOf: peerArray(s.peerOf),
    trie: {
      edges: decodeInt32(s.trie.edges),
      nodes: decodeInt32(s.trie.nodes),
      kinds: new Uint8Array(Buffer.from(s.trie.kinds, "base64")),
    },
    params: {
      discount: Float64Array.from(s.params.discount),
      strength: Float64Array.from(s.params.strength),
      mix: Float64Array.from(s.params.mix),
      universe: s.params.universe,
      copy: Float64Array.from(s.params.copy),
      hazard: Float64Array.from(s.params.hazard),
    },
  });
  sequence.temperature = s.temperature;
  sequence.idleGapMs = s.idleGapMs;
  sequence.assignedPeers = new Map(s.assignedPeers);
  for (const [id, state] of sessionMap(s.sessions)) sequence.sessions.set(id, state);
  for (const [id, state] of sessionMap(s.backfills)) sequence.backfills.set(id, state);
  const model = new BehaviourModel({
    sequence,
    novelty: NoveltyTracker.restore({
      tokens: [s.actions, ...d.novelty.tokens],
      seen: decodeInt32(d.novelty.seen),
      counts: decodeInt32(d.novelty.counts),
      scopeTotal: decodeInt32(d.novelty.scopeTotal),
      scopeDistinct: decodeInt32(d.novelty.scopeDistinct),
      shareActions: actions,
    }),
    timing: ActivityProfiles.restore(d.timing),
    rates: RateTracker.restore(d.rates as RatesSnapshot),
    surprise: SurpriseTracker.restore(d.surprise),
    accounts: new Interner(d.accounts),
  });
  for (const [id, peak] of d.peaks as Array<[number, SessionPeak]>) model.peaks.set(id, peak);
  model.anomalyScaleBits = d.anomalyScaleBits;
  if (d.tuner) model.tuner = OnlineTuner.restore({ ...d.tuner, samples: decodeFloat64(d.tuner.samples) });
  model.fitInfo = d.fitInfo as FitInfo | null;
  model.eventsSeen = d.eventsSeen;
  return model;
}

/** Writes the model (gzipped JSON); it can be loaded and then updated with more events (incremental refit). */
export async function saveModel(model: BehaviourModel, path = DEFAULT_MODEL_PATH): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, gzipSync(JSON.stringify(serializeModel(model))));
}

export async function loadModel(path = DEFAULT_MODEL_PATH): Promise<BehaviourModel> {
  let text: string;
  try {
    text = gunzipSync(await readFile(path)).toString("utf8");
  } catch (error) {
    throw new ModelFileError(`cannot read model file ${path}: ${(error as Error).message}`);
  }
  return deserializeModel(JSON.parse(text), path);
}
