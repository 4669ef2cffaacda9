import type { UserIdentity } from "./record-schema.ts";
import { IDENTITY_TYPES, type IdentityType, type Principal } from "./types.ts";

const KNOWN_TYPES = new Set<string>(IDENTITY_TYPES);

/**
 * Role session names that are random per run (SDK defaults with timestamps, UUIDs, instance ids, long
 * numeric or hex suffixes) would split one automated principal into thousands. Those parts become `*` in
 * the key; the raw session name stays in `sessionName` and in the raw record.
 */
export function stableSessionName(sessionName: string): string {
  return (
    sessionName
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "*")
      .replace(/\bi-[0-9a-f]{8,17}\b/g, "*")
      // Hex before digits: an ECS task id (32 hex) often holds a run of digits that must not split it.
      .replace(/\b[0-9a-f]{16,}\b/gi, "*")
      .replace(/\d{9,}/g, "*")
  );
}

function lastSegment(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return resource.split("/").pop() || resource || arn;
}

function identityType(identity: UserIdentity): IdentityType {
  const type = identity.type ?? "";
  if (KNOWN_TYPES.has(type)) return type as IdentityType;
  // CloudTrail omits `type` on some service-initiated records (e.g. Secrets Manager rotation): only invokedBy.
  if (!type && identity.invokedBy && !identity.arn && !identity.principalId) return "AWSService";
  return "Unknown";
}

/** Derives the stable principal key and a readable name from `userIdentity` (contract in DESIGN.md). */
export function principalOf(identity: UserIdentity): Principal {
  const type = identityType(identity);
  const accountId = identity.accountId ?? null;
  const base = { type, accountId, roleArn: null, sessionName: null };
  const arn = identity.arn ?? null;

  switch (type) {
    case "IAMUser":
      return {
        ...base,
        key: arn ?? `iam-user:${accountId ?? "?"}/${identity.userName ?? identity.principalId ?? "?"}`,
        name: identity.userName ?? (arn ? lastSegment(arn) : (identity.principalId ?? "IAM user")),
      };
    case "AssumedRole":
      return assumedRole(identity, accountId);
    case "Root":
      return {
        ...base,
        key: arn ?? `root:${accountId ?? "?"}`,
        name: `root (${accountId ?? "unknown account"})`,
      };
    case "AWSService": {
      const service = identity.invokedBy ?? identity.principalId ?? "unknown-service";
      return { ...base, key: `service:${service}`, name: service };
    }
    case "AWSAccount": {
      const who = identity.principalId ?? accountId ?? "?";
      return { ...base, key: `account:${accountId ?? "?"}/${who}`, name: `account ${accountId ?? who}` };
    }
    case "FederatedUser": {
      const name = arn ? lastSegment(arn) : (identity.principalId ?? "federated user");
      return { ...base, key: arn ?? `federated:${accountId ?? "?"}/${name}`, name };
    }
    case "IdentityCenterUser": {
      const userId = identity.onBehalfOf?.userId ?? identity.principalId ?? identity.credentialId ?? "?";
      const store = identity.onBehalfOf?.identityStoreArn ?? accountId ?? "?";
      return {
        ...base,
        key: `identitycenter:${store}/${userId}`,
        name: identity.userName ?? `Identity Center user ${userId}`,
      };
    }
    case "SAMLUser":
    case "WebIdentityUser": {
      const provider = identity.identityProvider ?? "?";
      const user = identity.userName ?? identity.principalId ?? "?";
      const prefix = type === "SAMLUser" ? "saml" : "webidentity";
      return { ...base, key: `${prefix}:${provider}/${user}`, name: `${user} (${provider})` };
    }
    default: {
      const who = arn ?? identity.principalId ?? identity.userName ?? identity.invokedBy ?? "anonymous";
      return { ...base, key: `unknown:${accountId ?? "?"}/${who}`, name: identity.userName ?? who };
    }
  }
}

function assumedRole(identity: UserIdentity, accountId: string | null): Principal {
  const issuer = identity.sessionContext?.sessionIssuer;
  const arn = identity.arn ?? "";
  // arn:aws:sts::123:assumed-role/RoleName/SessionName; the role name may not contain '/', the session may.
  const match = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  const roleName = issuer?.userName ?? match?.[1] ?? "role";
  // Pseudonymized or unusual ARNs: the session name is also the part after ':' in the principalId.
  const fromPrincipalId = identity.principalId?.includes(":")
    ? identity.principalId.slice(identity.principalId.indexOf(":") + 1)
    : null;
  const sessionName = match?.[2] ?? fromPrincipalId ?? (arn ? lastSegment(arn) : "?");
  const roleArn =
    issuer?.arn ??
    (match && accountId ? `arn:aws:iam::${accountId}:role/${match[1]}` : null) ??
    `role:${identity.principalId?.split(":")[0] ?? "?"}`;
  const stable = stableSessionName(sessionName);
  return {
    key: `${roleArn}#${stable}`,
    name: `${roleName}/${stable}`,
    type: "AssumedRole",
    accountId,
    roleArn,
    sessionName,
  };
}
