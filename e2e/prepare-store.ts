/** Playwright's server command: makes the small test store (once) and scores it before the servers start. */
import { TrailData } from "../core/query/trail-data.ts";
import { makeTestStore } from "./make-store.ts";

const dir = process.argv[2] ?? ".trailcast/e2e";
const store = await makeTestStore(dir, 3000);
const data = await TrailData.open({ storePath: store.storePath });
data.close();
process.stderr.write(`e2e store ready: ${store.storePath}\n`);
