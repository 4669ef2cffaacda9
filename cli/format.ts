import type { IngestReport } from "../core/store/ingest.ts";
import type { StoreStats } from "../core/store/stats.ts";

const number = new Intl.NumberFormat("en-US");
export const fmt = (n: number) => number.format(n);

/** How many individual skips the text report lists before summarising the rest. */
const SKIPS_LISTED = 20;
const RECOGNISED = new Set(["digest-file", "insights-event"]);

export function formatIngestReport(report: IngestReport): string {
  const lines = [
    `ingested ${fmt(report.eventsAdded)} new events from ${fmt(report.inputs)} inputs in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  read ${fmt(report.eventsRead)} events; ${fmt(report.duplicates)} duplicates by eventID; ${fmt(report.unchangedInputs)} inputs unchanged since the last run`,
  ];
  const reasons = Object.entries(report.skippedByReason).filter(([reason]) => reason !== "duplicate");
  if (reasons.length > 0) {
    lines.push(`  skipped: ${reasons.map(([reason, n]) => `${reason} ${fmt(n ?? 0)}`).join(", ")}`);
    // Digest files and Insights events are recognised, not damage: counted above, not listed one by one.
    const listed = report.skips.filter((skip) => !RECOGNISED.has(skip.reason) && skip.reason !== "duplicate");
    const shown = listed.slice(0, SKIPS_LISTED);
    for (const skip of shown) lines.push(`    ${skip.where}: ${skip.reason} (${skip.detail})`);
    const problems = reasons.filter(([reason]) => !RECOGNISED.has(reason));
    const total = problems.reduce((sum, [, n]) => sum + (n ?? 0), 0);
    if (total > shown.length) {
      lines.push(
        `    … ${fmt(total - shown.length)} more in the store's skips table (trailcast stats --json)`,
      );
    }
  }
  return lines.join("\n");
}

export function formatStats(stats: StoreStats): string {
  const lines = [
    `store      ${stats.path}`,
    `events     ${fmt(stats.events)} (${fmt(stats.errors)} with an error code)`,
    `principals ${fmt(stats.principals)}`,
    `actions    ${fmt(stats.actions)}`,
    `time span  ${stats.first ?? "-"} .. ${stats.last ?? "-"}`,
    `inputs     ${fmt(stats.inputs)} read over ${fmt(stats.runs)} ingest runs`,
  ];
  const skipped = Object.entries(stats.skippedByReason);
  lines.push(
    `skipped    ${skipped.length ? skipped.map(([reason, n]) => `${reason} ${fmt(n)}`).join(", ") : "none"}`,
  );
  if (stats.topActions.length) {
    lines.push("top actions");
    for (const row of stats.topActions) lines.push(`  ${fmt(row.events).padStart(10)}  ${row.action}`);
  }
  if (stats.topPrincipals.length) {
    lines.push("top principals");
    for (const row of stats.topPrincipals)
      lines.push(`  ${fmt(row.events).padStart(10)}  ${row.name}  (${row.principal})`);
  }
  return lines.join("\n");
}
