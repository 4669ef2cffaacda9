import { type MessagePort, workerData } from "node:worker_threads";
import type { TrackerEvidence } from "./tracker-evidence.ts";
import { LISTENING, REPLIED, type TrackerReply, type TrackerRequest } from "./tracker-protocol.ts";
import { applyTrackerBatch, batchBuffers, mirrorTrackers, trackersSnapshot } from "./trackers.ts";

/**
 * Worker thread entry for a fit (tracker-thread.ts starts it): feeds the batches it is sent to fresh trackers
 * (judging the events marked scored first) and, when told the events are over, replies with the trackers'
 * snapshot and that evidence. The reply is posted before the state
 * flips to REPLIED, so the fit, blocked in Atomics.wait, finds it queued on its port.
 */
const { port, returns, state } = workerData as { port: MessagePort; returns: MessagePort; state: Int32Array };
const trackers = mirrorTrackers();
const evidence: TrackerEvidence[] = [];
let failure: string | null = null;

function reply(message: TrackerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.store(state, 0, REPLIED);
  Atomics.notify(state, 0);
  port.close();
  returns.close();
}

port.on("message", (request: TrackerRequest) => {
  if (request.type === "batch") {
    if (failure) return;
    try {
      for (const found of applyTrackerBatch(trackers, request.batch)) evidence.push(found);
      // Handed back for the fit's thread to fill again (see TrackerBatchBuilder.take).
      returns.postMessage(request.batch, batchBuffers(request.batch));
    } catch (error) {
      failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    return;
  }
  if (failure) return reply({ type: "failed", error: failure });
  try {
    const snapshot = trackersSnapshot(trackers);
    const { seen, counts, scopeTotal, scopeDistinct } = snapshot.novelty;
    reply({ type: "done", snapshot, evidence }, [
      seen.buffer,
      counts.buffer,
      scopeTotal.buffer,
      scopeDistinct.buffer,
    ] as ArrayBuffer[]);
  } catch (error) {
    reply({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
Atomics.store(state, 0, LISTENING);
Atomics.notify(state, 0);
