import type { Rng } from "./prng.ts";

/** AWS identifier shapes. Access keys and unique ids use the base-32 alphabet AWS uses (A–Z, 2–7). */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE32[rng.int(0, 31)];
  return out;
}

export function accountId(rng: Rng): string {
  return `${rng.int(1, 9)}${String(rng.int(0, 99_999_999_999)).padStart(11, "0")}`;
}

/** Long-term IAM user key (`AKIA…`). */
export function userAccessKey(rng: Rng): string {
  return `AKIA${base32(rng, 16)}`;
}

/** Temporary session key (`ASIA…`) as STS issues them. */
export function sessionAccessKey(rng: Rng): string {
  return `ASIA${base32(rng, 16)}`;
}

export function userUniqueId(rng: Rng): string {
  return `AIDA${base32(rng, 17)}`;
}

export function roleUniqueId(rng: Rng): string {
  return `AROA${base32(rng, 17)}`;
}

/** EC2-style resource id: `i-0123456789abcdef0`. */
export function ec2Id(rng: Rng, prefix: string): string {
  return `${prefix}-0${rng.hex(16)}`;
}

export function vpcEndpointId(rng: Rng): string {
  return `vpce-0${rng.hex(16)}`;
}

/** S3 request ids are 16 upper-case alphanumerics, not UUIDs. */
export function s3RequestId(rng: Rng): string {
  return rng.upperAlnum(16);
}

export function amzId2(rng: Rng): string {
  return `${rng.base64(76)}=`;
}

/** An STS session token; real ones are longer, the shape (base64 starting `IQoJb3JpZ2luX2Vj`) is what matters. */
export function sessionToken(rng: Rng): string {
  return `IQoJb3JpZ2luX2Vj${rng.base64(220)}`;
}

/** The 6-character suffix Secrets Manager appends to secret ARNs. */
export function secretSuffix(rng: Rng): string {
  return rng.alnum(6);
}
