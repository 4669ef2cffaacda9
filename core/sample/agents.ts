import type { Rng } from "./prng.ts";

/**
 * User-agent strings in the shapes real SDKs and tools send (SDK "ua/2.x" metadata format). Versions are fixed
 * per person or workload so an analyst can learn them, and change rarely (an upgrade is a benign "new agent").
 */

export interface Platform {
  /** `os/macos#24.5.0` style token. */
  os: string;
  arch: "arm64" | "x86_64";
  goos: "darwin" | "linux" | "windows";
  /** Browser UA for console work. */
  browser: string;
}

const PLATFORMS: Platform[] = [
  {
    os: "macos#24.5.0",
    arch: "arm64",
    goos: "darwin",
    browser:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
  },
  {
    os: "macos#23.6.0",
    arch: "x86_64",
    goos: "darwin",
    browser: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:131.0) Gecko/20100101 Firefox/131.0",
  },
  {
    os: "linux#6.8.0-45-generic",
    arch: "x86_64",
    goos: "linux",
    browser: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
  },
  {
    os: "windows#10",
    arch: "x86_64",
    goos: "windows",
    browser:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
  },
];

export function pickPlatform(rng: Rng): Platform {
  return rng.weighted([
    [PLATFORMS[0] as Platform, 5],
    [PLATFORMS[1] as Platform, 1],
    [PLATFORMS[2] as Platform, 2],
    [PLATFORMS[3] as Platform, 2],
  ]);
}

export interface Toolset {
  platform: Platform;
  cli: string;
  crt: string;
  python: string;
  boto: string;
  terraform: string;
  provider: string;
}

const CLI_VERSIONS = ["2.17.42", "2.18.10", "2.18.18", "2.19.5", "2.22.4", "2.27.22"];
const BOTO_VERSIONS = ["1.34.162", "1.35.24", "1.35.36", "1.35.54"];

export function pickToolset(rng: Rng, platform: Platform): Toolset {
  return {
    platform,
    cli: rng.pick(CLI_VERSIONS.slice(0, 5)),
    crt: rng.pick(["0.21.2", "0.22.0"]),
    python: rng.pick(["3.11.9", "3.12.6"]),
    boto: rng.pick(BOTO_VERSIONS),
    terraform: rng.pick(["1.9.5", "1.9.8"]),
    provider: rng.pick(["5.68.0", "5.72.1"]),
  };
}

/** The CLI command name as aws-cli reports it: `ec2.describe-instances`. */
export function cliCommand(service: string, eventName: string): string {
  const cliService =
    service === "monitoring" ? "cloudwatch" : service === "elasticloadbalancing" ? "elbv2" : service;
  const name = eventName.replace(/\d{8}(v\d)?$/, "");
  return `${cliService}.${name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}`;
}

export function cliAgent(tools: Toolset, command: string): string {
  const { os, arch } = tools.platform;
  return `aws-cli/${tools.cli} md/awscrt#${tools.crt} ua/2.0 os/${os} md/arch#${arch} lang/python#${tools.python} md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`;
}

export function botoAgent(tools: Toolset, osToken = tools.platform.os): string {
  // boto3 and botocore share minor and patch numbers.
  const core = tools.boto;
  return `Boto3/${tools.boto} md/Botocore#${core} ua/2.0 os/${osToken} md/arch#${tools.platform.arch} lang/python#${tools.python} md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${core}`;
}

export function terraformAgent(tools: Toolset, service: string): string {
  const { goos, arch } = tools.platform;
  const goArch = arch === "arm64" ? "arm64" : "amd64";
  return `APN/1.0 HashiCorp/1.0 Terraform/${tools.terraform} (+https://www.terraform.io) terraform-provider-aws/${tools.provider} (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/${goos} lang/go#1.23.2 md/GOOS#${goos} md/GOARCH#${goArch} api/${service}#1.0.0`;
}

/** AWS SDK for JavaScript v3, as Lambda functions and CI tools send it. */
export function jsAgent(version: string, osToken: string, node: string, service: string, extra = ""): string {
  return `aws-sdk-js/${version} ua/2.1 os/${osToken} lang/js md/nodejs#${node} api/${service}#${version} m/N,E${extra ? ` ${extra}` : ""}`;
}

export function goAgent(version: string, service: string, apiVersion: string): string {
  return `aws-sdk-go-v2/${version} ua/2.1 os/linux lang/go#1.22.7 md/GOOS#linux md/GOARCH#amd64 api/${service}#${apiVersion} m/E`;
}

/** The console calls some services through internal endpoints; CloudTrail then shows these agents. */
export function consoleAgent(service: string, browser: string): string {
  if (service === "ec2") return "console.ec2.amazonaws.com";
  if (service === "s3") {
    return "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.226-193.880.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard]";
  }
  if (service === "signin" || service === "ce" || service === "budgets") return browser;
  return "AWS Internal";
}
