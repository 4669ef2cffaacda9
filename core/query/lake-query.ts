import {
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  ListEventDataStoresCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import { clip } from "./event-summary.ts";
import { validateLakeSql } from "./lake-sql.ts";
import { QueryError } from "./query-error.ts";

export const MAX_LAKE_ROWS = 200;

export interface LakeOptions {
  eventDataStore: string;
  client?: CloudTrailClient;
  /** Longest time to wait for a query to finish before returning its id to poll again. */
  maxWaitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LakeResult {
  queryId: string;
  status: string;
  /** Column names in order; each row is an array of cell strings (CloudTrail Lake returns strings). */
  columns: string[];
  rows: string[][];
  nextCursor: string | null;
  statistics: {
    bytesScanned: number | null;
    resultsCount: number | null;
    executionTimeMs: number | null;
  } | null;
  /** Set when the query was still running after the wait: call again with `queryId` to collect it. */
  stillRunning: boolean;
}

const TERMINAL_FAILURES = new Set(["FAILED", "CANCELLED", "TIMED_OUT"]);

/**
 * CloudTrail Lake over the SDK: SELECT-only queries started, polled for a bounded time, results paged.
 * The event data store ARN (or id) comes from deployment configuration, never from the caller.
 */
export class LakeService {
  private readonly client: CloudTrailClient;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: LakeOptions) {
    this.client = options.client ?? new CloudTrailClient({});
    this.maxWaitMs = options.maxWaitMs ?? 20_000;
    this.pollMs = options.pollMs ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  /**
   * Runs `sql` (validated, SELECT only), or continues a query by id (`queryId` + `cursor` for further pages).
   * The caller's SQL must read from the configured event data store (its id appears in the FROM clause).
   */
  async query(request: {
    sql?: string;
    queryId?: string;
    cursor?: string;
    maxRows: number;
  }): Promise<LakeResult> {
    const maxRows = Math.max(1, Math.min(MAX_LAKE_ROWS, Math.trunc(request.maxRows)));
    let queryId = request.queryId;
    if (!queryId) {
      if (!request.sql) throw new QueryError("pass `sql` to start a query, or `queryId` to collect one");
      const sql = validateLakeSql(request.sql);
      const storeId = this.options.eventDataStore.split("/").pop() ?? this.options.eventDataStore;
      if (!sql.includes(storeId)) {
        throw new QueryError(`the query must read FROM the configured event data store: FROM ${storeId}`);
      }
      const started = await this.client.send(new StartQueryCommand({ QueryStatement: sql }));
      if (!started.QueryId) throw new QueryError("CloudTrail Lake did not return a query id");
      queryId = started.QueryId;
    }
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      const described = await this.client.send(
        new DescribeQueryCommand({ EventDataStore: this.options.eventDataStore, QueryId: queryId }),
      );
      const status = described.QueryStatus ?? "UNKNOWN";
      if (TERMINAL_FAILURES.has(status)) {
        throw new QueryError(
          `CloudTrail Lake query ${queryId} ${status}: ${clip(described.ErrorMessage ?? "no detail", 500)}`,
        );
      }
      if (status === "FINISHED") break;
      if (Date.now() + this.pollMs > deadline) {
        return {
          queryId,
          status,
          columns: [],
          rows: [],
          nextCursor: null,
          statistics: null,
          stillRunning: true,
        };
      }
      await this.sleep(this.pollMs);
    }
    const page = await this.client.send(
      new GetQueryResultsCommand({
        EventDataStore: this.options.eventDataStore,
        QueryId: queryId,
        MaxQueryResults: maxRows,
        NextToken: request.cursor,
      }),
    );
    const columns: string[] = [];
    const rows = (page.QueryResultRows ?? []).map((row) => {
      const cells: string[] = [];
      for (const cell of row) {
        for (const [name, value] of Object.entries(cell)) {
          if (!columns.includes(name)) columns.push(name);
          cells[columns.indexOf(name)] = clip(value, 2000);
        }
      }
      return cells;
    });
    const stats = page.QueryStatistics;
    return {
      queryId,
      status: page.QueryStatus ?? "FINISHED",
      columns,
      rows,
      nextCursor: page.NextToken ?? null,
      statistics: stats
        ? {
            bytesScanned: stats.BytesScanned ?? null,
            resultsCount: stats.ResultsCount ?? null,
            executionTimeMs: null,
          }
        : null,
      stillRunning: false,
    };
  }

  async listEventDataStores(): Promise<
    Array<{ arn: string; name: string; status: string | null; configured: boolean }>
  > {
    const stores: Array<{ arn: string; name: string; status: string | null; configured: boolean }> = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListEventDataStoresCommand({ NextToken: token, MaxResults: 50 }),
      );
      for (const store of page.EventDataStores ?? []) {
        const arn = store.EventDataStoreArn ?? "";
        stores.push({
          arn,
          name: clip(store.Name ?? ""),
          status: store.Status ?? null,
          configured: arn === this.options.eventDataStore || arn.endsWith(`/${this.options.eventDataStore}`),
        });
      }
      token = page.NextToken;
    } while (token && stores.length < 200);
    return stores;
  }
}
