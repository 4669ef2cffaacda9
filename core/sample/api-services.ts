import type { Account } from "./inventory.ts";
import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/** Builders for the data, secrets, logging and deployment services the simulated people and workloads use. */

export function call(service: string, name: string, params: unknown = null, response: unknown = null): Call {
  return { service, name, params, response };
}

/** S3 bucket-level management calls; `subresource` is the query flag S3 records (`acl`, `policy`, …). */
export function bucketCall(
  name: string,
  subresource: string | null,
  bucket: string,
  account: Account,
  region: string,
): Call {
  const params: Record<string, unknown> = {
    bucketName: bucket,
    Host: `${bucket}.s3.${region}.amazonaws.com`,
  };
  if (subresource) params[subresource] = "";
  return {
    service: "s3",
    name,
    params,
    resources: [{ accountId: account.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` }],
  };
}

export const listBuckets = (): Call => ({
  service: "s3",
  name: "ListBuckets",
  params: { Host: "s3.amazonaws.com" },
});

/** Decrypt made by a service on the caller's behalf, recorded under the caller with `invokedBy`. */
export function kmsDecryptVia(
  service: "secretsmanager.amazonaws.com" | "ssm.amazonaws.com",
  account: Account,
  region: string,
  keyId: string,
  context: Record<string, string>,
): Call {
  return {
    service: "kms",
    name: "Decrypt",
    params: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: context },
    resources: [
      {
        accountId: account.id,
        type: "AWS::KMS::Key",
        ARN: `arn:aws:kms:${region}:${account.id}:key/${keyId}`,
      },
    ],
    invokedBy: service,
  };
}

export function getSecretValue(secretArn: string): Call {
  return call("secretsmanager", "GetSecretValue", { secretId: secretArn });
}

/** GetSecretValue plus the KMS Decrypt Secrets Manager performs for it. */
export function readSecret(rng: Rng, account: Account, region: string, secretArn: string): Call[] {
  return [
    getSecretValue(secretArn),
    kmsDecryptVia("secretsmanager.amazonaws.com", account, region, rng.pick(account.inventory.kmsKeys), {
      SecretARN: secretArn,
      SecretVersionId: rng.uuid(),
    }),
  ];
}

export function getParameter(name: string, decrypt: boolean): Call {
  return call("ssm", "GetParameter", { name, withDecryption: decrypt });
}

export function athenaQuery(rng: Rng, workGroup: string, database: string, query: string) {
  const queryExecutionId = rng.uuid();
  return {
    queryExecutionId,
    start: call(
      "athena",
      "StartQueryExecution",
      {
        queryString: query,
        clientRequestToken: rng.uuid(),
        queryExecutionContext: { database, catalog: "AwsDataCatalog" },
        workGroup,
      },
      { queryExecutionId },
    ),
    poll: call("athena", "GetQueryExecution", { queryExecutionId }),
    results: call("athena", "GetQueryResults", { queryExecutionId, maxResults: 1000 }),
  };
}

/** Glue catalog lookups Athena makes while planning a query, recorded under the caller. */
export function glueViaAthena(database: string, table: string): Call[] {
  return [
    { ...call("glue", "GetDatabase", { name: database }), invokedBy: "athena.amazonaws.com" },
    {
      ...call("glue", "GetTable", { databaseName: database, name: table }),
      invokedBy: "athena.amazonaws.com",
    },
  ];
}

export function logsInsights(rng: Rng, logGroup: string, time: number) {
  const queryId = rng.uuid();
  return {
    start: call(
      "logs",
      "StartQuery",
      {
        logGroupNames: [logGroup],
        startTime: Math.floor(time / 1000) - 3600,
        endTime: Math.floor(time / 1000),
        queryString: rng.pick([
          "fields @timestamp, @message | sort @timestamp desc | limit 100",
          "filter @message like /ERROR/ | stats count() by bin(5m)",
          'fields @timestamp, @requestId, @duration | filter @type = "REPORT" | sort @duration desc | limit 20',
        ]),
      },
      { queryId },
    ),
    poll: call("logs", "GetQueryResults", { queryId }),
  };
}

export function getMetricData(
  rng: Rng,
  time: number,
  namespace: string,
  metric: string,
  dimension: [string, string],
) {
  const end = Math.floor(time / 60000) * 60;
  return call("monitoring", "GetMetricData", {
    metricDataQueries: [
      {
        id: `a${rng.hex(6)}`,
        metricStat: {
          metric: {
            namespace,
            metricName: metric,
            dimensions: [{ name: dimension[0], value: dimension[1] }],
          },
          period: 60,
          stat: rng.pick(["Average", "Sum", "Maximum", "p99"]),
        },
        returnData: true,
      },
    ],
    startTime: new Date((end - 3 * 3600) * 1000).toISOString().replace(".000Z", "Z"),
    endTime: new Date(end * 1000).toISOString().replace(".000Z", "Z"),
  });
}

export function cfnStack(name: string, stack: string, extra: Record<string, unknown> = {}): Call {
  return call("cloudformation", name, { stackName: stack, ...extra });
}

export function lambdaFn(name: string, functionName: string, extra: Record<string, unknown> = {}): Call {
  return call("lambda", name, { functionName, ...extra });
}

export function trailCall(name: string, trail: string, account: Account, key = "name"): Call {
  return {
    ...call("cloudtrail", name, { [key]: trail }),
    resources: [
      {
        accountId: account.id,
        type: "AWS::CloudTrail::Trail",
        ARN: `arn:aws:cloudtrail:${account.homeRegion}:${account.id}:trail/${trail}`,
      },
    ],
  };
}

/** Cost Explorer: one month window ending on the given day. */
export function costAndUsage(day: string, groupBy: string): Call {
  const start = `${day.slice(0, 8)}01`;
  return call("ce", "GetCostAndUsage", {
    timePeriod: { start, end: day },
    granularity: "DAILY",
    metrics: ["UnblendedCost"],
    groupBy: [{ type: "DIMENSION", key: groupBy }],
  });
}
