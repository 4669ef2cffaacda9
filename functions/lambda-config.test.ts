import { describe, expect, it } from "vitest";
import { ConfigError, parseLambdaConfig } from "./lambda-config.ts";
import { configuredSources } from "./lambda-data.ts";

describe("parseLambdaConfig", () => {
  it("reads what stacks/application/mcp-function.ts sets", () => {
    const config = parseLambdaConfig({
      TRAILCAST_LOOKUP_EVENTS: "true",
      TRAILCAST_LOOKUP_REGIONS: "eu-west-1, us-east-1",
      TRAILCAST_TRAIL_BUCKET: "org-trail-logs",
      TRAILCAST_TRAIL_PREFIX: "org",
      TRAILCAST_LAKE_EVENT_DATA_STORE: "arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/abc",
    });
    expect(config.TRAILCAST_LOOKUP_REGIONS).toEqual(["eu-west-1", "us-east-1"]);
    expect(config.TRAILCAST_CACHE_DIR).toBe("/tmp/trailcast");
    const kinds = configuredSources(config).map((source) => source.status.kind);
    expect(kinds).toEqual(["s3-trail", "lookup-events"]);
  });

  it("fails fast with one readable line per problem", () => {
    const attempt = () =>
      parseLambdaConfig({
        TRAILCAST_LOOKUP_EVENTS: "yes",
        TRAILCAST_LOOKUP_DAYS: "365",
        TRAILCAST_LOOKUP_REGIONS: "Europe",
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TRAILCAST_LOOKUP_EVENTS: must be "true" or "false"/);
    expect(attempt).toThrow(/TRAILCAST_LOOKUP_DAYS/);
    expect(attempt).toThrow(/TRAILCAST_LOOKUP_REGIONS: must be AWS region names/);
  });

  it("requires regions when LookupEvents is on", () => {
    expect(() => parseLambdaConfig({ TRAILCAST_LOOKUP_EVENTS: "true" })).toThrow(
      /needs TRAILCAST_LOOKUP_REGIONS/,
    );
  });
});
