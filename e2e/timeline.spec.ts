import { expect, test } from "@playwright/test";
import { ghostPixels, inkedPixels, MALLORY, planted, rangeOf, waitForTimeline } from "./helpers.ts";

test("the timeline renders the sample data as a density view", async ({ page }) => {
  await page.goto("/");
  await waitForTimeline(page);
  await expect(page.getByTestId("timeline-mode")).toHaveText("density");
  await expect(page.getByRole("list", { name: "Lanes" }).getByRole("listitem").first()).toBeVisible();
  expect(await page.getByRole("list", { name: "Lanes" }).getByRole("listitem").count()).toBeGreaterThan(5);
  await expect.poll(() => inkedPixels(page)).toBeGreaterThan(500);
  // The future lane: ghost marks of predicted activity appear once the forecasts arrive.
  await expect.poll(() => ghostPixels(page)).toBeGreaterThan(50);
  await page.screenshot({ path: test.info().outputPath("timeline.png") });
});

test("keyboard, wheel and drag zoom and pan the view; the URL follows and Back restores it", async ({
  page,
}) => {
  await page.goto("/");
  await waitForTimeline(page);
  const canvas = page.getByTestId("timeline-canvas");
  await canvas.focus();
  await page.keyboard.press("w");
  await expect.poll(() => page.url()).toContain("from=");
  const first = rangeOf(page);

  // Wheel up over the canvas zooms in around the pointer.
  const box = await canvas.boundingBox();
  if (!box) throw new Error("no canvas box");
  await page.mouse.move(box.x + box.width / 2, box.y + 60);
  await page.mouse.wheel(0, -400);
  await expect.poll(() => rangeOf(page).to - rangeOf(page).from).toBeLessThan((first.to - first.from) * 0.8);
  const zoomed = rangeOf(page);

  // Dragging right moves the view to earlier times, by the dragged share of the span.
  await page.mouse.move(box.x + box.width / 2, box.y + 80);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 200, box.y + 80, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => rangeOf(page).from).toBeLessThan(zoomed.from);
  const panned = rangeOf(page);
  expect(Math.round((panned.to - panned.from) / 1000)).toBe(Math.round((zoomed.to - zoomed.from) / 1000));
  await expect(page.getByTestId("visible-range")).toContainText(
    new Date(panned.from).toISOString().slice(0, 10),
  );
  await page.screenshot({ path: test.info().outputPath("zoomed-panned.png") });

  await page.goBack();
  await expect.poll(() => rangeOf(page).from).toBe(zoomed.from);
  await expect(page.getByTestId("visible-range")).toContainText(
    new Date(zoomed.from).toISOString().slice(11, 19),
  );
});

test("zoomed in, events are drawn one by one and a click opens the raw event, inert", async ({ page }) => {
  const store = planted();
  const from = store.plantedTime - 120_000;
  const to = store.plantedTime + 180_000;
  await page.goto(
    `/?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&principal=${encodeURIComponent(MALLORY)}`,
  );
  await expect(page.getByTestId("timeline-mode")).toHaveText("2 events");
  const canvas = page.getByTestId("timeline-canvas");
  const box = await canvas.boundingBox();
  if (!box) throw new Error("no canvas box");
  // Lane 0 (below the 26 px axis); x from the event time.
  const x = box.x + ((store.plantedTime - from) / (to - from)) * box.width;
  await page.mouse.move(x, box.y + 26 + 12);
  await expect(page.getByRole("tooltip")).toContainText("s3:PutBucketPolicy");
  await page.mouse.click(x, box.y + 26 + 12);
  await expect(page).toHaveURL(new RegExp(`event=${store.xssEventId}`));
  const raw = page.getByTestId("raw-event");
  await expect(raw).toContainText(`"eventID": "${store.xssEventId}"`);
  // The XSS payload in userAgent, requestParameters and errorMessage is shown as text, never as markup.
  await expect(raw).toContainText('<img src=x onerror=\\"window.__xss=1\\">');
  await expect(page.getByRole("dialog")).toContainText("<script>window.__xss=2</script>");
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.getByTestId("anomaly-reasons")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("drawer.png") });
});

test("shift-drag brushes a range to zoom to, and N jumps to the next anomaly", async ({ page }) => {
  await page.goto("/");
  await waitForTimeline(page);
  const canvas = page.getByTestId("timeline-canvas");
  await canvas.focus();
  await page.keyboard.press("s");
  await expect.poll(() => page.url()).toContain("from=");
  const before = rangeOf(page);
  const box = await canvas.boundingBox();
  if (!box) throw new Error("no canvas box");
  await page.keyboard.down("Shift");
  await page.mouse.move(box.x + box.width * 0.4, box.y + 80);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 80, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await expect.poll(() => rangeOf(page).from).toBeGreaterThan(before.from);
  const brushed = rangeOf(page);
  const span = before.to - before.from;
  expect(brushed.to - brushed.from).toBeGreaterThan(span * 0.15);
  expect(brushed.to - brushed.from).toBeLessThan(span * 0.25);
  expect(Math.abs(brushed.from - (before.from + span * 0.4))).toBeLessThan(span * 0.02);

  await canvas.focus();
  const centre = (brushed.from + brushed.to) / 2;
  await page.keyboard.press("n");
  await expect(page).toHaveURL(/event=/);
  await expect(page.getByTestId("raw-event")).toBeVisible();
  const found = rangeOf(page);
  expect((found.from + found.to) / 2).toBeGreaterThan(centre);
  await expect(page.getByRole("dialog")).toContainText("Anomaly");
});

test("lanes by service, in dark mode", async ({ page }) => {
  await page.goto("/");
  await waitForTimeline(page);
  await page.getByLabel("Lanes by").selectOption("service");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/group=service/);
  await expect(
    page
      .getByRole("list", { name: "Lanes" })
      .getByRole("listitem", { name: "s3", exact: true })
      .or(page.getByRole("list", { name: "Lanes" }).getByText("s3", { exact: true })),
  ).toBeVisible();
  await page.getByRole("button", { name: "Dark mode" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await waitForTimeline(page);
  await page.screenshot({ path: test.info().outputPath("service-lanes-dark.png") });
});
