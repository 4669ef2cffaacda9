import { type DuckDBConnection, LIST, listValue, VARCHAR } from "@duckdb/node-api";
import type { TrailStore } from "./trail-store.ts";

export type DuplicateKind = "stored" | "repeated";

/**
 * Finds duplicate eventIDs (CloudTrail delivers some events twice): against the store, with one narrow
 * query per batch, and within the run, with an in-memory set of the IDs seen so far.
 */
export class Deduper {
  private readonly seen = new Set<string>();

  private constructor(
    /** Its own connection: lookups run while the ingest connection commits a chunk. */
    private readonly connection: DuckDBConnection,
    private readonly storeHasEvents: boolean,
  ) {}

  static async create(store: TrailStore): Promise<Deduper> {
    const [row] = await store.rows<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM events) AS any");
    return new Deduper(await store.connect(), Boolean(row?.any));
  }

  close(): void {
    this.connection.closeSync();
  }

  /** For each ID, null when it is new (and now remembered), else why it is a duplicate. */
  async classify(ids: string[]): Promise<(DuplicateKind | null)[]> {
    const stored = this.storeHasEvents ? await this.storedAmong(ids) : new Set<string>();
    return ids.map((id) => {
      if (stored.has(id)) return "stored";
      if (this.seen.has(id)) return "repeated";
      this.seen.add(id);
      return null;
    });
  }

  private async storedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const reader = await this.connection.runAndReadAll(
      "SELECT event_id FROM events WHERE event_id IN (SELECT unnest($1))",
      [listValue(ids)],
      [LIST(VARCHAR)],
    );
    return new Set(reader.getColumnsJS()[0] as string[]);
  }
}
