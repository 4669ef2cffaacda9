import { expect, test } from "@playwright/test";
import { MALLORY, planted, rangeOf } from "./helpers.ts";

test("a principal page shows its predicted next actions and profile charts", async ({ page }) => {
  await page.goto("/principals");
  await page.getByRole("link", { name: "mallory", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/principals/${encodeURIComponent(MALLORY)}`));
  const predictions = page.getByTestId("predictions").getByRole("listitem");
  await expect(predictions.first()).toContainText("%");
  expect(await predictions.count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole("table", { name: "Active hours by weekday (UTC)" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Transition graph/ })).toBeVisible();
  // The planted user agent is listed as text.
  await expect(page.getByText("<img src=x onerror", { exact: false }).first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await page.screenshot({ path: test.info().outputPath("principal.png"), fullPage: true });
});

test("an anomaly links to its place on the timeline", async ({ page }) => {
  await page.goto("/anomalies?minScore=0.3");
  const first = page.getByTestId("anomaly").first();
  await expect(first).toBeVisible();
  const when = (await first.locator("span.text-xs.text-slate-500").first().textContent()) ?? "";
  await first.getByTestId("anomaly-timeline-link").click();
  await expect(page).toHaveURL(/event=/);
  const eventId = new URL(page.url()).searchParams.get("event") ?? "";
  const { from, to } = rangeOf(page);
  const time = Date.parse(`${when.replace(" UTC", "").replace(" ", "T")}Z`);
  expect(time).toBeGreaterThanOrEqual(from);
  expect(time).toBeLessThanOrEqual(to);
  await expect(page.getByTestId("raw-event")).toContainText(eventId);
  await page.screenshot({ path: test.info().outputPath("anomaly-on-timeline.png") });
});

test("triage: a starred anomaly stays starred after reload", async ({ page }) => {
  await page.goto("/anomalies?minScore=0.3");
  const first = page.getByTestId("anomaly").first();
  const star = first.getByRole("button", { name: /^(Star|Unstar)$/ });
  const before = await star.getAttribute("aria-pressed");
  await star.click();
  await expect(star).toHaveAttribute("aria-pressed", before === "true" ? "false" : "true");
  await page.reload();
  await expect(
    page
      .getByTestId("anomaly")
      .first()
      .getByRole("button", { name: /^(Star|Unstar)$/ }),
  ).toHaveAttribute("aria-pressed", before === "true" ? "false" : "true");
});

test("exports are CSV-injection safe", async ({ request }) => {
  const store = planted();
  const from = new Date(store.plantedTime - 60_000).toISOString();
  const to = new Date(store.plantedTime + 120_000).toISOString();
  const csv = await (
    await request.get(`/export/events.csv?from=${from}&to=${to}&principal=${encodeURIComponent(MALLORY)}`)
  ).text();
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe(
    "eventId,time,principal,principalName,action,eventSource,region,sourceIp,userAgent,readOnly,errorCode,resources,score",
  );
  expect(lines).toHaveLength(3);
  const jsonl = await (
    await request.get(`/export/events.jsonl?from=${from}&to=${to}&principal=${encodeURIComponent(MALLORY)}`)
  ).text();
  expect(
    jsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).eventId),
  ).toEqual([store.xssEventId, store.injectionEventId]);
});
