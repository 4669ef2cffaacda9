import { QueryError } from "./query-error.ts";

/**
 * Opaque page tokens. A cursor names the query it belongs to (`kind` and a digest of its arguments) so a
 * token from one query cannot silently page through another, and carries where the next page starts.
 */
export interface Cursor<T> {
  kind: string;
  query: string;
  at: T;
}

export function encodeCursor<T>(cursor: Cursor<T>): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export function decodeCursor<T>(
  token: string,
  kind: string,
  query: string,
  isPosition: (value: unknown) => value is T,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new QueryError(
      "malformed cursor: pass back the `nextCursor` value of the previous result unchanged",
    );
  }
  const cursor = parsed as Partial<Cursor<unknown>> | null;
  if (!cursor || typeof cursor !== "object" || cursor.kind !== kind || !isPosition(cursor.at)) {
    throw new QueryError(
      `malformed cursor: it does not belong to ${kind}; pass back \`nextCursor\` unchanged`,
    );
  }
  if (cursor.query !== query) {
    throw new QueryError("cursor belongs to a query with other arguments: repeat the same arguments with it");
  }
  return cursor.at;
}

/** A short stable digest of query arguments (not security relevant: it only detects mixed-up cursors). */
export function queryDigest(args: unknown): string {
  const text = JSON.stringify(args, (_key, value) => (value === undefined ? null : value));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** Keyset position in (time, eventID) order. */
export type EventPosition = [number, string];

export function isEventPosition(value: unknown): value is EventPosition {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isFinite(value[0]) &&
    typeof value[1] === "string" &&
    value[1].length < 200
  );
}

/** Offset into a ranked list (anomalies, principals). */
export function isOffset(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < 10_000_000;
}
