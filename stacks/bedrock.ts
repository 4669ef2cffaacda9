/**
 * Which Bedrock ARNs a model id needs, for a least-privilege `bedrock:InvokeModel*` grant.
 *
 * - A foundation model id (`anthropic.claude-…`) is invoked in one region: one foundation-model ARN.
 * - A system inference profile id (`us.anthropic.claude-…`) needs the profile ARN in the calling region AND the
 *   foundation-model ARN in every region the profile may route to; the latter are only usable through the
 *   profile (`bedrock:InferenceProfileArn` condition), so the grant does not also allow direct model calls.
 * - A `global.` profile routes to any commercial region; AWS authorizes those calls against the region-less
 *   foundation-model ARN (`arn:aws:bedrock:::foundation-model/<id>`) plus the calling region's one.
 *
 * The destination lists are a superset of what AWS documents per geography at the time of writing (they differ
 * slightly per model); `bedrock.destinationRegions` overrides them. Check a profile's exact list with
 * `aws bedrock get-inference-profile --inference-profile-identifier <id>`.
 */

export const GEOGRAPHY_REGIONS = {
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  "us-gov": ["us-gov-east-1", "us-gov-west-1"],
  eu: [
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
  ],
  apac: [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
  ],
  jp: ["ap-northeast-1", "ap-northeast-3"],
  au: ["ap-southeast-2", "ap-southeast-4"],
} as const satisfies Record<string, readonly string[]>;

export type Geography = keyof typeof GEOGRAPHY_REGIONS;

export type ParsedModelId =
  | { kind: "foundation"; modelId: string }
  | { kind: "geographic"; geography: Geography; modelId: string; destinationRegions: readonly string[] }
  | { kind: "global"; modelId: string };

// provider.model-name[:version], e.g. anthropic.claude-sonnet-4-5-20250929-v1:0, amazon.nova-pro-v1:0
const FOUNDATION_MODEL = /^[a-z0-9-]+\.[a-z0-9][a-z0-9.-]*(:[0-9a-z]+)*$/;

export function parseModelId(id: string): ParsedModelId | { error: string } {
  if (id.startsWith("arn:")) {
    return {
      error:
        "use a model id or a system inference profile id (e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0), not an ARN",
    };
  }
  const dot = id.indexOf(".");
  const prefix = dot > 0 ? id.slice(0, dot) : "";
  const rest = id.slice(dot + 1);
  if (prefix === "global" && FOUNDATION_MODEL.test(rest)) return { kind: "global", modelId: rest };
  if (prefix in GEOGRAPHY_REGIONS && FOUNDATION_MODEL.test(rest)) {
    const geography = prefix as Geography;
    return { kind: "geographic", geography, modelId: rest, destinationRegions: GEOGRAPHY_REGIONS[geography] };
  }
  if (FOUNDATION_MODEL.test(id)) return { kind: "foundation", modelId: id };
  return {
    error: `"${id}" is neither a foundation model id (provider.model) nor an inference profile id (us./eu./apac./jp./au./global.)`,
  };
}

export interface BedrockStatement {
  sid: string;
  resources: string[];
  /** Present when the resources must only be reachable through the inference profile. */
  viaInferenceProfile?: string;
}

export interface BedrockGrantInput {
  modelId: string;
  /** Region the app calls Bedrock in. */
  sourceRegion: string;
  account: string;
  partition: string;
  destinationRegions?: readonly string[];
}

export function bedrockInvokeStatements(input: BedrockGrantInput): BedrockStatement[] {
  const parsed = parseModelId(input.modelId);
  if ("error" in parsed) throw new Error(`bedrock.modelId: ${parsed.error}`);
  const { partition, sourceRegion, account } = input;
  const modelArn = (region: string) =>
    `arn:${partition}:bedrock:${region}::foundation-model/${parsed.modelId}`;
  if (parsed.kind === "foundation") {
    return [{ sid: "InvokeConfiguredModel", resources: [modelArn(sourceRegion)] }];
  }
  const profileArn = `arn:${partition}:bedrock:${sourceRegion}:${account}:inference-profile/${input.modelId}`;
  const destinations =
    parsed.kind === "global"
      ? [sourceRegion, ""]
      : [...new Set([...(input.destinationRegions ?? parsed.destinationRegions), sourceRegion])];
  return [
    { sid: "InvokeInferenceProfile", resources: [profileArn] },
    {
      sid: "InvokeModelsBehindProfile",
      resources: destinations.map(modelArn),
      viaInferenceProfile: profileArn,
    },
  ];
}
