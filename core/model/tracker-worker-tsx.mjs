// Worker bootstrap when Trailcast runs from TypeScript sources (tsx, vitest): module hooks are per thread,
// so the worker registers tsx itself before loading the TypeScript entry. Any load failure (tsx or the
// entry) is reported in the shared state (3 = FAILED_TO_LOAD in tracker-protocol.ts) at once: the fit is
// blocked waiting on it. Hence no static imports here.
import { workerData } from "node:worker_threads";

try {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./tracker-worker.ts");
} catch (error) {
  Atomics.store(workerData.state, 0, 3);
  Atomics.notify(workerData.state, 0);
  throw error;
}
