import type { HitMark } from "./draw.ts";

const iso = (t: number) => `${new Date(t).toISOString().replace("T", " ").slice(0, 19)} UTC`;

/** Hover details of a mark; all text comes from data and is rendered as text (React escapes it). */
export function TimelineTooltip({ x, y, hit, width }: { x: number; y: number; hit: HitMark; width: number }) {
  const left = x > width - 260 ? x - 250 : x + 12;
  return (
    <div
      role="tooltip"
      className="pointer-events-none absolute z-10 w-60 rounded border border-slate-300 bg-white p-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900"
      style={{ left, top: y + 12 }}
    >
      {hit.event ? (
        <>
          <div className="font-semibold break-all">{hit.event.action}</div>
          <div className="break-all">{hit.event.principal}</div>
          <div>{iso(hit.event.t)}</div>
          <div>anomaly {(hit.event.score * 100).toFixed(0)}%</div>
          {hit.event.error ? <div className="text-red-600">error: {hit.event.error}</div> : null}
          <div className="text-slate-500">click for the raw event</div>
        </>
      ) : hit.bucket ? (
        <>
          <div className="font-semibold break-all">{hit.bucket.lane}</div>
          <div>
            {iso(hit.bucket.from)} +{Math.round((hit.bucket.to - hit.bucket.from) / 1000)} s
          </div>
          <div>
            {hit.bucket.count} events{hit.bucket.errors ? `, ${hit.bucket.errors} errors` : ""}
          </div>
          <div>max anomaly {(hit.bucket.score * 100).toFixed(0)}%</div>
          <div className="text-slate-500">click to zoom in</div>
        </>
      ) : hit.ghost ? (
        <>
          <div className="font-semibold">Predicted for {hit.ghost.principal}</div>
          <div>
            expected active {iso(hit.ghost.start)} – {iso(hit.ghost.end).slice(11)}
          </div>
          <ul>
            {hit.ghost.predictions.slice(0, 5).map((p) => (
              <li key={p.action}>
                {p.action} {(p.p * 100).toFixed(1)}%
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
