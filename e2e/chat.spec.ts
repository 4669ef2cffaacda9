import { expect, test } from "@playwright/test";
import { OFFLINE_URL } from "../playwright.config.ts";

test("the assistant streams an answer with a tool call (fake Bedrock) and its eventID moves the timeline", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Ask the assistant" }).click();
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await panel.getByLabel("Question").fill("What did mallory do recently?");
  await panel.getByRole("button", { name: "Send" }).click();
  await expect(panel.getByTestId("tool-call")).toContainText("✓ lookup_events");
  const answer = panel.getByTestId("assistant-message").last();
  await expect(answer).toContainText("mallory made 2 call(s)");
  await expect(panel.getByText("Bedrock · us.anthropic.claude-sonnet-4-5-20250929-v1:0")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("chat-bedrock.png") });
  const link = answer.getByRole("link");
  const eventId = (await link.textContent()) ?? "";
  await link.click();
  await expect(page).toHaveURL(new RegExp(`event=${eventId}`));
  await expect(page).toHaveURL(/from=/);
  await expect(page.getByTestId("raw-event")).toContainText(eventId);
});

test("without credentials the assistant answers in offline mode from the tools", async ({ page }) => {
  await page.goto(`${OFFLINE_URL}/`);
  await page.getByRole("button", { name: "Ask the assistant" }).click();
  const panel = page.getByRole("complementary", { name: "Assistant" });
  await panel.getByLabel("Question").fill("What will mallory do next?");
  await panel.getByRole("button", { name: "Send" }).click();
  await expect(panel.getByRole("status")).toContainText("Offline mode");
  const answer = panel.getByTestId("assistant-message").last();
  await expect(answer).toContainText("Most likely next actions of mallory");
  await expect(answer).toContainText("%");
  await expect(panel.getByTestId("tool-call").filter({ hasText: "predict_next_actions" })).toContainText("✓");

  await panel.getByLabel("Question").fill("Any anomalies in the last 24 hours?");
  await panel.getByRole("button", { name: "Send" }).click();
  await expect(panel.getByTestId("assistant-message").last()).toContainText(
    /score 50% or more|No events scoring/,
  );
  await page.screenshot({ path: test.info().outputPath("chat-offline.png") });
});
