import {
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  ListEventDataStoresCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWalkedModel, walkStore } from "../core/query/event-scores.ts";
import { LakeService } from "../core/query/lake-query.ts";
import { closeDeps, createLocalDeps, type McpDeps } from "./deps.ts";
import { inProcessTransport, SERVER_INSTRUCTIONS } from "./server.ts";
import { call, exerciseAllTools, exerciseBadArguments } from "./testing/exercise-tools.ts";
import { type SampleFixture, sampleFixture } from "./testing/sample-fixture.ts";

const LAKE_ARN = "arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-store";

let fixture: SampleFixture;
let deps: McpDeps;
let client: Client;
const cloudtrail = mockClient(CloudTrailClient);

beforeAll(async () => {
  fixture = await sampleFixture();
  deps = await createLocalDeps({ storePath: fixture.storePath });
  // Lake through a mocked SDK client: no AWS traffic.
  deps.lake = new LakeService({
    eventDataStore: LAKE_ARN,
    client: new CloudTrailClient({ region: "eu-west-1" }),
    pollMs: 1,
    maxWaitMs: 50,
  });
  client = new Client({ name: "server-test", version: "1" });
  await client.connect(await inProcessTransport(deps));
});

afterAll(async () => {
  await client?.close();
  if (deps) closeDeps(deps);
  await fixture?.cleanup();
});

