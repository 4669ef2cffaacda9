import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Level 3 with a 16 KB window: ~1.5x faster than the defaults for a ~10% larger file, and a deflate state small
 * enough not to be mmapped per file. Output depends only on input and options (the gzip header carries no
 * timestamp), so files are byte-identical across runs.
 */
const GZIP_OPTIONS = { level: 3, memLevel: 6, windowBits: 14 };

/**
 * Writes gzipped files synchronously. A sample is ~20,000 small files; measured on a 2-core machine, the
 * promise-based fs API (and zlib in the thread pool) spent more time in hand-offs and file handles than in the
 * work itself: the whole default run took ~15 s that way and ~9.5 s with plain synchronous writes.
 */
export class GzipWriter {
  private readonly dirs = new Set<string>();
  files = 0;
  bytes = 0;

  constructor(private readonly root: string) {}

  write(relativePath: string, body: string | Buffer): void {
    const path = join(this.root, relativePath);
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const compressed = gzipSync(body, GZIP_OPTIONS);
    writeFileSync(path, compressed);
    this.files++;
    this.bytes += compressed.length;
  }
}
