// Worker bootstrap when Trailcast runs from TypeScript sources (tsx, vitest): module hooks are per thread,
// so the worker registers tsx itself before loading the TypeScript entry. A load failure is reported in
// the shared state (3 = FAILED_TO_LOAD in tracker-protocol.ts): the fit is blocked waiting on it.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

try {
  register();
  await import("./tracker-worker.ts");
} catch (error) {
  Atomics.store(workerData.state, 0, 3);
  Atomics.notify(workerData.state, 0);
  throw error;
}
