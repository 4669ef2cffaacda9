import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import { ApplicationStack } from "./ApplicationStack.ts";
import { CONFIG_CONTEXT_KEY, type TrailcastConfigInput } from "./config.ts";
import { IamStack } from "./IamStack.ts";
import { InfrastructureStack } from "./InfrastructureStack.ts";
import { addTrailcastStacks } from "./index.ts";

/**
 * Offline synth of the three stacks for tests: the recipe from DESIGN.md (initProject with a stage so SST
 * never prompts, an SST App in deploy mode, Template.fromStack) with the stage config injected through CDK
 * context instead of a file. `app.finish()` runs SST's deferred work exactly as `sst deploy` does (esbuild of
 * the handler, removal policies, metadata); only AWS calls are skipped (NODE_ENV=test under vitest).
 */
export const TEST_ACCOUNT = "123456789012";
export const TEST_REGION = "us-east-1";

let project: Promise<void> | undefined;

export interface Synthesized {
  outdir: string;
  iam: Template;
  infra: Template;
  application: Template;
  stackNames: { iam: string; infra: string; application: string };
  dependencies: { infra: string[]; application: string[] };
  warnings: string[];
  /** Context lookups CDK could not answer (it then synthesizes dummy values). */
  missingContext: string[];
}

export async function synthTrailcast(options: {
  config: TrailcastConfigInput;
  stage?: string;
  context?: Record<string, unknown>;
}): Promise<Synthesized> {
  process.env.SST_TELEMETRY_DISABLED = "1";
  project ??= initProject({ stage: "test" });
  await project;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "trailcast-synth-"));
  const app = new App(
    {
      mode: "deploy",
      stage: options.stage ?? "test",
      name: "trailcast",
      region: TEST_REGION,
      account: TEST_ACCOUNT,
    },
    { outdir, context: { [CONFIG_CONTEXT_KEY]: options.config, ...options.context } },
  );
  try {
    addTrailcastStacks(app);
  } catch (error) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const stacks = {
    iam: getStack(IamStack),
    infra: getStack(InfrastructureStack),
    application: getStack(ApplicationStack),
  };
  await app.finish();
  const assembly = app.synth();
  const warnings = assembly.stacks.flatMap((s) =>
    s.messages.filter((m) => m.level === "warning").map((m) => String(m.entry.data)),
  );
  return {
    outdir,
    iam: Template.fromStack(stacks.iam),
    infra: Template.fromStack(stacks.infra),
    application: Template.fromStack(stacks.application),
    stackNames: {
      iam: stacks.iam.stackName,
      infra: stacks.infra.stackName,
      application: stacks.application.stackName,
    },
    dependencies: {
      infra: stacks.infra.dependencies.map((s) => s.stackName),
      application: stacks.application.dependencies.map((s) => s.stackName),
    },
    warnings,
    missingContext: (assembly.manifest.missing ?? []).map((m) => m.key),
  };
}

/** Total bytes under a directory (for asset size checks). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}
