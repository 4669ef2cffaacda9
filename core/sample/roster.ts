import type { Country } from "./clock.ts";

/** Who works at the simulated company: the named people, name pools for more, and per-role defaults. */

export type HumanRole = "developer" | "analyst" | "platform" | "auditor" | "finance";

export const ROSTER: { id: string; role: HumanRole; tz: string; country: Country; remote?: boolean }[] = [
  { id: "alice.meyer", role: "developer", tz: "Europe/Berlin", country: "DE" },
  { id: "daniel.okafor", role: "analyst", tz: "America/New_York", country: "US" },
  { id: "jonas.weber", role: "platform", tz: "Europe/Berlin", country: "DE" },
  { id: "sarah.collins", role: "auditor", tz: "Europe/London", country: "GB" },
  { id: "linda.park", role: "finance", tz: "America/New_York", country: "US" },
  { id: "priya.raman", role: "developer", tz: "Asia/Kolkata", country: "IN" },
  { id: "lena.fischer", role: "analyst", tz: "Europe/Berlin", country: "DE" },
  { id: "carlos.diaz", role: "developer", tz: "America/Los_Angeles", country: "US", remote: true },
  { id: "tom.hughes", role: "developer", tz: "Europe/London", country: "GB" },
];

export const FIRST = [
  "noah",
  "mia",
  "felix",
  "hannah",
  "omar",
  "julia",
  "arjun",
  "chloe",
  "ben",
  "sofia",
  "ravi",
  "emma",
];

export const LAST = [
  "schneider",
  "wright",
  "kumar",
  "nguyen",
  "becker",
  "lopez",
  "walsh",
  "iyer",
  "hoffmann",
  "reed",
];

export const EXTRA_ROLES: HumanRole[] = [
  "developer",
  "analyst",
  "developer",
  "platform",
  "developer",
  "auditor",
];

export const EXTRA_ZONES: [string, Country][] = [
  ["Europe/Berlin", "DE"],
  ["Europe/London", "GB"],
  ["America/New_York", "US"],
  ["Asia/Kolkata", "IN"],
];

export const PERMISSION_SETS: Record<HumanRole, string[]> = {
  developer: ["DeveloperAccess"],
  analyst: ["DataAnalyst"],
  platform: ["AdministratorAccess", "ReadOnlyAccess"],
  auditor: ["SecurityAudit"],
  finance: ["BillingAccess"],
};

export const ROLE_WEIGHT: Record<HumanRole, number> = {
  developer: 1,
  analyst: 0.9,
  platform: 1.3,
  auditor: 0.6,
  finance: 0.25,
};

/** Task names whose weights get a personal multiplier; the task library reads them by name. */
export const HABIT_KEYS = [
  "ec2",
  "lambda",
  "logs",
  "s3",
  "ssm",
  "secrets",
  "ecr",
  "cfn",
  "dynamodb",
  "athena",
  "glue",
  "iam",
  "terraform",
  "security",
  "cost",
];
