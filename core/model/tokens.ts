/** Small, stable tokens derived from an event, used as model context and as first-seen signals. */

const UA_FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  // Offensive tooling first: its user agents often embed an SDK name too.
  ["stratus-red-team", /stratus-red-team/i],
  ["pacu", /pacu/i],
  ["scoutsuite", /scout ?suite/i],
  ["prowler", /prowler/i],
  ["cloudfox", /cloudfox/i],
  ["terraform", /terraform/i],
  ["pulumi", /pulumi/i],
  ["aws-cli", /aws-cli\//i],
  ["boto3", /boto3|botocore/i],
  ["sdk-go", /aws-sdk-go/i],
  ["sdk-java", /aws-sdk-java/i],
  ["sdk-js", /aws-sdk-js|aws-sdk-nodejs|@aws-sdk/i],
  ["sdk-dotnet", /aws-sdk-dotnet/i],
  ["sdk-rust", /aws-sdk-rust/i],
  ["powershell", /powershell/i],
  ["cloudformation", /cloudformation/i],
  ["console", /console\.(aws\.)?amazonaws\.com|signin\.amazonaws\.com|aws-internal/i],
  ["aws-service", /^[a-z0-9.-]+\.amazonaws\.com$/i],
  ["browser", /mozilla|chrome|safari/i],
  ["curl", /curl|wget|python-requests/i],
];

/** The fixed list of user-agent families (index = family code); "other" and "none" come last. */
export const UA_FAMILY_NAMES: readonly string[] = [...UA_FAMILIES.map(([name]) => name), "other", "none"];

/** User agents repeat heavily; classifying each distinct string once keeps a 1M-event fit fast. */
const familyCache = new Map<string, number>();
const CACHE_LIMIT = 50_000;

let lastAgent = "";
let lastCode = UA_FAMILY_NAMES.length - 1;

export function uaFamilyCode(userAgent: string): number {
  if (!userAgent) return UA_FAMILY_NAMES.length - 1;
  // The observe path asks twice per event with the same string instance: skip the hash lookup.
  if (userAgent === lastAgent) return lastCode;
  const cached = familyCache.get(userAgent);
  if (cached !== undefined) {
    lastAgent = userAgent;
    lastCode = cached;
    return cached;
  }
  let code = UA_FAMILY_NAMES.length - 2;
  for (let i = 0; i < UA_FAMILIES.length; i++) {
    if ((UA_FAMILIES[i] as readonly [string, RegExp])[1].test(userAgent)) {
      code = i;
      break;
    }
  }
  if (familyCache.size >= CACHE_LIMIT) familyCache.clear();
  familyCache.set(userAgent, code);
  lastAgent = userAgent;
  lastCode = code;
  return code;
}

export function uaFamily(userAgent: string): string {
  return UA_FAMILY_NAMES[uaFamilyCode(userAgent)] as string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The network an address belongs to at two widths: IPv4 /24 and /16, IPv6 /64 and /48. Anything that is
 * not an IP (pseudonyms like `IP_3296-…`, `cloudformation.amazonaws.com`) is an opaque token at both widths.
 */
const networkCache = new Map<string, { narrow: string; wide: string }>();

export function networksOf(sourceIp: string): { narrow: string; wide: string } {
  const cached = networkCache.get(sourceIp);
  if (cached) return cached;
  const networks = computeNetworks(sourceIp);
  if (networkCache.size >= CACHE_LIMIT) networkCache.clear();
  networkCache.set(sourceIp, networks);
  return networks;
}

function computeNetworks(sourceIp: string): { narrow: string; wide: string } {
  const v4 = IPV4.exec(sourceIp);
  if (v4) {
    return { narrow: `${v4[1]}.${v4[2]}.${v4[3]}.0/24`, wide: `${v4[1]}.${v4[2]}.0.0/16` };
  }
  if (sourceIp.includes(":") && /^[0-9a-f:]+$/i.test(sourceIp)) {
    const groups = expandIpv6(sourceIp);
    if (groups) {
      return { narrow: `${groups.slice(0, 4).join(":")}::/64`, wide: `${groups.slice(0, 3).join(":")}::/48` };
    }
  }
  const token = sourceIp || "(no source address)";
  return { narrow: token, wide: token };
}

function expandIpv6(address: string): string[] | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? (halves[0] as string).split(":") : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ""),
  );
}

const DENIED =
  /denied|unauthori[sz]ed|forbidden|notauthori|accessdenied|invalidclienttokenid|signaturedoesnotmatch/i;

/** 0: success, 1: refused for lack of permission (the reconnaissance signal), 2: any other error. */
export function errorClass(errorCode: string | null): 0 | 1 | 2 {
  if (!errorCode) return 0;
  return DENIED.test(errorCode) ? 1 : 2;
}

export function isAccessDenied(errorCode: string | null): boolean {
  return errorClass(errorCode) === 1;
}

/** 0 = Monday 00:00-01:00 UTC … 167 = Sunday 23:00 UTC. */
export function hourOfWeek(timeMs: number): number {
  // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week. No Date allocation (hot path).
  const hours = Math.floor(timeMs / 3_600_000);
  return (((hours + 72) % 168) + 168) % 168;
}

/** Coarse time of day (4-hour blocks) × weekday/weekend: 12 values, for session-start context. */
export function timeOfDayBucket(timeMs: number): number {
  const how = hourOfWeek(timeMs);
  const weekend = how >= 5 * 24 ? 1 : 0;
  return weekend * 6 + Math.floor((how % 24) / 4);
}

/** Tri-state readOnly as 0 (false), 1 (true), 2 (unknown). */
export function readOnlyCode(readOnly: boolean | null): 0 | 1 | 2 {
  return readOnly === null ? 2 : readOnly ? 1 : 0;
}

export function serviceOfAction(action: string): string {
  const colon = action.indexOf(":");
  return colon > 0 ? action.slice(0, colon) : action;
}
