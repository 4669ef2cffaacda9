import { execFileSync } from "node:child_process";

/**
 * The probe, run by a fresh node process: a random cyclic permutation (Sattolo's algorithm) of `n` ints,
 * walked for `steps` dependent loads after one warm-up walk; prints nanoseconds per load.
 */
const PROBE = `
const [n, steps] = process.argv.slice(1).map(Number);
const next = new Int32Array(n);
for (let i = 0; i < n; i++) next[i] = i;
let seed = 0x9e3779b9;
for (let i = n - 1; i > 0; i--) {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  const j = (seed >>> 0) % i;
  const t = next[i]; next[i] = next[j]; next[j] = t;
}
let at = 0;
for (let i = 0; i < Math.min(n, steps); i++) at = next[at];
const started = process.hrtime.bigint();
for (let i = 0; i < steps; i++) at = next[at];
const ns = Number(process.hrtime.bigint() - started) / steps;
process.stdout.write(String(at === -1 ? -1 : ns));
`;

/**
 * Nanoseconds per dependent memory load over a working set of `bytes` (a pointer chase): what this shared
 * machine's memory costs right now. The fit is memory-bound and its speed follows this number (the
 * sequence pass took 2.3–2.9 s in quiet hours and 3.5–4.6 s in busy ones with the same code), so the bench
 * reports it beside each fit. Run in a child process: a large array in the bench's own process would count
 * as external memory and start a full marking of its heap (ADR 048).
 */
export function memoryLatencyNs(bytes: number, steps = 1_000_000): number {
  const n = Math.max(16, Math.floor(bytes / 4));
  const out = execFileSync(process.execPath, ["-e", PROBE, String(n), String(steps)], { encoding: "utf8" });
  const ns = Number(out);
  if (!Number.isFinite(ns) || ns <= 0) throw new Error(`memory probe printed ${JSON.stringify(out)}`);
  return ns;
}
