import type { Rng } from "./prng.ts";

/**
 * Source addresses. Public addresses come only from the documentation ranges (RFC 5737: 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24; RFC 3849: 2001:db8::/32) so the sample never names a real network; VPC
 * traffic uses RFC 1918. Benign and hostile users share the same /24s on purpose: the range alone must not
 * give an attack away, only "new for this principal" should.
 */

export const OFFICES: Record<string, string[]> = {
  "Europe/Berlin": ["192.0.2.10", "192.0.2.11", "192.0.2.12"],
  "Europe/London": ["192.0.2.40", "192.0.2.41"],
  "America/New_York": ["192.0.2.70", "192.0.2.71"],
  "Asia/Kolkata": ["192.0.2.100", "192.0.2.101"],
};

/** Corporate VPN egress, shared by everyone working remotely. */
export const VPN_EGRESS = ["198.51.100.5", "198.51.100.6", "198.51.100.7"];

/** The on-premises data centre (backup host, Grafana). */
export const DATACENTER = ["192.0.2.200", "192.0.2.201"];

/** NAT gateway elastic IPs of the production VPC: how Lambda functions in the VPC reach public endpoints. */
export const NAT_EIPS = ["203.0.113.10", "203.0.113.11"];

/** GitHub-hosted runners: a large pool, a new address for almost every job. */
export function runnerAddress(rng: Rng): string {
  return `198.51.100.${rng.int(128, 191)}`;
}

/** A residential address, stable for one person for the whole period. Some are IPv6. */
export function homeAddress(rng: Rng): string {
  const kind = rng.weighted([
    ["v4a", 5],
    ["v4b", 4],
    ["v6", 1],
  ] as const);
  if (kind === "v6") return `2001:db8:${rng.hex(4)}:${rng.hex(4)}::${rng.int(1, 0xffff).toString(16)}`;
  return kind === "v4a" ? `198.51.100.${rng.int(20, 120)}` : `203.0.113.${rng.int(30, 120)}`;
}

/** Hotel or conference Wi-Fi: benign but new, like an attacker's address would be. */
export function travelAddress(rng: Rng): string {
  return `203.0.113.${rng.int(130, 149)}`;
}

/** Hosting-provider style addresses attackers operate from; never used by the simulated organisation. */
export function hostileAddress(rng: Rng): string {
  return rng.chance(0.5) ? `203.0.113.${rng.int(150, 254)}` : `198.51.100.${rng.int(200, 254)}`;
}

/** A private address inside the VPC (10.20.0.0/16 prod, 10.40.0.0/16 data). */
export function vpcAddress(rng: Rng, secondOctet: number): string {
  return `10.${secondOctet}.${rng.int(0, 47)}.${rng.int(4, 250)}`;
}
