import { describe, expect, it } from "vitest";
import { validateLakeSql } from "./lake-sql.ts";

describe("validateLakeSql", () => {
  it("accepts one SELECT or WITH query and drops a trailing semicolon", () => {
    expect(validateLakeSql("SELECT eventName FROM eds WHERE eventTime > '2026-10-01';")).toBe(
      "SELECT eventName FROM eds WHERE eventTime > '2026-10-01'",
    );
    expect(validateLakeSql("with t as (select 1 from eds) select * from t")).toMatch(/^with/);
  });

  it("ignores keywords inside string literals", () => {
    expect(validateLakeSql("SELECT * FROM eds WHERE eventName = 'DeleteBucket; DROP TABLE x'")).toContain(
      "DeleteBucket",
    );
    expect(validateLakeSql("SELECT * FROM eds WHERE userAgent = 'it''s; insert'")).toContain("it''s");
  });

  it.each([
    ["DROP TABLE eds", /only SELECT/],
    ["DELETE FROM eds", /only SELECT/],
    ["INSERT INTO eds VALUES (1)", /only SELECT/],
    ["UPDATE eds SET a = 1", /only SELECT/],
    ["SELECT 1 FROM eds; DROP TABLE eds", /one statement/],
    ["SELECT 1; SELECT 2", /one statement/],
    ["SELECT 1 FROM eds -- ; DROP TABLE eds", /comments/],
    ["SELECT 1 FROM eds /* ; DROP */", /comments/],
    ["WITH x AS (DELETE FROM eds RETURNING *) SELECT * FROM x", /DELETE is not allowed/],
    ["SELECT * FROM eds WHERE a = 'unterminated", /unterminated/],
    ["", /empty/],
  ])("refuses %j", (sql, message) => {
    expect(() => validateLakeSql(sql)).toThrow(message);
  });
});
