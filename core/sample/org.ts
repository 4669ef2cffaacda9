import { homeAddress, OFFICES } from "./addresses.ts";
import { pickPlatform, pickToolset, type Toolset } from "./agents.ts";
import type { Country } from "./clock.ts";
import { roleUniqueId, userAccessKey, userUniqueId } from "./ids.ts";
import { type Account, type Accounts, buildAccounts } from "./inventory.ts";
import type { Rng } from "./prng.ts";
import {
  EXTRA_ROLES,
  EXTRA_ZONES,
  FIRST,
  HABIT_KEYS,
  type HumanRole,
  LAST,
  PERMISSION_SETS,
  ROLE_WEIGHT,
  ROSTER,
} from "./roster.ts";

export type { HumanRole };

/** The simulated organisation: accounts, people and workloads. Everything is derived from the seed. */

export interface RoleRef {
  name: string;
  arn: string;
  uniqueId: string;
  accountId: string;
}

export interface IamUser {
  userName: string;
  arn: string;
  uniqueId: string;
  accessKeyId: string;
  accountId: string;
}

export interface Human {
  id: string;
  email: string;
  role: HumanRole;
  country: Country;
  tz: string;
  account: Account;
  /** IAM Identity Center: one role per permission set, and the SAML provider it federates through. */
  sso: { permissionSets: RoleRef[]; samlProvider: string; nameQualifier: string } | null;
  /** Legacy IAM user with a long-term access key (and console password). */
  iamUser: IamUser | null;
  tools: Toolset;
  /** A day index on which the person upgrades the CLI: a benign "new user agent". */
  cliUpgrade: { day: number; version: string } | null;
  office: string | null;
  home: string;
  officeShare: number;
  workStart: number;
  workEnd: number;
  lunch: number;
  cliShare: number;
  vacation: [number, number] | null;
  weight: number;
  /** Personal multipliers on the role's task weights: what makes two developers differ. */
  habits: Record<string, number>;
}

export interface Workloads {
  grafana: IamUser;
  backup: IamUser;
  ciRole: RoleRef;
  oidcProvider: string;
  repos: { name: string; kind: "service" | "frontend" }[];
  inventoryFn: RoleRef;
  janitorFn: RoleRef;
  etlTask: RoleRef;
  configRole: RoleRef;
  autoscalingRole: RoleRef;
}

export interface Org {
  brand: string;
  accounts: Accounts;
  humans: Human[];
  workloads: Workloads;
  /** Share of the daily event budget per actor id (humans by id, workloads by name). */
  weights: Record<string, number>;
}

/**
 * Principal keys that are not SSO people: 2 IAM users, the CI role plus 3 OIDC subjects, 2 Lambda roles and
 * the Lambda service, the ECS task role and the ECS service, Config and Auto Scaling (each a service role and
 * the service assuming it), CloudTrail, the legacy IAM-user developer and the admin's second permission set.
 */
const OTHER_PRINCIPALS = 19;

export function role(rng: Rng, account: Account, name: string, path = "/"): RoleRef {
  return {
    name,
    arn: `arn:aws:iam::${account.id}:role${path}${name}`,
    uniqueId: roleUniqueId(rng),
    accountId: account.id,
  };
}

export function iamUser(rng: Rng, account: Account, userName: string): IamUser {
  return {
    userName,
    arn: `arn:aws:iam::${account.id}:user/${userName}`,
    uniqueId: userUniqueId(rng),
    accessKeyId: userAccessKey(rng),
    accountId: account.id,
  };
}

function ssoRoles(rng: Rng, account: Account, sets: string[]): RoleRef[] {
  return sets.map((set) =>
    role(
      rng,
      account,
      `AWSReservedSSO_${set}_${rng.hex(16)}`,
      `/aws-reserved/sso.amazonaws.com/${account.homeRegion}/`,
    ),
  );
}

