import type { Command } from "commander";
import { DEFAULT_STORE_PATH } from "../core/store/trail-store.ts";

export interface GlobalOptions {
  store: string;
  json: boolean;
}

/** Options every command shares, read from the root program (`--store`, `--json`). */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  const options = root.opts<{ store?: string; json?: boolean }>();
  return {
    store: options.store ?? process.env.TRAILCAST_STORE ?? DEFAULT_STORE_PATH,
    json: Boolean(options.json),
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
