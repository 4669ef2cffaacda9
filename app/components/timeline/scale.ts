/** Time ↔ pixel mapping, tick generation and colours for the timeline canvas. Pure functions. */

export interface Viewport {
  from: number;
  to: number;
  /** Width of the plotting area in CSS pixels. */
  width: number;
}

export const xOf = (v: Viewport, t: number) => ((t - v.from) / (v.to - v.from)) * v.width;
export const timeAt = (v: Viewport, x: number) => v.from + (x / v.width) * (v.to - v.from);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  60 * DAY,
  90 * DAY,
];

/** Tick times at a "nice" UTC step so that labels are at least `minPx` apart. */
export function ticks(v: Viewport, minPx = 90): { step: number; times: number[] } {
  const span = v.to - v.from;
  const wanted = (span / Math.max(1, v.width)) * minPx;
  const step = STEPS.find((s) => s >= wanted) ?? STEPS[STEPS.length - 1] ?? DAY;
  const first = Math.ceil(v.from / step) * step;
  const times: number[] = [];
  for (let t = first; t <= v.to && times.length < 200; t += step) times.push(t);
  return { step, times };
}

/** A short UTC label whose precision follows the tick step. */
export function tickLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  if (step < MINUTE) return iso.slice(11, 19);
  if (step < DAY)
    return iso.slice(5, 10) === new Date(t - step).toISOString().slice(5, 10)
      ? iso.slice(11, 16)
      : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(0, 10);
}

export function formatSpan(ms: number): string {
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(ms < 10 * SECOND ? 1 : 0)} s`;
  if (ms < HOUR) return `${(ms / MINUTE).toFixed(ms < 10 * MINUTE ? 1 : 0)} min`;
  if (ms < DAY) return `${(ms / HOUR).toFixed(ms < 10 * HOUR ? 1 : 0)} h`;
  return `${(ms / DAY).toFixed(ms < 10 * DAY ? 1 : 0)} days`;
}

/** Anomaly colour: blue (ordinary, below 0.25) through amber to red (score ≥ 0.8). */
export function scoreColour(score: number, alpha = 1): string {
  const s = Math.min(1, Math.max(0, score - 0.25) / 0.55);
  const hue = 212 - 212 * s;
  const light = 52 - 6 * s;
  return `hsla(${hue.toFixed(0)}, 80%, ${light.toFixed(0)}%, ${alpha})`;
}
