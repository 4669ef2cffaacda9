// Worker bootstrap when Trailcast runs from TypeScript sources (tsx, vitest): module hooks are per thread,
// so the worker registers tsx itself before loading the TypeScript entry.
import { register } from "tsx/esm/api";

register();
await import("./decode-worker.ts");
