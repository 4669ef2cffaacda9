import { parentPort } from "node:worker_threads";
import { decodeForStaging } from "./decode-for-staging.ts";

/** Worker thread entry: decodes files off the main thread so parsing uses every core. */
parentPort?.on("message", async (message: { id: number; path: string }) => {
  const result = await decodeForStaging(message.path);
  parentPort?.postMessage({ id: message.id, ...result });
});
