import type { EvaluationResult, ModelResult } from "./evaluate.ts";

/**
 * A self-contained HTML report (inline SVG, no scripts): metrics table, reliability diagram of every
 * predictor and per-principal top-1 accuracy of Trailcast against the best baseline.
 */
const COLORS = ["#d94801", "#6a51a3", "#2171b5", "#238b45"];
const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "n/a");

function reliabilityDiagram(models: readonly ModelResult[]): string {
  const size = 320;
  const pad = 40;
  const x = (v: number) => pad + v * size;
  const y = (v: number) => pad + (1 - v) * size;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 2 * pad + 180}" height="${size + 2 * pad}" role="img" aria-label="reliability diagram">`,
    `<rect x="${pad}" y="${pad}" width="${size}" height="${size}" fill="none" stroke="#999"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 4"/>`,
    `<text x="${pad + size / 2}" y="${size + pad + 30}" text-anchor="middle" font-size="12">top-1 confidence</text>`,
    `<text x="12" y="${pad + size / 2}" font-size="12" transform="rotate(-90 12 ${pad + size / 2})" text-anchor="middle">accuracy</text>`,
  ];
  models.forEach((model, i) => {
    const points = model.metrics.reliability
      .filter((bin) => bin.count > 0)
      .map((bin) => `${x(bin.meanConfidence).toFixed(1)},${y(bin.accuracy).toFixed(1)}`);
    const color = COLORS[i % COLORS.length];
    parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of points) {
      const [px, py] = point.split(",");
      parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    }
    parts.push(
      `<text x="${size + pad + 12}" y="${pad + 14 + i * 18}" font-size="12" fill="${color}">${escapeHtml(model.name)} (ECE ${f3(model.metrics.ece)})</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function perPrincipalChart(ours: ModelResult, other: ModelResult, limit = 25): string {
  const rows = Object.entries(ours.perPrincipal)
    .sort((a, b) => b[1][0] - a[1][0])
    .slice(0, limit);
  const barWidth = 260;
  const rowHeight = 20;
  const labelWidth = 360;
  const height = rows.length * rowHeight + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 80}" height="${height}" role="img" aria-label="per-principal accuracy">`,
    `<text x="${labelWidth}" y="14" font-size="12" fill="${COLORS[0]}">${escapeHtml(ours.name)}</text>`,
    `<text x="${labelWidth + 120}" y="14" font-size="12" fill="${COLORS[3]}">${escapeHtml(other.name)}</text>`,
  ];
  rows.forEach(([principal, [events, hits]], i) => {
    const top = 26 + i * rowHeight;
    const theirs = other.perPrincipal[principal] ?? [events, 0];
    const label = principal.length > 50 ? `…${principal.slice(-49)}` : principal;
    parts.push(
      `<text x="${labelWidth - 8}" y="${top + 11}" font-size="11" text-anchor="end">${escapeHtml(label)} (${events})</text>`,
      `<rect x="${labelWidth}" y="${top}" width="${((hits / events) * barWidth).toFixed(1)}" height="7" fill="${COLORS[0]}"/>`,
      `<rect x="${labelWidth}" y="${top + 8}" width="${((theirs[1] / theirs[0]) * barWidth).toFixed(1)}" height="7" fill="${COLORS[3]}"/>`,
      `<text x="${labelWidth + barWidth + 6}" y="${top + 11}" font-size="11">${f3(hits / events)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

export function renderReport(result: EvaluationResult): string {
  const [ours, ...baselines] = result.models as [ModelResult, ...ModelResult[]];
  const strongest = [...baselines].sort((a, b) => b.metrics.top1 - a.metrics.top1)[0] ?? ours;
  const rows = result.models
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.name)}</td><td>${f3(m.metrics.top1)}</td><td>${f3(m.metrics.top5)}</td><td>${f3(m.metrics.mrr)}</td><td>${f3(m.metrics.logLoss)}</td><td>${f3(m.metrics.ece)}</td></tr>`,
    )
    .join("\n");
  const anomaly = result.anomaly
    ? `<p>Anomaly ranking of ${result.anomaly.positives} labelled attack events among ${result.testEvents}: ROC-AUC <b>${f3(result.anomaly.rocAuc)}</b>, PR-AUC <b>${f3(result.anomaly.prAuc)}</b>.</p>`
    : "<p>No labels given: anomaly ranking not measured.</p>";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trailcast evaluation</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1000px}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>Trailcast evaluation</h1>
<p>Trained on ${result.trainEvents} events, tested on ${result.testEvents} (time order; every predictor predicts each event before learning from it). Log-loss in nats, with the unseen-action rule of docs/model.md.</p>
<table><thead><tr><th>model</th><th>top-1</th><th>top-5</th><th>MRR</th><th>log-loss</th><th>ECE</th></tr></thead><tbody>
${rows}
</tbody></table>
${anomaly}
<h2>Reliability diagram</h2>
<p>Top-1 confidence against how often the top-1 action was right (15 bins); the dashed diagonal is perfect calibration.</p>
${reliabilityDiagram(result.models)}
<h2>Per-principal top-1 accuracy</h2>
<p>The ${Math.min(25, Object.keys(ours.perPrincipal).length)} busiest principals of the test period (event count in brackets).</p>
${perPrincipalChart(ours, strongest)}
</body></html>
`;
}
