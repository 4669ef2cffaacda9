/**
 * Recovers the complete top-level objects of a JSON array from text that does not parse as a whole (a
 * truncated download, one corrupted record). Used only on the failure path, so clarity beats speed.
 *
 * Returns the text of each complete element and whether the array ended cleanly.
 */
export function salvageArrayElements(
  text: string,
  arrayStart: number,
): { elements: string[]; complete: boolean } {
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementStart = -1;
  for (let i = arrayStart + 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 0x5c /* \ */) escaped = true;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) {
      inString = true;
      if (depth === 0 && elementStart < 0) elementStart = i;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (depth === 0) elementStart = i;
      depth++;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      if (depth === 0) return { elements, complete: ch === 0x5d };
      depth--;
      if (depth === 0 && elementStart >= 0) {
        elements.push(text.slice(elementStart, i + 1));
        elementStart = -1;
      }
    }
  }
  return { elements, complete: false };
}

/** Finds the `[` that opens the `"Records"` array, or the top-level array; -1 when there is none. */
export function findRecordsArray(text: string): number {
  const key = /"Records"\s*:\s*\[/.exec(text);
  if (key) return key.index + key[0].length - 1;
  const first = text.search(/\S/);
  return first >= 0 && text[first] === "[" ? first : -1;
}
