/**
 * CSV and JSON Lines encoding for exports. Spreadsheet formula injection is neutralised: a cell that starts
 * with = + - @ (or a tab/carriage return, which some spreadsheets strip before parsing) gets a leading
 * apostrophe, so `=HYPERLINK(...)` planted in a user agent stays text when the file is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (/[",\n\r]/.test(text) || text !== text.trim()) text = `"${text.replaceAll('"', '""')}"`;
  return text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
