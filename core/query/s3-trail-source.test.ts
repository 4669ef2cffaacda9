import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ingest } from "../store/ingest.ts";
import { TrailStore } from "../store/trail-store.ts";
import { S3TrailSource } from "./s3-trail-source.ts";

const s3 = mockClient(S3Client);
const PREFIX = "org/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/10/01/";

function record(id: string, minute: number) {
  return {
    eventVersion: "1.09",
    eventID: id,
    eventTime: `2026-10-01T10:${String(minute).padStart(2, "0")}:00Z`,
    eventSource: "s3.amazonaws.com",
    eventName: "ListBuckets",
    awsRegion: "eu-west-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.15.0",
    eventType: "AwsApiCall",
    recipientAccountId: "123456789012",
    userIdentity: {
      type: "IAMUser",
      arn: "arn:aws:iam::123456789012:user/alice",
      accountId: "123456789012",
      userName: "alice",
    },
  };
}

function body(bytes: Buffer) {
  return sdkStreamMixin(Readable.from([bytes]));
}

let store: TrailStore;
beforeEach(async () => {
  s3.reset();
  store = await TrailStore.open(":memory:");
});
afterEach(() => store.close());

describe("S3TrailSource", () => {
  it("ingests trail objects, skips digests and unreadable objects, and passes over unchanged ETags", async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: `${PREFIX}a.json.gz`, ETag: '"e1"' },
        { Key: `${PREFIX}b.json.gz`, ETag: '"e2"' },
        { Key: `${PREFIX}broken.json.gz`, ETag: '"e3"' },
        { Key: "org/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2026/10/01/d.json.gz", ETag: '"d"' },
      ],
    });
    s3.on(GetObjectCommand, { Key: `${PREFIX}a.json.gz` }).callsFake(() => ({
      Body: body(gzipSync(JSON.stringify({ Records: [record("e-1", 1), record("e-2", 2)] }))),
    }));
    s3.on(GetObjectCommand, { Key: `${PREFIX}b.json.gz` }).callsFake(() => ({
      Body: body(gzipSync(JSON.stringify({ Records: [record("e-3", 3), record("e-2", 2)] }))),
    }));
    s3.on(GetObjectCommand, { Key: `${PREFIX}broken.json.gz` }).rejects(new Error("AccessDenied"));
    const source = () =>
      new S3TrailSource({ bucket: "trail", prefix: "org/", client: new S3Client({ region: "eu-west-1" }) });

    const first = await ingest(store, source());
    expect(first.eventsAdded).toBe(3);
    expect(first.duplicates).toBe(1);
    expect(first.skippedByReason["unreadable-file"]).toBe(1);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(3);

    const second = await ingest(store, source());
    expect(second.eventsAdded).toBe(0);
    expect(second.unchangedInputs).toBe(2);
    // Only the object that could not be read is fetched again.
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(4);
  });
});
