import {
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { LakeService } from "./lake-query.ts";

const ARN = "arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/eds-1";
const mock = mockClient(CloudTrailClient);
const lake = () =>
  new LakeService({
    eventDataStore: ARN,
    client: new CloudTrailClient({ region: "eu-west-1" }),
    pollMs: 10,
    maxWaitMs: 100,
    sleep: async () => {},
  });

beforeEach(() => mock.reset());

describe("LakeService", () => {
  it("starts, polls until finished and pages results", async () => {
    mock.on(StartQueryCommand).resolves({ QueryId: "q1" });
    mock
      .on(DescribeQueryCommand)
      .resolvesOnce({ QueryStatus: "QUEUED" })
      .resolves({ QueryStatus: "FINISHED" });
    mock
      .on(GetQueryResultsCommand)
      .resolves({ QueryResultRows: [[{ a: "1" }, { b: "x" }]], NextToken: "page-2" });
    const result = await lake().query({ sql: "SELECT a, b FROM eds-1", maxRows: 10 });
    expect(result).toMatchObject({
      queryId: "q1",
      columns: ["a", "b"],
      rows: [["1", "x"]],
      nextCursor: "page-2",
    });
    expect(mock.commandCalls(GetQueryResultsCommand)[0]?.args[0].input).toMatchObject({
      MaxQueryResults: 10,
      EventDataStore: ARN,
    });
  });

  it("returns the query id when the bounded wait runs out, and collects it later", async () => {
    mock.on(StartQueryCommand).resolves({ QueryId: "slow" });
    mock.on(DescribeQueryCommand).resolves({ QueryStatus: "RUNNING" });
    const waiting = await lake().query({ sql: "SELECT 1 FROM eds-1", maxRows: 5 });
    expect(waiting).toMatchObject({ queryId: "slow", stillRunning: true });
    mock.on(DescribeQueryCommand).resolves({ QueryStatus: "FINISHED" });
    mock.on(GetQueryResultsCommand).resolves({ QueryResultRows: [] });
    const done = await lake().query({ queryId: "slow", maxRows: 5 });
    expect(done.stillRunning).toBe(false);
    expect(mock.commandCalls(StartQueryCommand)).toHaveLength(1);
  });

  it("reports failed queries and queries on other stores as caller errors", async () => {
    mock.on(StartQueryCommand).resolves({ QueryId: "bad" });
    mock
      .on(DescribeQueryCommand)
      .resolves({ QueryStatus: "FAILED", ErrorMessage: "column nope does not exist" });
    await expect(lake().query({ sql: "SELECT nope FROM eds-1", maxRows: 5 })).rejects.toThrow(
      /FAILED: column nope/,
    );
    await expect(lake().query({ sql: "SELECT 1 FROM other", maxRows: 5 })).rejects.toThrow(/FROM eds-1/);
  });
});
