/**
 * A small JSON syntax highlighter for the raw-event drawer. It returns tokens, never HTML: the caller renders
 * each token as a React text node, so every character of CloudTrail-derived text is escaped by React and no
 * markup in an event field can become live.
 */
export type TokenKind = "key" | "string" | "number" | "boolean" | "null" | "punct" | "space";

export interface Token {
  kind: TokenKind;
  text: string;
}

/** Pretty-prints a JSON text (or any value) and splits it into tokens; invalid JSON becomes one string token. */
export function highlightJson(input: string | unknown): Token[] {
  let pretty: string;
  try {
    const value = typeof input === "string" ? JSON.parse(input) : input;
    pretty = JSON.stringify(value, null, 2) ?? "null";
  } catch {
    return [{ kind: "string", text: String(input) }];
  }
  return tokenize(pretty);
}

const TOKEN =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false)\b|\b(null)\b|([{}[\],:])|(\s+)/gy;

/** Tokenizes well-formed JSON text; every input character ends up in exactly one token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match) {
      // Not JSON we produced: keep the rest verbatim rather than dropping characters.
      tokens.push({ kind: "string", text: text.slice(index) });
      break;
    }
    const [whole, str, colon, num, bool, nul, punct, space] = match;
    if (str !== undefined) {
      tokens.push({ kind: colon ? "key" : "string", text: str });
      if (colon) tokens.push({ kind: "punct", text: colon });
    } else if (num !== undefined) tokens.push({ kind: "number", text: num });
    else if (bool !== undefined) tokens.push({ kind: "boolean", text: bool });
    else if (nul !== undefined) tokens.push({ kind: "null", text: nul });
    else if (punct !== undefined) tokens.push({ kind: "punct", text: punct });
    else if (space !== undefined) tokens.push({ kind: "space", text: space });
    index += whole.length;
  }
  return tokens;
}
