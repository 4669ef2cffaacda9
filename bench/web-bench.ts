/**
 * Web app benchmark (Playwright + Debian Chromium) on the benchmark store: first meaningful paint of the
 * timeline after navigation, pan/zoom data round trips, payload per view, long tasks while panning.
 * Targets: paint < 1 s, round trip p95 < 100 ms, payload < 256 KB per view, no long task > 50 ms while panning.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { FileSource } from "../core/ingest/file-source.ts";
import { TrailData } from "../core/query/trail-data.ts";
import { ingest } from "../core/store/ingest.ts";
import { TrailStore } from "../core/store/trail-store.ts";
import { CHROMIUM_LAUNCH } from "../e2e/chromium.ts";
import { median, percentile, round } from "./stats.ts";

const ROOT = resolve(import.meta.dirname, "..");

type Phase = "load" | "deep-link" | "interaction";
interface TimelineRequest {
  ms: number;
  bytes: number;
  /** Server-Timing cache state (hit, joined, miss); "browser" when the browser's HTTP cache answered. */
  cache: string;
  prefetch: boolean;
  phase: Phase;
}

async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  const code = await new Promise<number | null>((done) => child.on("exit", done));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
}

/** Polls `url` until it answers OK (and `ready` accepts its JSON body). */
async function waitFor(
  url: string,
  timeoutMs: number,
  ready: (body: unknown) => boolean = () => true,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (
      await fetch(url).then(
        async (r) => r.ok && ready(await r.json().catch(() => null)),
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

interface Probe {
  /** Round trips (ms) of the probes made so far. */
  ms: number[];
  stop: () => Promise<void>;
}

/**
 * Fetches `url` again and again (one at a time, `everyMs` apart) until stopped: how long a client waits for
 * something that touches neither the store nor the model (liveness, a static file) while the server works.
 */
function probe(url: string, everyMs = 100): Probe {
  const ms: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(url).then(
        async (r) => {
          await r.arrayBuffer();
          return r.ok;
        },
        () => false,
      );
      if (ok) ms.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    ms,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const probeSummary = (ms: number[]) => ({
  n: ms.length,
  p50: ms.length ? round(median(ms)) : null,
  p95: ms.length ? round(percentile(ms, 95)) : null,
  max: ms.length ? round(Math.max(...ms)) : null,
  over100: ms.filter((m) => m > 100).length,
});

/** `storePath` reuses an existing store (e.g. the one `npm start` made) instead of ingesting `dataDir`. */
export async function webBench(
  dataDir: string,
  scratch: string,
  existingStore = process.env.BENCH_WEB_STORE,
) {
  const storePath = existingStore ?? join(scratch, "web.duckdb");
  if (!existsSync(storePath)) {
    process.stderr.write(`web bench: ingesting ${dataDir} into ${storePath}\n`);
    const writer = await TrailStore.open(storePath);
    await ingest(writer, new FileSource([join(dataDir, "AWSLogs")]));
    writer.close();
  }
  // Score once up front (persisted in the store) so the server starts read-only and fast.
  const scoring = performance.now();
  (await TrailData.open({ storePath, onProgress: (m) => process.stderr.write(`web bench: ${m}\n`) })).close();
  const scoringSeconds = (performance.now() - scoring) / 1000;
  if (!existsSync(join(ROOT, "build/server/index.js"))) await run("npm", ["run", "build"]);

  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const spawned = performance.now();
  let server: ChildProcess | null = spawn(
    join(ROOT, "node_modules/.bin/remix-serve"),
    ["build/server/index.js"],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        TRAILCAST_STORE: storePath,
        TRAILCAST_CHAT: "offline",
      },
    },
  );
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    await waitFor(`${base}/healthz`, 60_000);
    // While the server warms up (default window, then the behaviour model: rebuilt when its file is missing),
    // probe what needs neither: liveness and a static file.
    const asset = readdirSync(join(ROOT, "build/client/assets")).find((name) => name.endsWith(".css"));
    const probes = {
      healthz: probe(`${base}/healthz`),
      ...(asset ? { static: probe(`${base}/assets/${asset}`) } : {}),
    };
    // Measure a warm service: the server builds the behaviour model at start-up (one prediction); wait for a
    // prediction to answer, as a running service would have long before its first visitor.
    await waitFor(`${base}/api/timeline?from=0&to=1000&buckets=1`, 600_000);
    const everything = (await (
      await fetch(`${base}/api/timeline?from=0&to=${Date.now() * 2}&buckets=1`)
    ).json()) as { lanes: { key: string; total: number }[]; latest: number };
    const lanes = everything.lanes;
    const storeEvents = lanes.reduce((sum, lane) => sum + lane.total, 0);
    const dataEnd = everything.latest;
    // A forecast that failed (e.g. timed out while the model was built) comes back as an empty list.
    await waitFor(
      `${base}/api/forecasts?principal=${encodeURIComponent(lanes[0]?.key ?? "")}`,
      1_800_000,
      (body) => ((body as { forecasts?: unknown[] } | null)?.forecasts?.length ?? 0) > 0,
    );
    const serverReadySeconds = (performance.now() - spawned) / 1000;
    await Promise.all(Object.values(probes).map((p) => p.stop()));
    const startupLatencyMs = Object.fromEntries(
      Object.entries(probes).map(([name, p]) => [name, probeSummary(p.ms)]),
    );

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    // Every /api/timeline request: round trip as the browser saw it, body size, whether the server had the
    // window cached (Server-Timing), whether it was a prefetch, and in which phase it was made.
    let phase: Phase = "load";
    const timeline: TimelineRequest[] = [];
    let aborted = 0;
    page.on("requestfinished", async (request) => {
      if (!request.url().includes("/api/timeline")) return;
      const timing = request.timing();
      const response = await request.response();
      // A body is gone once its page navigated away (a deep link right after a prefetch): counted as 0 bytes.
      const body = await response?.body().catch(() => null);
      const serverTiming = (await response?.allHeaders().catch(() => null))?.["server-timing"] ?? "";
      timeline.push({
        ms: timing.responseEnd,
        bytes: body?.length ?? 0,
        cache: /cache;desc=(\w+)/.exec(serverTiming)?.[1] ?? "browser",
        prefetch: request.url().includes("prefetch=1"),
        phase,
      });
    });
    page.on("requestfailed", (request) => {
      if (request.url().includes("/api/timeline")) aborted++;
    });

    // First meaningful paint: the default view (its window is computed at start-up, as a running service
    // would have it), then deep links to ranges nobody asked for yet (cold server cache).
    const paint = async (path: string) => {
      const response = await page.goto(`${base}${path}`);
      const bytes = (await response?.body())?.length ?? 0;
      await page.waitForFunction(() => performance.getEntriesByName("timeline-first-data").length > 0, null, {
        timeout: 60_000,
      });
      const marks = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        return {
          paint: performance.getEntriesByName("timeline-first-data")[0]?.startTime ?? Number.NaN,
          ttfb: nav?.responseStart ?? Number.NaN,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
        };
      });
      return { ...marks, bytes };
    };
    const defaults: Awaited<ReturnType<typeof paint>>[] = [];
    for (let i = 0; i < 3; i++) defaults.push(await paint("/"));
    const DAY = 86_400_000;
    const deepLinks: Awaited<ReturnType<typeof paint>>[] = [];
    for (const daysBack of [9, 13, 17]) {
      const to = dataEnd - daysBack * DAY;
      const from = to - DAY / 2 - daysBack * 3_600_000;
      phase = "deep-link";
      deepLinks.push(await paint(`/?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`));
    }
    phase = "load";
    await page.goto(`${base}/`);
    await page.waitForFunction(() => performance.getEntriesByName("timeline-first-data").length > 0);
    await page.waitForLoadState("networkidle");

    // Interactions: keyboard zooms and pans, then mouse drags (long tasks are counted during the drags).
    phase = "interaction";
    const canvas = page.getByTestId("timeline-canvas");
    await canvas.focus();
    const keys = ["w", "w", "d", "a", "w", "d", "d", "s", "a", "w", "w", "d", "a", "s", "s", "d"];
    for (const key of keys) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150);
    }
    await page.evaluate(() => {
      (window as unknown as { __longTasks: number[] }).__longTasks = [];
    });
    const box = await canvas.boundingBox();
    if (!box) throw new Error("no timeline canvas");
    for (let i = 0; i < 6; i++) {
      const y = box.y + 60;
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + (i % 2 ? -150 : 150), y, { steps: 15 });
      await page.mouse.up();
      await page.waitForTimeout(200);
    }
    await page.waitForLoadState("networkidle");
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    if (process.env.BENCH_WEB_DEBUG)
      process.stderr.write(`${JSON.stringify({ defaults, deepLinks, timeline })}\n`);
    const views = timeline.filter((t) => !t.prefetch);
    const summary = (rows: TimelineRequest[]) => ({
      n: rows.length,
      p50: rows.length ? round(median(rows.map((r) => r.ms))) : null,
      p95: rows.length
        ? round(
            percentile(
              rows.map((r) => r.ms),
              95,
            ),
          )
        : null,
    });
    const byCache = (rows: TimelineRequest[]) =>
      Object.fromEntries(
        [...new Set(rows.map((r) => r.cache))]
          .sort()
          .map((c) => [c, summary(rows.filter((r) => r.cache === c))]),
      );
    const paintSummary = (rows: Awaited<ReturnType<typeof paint>>[]) => ({
      p50: round(median(rows.map((r) => r.paint))),
      max: round(Math.max(...rows.map((r) => r.paint))),
      ttfbP50: round(median(rows.map((r) => r.ttfb))),
      domContentLoadedP50: round(median(rows.map((r) => r.domContentLoaded))),
    });
    const bytes = timeline.map((t) => t.bytes);
    return {
      storeEvents,
      scoringSeconds: round(scoringSeconds),
      // Start-up until a prediction answers (the behaviour model is loaded or, without its file, rebuilt).
      serverReadySeconds: round(serverReadySeconds),
      // Liveness and static-file round trips from the first healthz answer until a prediction answered.
      startupLatencyMs,
      firstMeaningfulPaintMs: {
        ...paintSummary(defaults),
        target: 1000,
        deepLink: paintSummary(deepLinks),
      },
      // The target is about what a user waits for: view requests (not prefetches). All requests are listed.
      timelineRoundTripMs: {
        ...summary(views),
        target: 100,
        viewsByCache: byCache(views),
        interactionViews: {
          ...summary(views.filter((t) => t.phase === "interaction")),
          byCache: byCache(views.filter((t) => t.phase === "interaction")),
        },
        prefetches: {
          ...summary(timeline.filter((t) => t.prefetch)),
          byCache: byCache(timeline.filter((t) => t.prefetch)),
        },
        aborted,
      },
      interactions: {
        keys: keys.length,
        drags: 6,
        viewRequests: views.filter((t) => t.phase === "interaction").length,
      },
      payloadBytes: {
        documentMax: Math.max(...defaults.map((d) => d.bytes), ...deepLinks.map((d) => d.bytes)),
        timelineMax: Math.max(0, ...bytes),
        timelineP50: bytes.length ? round(median(bytes)) : null,
        target: 262_144,
      },
      longTasksDuringPan: {
        count: longTasks.filter((d) => d > 50).length,
        maxMs: round(Math.max(0, ...longTasks)),
        target: 0,
      },
    };
  } finally {
    await browser.close();
    server?.kill("SIGTERM");
    server = null;
  }
}
