import { hostileAddress } from "./addresses.ts";
import { denied } from "./api-errors.ts";
import { assumeRoleWithSaml, getCallerIdentity } from "./api-iam.ts";
import { call, getParameter, kmsDecryptVia } from "./api-services.ts";
import {
  type AttackContext,
  attackerCli,
  type Move,
  play,
  result,
  type ScenarioResult,
} from "./attack-kit.ts";
import { roleSessionIdentity, samlIdentity } from "./identity.ts";
import { sessionAccessKey } from "./ids.ts";
import type { Caller } from "./record.ts";

/**
 * Campaign 5: an SSO developer's cached CLI token is stolen and replayed at night, from a new network, to
 * decrypt every SSM SecureString parameter.
 */

/** Campaign 5 (aws.credential-access.ssm-retrieve-securestring-parameters) from a replayed SSO session. */
export function ssoTokenCampaign(ctx: AttackContext, t0: number): ScenarioResult[] {
  const { org, rng } = ctx;
  const victim =
    org.humans.find((h) => h.role === "developer" && h.sso && h.tz === "Asia/Kolkata") ??
    org.humans.find((h) => h.role === "developer" && h.sso);
  const sso = victim?.sso;
  const role = sso?.permissionSets[0];
  if (!victim || !sso || !role) return [];
  const account = victim.account;
  const region = account.homeRegion;
  const ip = hostileAddress(rng);
  const accessKeyId = sessionAccessKey(rng);
  const saml: Caller = {
    identity: samlIdentity(victim.email, sso.samlProvider, sso.nameQualifier),
    accountId: account.id,
    sourceIp: ip,
    agent: () => "AWS Internal",
  };
  ctx.emitter.emit(
    rng,
    saml,
    t0,
    region,
    assumeRoleWithSaml(rng, role, sso.samlProvider, victim.email, accessKeyId, t0, sso.nameQualifier, region),
    "S13",
  );
  const caller: Caller = {
    identity: roleSessionIdentity(role, victim.email, accessKeyId, t0),
    accountId: account.id,
    sourceIp: ip,
    agent: attackerCli,
  };
  const params = account.inventory.parameters;
  const arn = `arn:aws:sts::${account.id}:assumed-role/${role.name}/${victim.email}`;
  const moves: Move[] = [
    [getCallerIdentity(), 20],
    [call("ssm", "DescribeParameters", { maxResults: 50 }), 3],
    [call("ssm", "DescribeParameters", { maxResults: 50, nextToken: rng.base64(60) }), 1],
    [
      call("ssm", "GetParameters", { names: params.slice(0, 10).map((p) => p.name), withDecryption: true }),
      4,
    ],
  ];
  for (const p of params.filter((x) => x.secure)) {
    moves.push([
      kmsDecryptVia("ssm.amazonaws.com", account, region, rng.pick(account.inventory.kmsKeys), {
        PARAMETER_ARN: `arn:aws:ssm:${region}:${account.id}:parameter${p.name}`,
      }),
      0.1,
    ]);
  }
  // Then one by one, with history: a script making sure nothing was missed.
  for (const p of params) {
    moves.push([getParameter(p.name, true), rng.range(0.3, 0.9)]);
    if (p.secure)
      moves.push([
        call("ssm", "GetParameterHistory", { name: p.name, withDecryption: true }),
        rng.range(0.2, 0.5),
      ]);
  }
  moves.push([call("ssm", "GetParametersByPath", { path: "/", recursive: true, withDecryption: true }), 6]);
  const stripe = account.inventory.secrets.find((s) => s.includes("stripe")) ?? "";
  moves.push([denied(rng, call("secretsmanager", "GetSecretValue", { secretId: stripe }), arn, stripe), 5]);
  moves.push([call("ssm", "GetParameterHistory", { name: params[0]?.name ?? "", withDecryption: true }), 3]);
  const end = play(ctx, rng, caller, t0, region, moves, "S13");
  return [
    result(
      {
        id: "S13",
        technique: "aws.credential-access.ssm-retrieve-securestring-parameters",
        tactic: "Credential Access",
        mitre: "T1552",
        description:
          "A stolen SSO token is replayed at night from a new network to decrypt every SSM SecureString parameter",
      },
      caller,
      t0,
      end,
    ),
  ];
}
