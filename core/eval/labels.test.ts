import { describe, expect, it } from "vitest";
import { LabelsError, parseLabels } from "./labels.ts";

describe("parseLabels", () => {
  it("reads one eventID per line, ignoring blanks and comments", () => {
    expect([...parseLabels("a\n\n# attack S01\nb\r\n")]).toEqual(["a", "b"]);
  });
  it("reads a JSON list", () => {
    expect([...parseLabels('["x", "y"]')]).toEqual(["x", "y"]);
  });
  it("rejects a JSON file that is not a list of strings", () => {
    expect(() => parseLabels("[1, 2]", "l.json")).toThrow(LabelsError);
    expect(() => parseLabels("[oops", "l.json")).toThrow(/not valid JSON/);
  });
});
