import type { Forecast } from "../../utils/trail-types.ts";
import type { GroupBy } from "../../utils/view-state.ts";
import { scoreColour, tickLabel, ticks, type Viewport, xOf } from "./scale.ts";
import { cellsOf, type EventMark, type TimelinePayload } from "./timeline-data.ts";

export const ROW_HEIGHT = 24;
export const AXIS_HEIGHT = 26;

export interface Scene {
  view: Viewport;
  height: number;
  lanes: string[];
  payload: TimelinePayload | null;
  latest: number | null;
  forecasts: Forecast[];
  group: GroupBy;
  dark: boolean;
  selectedId: string | null;
  hoverX: number | null;
  brush: { x0: number; x1: number } | null;
}

/** Marks drawn this frame, for hit testing (hover and click) without touching the data again. */
export interface HitMark {
  x: number;
  row: number;
  kind: "event" | "bucket" | "ghost";
  event?: EventMark;
  bucket?: { from: number; to: number; count: number; errors: number; score: number; lane: string };
  ghost?: { principal: string; predictions: { action: string; p: number }[]; start: number; end: number };
}

/** The lane a predicted action of a principal belongs to under the current grouping. */
export function ghostLane(group: GroupBy, principal: string, action: string): string {
  if (group === "principal") return principal;
  if (group === "service") return action.split(":")[0] ?? action;
  return action;
}

/** Draws one frame synchronously from whatever data is at hand (never awaits). */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene): HitMark[] {
  const { view, height, lanes, payload, dark } = scene;
  const hits: HitMark[] = [];
  const rowOf = new Map(lanes.map((key, i) => [key, i]));
  const top = (row: number) => AXIS_HEIGHT + row * ROW_HEIGHT;
  ctx.clearRect(0, 0, view.width, height);

  // Lanes background.
  for (let row = 0; row < lanes.length; row++) {
    if (row % 2 === 1) {
      ctx.fillStyle = dark ? "rgba(148,163,184,0.06)" : "rgba(15,23,42,0.035)";
      ctx.fillRect(0, top(row), view.width, ROW_HEIGHT);
    }
  }

  // Future zone: everything after the latest event.
  if (scene.latest !== null && scene.latest < view.to) {
    const x = Math.max(0, xOf(view, scene.latest));
    ctx.fillStyle = dark ? "rgba(167,139,250,0.08)" : "rgba(124,58,237,0.06)";
    ctx.fillRect(x, 0, view.width - x, height);
    ctx.strokeStyle = dark ? "#a78bfa" : "#7c3aed";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, 0);
    ctx.lineTo(x + 0.5, height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = dark ? "#c4b5fd" : "#6d28d9";
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillText("predicted →", x + 4, AXIS_HEIGHT - 6);
  }

  // Axis.
  const { step, times } = ticks(view);
  ctx.font = "11px system-ui, sans-serif";
  for (const t of times) {
    const x = Math.round(xOf(view, t)) + 0.5;
    ctx.strokeStyle = dark ? "rgba(148,163,184,0.18)" : "rgba(15,23,42,0.08)";
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT - 4);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.fillStyle = dark ? "#94a3b8" : "#475569";
    ctx.fillText(tickLabel(t, step), x + 3, 12);
  }

  if (payload) {
    if (payload.events) drawEvents(ctx, scene, payload.events, rowOf, top, hits);
    else drawHistogram(ctx, scene, payload, rowOf, top, hits);
  }
  drawGhosts(ctx, scene, rowOf, top, hits);

  if (scene.brush) {
    const x0 = Math.min(scene.brush.x0, scene.brush.x1);
    const w = Math.abs(scene.brush.x1 - scene.brush.x0);
    ctx.fillStyle = "rgba(59,130,246,0.18)";
    ctx.fillRect(x0, 0, w, height);
    ctx.strokeStyle = "#3b82f6";
    ctx.strokeRect(x0 + 0.5, 0.5, w, height - 1);
  }
  if (scene.hoverX !== null) {
    ctx.strokeStyle = dark ? "rgba(226,232,240,0.4)" : "rgba(15,23,42,0.3)";
    ctx.beginPath();
    ctx.moveTo(scene.hoverX + 0.5, AXIS_HEIGHT);
    ctx.lineTo(scene.hoverX + 0.5, height);
    ctx.stroke();
  }
  return hits;
}

function drawHistogram(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  payload: TimelinePayload,
  rowOf: Map<string, number>,
  top: (row: number) => number,
  hits: HitMark[],
) {
  const { view } = scene;
  const bw = (payload.bucketMs / (view.to - view.from)) * view.width;
  let max = 1;
  for (const lane of payload.lanes) for (const cell of cellsOf(lane)) max = Math.max(max, cell.count);
  const scale = Math.log1p(max);
  for (const lane of payload.lanes) {
    const row = rowOf.get(lane.key);
    if (row === undefined) continue;
    const y0 = top(row);
    for (const cell of cellsOf(lane)) {
      const start = payload.from + cell.index * payload.bucketMs;
      const x = xOf(view, start);
      if (x + bw < 0 || x > view.width) continue;
      const h = Math.max(2, (Math.log1p(cell.count) / scale) * (ROW_HEIGHT - 6));
      ctx.fillStyle = scoreColour(cell.score, 0.85);
      ctx.fillRect(x, y0 + ROW_HEIGHT - 2 - h, Math.max(1, bw - (bw > 3 ? 1 : 0)), h);
      if (cell.errors > 0) {
        ctx.fillStyle = "#dc2626";
        ctx.fillRect(x, y0 + ROW_HEIGHT - 2, Math.max(1, bw - (bw > 3 ? 1 : 0)), 2);
      }
      hits.push({
        x: x + bw / 2,
        row,
        kind: "bucket",
        bucket: {
          from: start,
          to: start + payload.bucketMs,
          count: cell.count,
          errors: cell.errors,
          score: cell.score,
          lane: lane.key,
        },
      });
    }
  }
}

