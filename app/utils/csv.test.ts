import { describe, expect, it } from "vitest";
import { csvCell, csvRow, jsonLine } from "./csv.ts";

describe("CSV export cells", () => {
  it("neutralises formula injection in text cells", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("keeps numbers, booleans and ordinary text as they are", () => {
    expect(csvCell(-2.5)).toBe("-2.5");
    expect(csvCell(false)).toBe("false");
    expect(csvCell("s3:GetObject")).toBe("s3:GetObject");
    expect(csvCell(null)).toBe("");
  });

  it("quotes separators, quotes and line breaks", () => {
    expect(csvCell('a,b "c"\nd')).toBe('"a,b ""c""\nd"');
    expect(csvCell(["arn:a", "arn:b"])).toBe('"[""arn:a"",""arn:b""]"');
    expect(csvRow(["x", 1, null])).toBe("x,1,\r\n");
  });

  it("writes one JSON document per line", () => {
    expect(jsonLine({ a: "line\nbreak" })).toBe('{"a":"line\\nbreak"}\n');
  });
});
