import type { TrailEvent } from "../event/types.ts";
import { scoreEvent } from "./anomaly.ts";
import { fitModel } from "./fit.ts";
import { memoryLatencyNs } from "./memory-probe.ts";
import { syntheticEvents } from "./synthetic.ts";

export interface ModelBench {
  events: number;
  /** Median of the fits (one per `fits`, all on the same events in this process). */
  fitSeconds: number;
  /** Every fit's seconds, in order: the first pays for compiling the model's code. */
  fitRuns: number[];
  eventsPerSecond: number;
  /** One next-action prediction (full distribution + top 10). */
  predictP50Ms: number;
  predictP99Ms: number;
  /** One anomaly score (prediction included). */
  scoreP50Ms: number;
  scoreP99Ms: number;
  actions: number;
  principals: number;
  trieNodes: number;
  /** Whether the first fit's trackers learned on a worker thread (ADR 050). */
  trackerThread: boolean;
  /** Each fit's seconds per phase (FitInfo.phaseSeconds), in order. */
  fitPhases: Array<Record<string, number>>;
  /**
   * Nanoseconds per dependent load over PROBE_BYTES, measured just before each fit (memory-probe.ts): the
   * machine's state, which the memory-bound sequence pass follows. Empty when `probeMemory` is false.
   */
  memoryNs: number[];
}

/** About the synthetic million's trie (16.5 MB of nodes): whether such a working set stays cached now. */
const PROBE_BYTES = 16 << 20;

const WARM_UP = 200;

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
}

/**
 * Fit speed and prediction latency, as a JSON-able object for `npm run bench`. Fits `fits` times on
 * `events` (default: 1,000,000 seeded synthetic events; pass generated-sample events for realistic
 * vocabulary), releases them (`options.events` is cleared), then times `samples` predictions and scores of
 * events the model has not seen.
 */
export function benchModel(
  options: {
    events?: TrailEvent[];
    count?: number;
    seed?: number;
    samples?: number;
    fits?: number;
    probeMemory?: boolean;
  } = {},
): ModelBench {
  const wanted = options.samples ?? 2000;
  let all =
    options.events ??
    syntheticEvents({ events: (options.count ?? 1_000_000) + wanted, seed: options.seed ?? 7 });
  const samples = Math.min(wanted, Math.floor(all.length / 10));
  let train = all.slice(0, all.length - samples);
  const trained = train.length;
  const held = all.slice(all.length - samples);
  // The machine's speed swings by tens of percent within minutes: one fit is an anecdote, the median of a
  // few is a measurement. Latencies are taken with the first model.
  const fitRuns: number[] = [];
  const fitPhases: Array<Record<string, number>> = [];
  const memoryNs: number[] = [];
  const fitOnce = () => {
    if (options.probeMemory ?? true) memoryNs.push(memoryLatencyNs(PROBE_BYTES));
    const started = performance.now();
    const fitted = fitModel(train);
    fitRuns.push((performance.now() - started) / 1000);
    fitPhases.push(fitted.fitInfo?.phaseSeconds ?? {});
    return fitted;
  };
  const model = fitOnce();
  for (let run = 1; run < (options.fits ?? 1); run++) fitOnce();
  // Latencies are a serving process's: it holds a model, not the million parsed events it was fitted on.
  // Holding them (2.3 GB for the generated sample) made young-generation collections take 4–8 ms, which
  // the percentiles then measured instead of predictions. The caller's events are released here.
  all = [];
  train = [];
  options.events = undefined;
  // Untimed warm-up (the model unchanged): code not run for a while may have been flushed and must be
  // compiled again, which is not what a prediction costs a running server.
  for (const event of held.slice(0, WARM_UP)) {
    model.top(model.distribution(event.principal, event.time, event.sessionKey), 10);
    scoreEvent(event, { model });
  }
  const predict: number[] = [];
  const score: number[] = [];
  for (const event of held) {
    let t = performance.now();
    model.top(model.distribution(event.principal, event.time, event.sessionKey), 10);
    predict.push(performance.now() - t);
    t = performance.now();
    scoreEvent(event, { model });
    score.push(performance.now() - t);
    model.observe(event);
  }
  const fitSeconds = percentile(
    [...fitRuns].sort((a, b) => a - b),
    0.5,
  );
  predict.sort((a, b) => a - b);
  score.sort((a, b) => a - b);
  return {
    events: trained,
    fitSeconds,
    fitRuns,
    eventsPerSecond: Math.round(trained / fitSeconds),
    predictP50Ms: percentile(predict, 0.5),
    predictP99Ms: percentile(predict, 0.99),
    scoreP50Ms: percentile(score, 0.5),
    scoreP99Ms: percentile(score, 0.99),
    actions: model.sequence.actions.size,
    principals: model.sequence.principals.size,
    trieNodes: model.sequence.trie.nodeCount,
    trackerThread: model.fitInfo?.trackerThread ?? false,
    fitPhases,
    memoryNs,
  };
}
