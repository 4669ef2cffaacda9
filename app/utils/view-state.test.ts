import { describe, expect, it } from "vitest";
import { filterKey, parseViewState, timelineHref, writeViewState } from "./view-state.ts";

describe("timeline state in the URL", () => {
  it("round-trips range, grouping and filters", () => {
    const state = parseViewState(
      new URLSearchParams(
        "from=2026-10-01T00:00:00.000Z&to=2026-10-02T00:00:00.000Z&group=service&principal=alice&errors=1&minScore=0.4&rw=write",
      ),
    );
    expect(state).toEqual({
      from: Date.parse("2026-10-01T00:00:00Z"),
      to: Date.parse("2026-10-02T00:00:00Z"),
      group: "service",
      filters: { principal: "alice", errorsOnly: true, minScore: 0.4, readWrite: "write" },
    });
    expect(parseViewState(writeViewState(state))).toEqual(state);
  });

  it("falls back to defaults for bad values and keeps unrelated params", () => {
    const state = parseViewState(
      new URLSearchParams("from=2026-10-02&to=2026-10-01&group=nope&minScore=7&rw=x"),
    );
    expect(state).toEqual({
      group: "principal",
      filters: { errorsOnly: false, minScore: 1, readWrite: "all" },
    });
    const params = writeViewState({ ...state, from: 0, to: 1000 }, new URLSearchParams("event=abc"));
    expect(params.get("event")).toBe("abc");
    expect(params.get("group")).toBeNull();
    expect(parseViewState(new URLSearchParams("from=1000&to=2000"))).toMatchObject({ from: 1000, to: 2000 });
  });

  it("keys cached data by everything except the range", () => {
    const a = parseViewState(new URLSearchParams("from=1&to=2&action=s3:GetObject"));
    const b = parseViewState(new URLSearchParams("from=5&to=9&action=s3:GetObject"));
    const c = parseViewState(new URLSearchParams("from=1&to=2&action=s3:PutObject"));
    expect(filterKey(a.group, a.filters)).toBe(filterKey(b.group, b.filters));
    expect(filterKey(a.group, a.filters)).not.toBe(filterKey(c.group, c.filters));
  });

  it("links to a moment with the event selected", () => {
    const href = timelineHref(Date.parse("2026-10-01T12:00:00Z"), { eventId: "e-1", spanMs: 60_000 });
    const params = new URL(href, "http://x").searchParams;
    expect(params.get("from")).toBe("2026-10-01T11:59:30.000Z");
    expect(params.get("to")).toBe("2026-10-01T12:00:30.000Z");
    expect(params.get("event")).toBe("e-1");
  });
});
