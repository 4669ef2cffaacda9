import type { Command } from "commander";
import { LookupEventsSource } from "../../core/ingest/lookup-events-source.ts";
import { ingest } from "../../core/store/ingest.ts";
import { TrailStore } from "../../core/store/trail-store.ts";
import { globalOptions, printJson } from "../context.ts";
import { parseTimeArg } from "../duration.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { fmt, formatIngestReport } from "../format.ts";
import { progressBar } from "../progress.ts";

export function registerPull(program: Command): void {
  program
    .command("pull")
    .description(
      "ingest management events from the CloudTrail LookupEvents API (last 90 days) using the AWS credentials of the environment; resumable",
    )
    .requiredOption("--region <regions>", "comma-separated regions, e.g. us-east-1,eu-west-1")
    .option("--since <when>", "window start: duration back from now (24h, 7d) or ISO time", "24h")
    .option("--until <when>", "window end: duration back from now or ISO time (default now)")
    .option(
      "--account <id>",
      "label for this account, keeps checkpoints of several accounts apart",
      "default",
    )
    .action(
      async (
        options: { region: string; since: string; until?: string; account: string },
        command: Command,
      ) => {
        const { store: storePath, json } = globalOptions(command);
        const regions = options.region
          .split(",")
          .map((region) => region.trim())
          .filter(Boolean);
        if (regions.length === 0) throw new CliError("--region needs at least one region", EXIT.usage);
        const start = new Date(parseTimeArg("since", options.since));
        const end = new Date(options.until ? parseTimeArg("until", options.until) : Date.now());
        if (!(start < end)) throw new CliError("--since must be before --until", EXIT.usage);
        const store = await TrailStore.open(storePath);
        const bar = progressBar("pull", !json);
        try {
          const source = new LookupEventsSource({ regions, start, end, account: options.account });
          const report = await ingest(store, source, {
            onProgress: (p) => bar.update(p.done, p.total, `${fmt(p.eventsAdded)} events`),
          });
          bar.stop();
          if (json) printJson(report);
          else process.stdout.write(`${formatIngestReport(report)}\n`);
        } finally {
          bar.stop();
          store.close();
        }
      },
    );
}
