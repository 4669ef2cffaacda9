import { QueryError } from "./query-error.ts";

export const MAX_SQL_CHARS = 10_000;

const FORBIDDEN = [
  "insert",
  "update",
  "delete",
  "merge",
  "drop",
  "create",
  "alter",
  "truncate",
  "grant",
  "revoke",
  "call",
  "exec",
  "execute",
  "copy",
  "unload",
  "attach",
  "detach",
  "set",
  "pragma",
  "install",
  "load",
  "vacuum",
  "commit",
  "rollback",
  "begin",
  "use",
  "export",
  "import",
  "declare",
  "prepare",
];

/**
 * Blanks string literals, quoted identifiers and comments (keeping length), so keyword checks only see
 * SQL structure. An unterminated quote or block comment is refused: it could hide a statement.
 */
function structureOnly(sql: string): string {
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const pair = sql.slice(i, i + 2);
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new QueryError(`unterminated ${c} quote in SQL`);
        if (sql[j] === c) {
          if (sql[j + 1] === c)
            j += 2; // doubled quote escapes itself
          else break;
        } else j++;
      }
      out += c === "'" ? "''" : "x".padEnd(j - i + 1, "x");
      i = j + 1;
    } else if (pair === "--") {
      throw new QueryError("SQL comments are not accepted: send the query without -- comments");
    } else if (pair === "/*") {
      throw new QueryError("SQL comments are not accepted: send the query without /* */ comments");
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Accepts one read-only CloudTrail Lake query (SELECT or WITH … SELECT) and returns it without a trailing
 * semicolon. Refuses several statements, comments (they can hide statements from a reader), and any
 * data-changing or session keyword outside string literals. CloudTrail Lake itself only runs SELECT; this
 * check gives the caller a clear message before an AWS round trip and keeps the tool read-only by design.
 */
export function validateLakeSql(input: string): string {
  const sql = input.trim().replace(/;\s*$/, "");
  if (sql.length === 0) throw new QueryError("SQL is empty: send one SELECT statement");
  if (sql.length > MAX_SQL_CHARS) throw new QueryError(`SQL is longer than ${MAX_SQL_CHARS} characters`);
  const structure = structureOnly(sql);
  if (structure.includes(";"))
    throw new QueryError("only one statement is accepted: remove the ';' separators");
  const words = structure.toLowerCase().match(/[a-z_]+/g) ?? [];
  const first = words[0];
  if (first !== "select" && first !== "with") {
    throw new QueryError(
      `only SELECT queries are accepted (the query starts with ${JSON.stringify(first ?? "")})`,
    );
  }
  const forbidden = words.find((word) => FORBIDDEN.includes(word));
  if (forbidden) {
    throw new QueryError(`${forbidden.toUpperCase()} is not allowed: lake_query is read-only (SELECT only)`);
  }
  return sql;
}
