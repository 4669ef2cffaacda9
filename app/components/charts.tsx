/** Small SVG/HTML charts for the principal pages. All labels are data: rendered as text nodes only. */
import type { ActionCount, Prediction, Transition } from "../utils/trail-types.ts";

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length === 0) return <span className="text-xs text-slate-400">–</span>;
  const max = Math.max(1, ...values);
  const w = 120;
  const h = 24;
  const points = values
    .map(
      (v, i) =>
        `${((i / Math.max(1, values.length - 1)) * w).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg width={w} height={h} role="img" aria-label={label} className="text-blue-600 dark:text-blue-400">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}

export function BarList({
  items,
  format = (n: number) => n.toLocaleString("en"),
  label,
}: {
  items: { name: string; value: number }[];
  format?: (n: number) => string;
  label: string;
}) {
  const max = Math.max(1e-9, ...items.map((i) => i.value));
  return (
    <ul aria-label={label} className="space-y-1 text-xs">
      {items.map((item) => (
        <li key={item.name} className="grid grid-cols-[minmax(0,14rem)_1fr_4rem] items-center gap-2">
          <span className="truncate" title={item.name}>
            {item.name}
          </span>
          <span className="h-3 rounded bg-slate-100 dark:bg-slate-800">
            <span
              className="block h-3 rounded bg-blue-500"
              style={{ width: `${(item.value / max) * 100}%` }}
            />
          </span>
          <span className="text-right tabular-nums">{format(item.value)}</span>
        </li>
      ))}
    </ul>
  );
}

export function ActionBars({ counts }: { counts: ActionCount[] }) {
  return <BarList label="Top actions" items={counts.map((c) => ({ name: c.action, value: c.count }))} />;
}

export function PredictionBars({ predictions }: { predictions: Prediction[] }) {
  return (
    <BarList
      label="Next-action probabilities"
      items={predictions.map((p) => ({ name: p.action, value: p.p }))}
      format={(p) => `${(p * 100).toFixed(1)}%`}
    />
  );
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** 7 × 24 heatmap of activity (UTC), Monday first. */
export function HourHeatmap({ cells, estimated }: { cells: number[]; estimated: boolean }) {
  const max = Math.max(1, ...cells);
  return (
    <figure>
      <table
        className="border-separate border-spacing-0.5 text-[10px]"
        aria-label="Active hours by weekday (UTC)"
      >
        <thead>
          <tr>
            <th />
            {Array.from({ length: 24 }, (_, h) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed hours
              <th key={h} scope="col" className="w-4 font-normal text-slate-500">
                {h % 3 === 0 ? h : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DAYS.map((day, d) => (
            <tr key={day}>
              <th scope="row" className="pr-1 text-right font-normal text-slate-500">
                {day}
              </th>
              {Array.from({ length: 24 }, (_, h) => {
                const value = cells[d * 24 + h] ?? 0;
                return (
                  <td
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed hours
                    key={h}
                    title={`${day} ${String(h).padStart(2, "0")}:00 UTC: ${Math.round(value)} events`}
                    className="h-4 w-4 rounded-sm"
                    style={{
                      background:
                        value > 0
                          ? `rgba(37,99,235,${0.12 + 0.88 * (value / max)})`
                          : "rgba(148,163,184,0.15)",
                    }}
                  />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {estimated ? (
        <figcaption className="text-xs text-slate-500">
          Estimated from hour-of-day × weekday totals.
        </figcaption>
      ) : null}
    </figure>
  );
}

/** What-follows-what: actions on a circle, arrows weighted by how often one followed the other. */
export function TransitionGraph({ transitions }: { transitions: Transition[] }) {
  const nodes = [...new Set(transitions.flatMap((t) => [t.from, t.to]))].slice(0, 14);
  if (nodes.length === 0) return <p className="text-xs text-slate-500">Not enough events.</p>;
  const size = 420;
  const r = 150;
  const c = size / 2;
  const pos = new Map(
    nodes.map((n, i) => [
      n,
      {
        x: c + r * Math.cos((2 * Math.PI * i) / nodes.length - Math.PI / 2),
        y: c + r * Math.sin((2 * Math.PI * i) / nodes.length - Math.PI / 2),
      },
    ]),
  );
  const max = Math.max(1, ...transitions.map((t) => t.count));
  return (
    <figure>
      <svg
        viewBox={`0 0 ${size} ${size}`}
        className="h-auto w-full max-w-md"
        role="img"
        aria-label="Transition graph: which action follows which"
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#64748b" />
          </marker>
        </defs>
        {transitions.map((t) => {
          const a = pos.get(t.from);
          const b = pos.get(t.to);
          if (!a || !b) return null;
          const width = 0.8 + 4 * (t.count / max);
          if (t.from === t.to) {
            return (
              <circle
                key={`${t.from}>${t.to}`}
                cx={a.x + (a.x - c) * 0.12}
                cy={a.y + (a.y - c) * 0.12}
                r={12}
                fill="none"
                stroke="#64748b"
                strokeOpacity={0.6}
                strokeWidth={width}
              >
                <title>{`${t.from} → ${t.to}: ${t.count}`}</title>
              </circle>
            );
          }
          const mx = (a.x + b.x) / 2 + (b.y - a.y) * 0.15;
          const my = (a.y + b.y) / 2 - (b.x - a.x) * 0.15;
          return (
            <path
              key={`${t.from}>${t.to}`}
              d={`M ${a.x} ${a.y} Q ${mx} ${my} ${b.x} ${b.y}`}
              fill="none"
              stroke="#64748b"
              strokeOpacity={0.6}
              strokeWidth={width}
              markerEnd="url(#arrow)"
            >
              <title>{`${t.from} → ${t.to}: ${t.count}`}</title>
            </path>
          );
        })}
        {nodes.map((n) => {
          const p = pos.get(n);
          if (!p) return null;
          const anchor = p.x < c - 10 ? "end" : p.x > c + 10 ? "start" : "middle";
          return (
            <g key={n}>
              <circle cx={p.x} cy={p.y} r={5} className="fill-blue-600" />
              <text
                x={p.x + (anchor === "start" ? 8 : anchor === "end" ? -8 : 0)}
                y={p.y + (p.y < c ? -8 : 14)}
                textAnchor={anchor}
                className="fill-slate-700 text-[10px] dark:fill-slate-300"
              >
                {n}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-slate-500">
        From the principal's latest {transitions.reduce((s, t) => s + t.count, 0)} consecutive pairs of
        events.
      </figcaption>
    </figure>
  );
}
