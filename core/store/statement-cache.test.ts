import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatementCache } from "./statement-cache.ts";

describe("StatementCache", () => {
  let instance: DuckDBInstance;
  let cache: StatementCache;
  let connection: Awaited<ReturnType<DuckDBInstance["connect"]>>;

  beforeEach(async () => {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
    await connection.run("CREATE TABLE t AS SELECT range::INTEGER AS x FROM range(100)");
    cache = new StatementCache(connection, 2);
  });

  afterEach(() => {
    cache.close();
    connection.closeSync();
    instance.closeSync();
  });

  const count = async (sql: string, values: number[]) =>
    Number((await cache.run(sql, values)).getChunk(0).getColumnVector(0).getItem(0));

  it("runs concurrent calls of one text with their own parameters", async () => {
    const sql = "SELECT count(*) FROM t WHERE x >= $1";
    const results = await Promise.all([0, 10, 50, 90, 99].map((from) => count(sql, [from])));
    expect(results).toEqual([100, 90, 50, 10, 1]);
    // Reused statements keep answering with the parameters of each call.
    expect(await count(sql, [75])).toBe(25);
    expect(await count(sql, [1])).toBe(99);
  });

  it("re-binds a cached statement after its table is replaced", async () => {
    const sql = "SELECT count(*) FROM t WHERE x < $1";
    expect(await count(sql, [10])).toBe(10);
    await connection.run("CREATE OR REPLACE TABLE t AS SELECT (range * 2)::INTEGER AS x FROM range(1000)");
    expect(await count(sql, [10])).toBe(5);
  });

  it("keeps a bounded number of texts and still answers evicted ones", async () => {
    for (let i = 0; i < 5; i++)
      expect(await count(`SELECT count(*) + ${i} FROM t WHERE x < $1`, [3])).toBe(3 + i);
    expect(await count("SELECT count(*) + 0 FROM t WHERE x < $1", [4])).toBe(4);
  });

  it("reports a bad statement and stays usable", async () => {
    await expect(cache.run("SELECT count(*) FROM missing WHERE x < $1", [1])).rejects.toThrow(/missing/);
    await expect(count("SELECT count(*) FROM t WHERE x < $1", ["no" as unknown as number])).rejects.toThrow();
    expect(await count("SELECT count(*) FROM t WHERE x < $1", [7])).toBe(7);
  });
});
