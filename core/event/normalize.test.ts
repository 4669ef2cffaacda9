import { describe, expect, it } from "vitest";
import { actionOf, normalizeRecord } from "./normalize.ts";

const record = {
  eventVersion: "1.08",
  userIdentity: {
    type: "AssumedRole",
    principalId: "AROAEXAMPLE:alice",
    arn: "arn:aws:sts::111122223333:assumed-role/Dev/alice",
    accountId: "111122223333",
    accessKeyId: "ASIAEXAMPLE",
    sessionContext: {
      sessionIssuer: { type: "Role", arn: "arn:aws:iam::111122223333:role/Dev", userName: "Dev" },
      attributes: { creationDate: "2024-03-05T09:00:00Z", mfaAuthenticated: "true" },
    },
  },
  eventTime: "2024-03-05T10:00:00Z",
  eventSource: "iam.amazonaws.com",
  eventName: "CreateAccessKey",
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.9",
  userAgent: "aws-cli/2.15.0",
  errorCode: "AccessDenied",
  errorMessage: "User is not authorized",
  readOnly: false,
  resources: [{ ARN: "arn:aws:iam::111122223333:user/bob", type: "AWS::IAM::User" }],
  eventID: "e-1",
  eventType: "AwsApiCall",
  recipientAccountId: "111122223333",
  futureField: { kept: true },
};

describe("normalizeRecord", () => {
  it("normalizes every field the product queries and keeps the raw record", () => {
    const result = normalizeRecord(record);
    if (!result.ok) throw new Error(result.detail);
    const event = result.event;
    expect(event).toMatchObject({
      eventId: "e-1",
      time: Date.parse("2024-03-05T10:00:00Z"),
      action: "iam:CreateAccessKey",
      region: "us-east-1",
      sourceIp: "203.0.113.9",
      userAgent: "aws-cli/2.15.0",
      readOnly: false,
      errorCode: "AccessDenied",
      errorMessage: "User is not authorized",
      resources: ["arn:aws:iam::111122223333:user/bob"],
      accessKeyId: "ASIAEXAMPLE",
      sessionKey: "ASIAEXAMPLE",
      eventType: "AwsApiCall",
      recipientAccountId: "111122223333",
    });
    expect(event.principal.key).toBe("arn:aws:iam::111122223333:role/Dev#alice");
    expect(JSON.parse(event.raw)).toEqual(record);
  });

  it("keeps the raw text byte for byte when the caller has it", () => {
    const text = JSON.stringify(record, null, 1);
    const result = normalizeRecord(JSON.parse(text), text);
    expect(result.ok && result.event.raw).toBe(text);
  });

  it("maps the service prefix from eventSource", () => {
    expect(actionOf("s3.amazonaws.com", "GetObject")).toBe("s3:GetObject");
    expect(actionOf("signin.amazonaws.com", "ConsoleLogin")).toBe("signin:ConsoleLogin");
    expect(actionOf("custom", "Thing")).toBe("custom:Thing");
  });

  it("accepts readOnly as a string and leaves it null when absent", () => {
    const asString = normalizeRecord({ ...record, readOnly: "true" });
    expect(asString.ok && asString.event.readOnly).toBe(true);
    const { readOnly: _, ...withoutReadOnly } = record;
    const absent = normalizeRecord(withoutReadOnly);
    expect(absent.ok && absent.event.readOnly).toBeNull();
  });

  it("accepts Logstash exports where eventTime was renamed @timestamp", () => {
    const { eventTime: _, ...rest } = record;
    const result = normalizeRecord({ ...rest, "@timestamp": "2024-03-05T11:00:00.000Z", "@version": "1" });
    expect(result.ok && result.event.time).toBe(Date.parse("2024-03-05T11:00:00Z"));
  });

  it.each([
    [{ ...record, eventID: undefined }, "missing-field", "eventID"],
    [{ ...record, eventTime: 5 }, "wrong-type", "eventTime"],
    [{ ...record, eventTime: "soon" }, "wrong-type", "not a timestamp"],
    [{ ...record, userIdentity: null }, "missing-field", "userIdentity"],
    [
      { ...record, eventCategory: "Insight", eventType: "AwsCloudTrailInsight" },
      "insights-event",
      "Insights",
    ],
    [{ name: "pkg", version: "1" }, "not-cloudtrail", "no CloudTrail fields"],
    ["a string", "not-cloudtrail", "not a JSON object"],
  ])("rejects %# with a reason naming the field", (input, reason, detail) => {
    const result = normalizeRecord(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail).toContain(detail);
    }
  });
});
