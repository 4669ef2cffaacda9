import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { TrailEvent } from "../event/types.ts";
import type { BehaviourModel } from "./behaviour-model.ts";
import { isAccessDenied } from "./tokens.ts";
import type { TrackerEvidence } from "./tracker-evidence.ts";
import {
  BOOTING,
  FAILED_TO_LOAD,
  LISTENING,
  REPLIED,
  type TrackerReply,
  type TrackerRequest,
} from "./tracker-protocol.ts";
import {
  batchBuffers,
  spareBatch,
  type TrackerBatch,
  TrackerBatchBuilder,
  type Trackers,
  trackersFromSnapshot,
} from "./trackers.ts";

/** Events per batch sent to the worker (about 3 MB of typed arrays). */
const BATCH_EVENTS = 65_536;
/** A worker that has not started listening this long after the fit's last event is given up on. */
const BOOT_LIMIT_MS = 30_000;
/** A listening worker that has not replied this long after the last event is given up on. */
const REPLY_LIMIT_MS = 10 * 60_000;

/** The worker bootstrap when running from TypeScript sources; bundles have no worker file (null). */
function workerEntry(): URL | null {
  if (!import.meta.url.endsWith(".ts")) return null;
  const url = new URL("./tracker-worker-tsx.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Feeds a fit's trackers (activity rhythm, first-seen sets, rates: BehaviourModel.learnTrackers) on a
 * second thread while the fit's own thread learns the sequence statistics. The two sides share no
 * state: the trackers never read the sequence model, and they are given the same interned ids in the
 * same order as in-thread learning would give them, so the result is the same model.
 *
 * On this machine the trackers, interleaved with the sequence model, cost far more than their own run
 * time (their memory traffic evicts the trie's cache lines): a 1M-event synthetic fit took 7.1 s with
 * them and 4.4 s without. fitModel stays synchronous: it blocks in Atomics.wait for the reply, which
 * the worker posts before flipping the shared state, and reads it with receiveMessageOnPort.
 */
export class TrackerThread {
  private readonly builder: TrackerBatchBuilder;
  private loadError: unknown = null;
  /** Batches filled again after the worker handed them back (fresh ones cost page faults). */
  batchesReused = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    /** Batches the worker is done with come back here for reuse. */
    private readonly returns: MessagePort,
    private readonly state: Int32Array,
    batchEvents: number,
  ) {
    this.builder = new TrackerBatchBuilder(batchEvents);
    // A worker that fails to start is noticed by its state (the fit's thread is blocked meanwhile); this
    // keeps the late error event from crashing the process.
    worker.on("error", (error) => {
      this.loadError = error;
    });
  }

  /**
   * Starts a worker, or returns null where none can run (bundled builds): learn in-thread then. `entry`
   * is for tests (a bootstrap that cannot load).
   */
  static start(batchEvents = BATCH_EVENTS, entry = workerEntry()): TrackerThread | null {
    if (!entry) return null;
    const state = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const returns = new MessageChannel();
    const worker = new Worker(entry, {
      workerData: { port: port2, returns: returns.port2, state },
      transferList: [port2, returns.port2],
    });
    worker.unref();
    port1.unref();
    returns.port1.unref();
    return new TrackerThread(worker, port1, returns.port1, state, batchEvents);
  }

  /** Whether the worker has started and listens for batches (they queue until then). */
  get listening(): boolean {
    return Atomics.load(this.state, 0) === LISTENING;
  }

  /**
   * Queues one event's tracker inputs (interned here, in event order, as learnTrackers would); `scored`:
   * its TrackerEvidence is computed before it is learned.
   */
  add(model: BehaviourModel, event: TrailEvent, principalId: number, action: number, scored = false): void {
    const inputs = model.trackerInputs(event, principalId, action);
    const peer = model.sequence.peerOf[principalId] as number;
    const denied = isAccessDenied(event.errorCode);
    if (this.builder.add(principalId, peer, inputs, event.time, denied, scored)) this.send(model);
  }

  private send(model: BehaviourModel): void {
    const returned = receiveMessageOnPort(this.returns)?.message as TrackerBatch | undefined;
    if (returned) this.batchesReused += 1;
    const batch = this.builder.take(model.novelty.tokens, returned);
    this.port.postMessage({ type: "batch", batch } satisfies TrackerRequest, batchBuffers(batch));
  }

  /**
   * Waits for the worker's trackers (over `model`'s interners) and the evidence of the events queued as
   * scored, in order. Null when the worker failed or never started: the caller then feeds the
   * trackers in-thread (a warning on stderr says why).
   */
  finish(model: BehaviourModel): { trackers: Trackers; evidence: TrackerEvidence[] } | null {
    if (this.builder.size > 0) this.send(model);
    this.port.postMessage({ type: "finish" } satisfies TrackerRequest);
    const started = performance.now();
    for (;;) {
      const state = Atomics.load(this.state, 0);
      if (state === REPLIED) break;
      const waited = performance.now() - started;
      const limit = state === BOOTING ? BOOT_LIMIT_MS : REPLY_LIMIT_MS;
      if (state === FAILED_TO_LOAD || waited > limit) {
        return this.giveUp(
          state === FAILED_TO_LOAD ? "failed to load" : `no reply in ${Math.round(waited)} ms`,
        );
      }
      Atomics.wait(this.state, 0, state, Math.min(1000, limit - waited));
    }
    const reply = receiveMessageOnPort(this.port)?.message as TrackerReply | undefined;
    this.spareBatches();
    this.port.close();
    this.returns.close();
    if (!reply) return this.giveUp("replied, but no message was queued");
    if (reply.type === "failed") return this.giveUp(reply.error);
    return {
      trackers: trackersFromSnapshot(reply.snapshot, model.novelty.tokens),
      evidence: reply.evidence,
    };
  }

  /** Keeps the batches the worker handed back, and the empty one being filled, for the next fit. */
  private spareBatches(): void {
    for (;;) {
      const returned = receiveMessageOnPort(this.returns)?.message as TrackerBatch | undefined;
      if (!returned) break;
      spareBatch(returned);
    }
    spareBatch(this.builder.current);
  }

  private giveUp(why: string): null {
    void this.worker.terminate();
    this.port.close();
    this.returns.close();
    const detail = this.loadError instanceof Error ? ` (${this.loadError.message})` : "";
    process.stderr.write(`fit: tracker worker ${why}${detail}; learning the trackers in-thread\n`);
    return null;
  }
}
