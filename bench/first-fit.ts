/**
 * One fit in a process that has just read its events, as `trailcast score` or a server building its model
 * does: the heap state left by the read (gigabytes of events) is part of what a fit costs. Prints the fit
 * time as JSON. Alternate checkouts across processes to compare them:
 *
 *   NODE_OPTIONS=--max-old-space-size=12000 npx tsx bench/first-fit.ts <checkout> [sample|synthetic]
 *
 * `sample` reads .bench/sample-1000000/AWSLogs (made by `npm run bench`); `synthetic` generates 1M events.
 */
import { resolve } from "node:path";

const [checkout = ".", source = "sample"] = process.argv.slice(2);
const root = resolve(checkout);
const { fitModel } = await import(`${root}/core/model/fit.ts`);
const events =
  source === "sample"
    ? (
        await (
          await import(`${root}/core/ingest/read-events.ts`)
        ).readEvents([resolve(".bench/sample-1000000/AWSLogs")])
      ).events
    : (await import(`${root}/core/model/synthetic.ts`)).syntheticEvents({ events: 1_000_000, seed: 7 });
const started = performance.now();
fitModel(events);
const fitSeconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ root, source, events: events.length, fitSeconds })}\n`);
