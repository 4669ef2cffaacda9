import { Role } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { RemovalPolicy } from "aws-cdk-lib/core";
import { Function as SstFunction, type Stack } from "sst/constructs";
import type { Trailcast } from "../context.ts";

/** Environment the MCP handler reads to know which CloudTrail sources it may use (unset = not configured). */
export function mcpEnvironment(t: Trailcast): Record<string, string> {
  const { sources } = t.config;
  const env: Record<string, string> = {
    NODE_OPTIONS: "--enable-source-maps",
    TRAILCAST_LOOKUP_EVENTS: String(sources.lookupEvents),
  };
  if (sources.lookupEvents) env.TRAILCAST_LOOKUP_REGIONS = sources.lookupRegions.join(",");
  if (sources.trailBucket) {
    env.TRAILCAST_TRAIL_BUCKET = sources.trailBucket.name;
    env.TRAILCAST_TRAIL_PREFIX = sources.trailBucket.prefix;
  }
  if (sources.lakeEventDataStoreArn) env.TRAILCAST_LAKE_EVENT_DATA_STORE = sources.lakeEventDataStoreArn;
  return env;
}

/**
 * DuckDB's native binding stays outside the esbuild bundle and is copied from node_modules as prebuilt
 * (x86_64 glibc, matching the function's architecture): synth stays offline, no `npm install` at build
 * time (docs/decisions/030-lambda-duckdb-native-binding.md). `detect-libc` is the loader's one dependency.
 */
export const DUCKDB_NATIVE_PACKAGES = [
  "@duckdb/node-bindings",
  "@duckdb/node-bindings-linux-x64",
  "detect-libc",
];

/**
 * The MCP server as a streaming Lambda behind an IAM-authenticated Function URL. The role comes from the IAM
 * stack and is imported immutable, so nothing here (SST or CDK defaults) can widen its permissions.
 */
export function createMcpFunction(stack: Stack, t: Trailcast, roleArn: string): SstFunction {
  const role = Role.fromRoleArn(stack, "McpFunctionRole", roleArn, { mutable: false });
  const logGroup = new LogGroup(stack, "McpLogGroup", {
    logGroupName: t.names.mcpLogGroup,
    retention: t.config.logs.retentionDays as RetentionDays,
    removalPolicy: t.config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  return new SstFunction(stack, "McpFunction", {
    functionName: t.names.mcpFunction,
    description: `Trailcast ${t.stage} MCP server (read-only CloudTrail tools)`,
    handler: "functions/mcp.handler",
    runtime: "nodejs22.x",
    // x86_64 so native modules bundled later (DuckDB's prebuilt binaries) match the build host by default.
    architecture: "x86_64",
    memorySize: t.config.mcp.memoryMb,
    timeout: t.config.mcp.timeoutSeconds,
    role,
    logGroup,
    tracing: "disabled",
    // Source maps stay inside the bundle (no upload to the SST bootstrap bucket, no extra custom resource).
    nodejs: { format: "esm", sourcemap: true, esbuild: { external: ["@duckdb/node-bindings"] } },
    copyFiles: DUCKDB_NATIVE_PACKAGES.map((name) => ({
      from: `node_modules/${name}`,
      to: `node_modules/${name}`,
    })),
    environment: mcpEnvironment(t),
    // No CORS: only the web task calls it, server to server, with SigV4.
    url: { authorizer: "iam", streaming: true, cors: false },
  });
}