function buildHuman(
  rng: Rng,
  accounts: Accounts,
  spec: { id: string; role: HumanRole; tz: string; country: Country; remote?: boolean },
  days: number,
  samlProviders: Map<string, string>,
): Human {
  const account = spec.role === "analyst" ? accounts.data : accounts.prod;
  const platform = pickPlatform(rng);
  const tools = pickToolset(rng, platform);
  const start = { developer: 9, analyst: 8.5, platform: 8, auditor: 8.5, finance: 8 }[spec.role];
  const workStart = Math.max(6.5, rng.normal(start, 0.6));
  const cliShare = { developer: 0.7, analyst: 0.15, platform: 0.65, auditor: 0.55, finance: 0 }[spec.role];
  // A week or so off for some people; short periods get no vacations (they would swallow the whole sample).
  const vacationLength = rng.int(3, 8);
  const vacationStart = rng.int(0, Math.max(0, days - vacationLength));
  const onVacation = days >= 14 && rng.chance(0.6);
  const habits: Record<string, number> = {};
  for (const task of HABIT_KEYS) habits[task] = rng.logNormal(1, 0.6);
  return {
    id: spec.id,
    email: `${spec.id}@example.com`,
    role: spec.role,
    country: spec.country,
    tz: spec.tz,
    account,
    sso: {
      permissionSets: ssoRoles(rng, account, PERMISSION_SETS[spec.role]),
      samlProvider: samlProviders.get(account.id) ?? "",
      nameQualifier: `${rng.base64(27)}=`,
    },
    iamUser: null,
    tools,
    cliUpgrade: rng.chance(0.3) ? { day: rng.int(1, Math.max(1, days - 1)), version: "2.27.22" } : null,
    office: spec.remote ? null : rng.pick(OFFICES[spec.tz] ?? OFFICES["Europe/Berlin"] ?? []),
    home: homeAddress(rng),
    officeShare: spec.remote ? 0 : rng.range(0.3, 0.8),
    workStart,
    workEnd: workStart + rng.normal(8.6, 0.5),
    lunch: rng.range(12, 13.2),
    cliShare: Math.min(0.95, Math.max(0, cliShare + rng.normal(0, 0.1))),
    vacation: onVacation ? [vacationStart, vacationStart + vacationLength] : null,
    weight: ROLE_WEIGHT[spec.role] * rng.logNormal(1, 0.25),
    habits,
  };
}

export function buildOrg(rng: Rng, principals: number, days: number): Org {
  const brand = "kestrel";
  const accounts = buildAccounts(rng.fork("accounts"), brand);
  const samlProviders = new Map<string, string>();
  for (const account of [accounts.prod, accounts.data]) {
    const provider = `arn:aws:iam::${account.id}:saml-provider/AWSSSO_${rng.fork("saml", account.id).hex(16)}_DO_NOT_DELETE`;
    samlProviders.set(account.id, provider);
  }
  // Each SSO person shows up as two principals (role session + SAML federation); rounding up keeps the
  // default organisation at seven people. `principals` is a target, not an exact count.
  const humanCount = Math.max(5, Math.ceil((principals - OTHER_PRINCIPALS) / 2) + 1);
  const specs = ROSTER.slice(0, humanCount);
  for (let i = specs.length; i < humanCount; i++) {
    const names = rng.fork("extra-name", i);
    const [tz, country] = names.pick(EXTRA_ZONES);
    specs.push({
      id: `${names.pick(FIRST)}.${names.pick(LAST)}${i}`,
      role: EXTRA_ROLES[i % EXTRA_ROLES.length] ?? "developer",
      tz,
      country,
    });
  }
  const humans = specs.map((spec) =>
    buildHuman(rng.fork("human", spec.id), accounts, spec, days, samlProviders),
  );

  const legacy = buildHuman(
    rng.fork("human", "lukas.brandt"),
    accounts,
    { id: "lukas.brandt", role: "developer", tz: "Europe/Berlin", country: "DE" },
    days,
    samlProviders,
  );
  legacy.sso = null;
  legacy.iamUser = iamUser(rng.fork("iam", "lukas"), accounts.prod, "lukas.brandt");
  legacy.weight = 0.7;
  humans.push(legacy);

  const prod = accounts.prod;
  const w = rng.fork("workloads");
  const workloads: Workloads = {
    grafana: iamUser(w, prod, "grafana-cloudwatch"),
    backup: iamUser(w, prod, "svc-backup"),
    ciRole: role(w, prod, "GitHubActionsDeployRole"),
    oidcProvider: `arn:aws:iam::${prod.id}:oidc-provider/token.actions.githubusercontent.com`,
    repos: [
      { name: `${brand}-eng/orders-api`, kind: "service" },
      { name: `${brand}-eng/web-frontend`, kind: "frontend" },
    ],
    inventoryFn: role(w, prod, "inventory-collector-role"),
    janitorFn: role(w, prod, "snapshot-janitor-role"),
    etlTask: role(w, accounts.data, "etl-runner-task-role"),
    configRole: role(w, prod, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/"),
    autoscalingRole: role(
      w,
      prod,
      "AWSServiceRoleForAutoScaling",
      "/aws-service-role/autoscaling.amazonaws.com/",
    ),
  };
  const weights: Record<string, number> = {
    grafana: 2.6,
    inventory: 1.8,
    janitor: 0.25,
    etl: 1.5,
    config: 0.9,
    cloudtrail: 0.04,
    autoscaling: 0.12,
    backup: 0.25,
    ci: 1.1,
  };
  for (const human of humans) weights[human.id] = human.weight;
  return { brand, accounts, humans, workloads, weights };
}
