import type { Command } from "commander";
import { QueryError } from "../../core/query/query-error.ts";
import { closeDeps, createLocalDeps } from "../../mcp/deps.ts";
import { startHttpServer } from "../../mcp/http-server.ts";
import { serveStdio } from "../../mcp/stdio.ts";
import { globalOptions } from "../context.ts";
import { CliError, EXIT } from "../exit-codes.ts";

interface McpOptions {
  http?: boolean;
  port: string;
  host: string;
  allowedHost?: string[];
  lake?: string;
}

export function registerMcp(program: Command): void {
  program
    .command("mcp")
    .description(
      "serve the read-only CloudTrail behaviour tools over MCP: stdio by default (Claude Desktop), or stateless Streamable HTTP with --http (see docs/mcp.md); the bundled sample is generated when the default store is absent",
    )
    .option("--http", "serve Streamable HTTP instead of stdio")
    .option("--port <n>", "HTTP port (0 = any free port)", "8765")
    .option(
      "--host <address>",
      "HTTP bind address; anything but loopback needs TRAILCAST_MCP_TOKEN",
      "127.0.0.1",
    )
    .option("--allowed-host <name...>", "extra Host header names to accept (reverse proxies)")
    .option(
      "--lake <eventDataStoreArn>",
      "enable lake_query on this CloudTrail Lake event data store (env TRAILCAST_LAKE_EVENT_DATA_STORE)",
    )
    .action(async (options: McpOptions, command: Command) => {
      const { store } = globalOptions(command);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError(`bad --port ${options.port}`, EXIT.usage);
      const log = (message: string) => process.stderr.write(`trailcast mcp: ${message}\n`);
      const deps = await createLocalDeps({
        storePath: store,
        lakeEventDataStore: options.lake ?? process.env.TRAILCAST_LAKE_EVENT_DATA_STORE,
        onProgress: log,
      }).catch((error: Error) => {
        throw error instanceof QueryError ? new CliError(error.message, EXIT.failure) : error;
      });
      try {
        if (!options.http) {
          await serveStdio(deps);
          return;
        }
        const running = await startHttpServer({
          deps,
          host: options.host,
          port,
          token: process.env.TRAILCAST_MCP_TOKEN || null,
          allowedHosts: options.allowedHost,
        }).catch((error: Error) => {
          throw new CliError(error.message, EXIT.usage);
        });
        // The URL goes to stdout so scripts (and tests) can read where the server listens.
        process.stdout.write(`${running.url}\n`);
        log(`listening on ${running.url} (stateless Streamable HTTP; Ctrl-C stops)`);
        await new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
        });
        await running.close();
      } finally {
        closeDeps(deps);
      }
    });
}
