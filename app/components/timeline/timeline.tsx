import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Forecast } from "../../utils/trail-types.ts";
import {
  type Filters,
  filterKey,
  filterParams,
  type GroupBy,
  MAX_SPAN_MS,
  MIN_SPAN_MS,
} from "../../utils/view-state.ts";
import { AXIS_HEIGHT, drawScene, type HitMark, hitTest, ROW_HEIGHT } from "./draw.ts";
import { formatSpan, timeAt, type Viewport } from "./scale.ts";
import type { TimelinePayload } from "./timeline-data.ts";
import { TimelineTooltip } from "./tooltip.tsx";
import { WindowLoader } from "./window-loader.ts";

export interface TimelineProps {
  from: number;
  to: number;
  group: GroupBy;
  filters: Filters;
  /** Lanes known up front (busiest first); lanes seen in data are appended. */
  initialLanes: { key: string; label: string }[];
  latest: number | null;
  forecasts: Forecast[];
  selectedId: string | null;
  onSelectEvent: (id: string) => void;
  /** Called when the view settles after an interaction (the URL update). */
  onViewChange: (from: number, to: number) => void;
  onNavigateAnomaly: (direction: "next" | "previous", from: number, to: number) => void;
  /** Called once the first window has been drawn (secondary data can load then without delaying it). */
  onFirstData?: () => void;
  /** The window of the initial view, computed by the page loader and streamed with the document. */
  initialWindow?: Promise<TimelinePayload | null> | null;
}

const LABEL_WIDTH = 200;
const COMMIT_DELAY_MS = 350;

/**
 * The timeline: a canvas drawn every frame from cached windows (never awaiting), an HTML lane-label column
 * (accessible names), and the interactions: wheel/pinch zoom, drag pan, shift-drag or ruler brush, double-click,
 * keyboard. Data for the visible window is fetched from `/api/timeline` with a margin and cached.
 */
