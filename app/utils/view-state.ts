/**
 * Timeline state that lives in the URL (shareable; the back button walks through it): the visible range,
 * the lane grouping and the filters. Parsing is total: a bad or missing value falls back to a default.
 */
export type GroupBy = "principal" | "service" | "action";
export type ReadWrite = "all" | "read" | "write";

export interface Filters {
  principal?: string;
  service?: string;
  action?: string;
  errorsOnly: boolean;
  minScore: number;
  readWrite: ReadWrite;
}

export interface ViewState {
  /** Visible range, epoch ms; undefined = fit the data. */
  from?: number;
  to?: number;
  group: GroupBy;
  filters: Filters;
}

export const MIN_SPAN_MS = 2_000;
export const MAX_SPAN_MS = 400 * 86_400_000;

const GROUPS: readonly GroupBy[] = ["principal", "service", "action"];

function time(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseViewState(params: URLSearchParams): ViewState {
  const from = time(params.get("from"));
  const to = time(params.get("to"));
  const group = params.get("group");
  const rw = params.get("rw");
  const minScore = Number(params.get("minScore") ?? 0);
  const text = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value.slice(0, 2048) : undefined;
  };
  const filters: Filters = {
    errorsOnly: params.get("errors") === "1",
    minScore: Number.isFinite(minScore) ? Math.min(1, Math.max(0, minScore)) : 0,
    readWrite: rw === "read" || rw === "write" ? rw : "all",
  };
  const principal = text("principal");
  const service = text("service");
  const action = text("action");
  if (principal) filters.principal = principal;
  if (service) filters.service = service;
  if (action) filters.action = action;
  const state: ViewState = {
    group: GROUPS.includes(group as GroupBy) ? (group as GroupBy) : "principal",
    filters,
  };
  if (from !== undefined && to !== undefined && to > from) {
    state.from = from;
    state.to = to;
  }
  return state;
}

/** Writes state into search params, leaving unrelated params alone; defaults are omitted to keep URLs short. */
export function writeViewState(state: ViewState, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  const set = (name: string, value: string | undefined) => {
    if (value === undefined || value === "") params.delete(name);
    else params.set(name, value);
  };
  set("from", state.from === undefined ? undefined : new Date(Math.round(state.from)).toISOString());
  set("to", state.to === undefined ? undefined : new Date(Math.round(state.to)).toISOString());
  set("group", state.group === "principal" ? undefined : state.group);
  set("principal", state.filters.principal);
  set("service", state.filters.service);
  set("action", state.filters.action);
  set("errors", state.filters.errorsOnly ? "1" : undefined);
  set("minScore", state.filters.minScore > 0 ? String(state.filters.minScore) : undefined);
  set("rw", state.filters.readWrite === "all" ? undefined : state.filters.readWrite);
  return params;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * The range the timeline opens on when the URL has none: the last week of data, plus room on the right for
 * the future lane. Shared by the page loader and the server's warm-up, which computes this very window.
 */
export function defaultRange(
  status: { first: number | null; last: number | null },
  now = Date.now(),
): { from: number; to: number } {
  const last = status.last ?? now;
  const first = status.first ?? last - WEEK_MS;
  const from = Math.max(first, last - WEEK_MS);
  return { from, to: last + Math.max(3_600_000, (last - from) * 0.08) };
}

/** A stable key of everything except the range: cached timeline data is only reusable under the same key. */
export function filterKey(group: GroupBy, filters: Filters): string {
  return JSON.stringify([
    group,
    filters.principal ?? "",
    filters.service ?? "",
    filters.action ?? "",
    filters.errorsOnly,
    filters.minScore,
    filters.readWrite,
  ]);
}

/** Query string for the timeline resource route / exports (filters without the range). */
export function filterParams(filters: Filters): URLSearchParams {
  return writeViewState({ group: "principal", filters });
}

/** Link to a moment on the timeline: a window of `spanMs` centred on `time`, optionally selecting an event. */
export function timelineHref(
  time: number,
  options: { spanMs?: number; eventId?: string; principal?: string } = {},
) {
  const span = options.spanMs ?? 10 * 60_000;
  const params = new URLSearchParams();
  params.set("from", new Date(time - span / 2).toISOString());
  params.set("to", new Date(time + span / 2).toISOString());
  if (options.principal) params.set("principal", options.principal);
  if (options.eventId) params.set("event", options.eventId);
  return `/?${params.toString()}`;
}
