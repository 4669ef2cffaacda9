import type { SSTConfig } from "sst";
import { addTrailcastStacks } from "./stacks/index.ts";
import { peekStageRegion } from "./stacks/stage-file.ts";

// `sst deploy --stage <stage>` reads stacks/stages/<stage>.json (see docs/deploy.md).
export default {
  config(input) {
    const region =
      input.region ??
      peekStageRegion(input.root ?? process.cwd(), input.stage) ??
      process.env.AWS_REGION ??
      process.env.AWS_DEFAULT_REGION ??
      "us-east-1";
    return { name: "trailcast", region };
  },
  stacks(app) {
    addTrailcastStacks(app);
  },
} satisfies SSTConfig;
