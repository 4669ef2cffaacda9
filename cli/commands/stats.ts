import type { Command } from "commander";
import { storeStats } from "../../core/store/stats.ts";
import { TrailStore } from "../../core/store/trail-store.ts";
import { globalOptions, printJson } from "../context.ts";
import { formatStats } from "../format.ts";

export function registerStats(program: Command): void {
  program
    .command("stats")
    .description("what the store holds: events, principals, time span, top actions, skipped inputs by reason")
    .option("--top <n>", "how many top actions and principals to list", "10")
    .action(async (options: { top: string }, command: Command) => {
      const { store: storePath, json } = globalOptions(command);
      const store = await TrailStore.open(storePath, { readOnly: true });
      try {
        const stats = await storeStats(store, Math.max(1, Number.parseInt(options.top, 10) || 10));
        if (json) printJson(stats);
        else process.stdout.write(`${formatStats(stats)}\n`);
      } finally {
        store.close();
      }
    });
}
