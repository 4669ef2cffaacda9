import { describe, expect, it } from "vitest";
import { principalOf, stableSessionName } from "./principal.ts";

describe("principalOf", () => {
  it("keys IAM users by ARN and names them by user name", () => {
    const p = principalOf({
      type: "IAMUser",
      arn: "arn:aws:iam::111122223333:user/dev/alice",
      accountId: "111122223333",
      userName: "alice",
    });
    expect(p).toMatchObject({
      key: "arn:aws:iam::111122223333:user/dev/alice",
      name: "alice",
      type: "IAMUser",
    });
  });

  it("keys assumed roles by issuer role ARN plus session name", () => {
    const p = principalOf({
      type: "AssumedRole",
      principalId: "AROAEXAMPLE:alice@example.com",
      arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123abcd/alice@example.com",
      accountId: "111122223333",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123abcd",
          userName: "AWSReservedSSO_Dev_0123abcd",
        },
      },
    });
    expect(p.key).toBe(
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123abcd#alice@example.com",
    );
    expect(p.name).toBe("AWSReservedSSO_Dev_0123abcd/alice@example.com");
    expect(p.roleArn).toBe(
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123abcd",
    );
    expect(p.sessionName).toBe("alice@example.com");
  });

  it("collapses per-run random session names so one automation stays one principal", () => {
    const a = principalOf({
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/ci/botocore-session-1700000000",
      accountId: "111122223333",
    });
    const b = principalOf({
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/ci/botocore-session-1700009999",
      accountId: "111122223333",
    });
    expect(a.key).toBe(b.key);
    expect(a.key).toBe("arn:aws:iam::111122223333:role/ci#botocore-session-*");
    expect(a.sessionName).toBe("botocore-session-1700000000");
    expect(stableSessionName("i-0123456789abcdef0")).toBe("*");
    expect(stableSessionName("3f2b8c1e-4d5a-4e6f-9a8b-7c6d5e4f3a2b")).toBe("*");
    expect(stableSessionName("alice@example.com")).toBe("alice@example.com");
    // ECS task ids are 32 hex digits, often with a long run of decimal digits inside
    expect(stableSessionName("c3c9efd5eda1234567890c3e97f0f9c1")).toBe("*");
    expect(stableSessionName("MandoService2842426183934887787")).toBe("MandoService*");
  });

  it("falls back to the principalId session part when the ARN is pseudonymized", () => {
    const p = principalOf({
      type: "AssumedRole",
      arn: "arn:aws:sts::ACCOUNT_1:RESOURCE_2",
      principalId: "AROA:deploy",
      accountId: "ACCOUNT_1",
      sessionContext: { sessionIssuer: { arn: "arn:aws:iam::ACCOUNT_1:RESOURCE_3", userName: "USER_4" } },
    });
    expect(p.key).toBe("arn:aws:iam::ACCOUNT_1:RESOURCE_3#deploy");
    expect(p.name).toBe("USER_4/deploy");
  });

  it.each([
    [
      { type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" },
      "arn:aws:iam::111122223333:root",
      "root (111122223333)",
    ],
    [
      { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" },
      "service:cloudtrail.amazonaws.com",
      "cloudtrail.amazonaws.com",
    ],
    [
      { invokedBy: "secretsmanager.amazonaws.com", accountId: "111122223333" },
      "service:secretsmanager.amazonaws.com",
      "secretsmanager.amazonaws.com",
    ],
    [
      { type: "AWSAccount", principalId: "AIDAOTHER", accountId: "444455556666" },
      "account:444455556666/AIDAOTHER",
      "account 444455556666",
    ],
    [
      {
        type: "FederatedUser",
        arn: "arn:aws:sts::111122223333:federated-user/bob",
        accountId: "111122223333",
      },
      "arn:aws:sts::111122223333:federated-user/bob",
      "bob",
    ],
    [
      {
        type: "IdentityCenterUser",
        accountId: "111122223333",
        onBehalfOf: {
          userId: "u-123",
          identityStoreArn: "arn:aws:identitystore::111122223333:identitystore/d-1",
        },
        userName: "carol",
      },
      "identitycenter:arn:aws:identitystore::111122223333:identitystore/d-1/u-123",
      "carol",
    ],
    [{ type: "SAMLUser", userName: "dave", identityProvider: "okta" }, "saml:okta/dave", "dave (okta)"],
    [
      {
        type: "WebIdentityUser",
        userName: "repo:org/app",
        identityProvider: "token.actions.githubusercontent.com",
      },
      "webidentity:token.actions.githubusercontent.com/repo:org/app",
      "repo:org/app (token.actions.githubusercontent.com)",
    ],
    [
      { type: "Unknown", principalId: "anonymous", accountId: "111122223333" },
      "unknown:111122223333/anonymous",
      "anonymous",
    ],
    [{ type: "SomethingNew", userName: "eve" }, "unknown:?/eve", "eve"],
  ])("derives a stable key for %o", (identity, key, name) => {
    const p = principalOf(identity);
    expect(p.key).toBe(key);
    expect(p.name).toBe(name);
  });
});
