import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  JSDuckDBValueConverter,
  listValue,
} from "@duckdb/node-api";
import { SCHEMA_DDL, SCHEMA_VERSION } from "./schema.ts";
import { StatementCache } from "./statement-cache.ts";

export const DEFAULT_STORE_PATH = ".trailcast/trailcast.duckdb";

/** Whether `path` names the default store, however it is spelled (relative or absolute). */
export function isDefaultStorePath(path: string): boolean {
  return resolve(path) === resolve(DEFAULT_STORE_PATH);
}

export interface OpenOptions {
  /** Opens without write access; several readers may share a file that no writer holds. */
  readOnly?: boolean;
  /** DuckDB's memory limit (env TRAILCAST_DUCKDB_MEMORY); it spills to disk beyond it. */
  memoryLimit?: string;
}

/**
 * DuckDB takes 80% of RAM by default and keeps what it read cached; a bounded limit keeps ingest and the
 * servers within a predictable footprint (it spills to a temp directory past it).
 */
const DEFAULT_MEMORY_LIMIT = "1GB";

export class StoreError extends Error {}

/** A bound TIMESTAMP parameter (DuckDB keeps microseconds); comparisons on `time` keep zone-map pruning. */
export function timestampParam(ms: number): DuckDBTimestampValue {
  return new DuckDBTimestampValue(BigInt(Math.trunc(ms)) * 1000n);
}

/**
 * The embedded analytical store: one DuckDB file holding normalized events, their raw records, ingest
 * history and every skipped input. Extensions are never downloaded at run time (json is linked in).
 */
export class TrailStore {
  private readonly statements: StatementCache;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {
    this.statements = new StatementCache(connection);
  }

  static async open(path: string = DEFAULT_STORE_PATH, options: OpenOptions = {}): Promise<TrailStore> {
    const file = path === ":memory:" ? path : resolve(path);
    if (file !== ":memory:" && options.readOnly && !existsSync(file)) {
      throw new StoreError(
        `no store at ${file}: run \`trailcast ingest <paths>\` or \`trailcast sample --ingest\` first`,
      );
    }
    if (file !== ":memory:" && !options.readOnly) await mkdir(dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file, {
        autoinstall_known_extensions: "false",
        access_mode: options.readOnly ? "READ_ONLY" : "READ_WRITE",
        memory_limit: options.memoryLimit ?? process.env.TRAILCAST_DUCKDB_MEMORY ?? DEFAULT_MEMORY_LIMIT,
        // Bulk inserts need not keep insertion order; queries always say ORDER BY.
        preserve_insertion_order: "false",
      });
    } catch (error) {
      throw new StoreError(`cannot open store ${file}: ${(error as Error).message}`);
    }
    const connection = await instance.connect();
    const store = new TrailStore(file, instance, connection);
    if (!options.readOnly) await store.migrate();
    else await store.checkVersion();
    return store;
  }

  private async migrate(): Promise<void> {
    for (const ddl of SCHEMA_DDL) await this.connection.run(ddl);
    await this.connection.run(`INSERT INTO meta VALUES ('schema_version', $1) ON CONFLICT DO NOTHING`, [
      String(SCHEMA_VERSION),
    ]);
    await this.checkVersion();
  }

  private async checkVersion(): Promise<void> {
    const rows = await this.rows<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
    const version = rows[0]?.value;
    if (version !== String(SCHEMA_VERSION)) {
      throw new StoreError(
        `store ${this.path} has schema version ${version ?? "none"}, this Trailcast needs ${SCHEMA_VERSION}: ` +
          "re-ingest into a new store path",
      );
    }
  }

  /** Runs a query and returns plain JS row objects (integers as numbers when safe, timestamps as Date). */
  async rows<T = Record<string, unknown>>(
    sql: string,
    params?: DuckDBValue[],
    types?: DuckDBType[],
  ): Promise<T[]> {
    return rowsOf<T>(await this.result(sql, params, types));
  }

  /**
   * Runs a query and returns its columns as arrays of plain JS values (as `rows` converts them): for results
   * of thousands of rows (timeline buckets) building row objects costs more than the query.
   */
  async columns<T extends Record<string, unknown[]>>(sql: string, params?: DuckDBValue[]): Promise<T> {
    const { names, columns } = columnsOf(await this.result(sql, params));
    return Object.fromEntries(names.map((name, c) => [name, columns[c]])) as T;
  }

  /** A query with parameters runs as a cached prepared statement. */
  private result(
    sql: string,
    params?: DuckDBValue[],
    types?: DuckDBType[],
  ): Promise<DuckDBMaterializedResult> {
    return params ? this.statements.run(sql, params, types) : this.connection.run(sql);
  }

  /** True when every named table exists in this store's database. */
  async hasTables(...names: string[]): Promise<boolean> {
    const [row] = await this.rows<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables()
       WHERE list_contains($1::VARCHAR[], table_name) AND database_name = current_database()`,
      [listValue(names)],
    );
    return row?.n === names.length;
  }

  /** Another connection to the same database, for work that runs while this one is busy (an ingest commit). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.statements.close();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Row objects built from converted columns: the reader's own `getRowObjectsJS` visits values row by row
 * across vectors and was ~4x slower on wide rows (50k events: 2.6 s against 0.7 s), which dominated both
 * the scoring walk and small tool pages.
 */
export function rowsOf<T>(result: DuckDBMaterializedResult): T[] {
  const { names, columns } = columnsOf(result);
  const count = columns[0]?.length ?? 0;
  const rows: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c] as string] = (columns[c] as unknown[])[i];
    rows[i] = row;
  }
  return rows as T[];
}

/**
 * A materialized result's columns, read straight from its chunks (synchronously: the reader's async chunk
 * fetches cost a thread-pool trip each) with primitive values taken as they are: the reader's per-value
 * conversion cost more than the query for small tool pages.
 */
function columnsOf(result: DuckDBMaterializedResult): { names: string[]; columns: unknown[][] } {
  const names = result.deduplicatedColumnNames();
  const columns: unknown[][] = names.map(() => []);
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const out = columns[c] as unknown[];
      for (let i = 0; i < vector.itemCount; i++) {
        const value = vector.getItem(i);
        out.push(
          value === null ||
            typeof value === "string" ||
            typeof value === "number" ||
            typeof value === "boolean"
            ? value
            : plainValue(JSDuckDBValueConverter(value, vector.type, JSDuckDBValueConverter)),
        );
      }
    }
  }
  return { names, columns };
}

/** Integers as numbers when they fit (counts come back as BIGINT). */
function plainValue(value: unknown): unknown {
  return typeof value === "bigint" &&
    value <= BigInt(Number.MAX_SAFE_INTEGER) &&
    value >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}
