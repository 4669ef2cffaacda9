import type { TrackerEvidence } from "./tracker-evidence.ts";
import type { TrackerBatch, TrackersSnapshot } from "./trackers.ts";

/** States of a fit's tracker worker, in the shared Int32 the fit waits on (Atomics.wait). */
export const BOOTING = 0;
export const LISTENING = 1;
export const REPLIED = 2;
export const FAILED_TO_LOAD = 3;

/** Fit → worker: batches of events, then "finish". */
export type TrackerRequest = { type: "batch"; batch: TrackerBatch } | { type: "finish" };
/** Worker → fit, once, after "finish". */
export type TrackerReply =
  | { type: "done"; snapshot: TrackersSnapshot; evidence: TrackerEvidence[] }
  | { type: "failed"; error: string };
