import { createWriteStream, type WriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Skip } from "../event/types.ts";
import { describeStagingLine, readStagingSql } from "./staging-line.ts";

/**
 * Collects staging lines in a scratch file and loads them into `events` in large chunks. DuckDB writes an
 * insert of a full row group (122,880 rows) straight to the database file; smaller inserts go through the
 * write-ahead log first and cost several times more (measured: docs/decisions/003).
 */
export class ChunkLoader {
  private stream: WriteStream | null = null;
  private pendingLines = 0;
  private readonly file: string;

  constructor(
    private readonly db: DuckDBConnection,
    scratchDir: string,
    name = "chunk",
  ) {
    this.file = join(scratchDir, `${name}.ndjson`);
  }

  get lines(): number {
    return this.pendingLines;
  }

  /** Appends `lines` newline-terminated staging lines. */
  async append(text: string, lines: number): Promise<void> {
    if (lines === 0) return;
    this.stream ??= createWriteStream(this.file);
    const ok = this.stream.write(text);
    this.pendingLines += lines;
    if (!ok) await new Promise<void>((resolve) => this.stream?.once("drain", () => resolve()));
  }

  /**
   * Inserts the pending lines inside the caller's transaction. If DuckDB refuses the chunk (a record it
   * cannot store), returns `retry` and the caller rolls back and calls `loadOneByOne` outside a transaction.
   */
  async load(): Promise<{ added: number } | { retry: true }> {
    if (this.pendingLines === 0) return { added: 0 };
    await this.closeStream();
    try {
      const result = await this.db.run(`INSERT INTO events ${readStagingSql(this.file)}`);
      return { added: result.rowsChanged };
    } catch {
      return { retry: true };
    }
  }

  /** The slow path: halves the chunk until each refused line is isolated; one bad record costs only itself. */
  async loadIsolatingFailures(): Promise<{ added: number; refused: Skip[] }> {
    const all = (await readFile(this.file, "utf8")).split("\n").filter((line) => line.length > 0);
    const refused: Skip[] = [];
    let added = 0;
    const part = `${this.file}.part`;
    const bisect = async (lines: string[]): Promise<void> => {
      if (lines.length === 0) return;
      await writeFile(part, `${lines.join("\n")}\n`);
      try {
        added += (await this.db.run(`INSERT INTO events ${readStagingSql(part)}`)).rowsChanged;
      } catch (error) {
        if (lines.length === 1) {
          refused.push({
            where: describeStagingLine(lines[0] as string),
            reason: "wrong-type",
            detail: `the store refused the record: ${(error as Error).message.slice(0, 200)}`,
          });
          return;
        }
        await bisect(lines.slice(0, lines.length >> 1));
        await bisect(lines.slice(lines.length >> 1));
      }
    };
    await bisect(all);
    return { added, refused };
  }

  /** Forgets the loaded chunk; the next append starts a new scratch file. */
  async reset(): Promise<void> {
    await this.closeStream();
    this.pendingLines = 0;
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream)
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
  }
}
