import { consoleDate } from "./clock.ts";
import { sessionToken, userUniqueId } from "./ids.ts";
import type { RoleRef } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/** IAM, STS and sign-in calls. */

export function iam(name: string, params: unknown = null, response: unknown = null): Call {
  return { service: "iam", name, params, response };
}

export const getCallerIdentity = (): Call => ({ service: "sts", name: "GetCallerIdentity", params: null });

function credentials(rng: Rng, accessKeyId: string, time: number, seconds: number) {
  return { accessKeyId, sessionToken: sessionToken(rng), expiration: consoleDate(time + seconds * 1000) };
}

function roleResource(role: RoleRef) {
  return [{ accountId: role.accountId, type: "AWS::IAM::Role", ARN: role.arn }];
}

export function assumeRole(
  rng: Rng,
  role: RoleRef,
  sessionName: string,
  accessKeyId: string,
  time: number,
  seconds = 3600,
): Call {
  return {
    service: "sts",
    name: "AssumeRole",
    params: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: seconds },
    response: {
      credentials: credentials(rng, accessKeyId, time, seconds),
      assumedRoleUser: {
        assumedRoleId: `${role.uniqueId}:${sessionName}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      },
    },
    resources: roleResource(role),
  };
}

export function assumeRoleWithSaml(
  rng: Rng,
  role: RoleRef,
  provider: string,
  email: string,
  accessKeyId: string,
  time: number,
  nameQualifier: string,
  region: string,
): Call {
  const seconds = 43200;
  return {
    service: "sts",
    name: "AssumeRoleWithSAML",
    params: { roleArn: role.arn, principalArn: provider, durationSeconds: seconds },
    response: {
      credentials: credentials(rng, accessKeyId, time, seconds),
      assumedRoleUser: {
        assumedRoleId: `${role.uniqueId}:${email}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${email}`,
      },
      subject: email,
      subjectType: "persistent",
      issuer: `https://portal.sso.${region}.amazonaws.com/saml/assertion/${nameQualifier.slice(0, 20)}`,
      audience: "https://signin.aws.amazon.com/saml",
      nameQualifier,
    },
    resources: [
      ...roleResource(role),
      { accountId: role.accountId, type: "AWS::IAM::SAMLProvider", ARN: provider },
    ],
  };
}

export function assumeRoleWithWebIdentity(
  rng: Rng,
  role: RoleRef,
  sessionName: string,
  subject: string,
  provider: string,
  accessKeyId: string,
  time: number,
): Call {
  return {
    service: "sts",
    name: "AssumeRoleWithWebIdentity",
    params: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    response: {
      credentials: credentials(rng, accessKeyId, time, 3600),
      subjectFromWebIdentityToken: subject,
      assumedRoleUser: {
        assumedRoleId: `${role.uniqueId}:${sessionName}`,
        arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      },
      provider,
      audience: "sts.amazonaws.com",
    },
    additional: { identityProviderConnectionVerificationMethod: "IAMTrustStore" },
    resources: roleResource(role),
  };
}

export function consoleLogin(opts: {
  mfa: boolean;
  region: string;
  loginTo: string;
  mfaDevice?: string;
}): Call {
  const additional: Record<string, unknown> = {
    LoginTo: opts.loginTo,
    MobileVersion: "No",
    MFAUsed: opts.mfa ? "Yes" : "No",
  };
  if (opts.mfaDevice) additional.MFAIdentifier = opts.mfaDevice;
  return {
    service: "signin",
    name: "ConsoleLogin",
    region: opts.region,
    params: null,
    response: { ConsoleLogin: "Success" },
    additional,
    eventType: "AwsConsoleSignIn",
    readOnly: false,
    noRequestId: true,
    host: opts.region === "us-east-1" ? "signin.aws.amazon.com" : `${opts.region}.signin.aws.amazon.com`,
  };
}

export function createAccessKey(userName: string, accessKeyId: string, time: number): Call {
  return iam(
    "CreateAccessKey",
    { userName },
    { accessKey: { userName, accessKeyId, status: "Active", createDate: consoleDate(time) } },
  );
}

export function createUser(rng: Rng, accountId: string, userName: string, time: number): Call {
  return iam(
    "CreateUser",
    { userName, path: "/" },
    {
      user: {
        path: "/",
        userName,
        userId: userUniqueId(rng),
        arn: `arn:aws:iam::${accountId}:user/${userName}`,
        createDate: consoleDate(time),
      },
    },
  );
}

export function createLoginProfile(userName: string, time: number): Call {
  return iam(
    "CreateLoginProfile",
    { userName, passwordResetRequired: false },
    { loginProfile: { userName, createDate: consoleDate(time), passwordResetRequired: false } },
  );
}

export function trustPolicy(principal: Record<string, unknown>, action = "sts:AssumeRole"): string {
  return JSON.stringify(
    { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: action }] },
    null,
    2,
  );
}

export function createRole(rng: Rng, accountId: string, roleName: string, trust: string, time: number): Call {
  return iam(
    "CreateRole",
    { roleName, assumeRolePolicyDocument: trust, maxSessionDuration: 3600 },
    {
      role: {
        path: "/",
        roleName,
        roleId: `AROA${rng.upperAlnum(17)}`,
        arn: `arn:aws:iam::${accountId}:role/${roleName}`,
        createDate: consoleDate(time),
        assumeRolePolicyDocument: encodeURIComponent(trust),
        maxSessionDuration: 3600,
      },
    },
  );
}

export const attachRolePolicy = (roleName: string, policyArn: string) =>
  iam("AttachRolePolicy", { roleName, policyArn });
export const attachUserPolicy = (userName: string, policyArn: string) =>
  iam("AttachUserPolicy", { userName, policyArn });
export const updateAssumeRolePolicy = (roleName: string, policyDocument: string) =>
  iam("UpdateAssumeRolePolicy", { roleName, policyDocument });
export const ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";
