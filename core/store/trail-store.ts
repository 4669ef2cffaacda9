import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBType, type DuckDBValue } from "@duckdb/node-api";
import { SCHEMA_DDL, SCHEMA_VERSION } from "./schema.ts";

export const DEFAULT_STORE_PATH = ".trailcast/trailcast.duckdb";

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

/**
 * The embedded analytical store: one DuckDB file holding normalized events, their raw records, ingest
 * history and every skipped input. Extensions are never downloaded at run time (json is linked in).
 */
export class TrailStore {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

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
    const reader = await this.connection.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS().map(toPlainRow) as T[];
  }

  /** Another connection to the same database, for work that runs while this one is busy (an ingest commit). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function toPlainRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (
      typeof value === "bigint" &&
      value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= -BigInt(Number.MAX_SAFE_INTEGER)
    ) {
      row[key] = Number(value);
    }
  }
  return row;
}
