// Data worker bootstrap (see mcp-local.server.ts): module hooks are per thread, so the worker registers tsx
// itself before loading its TypeScript entry, from sources (vite dev, vitest) and from the server build alike.
import { register } from "tsx/esm/api";

register();
await import("./mcp-worker.server.ts");
