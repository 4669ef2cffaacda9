/**
 * A small generated store for tests (vitest and Playwright): the sample organisation over a few days plus
 * planted records whose fields carry an XSS payload and a prompt-injection attempt, as an attacker who can
 * call AWS APIs could leave them in CloudTrail.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import {
  PLANTED_ACCOUNT,
  PLANTED_INSTRUCTION,
  PLANTED_USER,
  type TestStore,
  XSS_PAYLOAD,
} from "./planted.ts";

export { PLANTED_INSTRUCTION, type TestStore } from "./planted.ts";

function record(
  eventID: string,
  time: string,
  eventName: string,
  userAgent: string,
  extra: Record<string, unknown>,
) {
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAPLANTED0000000001",
      arn: `arn:aws:iam::${PLANTED_ACCOUNT}:user/${PLANTED_USER}`,
      accountId: PLANTED_ACCOUNT,
      accessKeyId: "AKIAPLANTED000000001",
      userName: PLANTED_USER,
    },
    eventTime: time,
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.66",
    userAgent,
    requestParameters: { bucketName: XSS_PAYLOAD, note: PLANTED_INSTRUCTION },
    responseElements: null,
    requestID: `req-${eventID}`,
    eventID,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: PLANTED_ACCOUNT,
    eventCategory: "Management",
    ...extra,
  };
}

export async function makeTestStore(dir: string, events = 3000): Promise<TestStore> {
  const root = resolve(dir);
  const sampleDir = join(root, "sample");
  const storePath = join(root, "store.duckdb");
  const xssEventId = "0badc0de-0000-4000-8000-00000000a001";
  const injectionEventId = "0badc0de-0000-4000-8000-00000000a002";
  const metaPath = join(root, "planted.json");
  if (existsSync(storePath) && existsSync(metaPath))
    return JSON.parse(await readFile(metaPath, "utf8")) as TestStore;
  await mkdir(root, { recursive: true });
  const { generateSample } = await import("../core/sample/index.ts");
  const { ensureSampleStore } = await import("../core/query/sample-store.ts");
  const summary = await generateSample({
    outDir: sampleDir,
    targetEvents: events,
    days: 4,
    principals: 12,
    seed: 11,
  });
  const plantedTime = Date.parse(summary.end) - 30 * 60_000;
  const at = (offset: number) => new Date(plantedTime + offset).toISOString().replace(/\.\d+Z$/, "Z");
  const plantedDir = join(sampleDir, "AWSLogs", PLANTED_ACCOUNT, "CloudTrail", "us-east-1", "planted");
  await mkdir(plantedDir, { recursive: true });
  await writeFile(
    join(plantedDir, "planted.json"),
    JSON.stringify({
      Records: [
        record(xssEventId, at(0), "PutBucketPolicy", XSS_PAYLOAD, {
          errorCode: "AccessDenied",
          errorMessage: XSS_PAYLOAD,
        }),
        record(injectionEventId, at(60_000), "DeleteBucket", PLANTED_INSTRUCTION, {}),
      ],
    }),
  );
  await ensureSampleStore({ storePath, sampleDir });
  const store: TestStore = { storePath, xssEventId, injectionEventId, plantedTime, dataEnd: summary.end };
  await writeFile(metaPath, JSON.stringify(store));
  return store;
}
