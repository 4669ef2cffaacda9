import { Annotations, type Stack } from "aws-cdk-lib/core";
import type { App } from "sst/constructs";
import { useProject } from "sst/project.js";
import { CONFIG_CONTEXT_KEY, parseConfig, type TrailcastConfig } from "./config.ts";
import { readStageFile } from "./stage-file.ts";

/**
 * Everything the three stacks share: the validated stage config and the stage-aware physical names. Names are
 * deterministic so the IAM stack can scope policies to resources the application stack creates later (a Lambda
 * function, two log groups) without cross-stack references pointing "backwards" (which would be a cycle).
 */
export interface Trailcast {
  app: App;
  stage: string;
  region: string;
  account: string;
  partition: string;
  config: TrailcastConfig;
  names: {
    mcpFunction: string;
    mcpLogGroup: string;
    webLogGroup: string;
    cluster: string;
    webTaskFamily: string;
  };
  /** The only port the web container serves the app on (Remix `remix-serve`, PORT=3000). */
  appPort: number;
  healthCheckPort: number;
}

export const APP_PORT = 3000;

const cache = new WeakMap<App, Trailcast>();

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function loadConfig(app: App): TrailcastConfig {
  const injected: unknown = app.node.tryGetContext(CONFIG_CONTEXT_KEY);
  const { raw, source } =
    injected !== undefined
      ? { raw: injected, source: `CDK context "${CONFIG_CONTEXT_KEY}"` }
      : readStageFile(useProject().paths.root, app.stage);
  return parseConfig(raw, { stage: app.stage, region: app.region, source });
}

/** The validated Trailcast settings for this app; parsed once, on first use (fails fast before any resource). */
export function useTrailcast(app: App): Trailcast {
  const cached = cache.get(app);
  if (cached) return cached;
  const config = loadConfig(app);
  const mcpFunction = app.logicalPrefixedName("mcp");
  const trailcast: Trailcast = {
    app,
    stage: app.stage,
    region: app.region,
    account: app.account,
    partition: partitionOf(app.region),
    config,
    names: {
      mcpFunction,
      mcpLogGroup: `/aws/lambda/${mcpFunction}`,
      webLogGroup: `/trailcast/${app.stage}/web`,
      cluster: app.logicalPrefixedName("cluster"),
      webTaskFamily: app.logicalPrefixedName("web"),
    },
    appPort: APP_PORT,
    healthCheckPort: config.web.healthCheckPort ?? APP_PORT,
  };
  cache.set(app, trailcast);
  return trailcast;
}

/** ARN of a log group by name, in the form IAM log actions expect (`…:log-group:NAME:*`). */
export function logGroupArn(t: Trailcast, name: string): string {
  return `arn:${t.partition}:logs:${t.region}:${t.account}:log-group:${name}:*`;
}

/** A warning that shows in `sst deploy` output (console) and in the CDK annotations (tests, `cdk synth`). */
export function warnLoudly(stack: Stack, id: string, message: string): void {
  Annotations.of(stack).addWarningV2(`trailcast:${id}`, message);
  console.warn(`\n⚠️  Trailcast (${stack.stackName}): ${message}\n`);
}
