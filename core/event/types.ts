/** Every `userIdentity.type` CloudTrail documents, plus `Unknown` for anything else. */
export const IDENTITY_TYPES = [
  "IAMUser",
  "AssumedRole",
  "Root",
  "AWSService",
  "AWSAccount",
  "FederatedUser",
  "IdentityCenterUser",
  "SAMLUser",
  "WebIdentityUser",
  "Unknown",
] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** Who made a call, reduced to a stable key an analyst can follow across sessions and files. */
export interface Principal {
  /** Stable key (built in principal.ts): IAM user ARN, role ARN + session name, `service:<host>`, … */
  key: string;
  /** Short readable name: `alice`, `Deployer/alice@example.com`, `root (123456789012)`. */
  name: string;
  type: IdentityType;
  accountId: string | null;
  /** For assumed roles: the role ARN that issued the session (the natural peer group). */
  roleArn: string | null;
  /** For assumed roles: the raw role session name as CloudTrail recorded it. */
  sessionName: string | null;
}

/** One CloudTrail record, normalized for querying and modelling; `raw` keeps the record verbatim. */
export interface TrailEvent {
  eventId: string;
  /** Milliseconds since the epoch (UTC). */
  time: number;
  /** `service:EventName`, service = eventSource up to the first dot: `s3:GetObject`. */
  action: string;
  eventSource: string;
  eventName: string;
  principal: Principal;
  region: string;
  sourceIp: string;
  userAgent: string;
  /** null when CloudTrail did not say (older records, some data events). */
  readOnly: boolean | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Resource ARNs (or names where no ARN was given), from `resources[]`. */
  resources: string[];
  accessKeyId: string | null;
  /** Identifies one credential session: access key or role session + creation date. */
  sessionKey: string | null;
  eventType: string;
  recipientAccountId: string | null;
  /** The record as delivered, JSON text. */
  raw: string;
  /** Where it was read from (file path, `lookup-events:<region>`), for provenance. */
  origin?: string;
}

/** Why an input (file, line or record) was not turned into an event. */
export type SkipReason =
  | "unreadable-file"
  | "truncated-gzip"
  | "invalid-json"
  | "not-cloudtrail"
  | "digest-file"
  | "insights-event"
  | "missing-field"
  | "wrong-type"
  | "duplicate";

export interface Skip {
  /** File path or source name, with `#N` for the record/line index when the problem is one record. */
  where: string;
  reason: SkipReason;
  detail: string;
}
