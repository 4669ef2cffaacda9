import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestStore } from "../../e2e/make-store.ts";
import { closeDeps, createLocalDeps, type McpDeps } from "../../mcp/deps.ts";
import { type RunningHttpServer, startHttpServer } from "../../mcp/http-server.ts";

// MCP_URL mode: the web app's client talks Streamable HTTP with every request SigV4-signed for `lambda`. A
// local proxy in front of a real Trailcast MCP HTTP server checks each signature before forwarding.
const credentials = {
  accessKeyId: "AKIDEXAMPLETRAILCAST",
  secretAccessKey: "test-secret-key-for-sigv4-only",
};
let dir: string;
let deps: McpDeps;
let mcp: RunningHttpServer;
let proxy: ReturnType<typeof createServer>;
const seen: { authorization: string; valid: boolean }[] = [];

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function verify(req: IncomingMessage, text: string): Promise<boolean> {
  const authorization = String(req.headers.authorization ?? "");
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const headers = Object.fromEntries(signedNames.map((name) => [name, String(req.headers[name] ?? "")]));
  const date = String(req.headers["x-amz-date"] ?? "");
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const signer = new SignatureV4({ service: "lambda", region: "eu-west-1", credentials, sha256: Sha256 });
  const expected = await signer.sign(
    {
      method: req.method ?? "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers,
      body: text,
    },
    { signingDate },
  );
  return expected.headers.authorization === authorization;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "trailcast-remote-"));
  const store = await makeTestStore(dir, 800);
  deps = await createLocalDeps({ storePath: store.storePath });
  mcp = await startHttpServer({ deps, port: 0 });
  const target = new URL(mcp.url);
  proxy = createServer(async (req, res) => {
    const text = await body(req);
    const valid = await verify(req, text);
    seen.push({ authorization: String(req.headers.authorization ?? ""), valid });
    if (!valid) {
      res.writeHead(403, { "content-type": "application/json" }).end('{"message":"bad signature"}');
      return;
    }
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    MCP_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`,
    MCP_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  });
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await mcp.close();
  closeDeps(deps);
  await rm(dir, { recursive: true, force: true });
});

describe("remote MCP over SigV4-signed Streamable HTTP", () => {
  it("lists tools and calls one with every request signed for service lambda", async () => {
    const { callTool, listTools } = await import("./mcp.server.ts");
    const tools = await listTools();
    expect(tools.map((t) => t.name)).toContain("get_timeline");
    const status = await callTool<{ events: number }>("get_data_status", {});
    expect(status.events).toBeGreaterThan(500);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(seen[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETRAILCAST\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
  });
});
