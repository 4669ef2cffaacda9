import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
} from "@duckdb/node-api";

/** Distinct SQL texts kept prepared; the tools build a few dozen shapes from their filters. */
const DEFAULT_CAPACITY = 128;
/** Idle copies kept of one text (concurrent calls of the same query each prepare one). */
const MAX_IDLE_PER_TEXT = 4;

/**
 * Prepared statements by SQL text. `connection.run(sql, params)` extracts, prepares, runs and destroys a
 * statement on every call, four trips through the thread pool; a tool page is a sub-millisecond query, so
 * those trips were a third of its cost. A statement is checked out while it runs, because binding another
 * call's parameters before the pending run executes would change what it runs; a second concurrent call of
 * the same text prepares its own. DuckDB re-binds a statement whose tables were replaced (a rescore).
 */
export class StatementCache {
  /** Idle statements per SQL text, least recently used first (Map order). */
  private readonly idle = new Map<string, DuckDBPreparedStatement[]>();
  private closed = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  async run(
    sql: string,
    values: DuckDBValue[] | Record<string, DuckDBValue>,
    types?: DuckDBType[] | Record<string, DuckDBType | undefined>,
  ): Promise<DuckDBMaterializedResult> {
    const statement = this.checkOut(sql) ?? (await this.connection.prepare(sql));
    let reusable = false;
    try {
      statement.bind(values, types);
      const result = await statement.run();
      reusable = true;
      return result;
    } finally {
      if (reusable && !this.closed) this.checkIn(sql, statement);
      else statement.destroySync();
    }
  }

  /** Destroys every idle statement (before the connection closes). */
  close(): void {
    this.closed = true;
    for (const statements of this.idle.values()) for (const statement of statements) statement.destroySync();
    this.idle.clear();
  }

  private checkOut(sql: string): DuckDBPreparedStatement | undefined {
    const statements = this.idle.get(sql);
    const statement = statements?.pop();
    if (statements?.length === 0) this.idle.delete(sql);
    return statement;
  }

  private checkIn(sql: string, statement: DuckDBPreparedStatement): void {
    statement.clearBindings();
    const statements = this.idle.get(sql) ?? [];
    if (statements.length >= MAX_IDLE_PER_TEXT) {
      statement.destroySync();
      return;
    }
    statements.push(statement);
    // Re-inserting marks the text as most recently used.
    this.idle.delete(sql);
    this.idle.set(sql, statements);
    while (this.idle.size > this.capacity) {
      const [oldest, stale] = this.idle.entries().next().value as [string, DuckDBPreparedStatement[]];
      for (const old of stale) old.destroySync();
      this.idle.delete(oldest);
    }
  }
}
