import { join } from "node:path";
import type { Command } from "commander";
import { FileSource } from "../../core/ingest/file-source.ts";
import { generateSample } from "../../core/sample/index.ts";
import { ingest } from "../../core/store/ingest.ts";
import { TrailStore } from "../../core/store/trail-store.ts";
import { globalOptions, printJson } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { fmt, formatIngestReport } from "../format.ts";
import { progressBar } from "../progress.ts";

export const DEFAULT_SAMPLE_DIR = ".trailcast/sample";

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`--${name} must be a positive integer, got "${value}"`, EXIT.usage);
  return n;
}

export function registerSample(program: Command): void {
  program
    .command("sample")
    .description(
      "generate realistic CloudTrail logs (S3 trail layout, gzipped) for a made-up organisation, with labelled attacks in a separate ground-truth file",
    )
    .option("--out <dir>", "output folder", DEFAULT_SAMPLE_DIR)
    .option("--seed <n>", "random seed: the same seed gives byte-identical files", "42")
    .option("--days <n>", "days of activity", "30")
    .option("--events <n>", "approximate number of events", "200000")
    .option("--principals <n>", "approximate number of principals", "30")
    .option("--ingest", "ingest the generated logs into the store afterwards")
    .action(async (options: Record<string, string | boolean>, command: Command) => {
      const { store: storePath, json } = globalOptions(command);
      const bar = progressBar("sample", !json);
      const summary = await generateSample({
        outDir: String(options.out),
        seed: positiveInt("seed", String(options.seed)),
        days: positiveInt("days", String(options.days)),
        targetEvents: positiveInt("events", String(options.events)),
        principals: positiveInt("principals", String(options.principals)),
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.stop();
      let ingested = null;
      if (options.ingest) {
        const store = await TrailStore.open(storePath);
        try {
          // Only the logs: the ground truth beside them is not CloudTrail and must not look like a skipped input.
          ingested = await ingest(store, new FileSource([join(summary.outDir, "AWSLogs")]));
        } finally {
          store.close();
        }
      }
      if (json) return printJson({ sample: summary, ingest: ingested });
      process.stdout.write(
        `generated ${fmt(summary.events)} events (${fmt(summary.attackEvents)} in ${summary.scenarios.length} labelled attack scenarios) ` +
          `for ${summary.principals} principals in ${fmt(summary.files)} files under ${summary.outDir}\n` +
          `  ${summary.start} .. ${summary.end}; ground truth: ${summary.groundTruthPath}\n`,
      );
      if (ingested) process.stdout.write(`${formatIngestReport(ingested)}\n`);
    });
}
