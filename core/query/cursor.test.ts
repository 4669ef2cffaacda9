import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, isEventPosition, isOffset, queryDigest } from "./cursor.ts";

describe("cursors", () => {
  it("round-trip a position for the same query", () => {
    const query = queryDigest({ principal: "alice" });
    const token = encodeCursor({ kind: "lookup_events", query, at: [1, "id"] });
    expect(decodeCursor(token, "lookup_events", query, isEventPosition)).toEqual([1, "id"]);
  });

  it("refuse garbage, other tools' cursors and other arguments", () => {
    const query = queryDigest({ a: 1 });
    const token = encodeCursor({ kind: "list_anomalies", query, at: 20 });
    expect(() => decodeCursor("%%%", "list_anomalies", query, isOffset)).toThrow(/malformed cursor/);
    expect(() => decodeCursor(token, "list_principals", query, isOffset)).toThrow(/does not belong/);
    expect(() => decodeCursor(token, "list_anomalies", queryDigest({ a: 2 }), isOffset)).toThrow(
      /other arguments/,
    );
    const negative = encodeCursor({ kind: "list_anomalies", query, at: -5 });
    expect(() => decodeCursor(negative, "list_anomalies", query, isOffset)).toThrow(/malformed/);
  });
});
