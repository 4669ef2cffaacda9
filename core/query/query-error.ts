/**
 * An expected failure caused by the caller's input (unknown principal, inverted range, bad cursor, unsafe
 * SQL). Transports turn it into an `isError` result with this message; anything else is a bug.
 */
export class QueryError extends Error {
  override readonly name = "QueryError";
}

/** Score filters and rankings on a store whose anomaly scores were never computed. */
export function scoresMissing(): QueryError {
  return new QueryError(
    "anomaly scores are not available: the store is open read-only and was never scored; run any tool once against a writable store (trailcast mcp without another process holding the store)",
  );
}
