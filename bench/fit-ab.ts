/**
 * Compares fitModel between two checkouts by alternating their fits in one process, so the machine's
 * drift (this VM's speed moves by ±30% within minutes) hits both alike. Prints each side's fit times and
 * the median per-round ratio.
 *
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npx tsx bench/fit-ab.ts /tmp/before . [rounds=4] [events=1000000]
 */
import { resolve } from "node:path";

const [before = "", after = ".", rounds = "4", count = "1000000"] = process.argv.slice(2);
if (!before)
  throw new Error("usage: npx tsx bench/fit-ab.ts <checkout before> [checkout after] [rounds] [events]");
const roots = [resolve(before), resolve(after)];
const { syntheticEvents } = await import(`${roots[0]}/core/model/synthetic.ts`);
const fits = await Promise.all(
  roots.map(async (root) => (await import(`${root}/core/model/fit.ts`)).fitModel),
);
const events = syntheticEvents({ events: Number(count), seed: 7 });
const seconds: number[][] = roots.map(() => []);
for (let round = 0; round < Number(rounds); round++) {
  fits.forEach((fitModel, side) => {
    const started = performance.now();
    fitModel(events);
    seconds[side]?.push((performance.now() - started) / 1000);
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const [a = [], b = []] = seconds;
const result = {
  events: events.length,
  before: { root: roots[0], medianSeconds: median(a), seconds: a },
  after: { root: roots[1], medianSeconds: median(b), seconds: b },
  medianRatio: median(b.map((t, i) => t / (a[i] as number))),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
