import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { PLANTED_ACCOUNT, PLANTED_USER, type TestStore } from "./planted.ts";

export const MALLORY = `arn:aws:iam::${PLANTED_ACCOUNT}:user/${PLANTED_USER}`;

/** What prepare-store.ts planted (ids and time of the hostile records). */
export function planted(): TestStore {
  return JSON.parse(readFileSync(".trailcast/e2e/planted.json", "utf8")) as TestStore;
}

export function rangeOf(page: Page): { from: number; to: number } {
  const url = new URL(page.url());
  return {
    from: Date.parse(url.searchParams.get("from") ?? ""),
    to: Date.parse(url.searchParams.get("to") ?? ""),
  };
}

/** Waits until the canvas has drawn data for the current view (histogram or event marks). */
export async function waitForTimeline(page: Page) {
  await expect(page.getByTestId("timeline-mode")).toHaveText(/density|events/);
}

/** Coloured (non-background) pixels on the timeline canvas: proof that marks were drawn. */
export async function inkedPixels(page: Page): Promise<number> {
  return page.getByTestId("timeline-canvas").evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext("2d");
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      // Saturated colour (the anomaly scale), not greys of the grid and labels.
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
    return n;
  });
}

/** Violet pixels (ghost marks of the future lane) on the canvas. */
export async function ghostPixels(page: Page): Promise<number> {
  return page.getByTestId("timeline-canvas").evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext("2d");
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      if (b > r && r > g && b - g > 60) n++;
    }
    return n;
  });
}
