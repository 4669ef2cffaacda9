import { cp, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSource } from "../ingest/file-source.ts";
import { ingest } from "./ingest.ts";
import { storeStats } from "./stats.ts";
import { DEFAULT_STORE_PATH, isDefaultStorePath, StoreError, TrailStore } from "./trail-store.ts";

const STRATUS = resolve(import.meta.dirname, "../../../shared/data/stratus-sanitized");
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("isDefaultStorePath", () => {
  it("recognizes the default store relative or absolute (the web app's worker passes it absolute)", () => {
    expect(isDefaultStorePath(DEFAULT_STORE_PATH)).toBe(true);
    expect(isDefaultStorePath(resolve(DEFAULT_STORE_PATH))).toBe(true);
    expect(isDefaultStorePath(`./${DEFAULT_STORE_PATH}`)).toBe(true);
    expect(isDefaultStorePath("data/prod.duckdb")).toBe(false);
    expect(isDefaultStorePath(join(tmpdir(), DEFAULT_STORE_PATH))).toBe(false);
  });
});

describe("TrailStore", () => {
  it("re-ingesting the same folder adds nothing, and an unchanged folder is not read again", async () => {
    const data = join(dir, "data");
    await cp(STRATUS, data, { recursive: true });
    const store = await TrailStore.open(join(dir, "t.duckdb"));
    try {
      const first = await ingest(store, new FileSource([data]));
      expect(first.eventsAdded).toBe(343);
      const second = await ingest(store, new FileSource([data]));
      expect(second).toMatchObject({
        eventsAdded: 0,
        eventsRead: 0,
        inputs: 0,
        unchangedInputs: first.inputs,
      });
      const rescan = await ingest(store, new FileSource([data]), { rescan: true });
      expect(rescan).toMatchObject({ eventsAdded: 0, eventsRead: 343, duplicates: 343 });
      expect((await storeStats(store)).events).toBe(343);
    } finally {
      store.close();
    }
  });

  it("reads a changed file again and keeps only its new events", async () => {
    const file = join(dir, "trail.json");
    const record = (id: string, minute: number) => ({
      eventID: id,
      eventTime: `2024-03-05T10:${String(minute).padStart(2, "0")}:00Z`,
      eventSource: "sts.amazonaws.com",
      eventName: "GetCallerIdentity",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice" },
    });
    await writeFile(file, JSON.stringify({ Records: [record("a", 1)] }));
    await utimes(file, new Date(2024, 0, 1), new Date(2024, 0, 1));
    const store = await TrailStore.open(join(dir, "t.duckdb"));
    try {
      expect((await ingest(store, new FileSource([file]))).eventsAdded).toBe(1);
      await writeFile(file, JSON.stringify({ Records: [record("a", 1), record("b", 2)] }));
      const again = await ingest(store, new FileSource([file]));
      expect(again).toMatchObject({ eventsRead: 2, eventsAdded: 1, duplicates: 1 });
    } finally {
      store.close();
    }
  });

  it("persists across reopen", async () => {
    const path = join(dir, "t.duckdb");
    const writer = await TrailStore.open(path);
    await ingest(writer, new FileSource([STRATUS]));
    writer.close();
    const store = await TrailStore.open(path, { readOnly: true });
    try {
      const stats = await storeStats(store);
      expect(stats).toMatchObject({ events: 343, principals: 6, runs: 1 });
      expect(stats.skippedByReason).toEqual({ "not-cloudtrail": 1 });
    } finally {
      store.close();
    }
  });

  it("refuses to open a missing store read-only with a hint", async () => {
    await expect(TrailStore.open(join(dir, "missing.duckdb"), { readOnly: true })).rejects.toThrow(
      StoreError,
    );
    await expect(TrailStore.open(join(dir, "missing.duckdb"), { readOnly: true })).rejects.toThrow(
      /trailcast ingest/,
    );
  });
});
