import { describe, expect, test } from "vitest";
import { bedrockInvokeStatements, GEOGRAPHY_REGIONS, parseModelId } from "./bedrock.ts";

const base = { sourceRegion: "us-east-1", account: "123456789012", partition: "aws" };
const model = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const fm = (region: string) => `arn:aws:bedrock:${region}::foundation-model/${model}`;

describe("Bedrock invoke grants", () => {
  test("a foundation model id grants that model in the calling region only", () => {
    expect(bedrockInvokeStatements({ ...base, modelId: model })).toEqual([
      { sid: "InvokeConfiguredModel", resources: [fm("us-east-1")] },
    ]);
  });

  test("a us. profile grants the profile plus its models in every US region, only through the profile", () => {
    const profile = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${model}`;
    expect(bedrockInvokeStatements({ ...base, modelId: `us.${model}` })).toEqual([
      { sid: "InvokeInferenceProfile", resources: [profile] },
      {
        sid: "InvokeModelsBehindProfile",
        resources: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"].map(fm),
        viaInferenceProfile: profile,
      },
    ]);
  });

  test("eu. and apac. profiles route within their geography, called from a region inside it", () => {
    const [, eu] = bedrockInvokeStatements({ ...base, sourceRegion: "eu-west-1", modelId: `eu.${model}` });
    expect(eu?.resources).toEqual(GEOGRAPHY_REGIONS.eu.map(fm));
    expect(eu?.viaInferenceProfile).toBe(
      `arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${model}`,
    );
    const [, apac] = bedrockInvokeStatements({
      ...base,
      sourceRegion: "ap-northeast-1",
      modelId: `apac.${model}`,
    });
    expect(apac?.resources).toEqual(GEOGRAPHY_REGIONS.apac.map(fm));
  });

  test("a global. profile needs the calling region's model ARN and the region-less one", () => {
    const [profile, models] = bedrockInvokeStatements({ ...base, modelId: `global.${model}` });
    expect(profile?.resources).toEqual([
      `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${model}`,
    ]);
    expect(models?.resources).toEqual([fm("us-east-1"), `arn:aws:bedrock:::foundation-model/${model}`]);
    expect(models?.viaInferenceProfile).toBe(profile?.resources[0]);
  });

  test("destinationRegions overrides the built-in list (the source region is always kept)", () => {
    const [, models] = bedrockInvokeStatements({
      ...base,
      modelId: `us.${model}`,
      destinationRegions: ["us-west-2"],
    });
    expect(models?.resources).toEqual([fm("us-west-2"), fm("us-east-1")]);
  });

  test("ids are classified; ARNs and garbage are refused with a reason", () => {
    expect(parseModelId(`jp.${model}`)).toMatchObject({
      kind: "geographic",
      geography: "jp",
      modelId: model,
    });
    expect(parseModelId("amazon.nova-pro-v1:0")).toEqual({
      kind: "foundation",
      modelId: "amazon.nova-pro-v1:0",
    });
    expect(parseModelId("anthropic.claude-3-sonnet-20240229-v1:0:200k")).toMatchObject({
      kind: "foundation",
    });
    expect(parseModelId(`arn:aws:bedrock:us-east-1::foundation-model/${model}`)).toMatchObject({
      error: expect.stringContaining("not an ARN"),
    });
    expect(parseModelId("claude")).toMatchObject({ error: expect.stringContaining("neither") });
    expect(() => bedrockInvokeStatements({ ...base, modelId: "claude" })).toThrow(/^bedrock\.modelId: /);
  });
});
