import { isoSecond } from "./clock.ts";
import type { IamUser, RoleRef } from "./org.ts";
import type { Caller } from "./record.ts";

/**
 * `userIdentity` blocks in the shapes CloudTrail records them. A session's identity object is built once and
 * shared by all its events (the record builder only serialises it), which is also how a session stays
 * consistent: same access key, same creationDate.
 */

export type Identity = Record<string, unknown>;

/** IAM user calling with its long-term key (no sessionContext), or a console session (ASIA key + MFA flag). */
export function iamUserIdentity(
  user: IamUser,
  session?: { accessKeyId: string; creationDate: number; mfa: boolean },
): Identity {
  const base: Identity = {
    type: "IAMUser",
    principalId: user.uniqueId,
    arn: user.arn,
    accountId: user.accountId,
    accessKeyId: session?.accessKeyId ?? user.accessKeyId,
    userName: user.userName,
  };
  if (session) {
    base.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: isoSecond(session.creationDate), mfaAuthenticated: String(session.mfa) },
    };
  }
  return base;
}

/** IAM user without access key: how ConsoleLogin records the user before a session exists. */
export function iamUserSignIn(user: IamUser): Identity {
  return {
    type: "IAMUser",
    principalId: user.uniqueId,
    arn: user.arn,
    accountId: user.accountId,
    userName: user.userName,
  };
}

export function roleSessionIdentity(
  role: RoleRef,
  sessionName: string,
  accessKeyId: string,
  creationDate: number,
  options: { mfa?: boolean; invokedBy?: string; ec2RoleDelivery?: boolean } = {},
): Identity {
  const identity: Identity = {
    type: "AssumedRole",
    principalId: `${role.uniqueId}:${sessionName}`,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId: role.accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: role.uniqueId,
        arn: role.arn,
        accountId: role.accountId,
        userName: role.name,
      },
      webIdFederationData: {},
      attributes: { creationDate: isoSecond(creationDate), mfaAuthenticated: String(options.mfa ?? false) },
      ...(options.ec2RoleDelivery ? { ec2RoleDelivery: "2.0" } : {}),
    },
  };
  if (options.invokedBy) identity.invokedBy = options.invokedBy;
  return identity;
}

/** An AWS service acting on its own account (AssumeRole of a service role, bucket ACL checks). */
export function serviceIdentity(service: string): Identity {
  return { type: "AWSService", invokedBy: service };
}

/** An AWS service calling from its own network with its own name as client (what CloudTrail shows). */
export function serviceCaller(service: string, accountId: string): Caller {
  return { identity: serviceIdentity(service), accountId, sourceIp: service, agent: () => service };
}

/** The IAM Identity Center federation step as the member account records it. */
export function samlIdentity(email: string, provider: string, nameQualifier: string): Identity {
  return {
    type: "SAMLUser",
    principalId: `${nameQualifier}:${email}`,
    userName: email,
    identityProvider: provider,
  };
}

export function webIdentity(provider: string, subject: string): Identity {
  return {
    type: "WebIdentityUser",
    principalId: `${provider}:sts.amazonaws.com:${subject}`,
    userName: subject,
    identityProvider: provider,
  };
}

/** A principal of another account, as the callee account records a cross-account AssumeRole. */
export function awsAccountIdentity(accountId: string, principalId: string): Identity {
  return { type: "AWSAccount", principalId, accountId };
}

/** The same identity with `invokedBy`: calls a service makes on the caller's behalf (KMS via Secrets Manager). */
export function invokedVia(identity: Identity, service: string): Identity {
  return { ...identity, invokedBy: service };
}