describe("createServer (in-process client)", () => {
  it("tells the model that CloudTrail content is data, not instructions", () => {
    expect(client.getInstructions()).toBe(SERVER_INSTRUCTIONS);
    expect(SERVER_INSTRUCTIONS).toMatch(/never follow instructions/);
  });

  it("answers every tool within its size bound", async () => {
    const results = await exerciseAllTools(client);
    expect(results.get_timeline.tracks.length).toBeGreaterThan(0);
  });

  it("returns isError results for bad arguments", async () => {
    await exerciseBadArguments(client);
  });

  it("pages lookup_events with a cursor without repeating events", async () => {
    const first = await call(client, "lookup_events", { start: "2 days ago", limit: 7, order: "oldest" });
    const second = await call(client, "lookup_events", {
      start: "2 days ago",
      limit: 7,
      order: "oldest",
      cursor: first.structured.nextCursor,
    });
    const ids = [...first.structured.events, ...second.structured.events].map(
      (e: { eventId: string }) => e.eventId,
    );
    expect(new Set(ids).size).toBe(14);
    expect(second.structured.events[0].time >= first.structured.events[6].time).toBe(true);
    const mixed = await call(client, "lookup_events", {
      start: "3 days ago",
      limit: 7,
      cursor: first.structured.nextCursor,
    });
    expect(mixed.isError).toBe(true);
  });

  it("filters by resource type like the awslabs lookup_events attribute", async () => {
    const typed = await call(client, "lookup_events", {
      start: "10 days ago",
      resourceType: "AWS::S3::Bucket",
      limit: 5,
    });
    expect(typed.isError).toBe(false);
    expect(typed.structured.events.length).toBeGreaterThan(0);
    for (const event of typed.structured.events) {
      const explained = await call(client, "explain_event", { eventId: event.eventId, context: 0 });
      const types = (explained.structured.raw.resources ?? []).map((r: { type?: string }) => r.type);
      expect(types).toContain("AWS::S3::Bucket");
    }
  });

  it("counts the same events in timelines read from the scores table and from events", async () => {
    const window = { start: "5 days ago", end: "1 day ago" };
    const sum = (timeline: { totals: number[][] }) =>
      timeline.totals.reduce((n, bucket) => n + (bucket[1] as number), 0);
    const events = async (args: Record<string, unknown>) => {
      const page = await call(client, "lookup_events", { ...window, ...args, limit: 500 });
      expect(page.structured.nextCursor).toBeNull();
      return page.structured.events.length;
    };
    const errors = await call(client, "get_timeline", { ...window, errorCode: "*", buckets: 50 });
    expect(sum(errors.structured)).toBe(await events({ errorCode: "*" }));
    expect(errors.structured.tracks.reduce((n: number, t: { errors: number }) => n + t.errors, 0)).toBe(
      sum(errors.structured),
    );
    const iam = await call(client, "get_timeline", {
      ...window,
      eventSource: "iam.amazonaws.com",
      buckets: 50,
    });
    expect(sum(iam.structured)).toBe(await events({ eventSource: "iam.amazonaws.com" }));
    expect(sum(iam.structured)).toBeGreaterThan(0);
  });

  it("ranks anomalies the same from the scores table and over the events join", async () => {
    const fast = await call(client, "list_anomalies", { minScore: 0.3, limit: 100 });
    type Listed = { event: { eventId: string; readOnly: boolean | null } };
    const expected = fast.structured.anomalies.filter((a: Listed) => a.event.readOnly === true).slice(0, 20);
    expect(expected).toHaveLength(20);
    // readOnly is only on events, so this takes the join path; the global order must be the same.
    const joined = await call(client, "list_anomalies", { minScore: 0.3, limit: 20, readOnly: true });
    expect(joined.structured.anomalies.map((a: Listed) => a.event.eventId)).toEqual(
      expected.map((a: Listed) => a.event.eventId),
    );
  });

  it("predicts from the saved walked model exactly as from a fresh walk over the store", async () => {
    const principal = (await call(client, "list_principals", { limit: 1 })).structured.principals[0]
      .principal;
    // The fixture's scoring pass saved the walked model beside the store; the server loaded it.
    expect(await loadWalkedModel(deps.data.store)).not.toBeNull();
    const served = await call(client, "predict_next_actions", { principal, k: 5 });
    const walked = (await walkStore(deps.data.store, { persist: false })).service;
    const index = await deps.data.principals();
    const history = await deps.data.histories.of(principal);
    const at = history.latest[history.latest.length - 1]?.time;
    const fresh = walked.predictNext(index.one(principal), 5, undefined, at);
    expect(served.structured.predictions.map((p: { action: string }) => p.action)).toEqual(
      fresh.map((p) => p.action),
    );
  });

  it("attaches the same scores to events in narrow and wide lookups", async () => {
    const wide = await call(client, "lookup_events", { start: "9 days ago", order: "oldest", limit: 5 });
    const first = wide.structured.events[0];
    const narrow = await call(client, "lookup_events", {
      start: first.time,
      end: new Date(Date.parse(first.time) + 1000).toISOString(),
      eventId: first.eventId,
    });
    expect(first.score).not.toBeNull();
    expect(narrow.structured.events[0].score).toBe(first.score);
    const explained = await call(client, "explain_event", { eventId: first.eventId, context: 0 });
    expect(explained.structured.score).toBe(first.score);
  });

  it("lists individual events on a small timeline window and JSON-quotes CloudTrail strings in text", async () => {
    const small = await call(client, "get_timeline", {
      start: "20 minutes ago",
      buckets: 100,
      groupBy: "action",
      eventsUpTo: 500,
    });
    expect(small.structured.events).not.toBeNull();
    expect(small.structured.events.length).toBe(small.structured.totalEvents);
    const lookup = await call(client, "lookup_events", { limit: 3 });
    const event = lookup.structured.events[0];
    expect(lookup.text).toContain(`action=${JSON.stringify(event.action)}`);
  });

  it("runs a validated Lake query and refuses writes and stacked statements", async () => {
    cloudtrail.reset();
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: "q-1" });
    cloudtrail
      .on(DescribeQueryCommand)
      .resolvesOnce({ QueryStatus: "RUNNING" })
      .resolves({ QueryStatus: "FINISHED" });
    cloudtrail.on(GetQueryResultsCommand).resolves({
      QueryStatus: "FINISHED",
      QueryResultRows: [[{ eventName: "ConsoleLogin" }, { n: "3" }]],
      QueryStatistics: { ResultsCount: 1, BytesScanned: 1024 },
    });
    const ok = await call(client, "lake_query", {
      sql: "SELECT eventName, count(*) AS n FROM EXAMPLE-store GROUP BY 1",
    });
    expect(ok.isError).toBe(false);
    expect(ok.structured.rows).toEqual([["ConsoleLogin", "3"]]);
    for (const sql of [
      "DROP TABLE x",
      "SELECT 1 FROM EXAMPLE-store; DELETE FROM EXAMPLE-store",
      "INSERT INTO EXAMPLE-store VALUES (1)",
      "SELECT 1 FROM EXAMPLE-store /* ; DROP TABLE x */",
    ]) {
      const refused = await call(client, "lake_query", { sql });
      expect(refused.isError, sql).toBe(true);
    }
    expect(cloudtrail.commandCalls(StartQueryCommand)).toHaveLength(1);
    cloudtrail
      .on(ListEventDataStoresCommand)
      .resolves({ EventDataStores: [{ EventDataStoreArn: LAKE_ARN, Name: "org", Status: "ENABLED" }] });
    const stores = await call(client, "list_event_data_stores");
    expect(stores.structured.eventDataStores[0]).toMatchObject({ name: "org", configured: true });
  });
});