function drawEvents(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  events: EventMark[],
  rowOf: Map<string, number>,
  top: (row: number) => number,
  hits: HitMark[],
) {
  const { view } = scene;
  for (const event of events) {
    const row = rowOf.get(event.lane);
    if (row === undefined) continue;
    const x = xOf(view, event.t);
    if (x < -4 || x > view.width + 4) continue;
    const y0 = top(row);
    ctx.fillStyle = scoreColour(event.score);
    ctx.fillRect(x - 1.5, y0 + 4, 3, ROW_HEIGHT - 8);
    if (event.error) {
      // Errors: a red triangle above the mark.
      ctx.fillStyle = "#dc2626";
      ctx.beginPath();
      ctx.moveTo(x - 4, y0 + 1);
      ctx.lineTo(x + 4, y0 + 1);
      ctx.lineTo(x, y0 + 6);
      ctx.fill();
    }
    if (event.id === scene.selectedId) {
      ctx.strokeStyle = scene.dark ? "#f8fafc" : "#0f172a";
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 4, y0 + 2, 8, ROW_HEIGHT - 4);
      ctx.lineWidth = 1;
    }
    hits.push({ x, row, kind: "event", event });
  }
}

function drawGhosts(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  rowOf: Map<string, number>,
  top: (row: number) => number,
  hits: HitMark[],
) {
  const { view } = scene;
  // Ghosts live in the future lane: never left of the latest event, and wide enough to see at any zoom.
  const floor = scene.latest === null ? Number.NEGATIVE_INFINITY : xOf(view, scene.latest) + 2;
  const stroke = scene.dark ? "rgba(196,181,253,0.9)" : "rgba(109,40,217,0.85)";
  const fill = (alpha: number) => (scene.dark ? `rgba(196,181,253,${alpha})` : `rgba(124,58,237,${alpha})`);
  for (const forecast of scene.forecasts) {
    const windows =
      forecast.windows.length > 0
        ? forecast.windows
        : [{ start: forecast.after, end: forecast.after + (forecast.medianGapMs ?? 60_000), p: 0.5 }];
    const span = (w: { start: number; end: number }) => {
      const x0 = Math.max(floor, xOf(view, w.start));
      return { x0, x1: Math.max(x0 + 14, xOf(view, w.end)) };
    };
    const first = windows[0] as { start: number; end: number; p: number };
    const { x0, x1 } = span(first);
    if (x1 < 0 || x0 > view.width) continue;
    if (scene.group === "principal") {
      const row = rowOf.get(forecast.principal);
      if (row === undefined) continue;
      const y0 = top(row);
      // Later likely windows: faint outlines; the first: filled with the best prediction's label.
      ctx.setLineDash([3, 2]);
      ctx.strokeStyle = stroke;
      for (const w of windows.slice(1, 4)) {
        const s = span(w);
        ctx.fillStyle = fill(0.06 + 0.2 * w.p);
        ctx.fillRect(s.x0, y0 + 5, s.x1 - s.x0, ROW_HEIGHT - 10);
      }
      ctx.fillStyle = fill(0.25);
      ctx.fillRect(x0, y0 + 3, x1 - x0, ROW_HEIGHT - 6);
      ctx.strokeRect(x0 + 0.5, y0 + 3.5, x1 - x0, ROW_HEIGHT - 7);
      ctx.setLineDash([]);
      const best = forecast.predictions[0];
      if (best && x1 - x0 > 60) {
        ctx.fillStyle = scene.dark ? "#ede9fe" : "#4c1d95";
        ctx.font = "10px system-ui, sans-serif";
        ctx.fillText(
          `${best.action} ${(best.p * 100).toFixed(0)}%`,
          x0 + 4,
          y0 + ROW_HEIGHT / 2 + 3,
          x1 - x0 - 6,
        );
      }
      hits.push({
        x: (x0 + x1) / 2,
        row,
        kind: "ghost",
        ghost: {
          principal: forecast.name,
          predictions: forecast.predictions,
          start: first.start,
          end: first.end,
        },
      });
    } else {
      for (const prediction of forecast.predictions) {
        const row = rowOf.get(ghostLane(scene.group, forecast.principal, prediction.action));
        if (row === undefined) continue;
        const y0 = top(row);
        ctx.fillStyle = fill(0.15 + 0.7 * prediction.p);
        ctx.fillRect(x0, y0 + 6, 12, ROW_HEIGHT - 12);
        hits.push({
          x: x0 + 6,
          row,
          kind: "ghost",
          ghost: { principal: forecast.name, predictions: [prediction], start: first.start, end: first.end },
        });
      }
    }
  }
}

/** The mark under (x, row): events and ghosts within 5 px, else the bucket containing x. */
export function hitTest(hits: HitMark[], x: number, row: number, bucketPx: number): HitMark | null {
  let best: HitMark | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const hit of hits) {
    if (hit.row !== row) continue;
    const distance = Math.abs(hit.x - x);
    const limit = hit.kind === "bucket" ? Math.max(2, bucketPx / 2 + 1) : hit.kind === "ghost" ? 40 : 5;
    if (distance <= limit && distance < bestDistance) {
      best = hit;
      bestDistance = distance;
    }
  }
  return best;
}
