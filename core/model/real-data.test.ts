import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../event/normalize.ts";
import type { TrailEvent } from "../event/types.ts";
import { scoreEvent } from "./anomaly.ts";
import { fitModel } from "./fit.ts";
import { chronological } from "./sessions.ts";

const ROOT = new URL("../../../shared/data/stratus-sanitized/", import.meta.url).pathname;

function load(folder: string, files: string[]): TrailEvent[] {
  const events: TrailEvent[] = [];
  for (const file of files) {
    const data = JSON.parse(readFileSync(join(ROOT, folder, file), "utf8"));
    for (const record of Array.isArray(data) ? data : data.Records) {
      const result = normalizeRecord(record);
      if (result.ok) events.push(result.event);
    }
  }
  return events;
}

describe("real Stratus Red Team traces (shinyy0222 benchmark, CC BY 4.0)", () => {
  const benign = readdirSync(join(ROOT, "benign/base")).sort();
  const train = load("benign/base", benign.slice(0, 17));
  const attacks = chronological(load("malicious/base", readdirSync(join(ROOT, "malicious/base")).sort()));

  it("fits on benign workflows and explains defense evasion with its ATT&CK tactic", () => {
    const model = fitModel(train);
    expect(model.fitInfo?.events).toBe(train.length);
    let stopLogging: ReturnType<typeof scoreEvent> | undefined;
    for (const event of attacks) {
      const score = scoreEvent(event, { model });
      if (event.action === "cloudtrail:StopLogging") stopLogging = score;
      model.observe(event);
    }
    expect(stopLogging?.tactic).toBe("Defense Evasion");
    expect(stopLogging?.reasons.map((r) => r.detail).join("\n")).toContain(
      "first time this principal called cloudtrail:StopLogging",
    );
  });
});