export function Timeline(props: TimelineProps) {
  const { group, filters } = props;
  const key = filterKey(group, filters);
  const container = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef({ from: props.from, to: props.to });
  const width = useRef(800);
  const hits = useRef<HitMark[]>([]);
  const frame = useRef(0);
  const firstData = useRef(false);
  const lastCommit = useRef({ from: props.from, to: props.to });
  const commitTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const brush = useRef<{ x0: number; x1: number } | null>(null);
  const hoverX = useRef<number | null>(null);
  const [lanes, setLanes] = useState(props.initialLanes);
  const lanesRef = useRef(lanes);
  lanesRef.current = lanes;
  const [status, setStatus] = useState<{
    loading: boolean;
    error: string | null;
    mode: string;
    events: number | null;
  }>({
    loading: true,
    error: null,
    mode: "",
    events: null,
  });
  const [tooltip, setTooltip] = useState<{ x: number; y: number; hit: HitMark } | null>(null);
  const [rangeLabel, setRangeLabel] = useState("");
  const propsRef = useRef(props);
  propsRef.current = props;

  const height = AXIS_HEIGHT + Math.max(1, lanes.length) * ROW_HEIGHT + 4;

  useEffect(() => setLanes(props.initialLanes), [props.initialLanes]);

  const loader = useRef<WindowLoader | null>(null);
  loader.current ??= new WindowLoader({
    onData: (payload) => {
      if (payload) mergeLanes(payload);
      scheduleRef.current();
    },
    onStatus: (next) => setStatus((s) => ({ ...s, ...next })),
  });
  const cache = loader.current.cache;
  const scheduleRef = useRef(() => {});
  useEffect(() => () => loader.current?.abortAll(), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: key captures group and filters
  const query = useMemo(() => {
    const params = filterParams(filters);
    params.set("group", group);
    return params;
  }, [key]);

  // The page loader's window for the first view (and for each new group or filters it loads for).
  // biome-ignore lint/correctness/useExhaustiveDependencies: seeded once per promise, for the view it was made for
  useEffect(() => {
    if (!props.initialWindow) return;
    loader.current?.seed(key, query, { from: props.from, to: props.to }, props.initialWindow);
  }, [props.initialWindow]);

  function mergeLanes(payload: TimelinePayload) {
    const known = new Set(lanesRef.current.map((l) => l.key));
    const added = payload.lanes.filter((l) => !known.has(l.key)).map((l) => ({ key: l.key, label: l.label }));
    if (added.length > 0) setLanes((current) => [...current, ...added]);
  }

  const draw = useCallback(() => {
    frame.current = 0;
    const element = canvas.current;
    if (!element) return;
    const ctx = element.getContext("2d");
    if (!ctx) return;
    const { from, to } = view.current;
    const found = cache.lookup(key, from, to);
    if (!found?.exact) loader.current?.want(key, query, from, to);
    const dpr = window.devicePixelRatio || 1;
    const cssHeight = element.clientHeight;
    if (element.width !== Math.round(width.current * dpr) || element.height !== Math.round(cssHeight * dpr)) {
      element.width = Math.round(width.current * dpr);
      element.height = Math.round(cssHeight * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const p = propsRef.current;
    hits.current = drawScene(ctx, {
      view: { from, to, width: width.current },
      height: cssHeight,
      lanes: lanesRef.current.map((l) => l.key),
      payload: found?.payload ?? null,
      latest: found?.payload.latest ?? p.latest,
      forecasts: p.forecasts,
      group: p.group,
      dark: document.documentElement.classList.contains("dark"),
      selectedId: p.selectedId,
      hoverX: hoverX.current,
      brush: brush.current,
    });
    const label = `${new Date(from).toISOString().slice(0, 19).replace("T", " ")} – ${new Date(to).toISOString().slice(0, 19).replace("T", " ")} UTC (${formatSpan(to - from)})`;
    setRangeLabel((current) => (current === label ? current : label));
    if (found && !firstData.current) {
      firstData.current = true;
      // Read by bench/web-bench.ts: first frame drawn with data after navigation.
      performance.mark("timeline-first-data");
      propsRef.current.onFirstData?.();
    }
    const mode = found ? (found.payload.events ? "events" : "histogram") : "";
    const events = found?.payload.events ? found.payload.events.length : null;
    setStatus((s) => (s.mode === mode && s.events === events ? s : { ...s, mode, events }));
  }, [key, query, cache]);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);
  scheduleRef.current = schedule;

  // Redraw whenever anything the scene depends on changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: these are the redraw triggers
  useEffect(schedule, [schedule, lanes, props.forecasts, props.selectedId, props.latest]);

  // The URL moved (back button, link): adopt its range unless it is the one we just committed.
  useEffect(() => {
    const committed = lastCommit.current;
    if (Math.abs(committed.from - props.from) < 2 && Math.abs(committed.to - props.to) < 2) return;
    view.current = { from: props.from, to: props.to };
    lastCommit.current = { from: props.from, to: props.to };
    schedule();
  }, [props.from, props.to, schedule]);

  // Track the plotting width.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      width.current = Math.max(100, element.clientWidth);
      schedule();
    });
    observer.observe(element);
    width.current = Math.max(100, element.clientWidth);
    schedule();
    return () => observer.disconnect();
  }, [schedule]);

  const setView = useCallback(
    (from: number, to: number, commit: "debounced" | "now" = "debounced") => {
      let span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, to - from));
      const centre = (from + to) / 2;
      if (!Number.isFinite(span)) span = MIN_SPAN_MS;
      view.current = { from: centre - span / 2, to: centre + span / 2 };
      schedule();
      if (commitTimer.current) clearTimeout(commitTimer.current);
      const apply = () => {
        lastCommit.current = { ...view.current };
        propsRef.current.onViewChange(view.current.from, view.current.to);
      };
      if (commit === "now") apply();
      else commitTimer.current = setTimeout(apply, COMMIT_DELAY_MS);
    },
    [schedule],
  );

  const zoomAt = useCallback(
    (factor: number, x: number, commit: "debounced" | "now" = "debounced") => {
      const { from, to } = view.current;
      const vp: Viewport = { from, to, width: width.current };
      const anchor = timeAt(vp, x);
      const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, (to - from) * factor));
      const ratio = x / width.current;
      setView(anchor - span * ratio, anchor - span * ratio + span, commit);
    },
    [setView],
  );

  const panBy = useCallback(
    (fraction: number, commit: "debounced" | "now" = "debounced") => {
      const { from, to } = view.current;
      const shift = (to - from) * fraction;
      setView(from + shift, to + shift, commit);
    },
    [setView],
  );

  // Wheel needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const x = event.offsetX;
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      const dx = event.deltaX * unit;
      const dy = event.deltaY * unit;
      if (event.shiftKey || Math.abs(dx) > Math.abs(dy))
        panBy((event.shiftKey ? dy || dx : dx) / width.current);
      else zoomAt(Math.exp(dy * (event.ctrlKey ? 0.01 : 0.0015)), x);
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [panBy, zoomAt]);

  // Pointer interactions: drag pans, shift-drag (or drag on the ruler) brushes, two pointers pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<
    | { kind: "pan"; startX: number; from: number; to: number; moved: boolean }
    | { kind: "brush"; startX: number }
    | { kind: "pinch"; distance: number; from: number; to: number; centre: number }
    | null
  >(null);

  const rowAt = (y: number) => Math.floor((y - AXIS_HEIGHT) / ROW_HEIGHT);

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.nativeEvent.offsetX, y: event.nativeEvent.offsetY });
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      gesture.current = {
        kind: "pinch",
        distance: Math.abs(a.x - b.x) || 1,
        ...view.current,
        centre: (a.x + b.x) / 2,
      };
      return;
    }
    const x = event.nativeEvent.offsetX;
    if (event.shiftKey || event.nativeEvent.offsetY < AXIS_HEIGHT) {
      gesture.current = { kind: "brush", startX: x };
      brush.current = { x0: x, x1: x };
    } else gesture.current = { kind: "pan", startX: x, ...view.current, moved: false };
  };

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const x = event.nativeEvent.offsetX;
    const y = event.nativeEvent.offsetY;
    if (pointers.current.has(event.pointerId)) pointers.current.set(event.pointerId, { x, y });
    const g = gesture.current;
    if (g?.kind === "pinch" && pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const factor = g.distance / (Math.abs(a.x - b.x) || 1);
      const vp = { from: g.from, to: g.to, width: width.current };
      const anchor = timeAt(vp, g.centre);
      const span = (g.to - g.from) * factor;
      const ratio = g.centre / width.current;
      setView(anchor - span * ratio, anchor - span * ratio + span);
      return;
    }
    if (g?.kind === "pan") {
      const dx = x - g.startX;
      if (Math.abs(dx) > 3) g.moved = true;
      if (g.moved) {
        const shift = (-dx / width.current) * (g.to - g.from);
        setView(g.from + shift, g.to + shift);
      }
      return;
    }
    if (g?.kind === "brush") {
      brush.current = { x0: g.startX, x1: x };
      schedule();
      return;
    }
    hoverX.current = x;
    const row = rowAt(y);
    const payload = cache.lookup(key, view.current.from, view.current.to)?.payload;
    const bucketPx = payload ? (payload.bucketMs / (view.current.to - view.current.from)) * width.current : 4;
    const hit = row >= 0 ? hitTest(hits.current, x, row, bucketPx) : null;
    setTooltip(hit ? { x, y, hit } : null);
    schedule();
  };

  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>) => {
    pointers.current.delete(event.pointerId);
    const g = gesture.current;
    gesture.current = null;
    const x = event.nativeEvent.offsetX;
    if (g?.kind === "brush") {
      brush.current = null;
      if (Math.abs(x - g.startX) > 5) {
        const vp = { ...view.current, width: width.current };
        setView(timeAt(vp, Math.min(x, g.startX)), timeAt(vp, Math.max(x, g.startX)), "now");
      } else schedule();
      return;
    }
    if (g?.kind === "pan" && !g.moved) {
      const row = rowAt(event.nativeEvent.offsetY);
      const payload = cache.lookup(key, view.current.from, view.current.to)?.payload;
      const bucketPx = payload
        ? (payload.bucketMs / (view.current.to - view.current.from)) * width.current
        : 4;
      const hit = row >= 0 ? hitTest(hits.current, x, row, bucketPx) : null;
      if (hit?.kind === "event" && hit.event) propsRef.current.onSelectEvent(hit.event.id);
      else if (hit?.kind === "bucket" && hit.bucket) {
        const span = Math.max(MIN_SPAN_MS, (hit.bucket.to - hit.bucket.from) * 4);
        const centre = (hit.bucket.from + hit.bucket.to) / 2;
        setView(centre - span / 2, centre + span / 2, "now");
      }
    } else if (g?.kind === "pan" && g.moved) {
      if (commitTimer.current) clearTimeout(commitTimer.current);
      setView(view.current.from, view.current.to, "now");
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.target !== event.currentTarget && !(event.target instanceof HTMLCanvasElement)) return;
    const centre = width.current / 2;
    const k = event.key;
    const handled = (() => {
      if (k === "w" || k === "+" || k === "=") zoomAt(0.5, centre, "now");
      else if (k === "s" || k === "-" || k === "_") zoomAt(2, centre, "now");
      else if (k === "a" || k === "ArrowLeft") panBy(-0.25, "now");
      else if (k === "d" || k === "ArrowRight") panBy(0.25, "now");
      else if (k === "n" || k === "]")
        propsRef.current.onNavigateAnomaly("next", view.current.from, view.current.to);
      else if (k === "p" || k === "[")
        propsRef.current.onNavigateAnomaly("previous", view.current.from, view.current.to);
      else return false;
      return true;
    })();
    if (handled) event.preventDefault();
  };

  const laneLabels = useMemo(() => lanes, [lanes]);

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-3 px-1 text-xs text-slate-600 dark:text-slate-400">
        <span data-testid="visible-range" aria-live="polite">
          {rangeLabel}
        </span>
        <span data-testid="timeline-mode">
          {status.mode === "events"
            ? `${status.events} events`
            : status.mode === "histogram"
              ? "density"
              : ""}
        </span>
        {status.loading ? <span role="status">loading…</span> : null}
        {status.error ? (
          <span role="alert" className="text-red-600">
            {status.error}
          </span>
        ) : null}
        <span className="ml-auto flex gap-1">
          <button
            type="button"
            className="rounded border border-slate-300 px-2 dark:border-slate-700"
            onClick={() => zoomAt(0.5, width.current / 2, "now")}
          >
            Zoom in
          </button>
          <button
            type="button"
            className="rounded border border-slate-300 px-2 dark:border-slate-700"
            onClick={() => zoomAt(2, width.current / 2, "now")}
          >
            Zoom out
          </button>
          <button
            type="button"
            className="rounded border border-slate-300 px-2 dark:border-slate-700"
            aria-label="Pan left"
            onClick={() => panBy(-0.25, "now")}
          >
            ←
          </button>
          <button
            type="button"
            className="rounded border border-slate-300 px-2 dark:border-slate-700"
            aria-label="Pan right"
            onClick={() => panBy(0.25, "now")}
          >
            →
          </button>
        </span>
      </div>
      <div
        ref={container}
        className="relative flex rounded border border-slate-200 dark:border-slate-800"
        style={{ height }}
      >
        <ul
          aria-label="Lanes"
          className="shrink-0 border-r border-slate-200 text-xs dark:border-slate-800"
          style={{ width: LABEL_WIDTH, paddingTop: AXIS_HEIGHT }}
        >
          {laneLabels.map((lane) => (
            <li
              key={lane.key}
              className="truncate px-2 leading-6"
              style={{ height: ROW_HEIGHT }}
              title={lane.key}
            >
              {lane.label}
            </li>
          ))}
        </ul>
        <div className="relative min-w-0 flex-1">
          <canvas
            ref={canvas}
            data-testid="timeline-canvas"
            tabIndex={0}
            role="img"
            aria-label={`Timeline of CloudTrail events by ${group}, ${rangeLabel}. Keys: W/S zoom, A/D pan, N/P next or previous anomaly; shift-drag to select a range.`}
            aria-keyshortcuts="w s a d n p + - ArrowLeft ArrowRight"
            className="block h-full w-full cursor-crosshair touch-none select-none"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onPointerLeave={() => {
              hoverX.current = null;
              setTooltip(null);
              schedule();
            }}
            onDoubleClick={(event) => zoomAt(event.shiftKey ? 2 : 0.5, event.nativeEvent.offsetX, "now")}
            onKeyDown={onKeyDown}
          />
          {tooltip ? (
            <TimelineTooltip x={tooltip.x} y={tooltip.y} hit={tooltip.hit} width={width.current} />
          ) : null}
        </div>
      </div>
    </div>
  );
}
