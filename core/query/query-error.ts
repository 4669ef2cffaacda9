/**
 * An expected failure caused by the caller's input (unknown principal, inverted range, bad cursor, unsafe
 * SQL). Transports turn it into an `isError` result with this message; anything else is a bug.
 */
export class QueryError extends Error {
  override readonly name = "QueryError";
}
