import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

export interface DiscoveredFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** Digest files hold integrity hashes, not events: recognised by CloudTrail's own path and name. */
  digest: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Files inside walked folders that cannot hold CloudTrail JSON (licences, YAML, …), by path. */
  ignored: string[];
  /** Paths given on the command line that do not exist or cannot be read. */
  missing: { path: string; detail: string }[];
}

const EVENT_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
const DIGEST = /(^|[/\\])CloudTrail-Digest[/\\]|_CloudTrail-Digest_/;

/**
 * Expands files and folders (S3 trail trees, organisation trails with `o-xxxx/` prefixes, exports) into
 * the event files under them, sorted by path so the S3 layout reads in time order. A file named
 * explicitly is always read, whatever its extension; inside folders only JSON-like names are.
 */
export async function discoverFiles(paths: string[]): Promise<Discovery> {
  const discovery: Discovery = { files: [], ignored: [], missing: [] };
  const seen = new Set<string>();
  const add = (path: string, size: number, mtimeMs: number) => {
    if (seen.has(path)) return;
    seen.add(path);
    discovery.files.push({ path, size, mtimeMs, digest: DIGEST.test(path) });
  };

  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && EVENT_FILE.test(entry.name)) {
        const info = await stat(path);
        add(path, info.size, info.mtimeMs);
      } else if (entry.isFile()) discovery.ignored.push(path);
    }
  }

  for (const given of paths) {
    const path = resolve(given);
    try {
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else add(path, info.size, info.mtimeMs);
    } catch (error) {
      discovery.missing.push({ path: given, detail: (error as Error).message });
    }
  }
  discovery.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return discovery;
}
