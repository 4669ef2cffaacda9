import { isoSecond } from "./clock.ts";
import { type Identity, invokedVia } from "./identity.ts";
import { amzId2, s3RequestId } from "./ids.ts";
import type { Rng } from "./prng.ts";

/** One API call as a behaviour generator describes it; the builder turns it into a CloudTrail record. */
export interface Call {
  /** IAM-style service prefix: `ec2`, `s3`, `sts`; eventSource is `<service>.amazonaws.com`. */
  service: string;
  name: string;
  /** Only for sources that do not follow the pattern (`signin.amazonaws.com` does). */
  source?: string;
  /** Forces a region; global services (IAM, CloudFront, Cost Explorer) are pinned to us-east-1 anyway. */
  region?: string;
  params?: unknown;
  response?: unknown;
  resources?: { accountId?: string; type: string; ARN: string }[];
  readOnly?: boolean;
  eventType?: "AwsApiCall" | "AwsConsoleSignIn" | "AwsServiceEvent";
  additional?: Record<string, unknown>;
  error?: { code: string; message: string };
  /** The call was made by this service on the caller's behalf (e.g. KMS Decrypt by Secrets Manager). */
  invokedBy?: string;
  host?: string;
  /** Console sign-in records carry no requestID. */
  noRequestId?: boolean;
}

/** Who is calling, from where, with what: one per session (console, CLI, SDK, service). */
export interface Caller {
  identity: Identity;
  /** The account whose trail records the call. */
  accountId: string;
  sourceIp: string;
  agent: (service: string, eventName: string) => string;
  /** Calls made with console session credentials carry `sessionCredentialFromConsole`. */
  console?: boolean;
  /** Set when traffic goes through an interface VPC endpoint (private source address). */
  vpcEndpointId?: string;
  tls?: "TLSv1.2" | "TLSv1.3";
}

const GLOBAL_SERVICES = new Set(["iam", "cloudfront", "ce", "budgets", "organizations", "health", "route53"]);

const READ_PREFIXES =
  /^(Describe|Get|List|Lookup|Head|BatchGet|BatchCheck|Search|Select|Check|Filter|Estimate|Preview|Validate|Decrypt|Encrypt|GenerateDataKey|AssumeRole|Test|View|Scan)/;
const NOT_READ = new Set([
  "GetObjectRetention",
  "GenerateCredentialReport",
  "GenerateServiceLastAccessedDetails",
]);

/** CloudTrail's `readOnly`: true for calls that do not change anything (AssumeRole and Decrypt included). */
export function isReadOnly(eventName: string): boolean {
  if (NOT_READ.has(eventName)) return false;
  return READ_PREFIXES.test(eventName);
}

function regionOf(call: Call, region: string): string {
  if (call.region) return call.region;
  return GLOBAL_SERVICES.has(call.service) ? "us-east-1" : region;
}

function hostOf(call: Call, region: string): string {
  if (call.host) return call.host;
  switch (call.service) {
    case "iam":
      return "iam.amazonaws.com";
    case "s3":
      return "s3.amazonaws.com";
    case "cloudfront":
      return "cloudfront.amazonaws.com";
    case "signin":
      return "signin.aws.amazon.com";
    default:
      return `${call.service}.${region}.amazonaws.com`;
  }
}

const TLS13 = "TLS_AES_128_GCM_SHA256";
const TLS12 = "ECDHE-RSA-AES128-GCM-SHA256";

const identityJson = new WeakMap<Identity, string>();

function identityText(identity: Identity): string {
  let text = identityJson.get(identity);
  if (text === undefined) {
    text = JSON.stringify(identity);
    identityJson.set(identity, text);
  }
  return text;
}

export interface SerializedRecord {
  json: string;
  eventId: string;
  /** 64 random bits of the eventID (two uint32s), for per-record choices made after serialisation. */
  bits: [number, number];
  region: string;
  identity: Identity;
}

const quote = JSON.stringify;

/**
 * Serialises one record directly to JSON text in CloudTrail's field order. Writing the text by hand (instead
 * of building an object and stringifying it) halves the cost, and a session's identity block is serialised
 * once. IDs come from `rng`, so a record depends only on the stream of the session that made it.
 */
export function serializeRecord(
  rng: Rng,
  caller: Caller,
  time: number,
  region: string,
  call: Call,
): SerializedRecord {
  const awsRegion = regionOf(call, region);
  const eventSource = call.source ?? `${call.service}.amazonaws.com`;
  const viaService = call.invokedBy;
  const identity = viaService ? invokedVia(caller.identity, viaService) : caller.identity;
  // Console pages reach KMS through an internal endpoint: CloudTrail shows "AWS Internal" as the source.
  const internal = caller.console === true && call.service === "kms" && !viaService;
  const sourceIp = viaService ?? (internal ? "AWS Internal" : caller.sourceIp);
  const s3 = call.service === "s3";
  const eventId = rng.uuid();
  const bits: [number, number] = [rng.lastUuidWords[0], rng.lastUuidWords[1]];
  let json = `{"eventVersion":"${s3 ? "1.10" : "1.11"}","userIdentity":${identityText(identity)},"eventTime":"${isoSecond(time)}","eventSource":"${eventSource}","eventName":"${call.name}","awsRegion":"${awsRegion}","sourceIPAddress":${quote(sourceIp)},"userAgent":${quote(viaService ?? caller.agent(call.service, call.name))}`;
  if (call.error)
    json += `,"errorCode":${quote(call.error.code)},"errorMessage":${quote(call.error.message)}`;
  json += `,"requestParameters":${quote(call.params ?? null)},"responseElements":${call.error ? "null" : quote(call.response ?? null)}`;
  if (call.additional) json += `,"additionalEventData":${quote(call.additional)}`;
  else if (s3) {
    const cipher = caller.tls === "TLSv1.2" ? TLS12 : TLS13;
    const out = call.error ? 243 : rng.int(200, 6000);
    json += `,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"${cipher}","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"${amzId2(rng)}","bytesTransferredOut":${out}}`;
  }
  if (!call.noRequestId) json += `,"requestID":"${s3 ? s3RequestId(rng) : rng.uuid()}"`;
  json += `,"eventID":"${eventId}","readOnly":${call.readOnly ?? isReadOnly(call.name)}`;
  if (call.resources) json += `,"resources":${quote(call.resources)}`;
  json += `,"eventType":"${call.eventType ?? "AwsApiCall"}","managementEvent":true,"recipientAccountId":"${caller.accountId}"`;
  if (caller.vpcEndpointId && !viaService) {
    json += `,"vpcEndpointId":"${caller.vpcEndpointId}","vpcEndpointAccountId":"${caller.accountId}"`;
  }
  json += `,"eventCategory":"Management"`;
  if (!viaService && sourceIp !== "AWS Internal" && !sourceIp.endsWith(".amazonaws.com")) {
    const tlsVersion = caller.tls ?? "TLSv1.3";
    json += `,"tlsDetails":{"tlsVersion":"${tlsVersion}","cipherSuite":"${tlsVersion === "TLSv1.3" ? TLS13 : TLS12}","clientProvidedHostHeader":${quote(hostOf(call, awsRegion))}}`;
  }
  if (caller.console && !viaService && call.eventType !== "AwsConsoleSignIn")
    json += `,"sessionCredentialFromConsole":"true"`;
  return { json: `${json}}`, eventId, bits, region: awsRegion, identity };
}
