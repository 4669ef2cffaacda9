import type { IdentityType, Principal } from "../event/types.ts";
import type { TrailStore } from "../store/trail-store.ts";
import { QueryError } from "./query-error.ts";

/**
 * Every principal of a store (latest identity details per key) and its display names, loaded with one
 * GROUP BY. The server holds the store read-only, so the index stays true for as long as it is open and
 * resolving a name costs a map lookup instead of a column scan.
 */
export class PrincipalIndex {
  private constructor(
    private readonly byKey: Map<string, Principal>,
    private readonly byName: Map<string, string[]>,
  ) {}

  static async load(store: TrailStore): Promise<PrincipalIndex> {
    const rows = await store.rows<{
      key: string;
      name: string;
      type: string;
      account_id: string | null;
      role_arn: string | null;
      session_name: string | null;
    }>(
      `SELECT principal_key AS key, arg_max(principal_name, time) AS name, arg_max(principal_type, time) AS type,
              arg_max(account_id, time) AS account_id, arg_max(role_arn, time) AS role_arn,
              arg_max(session_name, time) AS session_name
       FROM events GROUP BY principal_key`,
    );
    const byKey = new Map<string, Principal>();
    const byName = new Map<string, string[]>();
    for (const row of rows) {
      byKey.set(row.key, {
        key: row.key,
        name: row.name,
        type: row.type as IdentityType,
        accountId: row.account_id,
        roleArn: row.role_arn,
        sessionName: row.session_name,
      });
      const keys = byName.get(row.name) ?? [];
      keys.push(row.key);
      byName.set(row.name, keys);
    }
    for (const keys of byName.values()) keys.sort();
    return new PrincipalIndex(byKey, byName);
  }

  /**
   * Keys for what a caller typed: a principal key (ARN-like) or a display name, which can match several keys
   * (the same user name in two accounts). Unknown text is the caller's mistake and the message says so.
   */
  resolve(text: string): string[] {
    if (this.byKey.has(text)) return [text];
    const keys = this.byName.get(text);
    if (!keys) {
      throw new QueryError(
        `unknown principal ${JSON.stringify(text.slice(0, 200))}: pass a principal key or name exactly as list_principals returns it`,
      );
    }
    return keys.slice(0, 50);
  }

  /** Display name of a key (the key itself when unknown). */
  nameOf(key: string): string {
    return this.byKey.get(key)?.name ?? key;
  }

  /** Exactly one principal, or an error naming the candidates when a display name is ambiguous. */
  one(text: string): Principal {
    const keys = this.resolve(text);
    if (keys.length > 1) {
      throw new QueryError(
        `principal name ${JSON.stringify(text)} is ambiguous (${keys.length} principals): pass one of their keys: ${JSON.stringify(keys.slice(0, 5))}`,
      );
    }
    return this.byKey.get(keys[0] as string) as Principal;
  }
}
