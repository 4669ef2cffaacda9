import { describe, expect, it } from "vitest";
import { highlightJson, tokenize } from "./json-highlight.ts";

describe("JSON highlighter", () => {
  it("classifies keys, strings, numbers, booleans and null", () => {
    const tokens = highlightJson('{"a":"x","b":1.5e3,"c":true,"d":null}').filter(
      (t) => t.kind !== "space" && t.kind !== "punct",
    );
    expect(tokens).toEqual([
      { kind: "key", text: '"a"' },
      { kind: "string", text: '"x"' },
      { kind: "key", text: '"b"' },
      { kind: "number", text: "1500" },
      { kind: "key", text: '"c"' },
      { kind: "boolean", text: "true" },
      { kind: "key", text: '"d"' },
      { kind: "null", text: "null" },
    ]);
  });

  it("keeps every character, so markup in values stays literal text for React to escape", () => {
    const raw = JSON.stringify({ userAgent: '<img src=x onerror="alert(1)">', note: 'a \\" b' });
    const pretty = JSON.stringify(JSON.parse(raw), null, 2);
    const tokens = highlightJson(raw);
    expect(tokens.map((t) => t.text).join("")).toBe(pretty);
    expect(tokens).toContainEqual({ kind: "string", text: '"<img src=x onerror=\\"alert(1)\\">"' });
  });

  it("returns text that is not JSON unchanged as one token", () => {
    expect(highlightJson('{"cut": "abc')).toEqual([{ kind: "string", text: '{"cut": "abc' }]);
    expect(tokenize("  ").map((t) => t.kind)).toEqual(["space"]);
  });
});
