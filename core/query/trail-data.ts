import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { TrailStore } from "../store/trail-store.ts";
import type { SourceStatus } from "./data-status.ts";
import { extendScores, loadWalkedModel, scoresAreCurrent, walkStore } from "./event-scores.ts";
import type { BehaviourService } from "./model-service.ts";
import { PrincipalHistories } from "./principal-history.ts";
import { PrincipalIndex } from "./principal-index.ts";
import { QueryError } from "./query-error.ts";

export interface TrailDataOptions {
  storePath: string;
  /** Sources to report in get_data_status besides the store itself. */
  sources?: SourceStatus[];
  /** Called with progress messages (scoring a large store takes a while the first time). */
  onProgress?: (message: string) => void;
}

/**
 * The data every tool reads: the store (opened read-only once its scores are current, so other readers can
 * share the file), whether persisted anomaly scores are there, and the behaviour model walked over the
 * store (built on first use). Work is serialized: one DuckDB connection answers one query at a time.
 */
export class TrailData {
  private modelPromise: Promise<BehaviourService> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private dataEndMs: number | null = null;
  private principalIndex: Promise<PrincipalIndex> | null = null;
  /** Per-principal evidence for predictions (the store is read-only while open, so caches stay true). */
  readonly histories: PrincipalHistories;

  private constructor(
    readonly store: TrailStore,
    readonly scores: boolean,
    /** Scores cover every stored event, so the time-ordered `event_scores` can index `events`. */
    readonly scoresCurrent: boolean,
    readonly sources: SourceStatus[],
    model: BehaviourService | null,
  ) {
    if (model) this.modelPromise = Promise.resolve(model);
    this.histories = new PrincipalHistories(store);
  }

  /**
   * Opens a store, (re)computing anomaly scores first when they are missing or older than its events. When
   * another process holds the file so it cannot be written, the store is served without fresh scores.
   */
  static async open(options: TrailDataOptions): Promise<TrailData> {
    const path = resolve(options.storePath);
    const sources: SourceStatus[] = [{ kind: "store", detail: path }, ...(options.sources ?? [])];
    if (!existsSync(path)) {
      throw new QueryError(
        `no store at ${path}: run \`trailcast ingest <paths>\` or \`trailcast sample --ingest\``,
      );
    }
    let model: BehaviourService | null = null;
    const probe = await TrailStore.open(path, { readOnly: true });
    let current = await scoresAreCurrent(probe);
    probe.close();
    if (!current) {
      let writer: TrailStore | null = null;
      try {
        writer = await TrailStore.open(path);
      } catch (error) {
        sources.push({ kind: "store", detail: `scores not refreshed: ${(error as Error).message}` });
      }
      if (writer) {
        try {
          // New events after the scored ones continue the saved walk; anything else rescores all.
          let walked = await extendScores(writer);
          if (!walked) {
            options.onProgress?.("scoring every stored event (once per change of the store)");
            walked = await walkStore(writer, { persist: true });
          }
          const { walked: count, events, seconds } = walked.refresh;
          options.onProgress?.(
            count === events
              ? `scored ${events} events in ${seconds.toFixed(1)} s`
              : `scored the ${count} new of ${events} events in ${seconds.toFixed(1)} s`,
          );
          model = walked.service;
          current = true;
        } finally {
          writer.close();
        }
      }
    }
    const store = await TrailStore.open(path, { readOnly: true });
    return new TrailData(store, await store.hasTables("event_scores"), current, sources, model);
  }

  /** Runs `work` alone on the store (queued behind earlier work). */
  run<T>(work: (data: TrailData) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => work(this));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The latest event time: "now" for relative times over stored (possibly old) data. */
  async dataEnd(): Promise<number> {
    if (this.dataEndMs === null) {
      const [row] = await this.store.rows<{ last: number | null }>(
        "SELECT epoch_ms(max(time)) AS last FROM events",
      );
      this.dataEndMs = row?.last ?? Date.now();
    }
    return this.dataEndMs;
  }

  private readonly memo = new Map<string, Promise<unknown>>();

  /** Computes a store-wide answer once: the store is read-only while open, so it cannot go stale. */
  once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      this.memo.set(key, value);
      value.catch(() => this.memo.delete(key));
    }
    return value;
  }

  /** Every principal and its names, for resolving what callers type (loaded once). */
  principals(): Promise<PrincipalIndex> {
    this.principalIndex ??= PrincipalIndex.load(this.store);
    return this.principalIndex;
  }

  /** The behaviour model walked over every stored event (built once, on first use). */
  model(): Promise<BehaviourService> {
    this.modelPromise ??= loadWalkedModel(this.store).then(
      async (saved) => saved ?? (await walkStore(this.store, { persist: false })).service,
    );
    return this.modelPromise;
  }

  close(): void {
    this.store.close();
  }
}
