import { Command, CommanderError } from "commander";
import { LookupEventsError } from "../core/ingest/lookup-events-source.ts";
import { StoreError } from "../core/store/trail-store.ts";
import { registerEval } from "./commands/eval.ts";
import { registerIngest } from "./commands/ingest.ts";
import { registerMcp } from "./commands/mcp.ts";
import { registerPull } from "./commands/pull.ts";
import { registerSample } from "./commands/sample.ts";
import { registerScore } from "./commands/score.ts";
import { registerStats } from "./commands/stats.ts";
import { CliError, EXIT } from "./exit-codes.ts";

const program = new Command("trailcast")
  .description(
    "CloudTrail foresight: timeline, next-action prediction and explained anomalies per IAM principal",
  )
  .option("--store <path>", "DuckDB store file (env TRAILCAST_STORE; default .trailcast/trailcast.duckdb)")
  .option("--json", "machine-readable JSON on stdout")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerIngest(program);
registerPull(program);
registerSample(program);
registerStats(program);
registerScore(program);
registerEval(program);
registerMcp(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError || error instanceof StoreError || error instanceof LookupEventsError) {
    process.stderr.write(`trailcast: ${error.message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT.failure;
  } else {
    process.stderr.write(`trailcast: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.failure;
  }
}
