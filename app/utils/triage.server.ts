import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { env } from "./env.server.ts";

/**
 * Triage state (star, tags, note per eventID): the web app's own data, kept in a small JSON file next to the
 * store so the MCP store stays read-only. Writes are serialized and atomic (temp file + rename).
 */
export const triageSchema = z.object({
  starred: z.boolean().default(false),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  note: z.string().max(4000).default(""),
  updated: z.string().optional(),
});
export type Triage = z.infer<typeof triageSchema>;

const fileSchema = z.record(z.string(), triageSchema);

export function triagePath(): string {
  return resolve(env.TRAILCAST_TRIAGE ?? `${env.TRAILCAST_STORE.replace(/\.duckdb$/, "")}.triage.json`);
}

let queue: Promise<unknown> = Promise.resolve();

async function readAll(path = triagePath()): Promise<Record<string, Triage>> {
  try {
    return fileSchema.parse(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`cannot read triage file ${path}: ${(error as Error).message}`);
  }
}

export async function getTriage(eventIds: readonly string[]): Promise<Record<string, Triage>> {
  const all = await readAll();
  return Object.fromEntries(eventIds.flatMap((id) => (all[id] ? [[id, all[id]]] : [])));
}

export async function allTriage(): Promise<Record<string, Triage>> {
  return readAll();
}

export function setTriage(eventId: string, change: Partial<Triage>): Promise<Triage> {
  const run = queue.then(async () => {
    const path = triagePath();
    const all = await readAll(path);
    const current = all[eventId] ?? triageSchema.parse({});
    const next = triageSchema.parse({ ...current, ...change, updated: new Date().toISOString() });
    all[eventId] = next;
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(all, null, 1)}\n`);
    await rename(temp, path);
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}
