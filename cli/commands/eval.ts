import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { type EvaluationResult, evaluate } from "../../core/eval/evaluate.ts";
import { LabelsError, parseLabels } from "../../core/eval/labels.ts";
import { renderReport } from "../../core/eval/report.ts";
import { globalOptions, printJson } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { readOrFail } from "./score.ts";

async function readLabels(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read labels file ${path}: ${(error as Error).message}`, EXIT.usage);
  }
  try {
    return parseLabels(text, path);
  } catch (error) {
    if (error instanceof LabelsError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "n/a");

export function formatEvaluation(result: EvaluationResult, reportPath: string): string {
  const lines = [
    `next-action prediction on ${result.testEvents} test events (trained on ${result.trainEvents}; ${result.seconds.toFixed(1)} s)`,
    `${"model".padEnd(26)}${["top-1", "top-5", "MRR", "log-loss", "ECE"].map((h) => h.padStart(10)).join("")}`,
  ];
  for (const m of result.models) {
    const { top1, top5, mrr, logLoss, ece } = m.metrics;
    lines.push(
      `${m.name.padEnd(26)}${[top1, top5, mrr, logLoss, ece].map((v) => f3(v).padStart(10)).join("")}`,
    );
  }
  const unseen = result.models[0]?.metrics.unseenShare ?? 0;
  lines.push(
    `(${(unseen * 100).toFixed(1)}% of test actions were never seen before they happened; log-loss in nats)`,
  );
  if (result.anomaly) {
    const a = result.anomaly;
    lines.push(
      `anomaly ranking: ROC-AUC ${f3(a.rocAuc)}, PR-AUC ${f3(a.prAuc)} (${a.positives} labelled attack events, ${a.negatives} others${a.labelsNotInTest ? `; ${a.labelsNotInTest} labels not among the test events` : ""})`,
    );
  }
  lines.push(`report: ${reportPath}`);
  return lines.join("\n");
}

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description(
      "fit on --train, walk --test in time order, and compare next-action top-1/top-5/MRR/log-loss/calibration with three baselines; with --labels, rank attack events by anomaly score (ROC-AUC, PR-AUC)",
    )
    .requiredOption("--train <paths...>", "training inputs: files or folders ingest accepts")
    .requiredOption("--test <paths...>", "test inputs, predicted one by one in time order")
    .option("--labels <file>", "attack eventIDs: one per line, or a JSON list")
    .option(
      "--report <file>",
      "HTML report with reliability diagram and per-principal accuracy",
      "trailcast-eval.html",
    )
    .option("--json", "print the full result as JSON")
    .action(
      async (
        options: { train: string[]; test: string[]; labels?: string; report: string; json?: boolean },
        command: Command,
      ) => {
        const labels = options.labels ? await readLabels(options.labels) : undefined;
        const train = await readOrFail(options.train, "train");
        const test = await readOrFail(options.test, "test");
        const result = evaluate(train, test, labels);
        await writeFile(options.report, renderReport(result));
        if (options.json || globalOptions(command).json) printJson(result);
        else process.stdout.write(`${formatEvaluation(result, options.report)}\n`);
      },
    );
}
