import { z } from "zod";

/**
 * The CloudTrail record as delivered. Only the fields we normalize are checked; everything else passes
 * through untouched because `raw` keeps the record verbatim. CloudTrail adds fields over time, so unknown
 * keys are never an error.
 */
const optionalString = z.string().nullish();

export const sessionIssuerSchema = z
  .looseObject({
    type: optionalString,
    principalId: optionalString,
    arn: optionalString,
    accountId: optionalString,
    userName: optionalString,
  })
  .nullish();

export const userIdentitySchema = z.looseObject({
  type: optionalString,
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  accessKeyId: optionalString,
  userName: optionalString,
  invokedBy: optionalString,
  identityProvider: optionalString,
  credentialId: optionalString,
  onBehalfOf: z.looseObject({ userId: optionalString, identityStoreArn: optionalString }).nullish(),
  sessionContext: z
    .looseObject({
      sessionIssuer: sessionIssuerSchema,
      attributes: z.looseObject({ creationDate: optionalString }).nullish(),
      sourceIdentity: optionalString,
    })
    .nullish(),
});
export type UserIdentity = z.infer<typeof userIdentitySchema>;

const resourceSchema = z.looseObject({
  ARN: optionalString,
  arn: optionalString,
  type: optionalString,
  accountId: optionalString,
});

export const cloudTrailRecordSchema = z.looseObject({
  eventID: z.string().min(1),
  eventTime: z.string().min(1),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  userIdentity: userIdentitySchema,
  awsRegion: optionalString,
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  readOnly: z.union([z.boolean(), z.enum(["true", "false"])]).nullish(),
  errorCode: optionalString,
  errorMessage: optionalString,
  resources: z.array(resourceSchema).nullish(),
  eventType: optionalString,
  recipientAccountId: optionalString,
});
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;
