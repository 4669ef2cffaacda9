import type { Command } from "commander";
import { FileSource } from "../../core/ingest/file-source.ts";
import { ingest } from "../../core/store/ingest.ts";
import { TrailStore } from "../../core/store/trail-store.ts";
import { globalOptions, printJson } from "../context.ts";
import { EXIT } from "../exit-codes.ts";
import { fmt, formatIngestReport } from "../format.ts";
import { progressBar } from "../progress.ts";

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "ingest CloudTrail logs: files or folders (S3 trail trees, .json/.json.gz, JSON arrays, JSON Lines, lookup-events output)",
    )
    .argument("<paths...>", "files or folders to read")
    .option("--rescan", "read inputs again even if they were ingested unchanged before")
    .action(async (paths: string[], options: { rescan?: boolean }, command: Command) => {
      const { store: storePath, json } = globalOptions(command);
      const store = await TrailStore.open(storePath);
      const bar = progressBar("ingest", !json);
      try {
        const report = await ingest(store, new FileSource(paths), {
          rescan: options.rescan,
          onProgress: (p) => bar.update(p.done, p.total, `${fmt(p.eventsAdded)} events`),
        });
        bar.stop();
        if (json) printJson(report);
        else process.stdout.write(`${formatIngestReport(report)}\n`);
        const nothingRead = report.inputs === 0 && report.unchangedInputs === 0;
        if (nothingRead) process.exitCode = EXIT.noInput;
      } finally {
        bar.stop();
        store.close();
      }
    });
}
