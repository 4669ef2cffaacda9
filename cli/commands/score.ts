import { open } from "node:fs/promises";
import type { Command } from "commander";
import { scoreStream } from "../../core/eval/score-stream.ts";
import type { Skip, TrailEvent } from "../../core/event/types.ts";
import { readEvents } from "../../core/ingest/read-events.ts";
import { fitModel } from "../../core/model/fit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

/** Reads inputs with readEvents, reporting every skip on stderr; fails when nothing usable was read. */
export async function readOrFail(paths: string[], role: "train" | "test"): Promise<TrailEvent[]> {
  const { events, skips } = await readEvents(paths);
  reportSkips(skips, role);
  if (events.length === 0) {
    throw new CliError(`no ${role} events could be read from ${paths.join(", ")}`, EXIT.failure);
  }
  return events;
}

/** Recognised, harmless inputs (digest files, Insights events, duplicate deliveries): counted, not listed. */
const COUNTED_ONLY = new Set(["digest-file", "insights-event", "duplicate"]);

function reportSkips(skips: readonly Skip[], role: string): void {
  if (skips.length === 0) return;
  const listed = skips.filter((s) => !COUNTED_ONLY.has(s.reason));
  const lines = listed.map((s) => `skipped ${s.where}: ${s.reason} (${s.detail})`);
  const byReason = new Map<string, number>();
  for (const s of skips) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  const summary = [...byReason].map(([reason, n]) => `${reason} ${n}`).join(", ");
  lines.push(`${skips.length} ${role} input(s) skipped (${summary})`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

export function registerScore(program: Command): void {
  program
    .command("score")
    .description(
      "fit the behaviour model on --train events, then score every --test event in time order before learning from it: one JSON line per event (eventID, principal, action, top-10 predictions, anomaly, reasons)",
    )
    .requiredOption("--train <paths...>", "training inputs: files or folders ingest accepts")
    .requiredOption("--test <paths...>", "test inputs, scored one by one in time order")
    .requiredOption("--out <file>", "JSON Lines output file ('-' for stdout)")
    .action(async (options: { train: string[]; test: string[]; out: string }) => {
      const train = await readOrFail(options.train, "train");
      const test = await readOrFail(options.test, "test");
      const model = fitModel(train);
      const file = options.out === "-" ? null : await open(options.out, "w");
      try {
        let buffer: string[] = [];
        const flush = async () => {
          const text = buffer.join("");
          buffer = [];
          if (file) await file.write(text);
          else if (!process.stdout.write(text))
            await new Promise((resolve) => process.stdout.once("drain", resolve));
        };
        for (const { line } of scoreStream(model, test)) {
          buffer.push(`${JSON.stringify(line)}\n`);
          if (buffer.length >= 2000) await flush();
        }
        await flush();
      } finally {
        await file?.close();
      }
    });
}
