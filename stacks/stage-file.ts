import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "./config.ts";

/** Where stage configs live: one `stacks/stages/<stage>.json` per stage (see docs/deploy.md). */
export const STAGES_DIR = path.join("stacks", "stages");

export function stageFilePath(root: string, stage: string): string {
  return path.join(root, STAGES_DIR, `${stage}.json`);
}

export function readStageFile(root: string, stage: string): { raw: unknown; source: string } {
  const file = stageFilePath(root, stage);
  const source = path.relative(root, file);
  if (!fs.existsSync(file)) {
    throw new ConfigError(source, [
      `no config for stage "${stage}": copy ${path.join(STAGES_DIR, "example.json")} to ${source} and edit it (docs/deploy.md)`,
    ]);
  }
  try {
    return { raw: JSON.parse(fs.readFileSync(file, "utf8")), source };
  } catch (error) {
    throw new ConfigError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
}

/**
 * The `region` field of a stage file, read without validation so `sst.config.ts` can pick the deploy region
 * before the stacks run (full validation happens there, with proper messages).
 */
export function peekStageRegion(root: string, stage: string | undefined): string | undefined {
  if (!stage) return undefined;
  try {
    const raw = JSON.parse(fs.readFileSync(stageFilePath(root, stage), "utf8")) as { region?: unknown };
    return typeof raw.region === "string" ? raw.region : undefined;
  } catch {
    return undefined;
  }
}
