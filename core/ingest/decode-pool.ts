import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { decodeForStaging, type StagedFile } from "./decode-for-staging.ts";

type Pending = { resolve: (file: StagedFile) => void; reject: (error: Error) => void };

/** The worker entry next to this module: a tsx bootstrap from sources, the compiled file otherwise. */
function workerEntry(): URL | null {
  const fromSources = import.meta.url.endsWith(".ts");
  const url = new URL(fromSources ? "./decode-worker-tsx.mjs" : "./decode-worker.js", import.meta.url);
  // Bundles (the Lambda, the web server) have no separate worker file: they decode in-thread.
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Decodes files on worker threads (one per core, at most `size`), in-thread when `size` is 0 or no worker
 * entry exists.
 */
export class DecodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;

  constructor(size = Math.min(4, availableParallelism())) {
    const entry = size > 0 ? workerEntry() : null;
    for (let i = 0; entry && i < size; i++) {
      // A bounded heap makes V8 collect decoded text promptly instead of growing toward its default limit.
      const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: 384 } });
      worker.on("message", (message: StagedFile & { id: number }) => {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiter?.resolve(message);
      });
      worker.on("error", (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  decode(path: string): Promise<StagedFile> {
    if (this.workers.length === 0) return decodeForStaging(path);
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path });
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
