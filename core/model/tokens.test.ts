import { describe, expect, it } from "vitest";
import { errorClass, networksOf, uaFamily } from "./tokens.ts";

describe("tokens", () => {
  it("reduces addresses to networks, and keeps anything else opaque", () => {
    expect(networksOf("198.51.100.23")).toEqual({ narrow: "198.51.100.0/24", wide: "198.51.0.0/16" });
    expect(networksOf("2001:db8:85a3::8a2e:370:7334")).toEqual({
      narrow: "2001:db8:85a3:0::/64",
      wide: "2001:db8:85a3::/48",
    });
    expect(networksOf("IP_3296-6CC8-92D8")).toEqual({
      narrow: "IP_3296-6CC8-92D8",
      wide: "IP_3296-6CC8-92D8",
    });
    expect(networksOf("cloudformation.amazonaws.com").narrow).toBe("cloudformation.amazonaws.com");
  });

  it("names user-agent families, offensive tools first", () => {
    expect(uaFamily("aws-cli/2.15.0 Python/3.11.6")).toBe("aws-cli");
    expect(uaFamily("[Boto3/1.42.93 md/Botocore#1.42.93]")).toBe("boto3");
    expect(uaFamily("stratus-red-team_83c6 aws-sdk-go-v2/1.30")).toBe("stratus-red-team");
    expect(uaFamily("console.amazonaws.com")).toBe("console");
    expect(uaFamily("")).toBe("none");
  });

  it("classifies permission errors apart from other errors", () => {
    expect(errorClass(null)).toBe(0);
    expect(errorClass("AccessDenied")).toBe(1);
    expect(errorClass("Client.UnauthorizedOperation")).toBe(1);
    expect(errorClass("NoSuchBucketPolicy")).toBe(2);
  });
});
