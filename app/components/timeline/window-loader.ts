import {
  neighbourViews,
  planWindow,
  TimelineCache,
  type TimelinePayload,
  type WindowPlan,
} from "./timeline-data.ts";

/** At most this many prefetches in flight (the server runs them one at a time, behind any view). */
const MAX_PREFETCHES = 4;

export interface LoaderEvents {
  /** A window arrived (view request, prefetch or page loader); null: a promised one did not, redraw anyway. */
  onData: (payload: TimelinePayload | null) => void;
  onStatus: (status: { loading: boolean; error: string | null }) => void;
}

/**
 * Fetches the timeline's windows into its cache. One view request at a time: a newer view aborts the older
 * request (the server drops it if it has not started). Once the view's window is in, the windows the next
 * likely interactions need (zoom in or out by 2×, pan past either edge) are prefetched at low priority, so
 * those interactions are served from the cache. Not React: the component owns one and calls `want` per frame.
 */
export class WindowLoader {
  readonly cache = new TimelineCache();
  private view: { id: string; controller: AbortController } | null = null;
  private readonly prefetches = new Map<string, AbortController>();
  /** Windows promised by the page loader (streamed with the document). */
  private readonly seeded = new Set<string>();

  constructor(private readonly events: LoaderEvents) {}

  /**
   * The page loader's window for the first view (`from`..`to`): it is not fetched again while it streams in,
   * and its neighbours are prefetched once it is here.
   */
  seed(
    key: string,
    query: URLSearchParams,
    view: { from: number; to: number },
    payload: Promise<TimelinePayload | null>,
  ): void {
    const plan = planWindow(view.from, view.to);
    const id = idOf(key, plan);
    this.seeded.add(id);
    const settle = (value: TimelinePayload | null) => {
      this.seeded.delete(id);
      // Without a value the next frame fetches the window itself.
      if (value) {
        this.store(key, plan, value);
        this.events.onStatus({ loading: this.view !== null, error: null });
        this.prefetchAround(key, query, view.from, view.to);
      } else this.events.onData(null);
    };
    payload.then(settle, () => settle(null));
  }

  /**
   * The view needs data at its level of detail (called when the cache has no exact window). `query` holds
   * the group and filters; `key` identifies them.
   */
  want(key: string, query: URLSearchParams, from: number, to: number): void {
    const plan = planWindow(from, to);
    const id = idOf(key, plan);
    if (this.view?.id === id || this.seeded.has(id)) return;
    this.view?.controller.abort();
    // A prefetch of this very window becomes the view request (the server raises the shared computation).
    this.prefetches.get(id)?.abort();
    this.prefetches.delete(id);
    const controller = new AbortController();
    this.view = { id, controller };
    this.events.onStatus({ loading: true, error: null });
    this.fetch(query, plan, controller.signal, false)
      .then((payload) => {
        if (this.view?.id === id) this.view = null;
        this.store(key, plan, payload);
        this.events.onStatus({ loading: this.view !== null, error: null });
        this.prefetchAround(key, query, from, to);
      })
      .catch((error: Error) => {
        if (controller.signal.aborted) return;
        if (this.view?.id === id) this.view = null;
        this.events.onStatus({ loading: false, error: error.message });
      });
  }

  /** Prefetches the neighbours of a view that has its data; stale prefetches are aborted. */
  prefetchAround(key: string, query: URLSearchParams, from: number, to: number): void {
    const wanted = new Map<string, WindowPlan>();
    for (const near of neighbourViews(from, to)) {
      if (this.cache.lookup(key, near.from, near.to)?.exact) continue;
      const plan = planWindow(near.from, near.to);
      wanted.set(idOf(key, plan), plan);
    }
    for (const [id, controller] of this.prefetches) {
      if (!wanted.has(id)) {
        controller.abort();
        this.prefetches.delete(id);
      }
    }
    for (const [id, plan] of wanted) {
      if (this.prefetches.size >= MAX_PREFETCHES) break;
      if (this.prefetches.has(id) || this.view?.id === id) continue;
      const controller = new AbortController();
      this.prefetches.set(id, controller);
      this.fetch(query, plan, controller.signal, true)
        .then((payload) => this.store(key, plan, payload))
        .catch(() => undefined)
        .finally(() => {
          if (this.prefetches.get(id) === controller) this.prefetches.delete(id);
        });
    }
  }

  /** Drops everything in flight (the component is going away). */
  abortAll(): void {
    this.view?.controller.abort();
    this.view = null;
    for (const controller of this.prefetches.values()) controller.abort();
    this.prefetches.clear();
  }

  private store(key: string, plan: WindowPlan, payload: TimelinePayload): void {
    this.cache.put(key, plan, payload);
    this.events.onData(payload);
  }

  private async fetch(
    query: URLSearchParams,
    plan: WindowPlan,
    signal: AbortSignal,
    prefetch: boolean,
  ): Promise<TimelinePayload> {
    const params = new URLSearchParams(query);
    params.set("from", String(plan.from));
    params.set("to", String(plan.to));
    params.set("buckets", String(plan.buckets));
    if (prefetch) params.set("prefetch", "1");
    const response = await fetch(`/api/timeline?${params.toString()}`, { signal });
    if (!response.ok) throw new Error(`timeline data: ${response.status} ${await response.text()}`);
    return (await response.json()) as TimelinePayload;
  }
}

function idOf(key: string, plan: WindowPlan): string {
  return `${key}|${plan.from}|${plan.to}`;
}
