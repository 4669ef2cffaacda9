import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../event/normalize.ts";
import { ec2 } from "./api-ec2.ts";
import { denied } from "./api-errors.ts";
import { consoleLogin } from "./api-iam.ts";
import { kmsDecryptVia } from "./api-services.ts";
import { roleSessionIdentity } from "./identity.ts";
import { buildAccounts } from "./inventory.ts";
import { Rng } from "./prng.ts";
import { type Caller, isReadOnly, serializeRecord } from "./record.ts";

const rng = Rng.fromSeed(3);
const accounts = buildAccounts(rng.fork("a"), "test");
const role = {
  name: "dev-role",
  arn: `arn:aws:iam::${accounts.prod.id}:role/dev-role`,
  uniqueId: "AROAEXAMPLEEXAMPLE12",
  accountId: accounts.prod.id,
};
const caller: Caller = {
  identity: roleSessionIdentity(
    role,
    "alice@example.com",
    "ASIAEXAMPLEEXAMPLE12",
    Date.parse("2026-10-01T08:00:00Z"),
  ),
  accountId: accounts.prod.id,
  sourceIp: "192.0.2.10",
  agent: (service, name) => `aws-cli/2.18.10 md/command#${service}.${name}`,
};
const time = Date.parse("2026-10-01T08:15:30Z");

function record(call: Parameters<typeof serializeRecord>[4], who: Caller = caller) {
  const serialized = serializeRecord(rng, who, time, "eu-central-1", call);
  return { ...serialized, parsed: JSON.parse(serialized.json) as Record<string, unknown> };
}

describe("serializeRecord", () => {
  it("writes valid JSON in CloudTrail's field order that normalizes", () => {
    const { parsed, json, eventId } = record(ec2("DescribeInstances", { instancesSet: {}, filterSet: {} }));
    expect(Object.keys(parsed)).toEqual([
      "eventVersion",
      "userIdentity",
      "eventTime",
      "eventSource",
      "eventName",
      "awsRegion",
      "sourceIPAddress",
      "userAgent",
      "requestParameters",
      "responseElements",
      "requestID",
      "eventID",
      "readOnly",
      "eventType",
      "managementEvent",
      "recipientAccountId",
      "eventCategory",
      "tlsDetails",
    ]);
    expect(parsed.eventTime).toBe("2026-10-01T08:15:30Z");
    const normalized = normalizeRecord(parsed, json);
    expect(normalized.ok).toBe(true);
    if (normalized.ok) {
      expect(normalized.event.eventId).toBe(eventId);
      expect(normalized.event.action).toBe("ec2:DescribeInstances");
      expect(normalized.event.readOnly).toBe(true);
      expect(normalized.event.sessionKey).toBe("ASIAEXAMPLEEXAMPLE12");
    }
  });

  it("pins global services to us-east-1 and records errors without a response", () => {
    const call = denied(
      rng,
      { service: "iam", name: "CreateRole", params: { roleName: "x" }, response: { role: {} } },
      "arn:aws:sts::1:assumed-role/dev-role/alice",
    );
    const { parsed } = record(call);
    expect(parsed.awsRegion).toBe("us-east-1");
    expect(parsed.errorCode).toBe("AccessDenied");
    expect(parsed.errorMessage).toContain("is not authorized to perform: iam:CreateRole");
    expect(parsed.responseElements).toBeNull();
    expect((parsed.tlsDetails as Record<string, string>).clientProvidedHostHeader).toBe("iam.amazonaws.com");
  });

  it("shows calls a service makes on the caller's behalf as coming from that service", () => {
    const call = kmsDecryptVia("secretsmanager.amazonaws.com", accounts.prod, "eu-central-1", "key", {
      SecretARN: "x",
    });
    const { parsed } = record(call);
    expect(parsed.sourceIPAddress).toBe("secretsmanager.amazonaws.com");
    expect(parsed.userAgent).toBe("secretsmanager.amazonaws.com");
    expect((parsed.userIdentity as Record<string, unknown>).invokedBy).toBe("secretsmanager.amazonaws.com");
    expect(parsed.tlsDetails).toBeUndefined();
  });

  it("records console sign-ins without a requestID and console calls as such", () => {
    const signIn = record(
      consoleLogin({ mfa: true, region: "us-east-1", loginTo: "https://console.aws.amazon.com/" }),
    );
    expect(signIn.parsed.eventType).toBe("AwsConsoleSignIn");
    expect(signIn.parsed.requestID).toBeUndefined();
    expect(signIn.parsed.readOnly).toBe(false);
    const consoleCall = record(ec2("DescribeVpcs", {}), { ...caller, console: true });
    expect(consoleCall.parsed.sessionCredentialFromConsole).toBe("true");
  });

  it("sets readOnly the way CloudTrail does", () => {
    for (const name of [
      "DescribeInstances",
      "GetSecretValue",
      "ListBuckets",
      "AssumeRole",
      "Decrypt",
      "LookupEvents",
      "BatchGetSecretValue",
    ]) {
      expect(isReadOnly(name), name).toBe(true);
    }
    for (const name of [
      "ConsoleLogin",
      "StopLogging",
      "CreateAccessKey",
      "StartQueryExecution",
      "GenerateCredentialReport",
      "ModifySnapshotAttribute",
    ]) {
      expect(isReadOnly(name), name).toBe(false);
    }
  });
});
