import { timingSafeEqual } from "node:crypto";

export interface GuardOptions {
  /** Host header values accepted (host:port); anything else is refused (DNS-rebinding protection). */
  allowedHosts: string[];
  /** Origin header values accepted when a browser sends one. */
  allowedOrigins: string[];
  /** Bearer token required on every request when set. */
  token: string | null;
}

export type GuardVerdict = { ok: true } | { ok: false; status: number; message: string };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a request before any MCP processing: the Host header must name this server (a page on another
 * site cannot reach a localhost server through a rebound DNS name), a browser Origin must be allowed, and
 * the bearer token must match when one is configured.
 */
export function checkRequest(
  headers: Record<string, string | string[] | undefined>,
  options: GuardOptions,
): GuardVerdict {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const host = header("host")?.toLowerCase();
  if (!host || !options.allowedHosts.includes(host)) {
    return { ok: false, status: 403, message: `host ${JSON.stringify(host ?? "")} not allowed` };
  }
  const origin = header("origin")?.toLowerCase();
  if (origin && !options.allowedOrigins.includes(origin)) {
    return { ok: false, status: 403, message: `origin ${JSON.stringify(origin)} not allowed` };
  }
  if (options.token) {
    const auth = header("authorization") ?? "";
    const given = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    if (!sameSecret(given, options.token))
      return { ok: false, status: 401, message: "missing or wrong bearer token" };
  }
  return { ok: true };
}

/** Host and Origin values a server bound to host:port answers to (loopback names included for loopback). */
export function defaultAllowed(host: string, port: number, extraHosts: string[] = []) {
  const loopback = ["127.0.0.1", "localhost", "[::1]"];
  const names = [...new Set([host, ...(loopback.includes(host) ? loopback : []), ...extraHosts])];
  const allowedHosts = names.map((name) => `${name}:${port}`.toLowerCase());
  const allowedOrigins = names.flatMap((name) => [`http://${name}:${port}`, `https://${name}:${port}`]);
  return { allowedHosts, allowedOrigins };
}
