import { botoAgent, cliAgent, cliCommand, consoleAgent, terraformAgent } from "./agents.ts";
import { assumeRoleWithSaml, consoleLogin, getCallerIdentity } from "./api-iam.ts";
import { isoDay } from "./clock.ts";
import type { Emitter } from "./emitter.ts";
import { iamUserIdentity, iamUserSignIn, roleSessionIdentity, samlIdentity } from "./identity.ts";
import { sessionAccessKey } from "./ids.ts";
import type { Human, RoleRef } from "./org.ts";
import type { Rng } from "./prng.ts";
import type { Caller } from "./record.ts";
import type { Via } from "./task-kit.ts";
import { consoleHome } from "./tasks-audit.ts";

/**
 * A person's credentials for one day. The first call in a mode signs in (SSO federation, console login) and
 * creates the session every later call of that mode reuses, exactly as the console and `aws sso login` do.
 */
export class HumanCallers {
  private readonly callers = new Map<string, Caller>();

  constructor(
    private readonly person: Human,
    private readonly rng: Rng,
    private readonly emitter: Emitter,
    private readonly sourceIp: string,
    private readonly dayIndex: number,
  ) {}

  /** The role a mode uses: platform admins keep read-only for the console and administrator for automation. */
  private roleFor(via: Via): RoleRef | null {
    const sets = this.person.sso?.permissionSets ?? [];
    if (sets.length > 1 && via === "console") return sets[1] ?? null;
    return sets[0] ?? null;
  }

  private agent(via: Via): Caller["agent"] {
    const person = this.person;
    const upgraded = person.cliUpgrade && this.dayIndex >= person.cliUpgrade.day;
    const tools =
      upgraded && person.cliUpgrade ? { ...person.tools, cli: person.cliUpgrade.version } : person.tools;
    switch (via) {
      case "console":
        return (service) => consoleAgent(service, tools.platform.browser);
      case "cli":
        return (service, name) => cliAgent(tools, cliCommand(service, name));
      case "terraform":
        return (service) => terraformAgent(tools, service);
      case "script":
        return () => botoAgent(tools);
      case "docker":
        return () =>
          `docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.10.11-linuxkit os/linux arch/${tools.platform.arch === "arm64" ? "arm64" : "amd64"} UpstreamClient(Docker-Client/27.3.1 \\(${tools.platform.goos}\\))`;
    }
  }

  /** Credentials are per sign-in, not per tool: the CLI, Terraform, scripts and docker share one session. */
  private sessionKind(via: Via): "console" | "api" {
    return via === "console" ? "console" : "api";
  }

  callerArn(via: Via): string {
    const role = this.roleFor(via);
    if (role) return `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${this.person.email}`;
    return this.person.iamUser?.arn ?? "";
  }

  /** Returns the caller for `via`, signing in first (and emitting the sign-in events) when needed. */
  get(via: Via, time: number, region: string): Caller {
    const existing = this.callers.get(via);
    if (existing) return existing;
    const kind = this.sessionKind(via);
    const session = this.callers.get(`session:${kind}`) ?? this.signIn(kind, time, region);
    this.callers.set(`session:${kind}`, session);
    const caller: Caller = {
      ...session,
      agent: this.agent(via),
      tls: via === "terraform" ? "TLSv1.2" : "TLSv1.3",
    };
    this.callers.set(via, caller);
    if (via === "cli" && this.rng.chance(0.6)) {
      this.emitter.emit(this.rng, caller, time - this.rng.range(2, 6) * 1000, region, getCallerIdentity());
    }
    return caller;
  }

  /** The console home page loads its widgets right after sign-in. */
  private home(session: Caller, signedInAt: number): void {
    const caller: Caller = { ...session, agent: this.agent("console") };
    let t = signedInAt;
    for (const s of consoleHome(this.rng, isoDay(signedInAt))) {
      t += s.gap * 1000;
      this.emitter.emit(this.rng, caller, t, "us-east-1", s.call);
    }
  }

  private signIn(kind: "console" | "api", time: number, region: string): Caller {
    const person = this.person;
    const rng = this.rng;
    const at = time - rng.range(8, 40) * 1000;
    const browser = person.tools.platform.browser;
    const user = person.iamUser;
    if (user) {
      if (kind === "api") {
        return {
          identity: iamUserIdentity(user),
          accountId: user.accountId,
          sourceIp: this.sourceIp,
          agent: () => "",
        };
      }
      const signInCaller: Caller = {
        identity: iamUserSignIn(user),
        accountId: user.accountId,
        sourceIp: this.sourceIp,
        agent: () => browser,
      };
      this.emitter.emit(
        rng,
        signInCaller,
        at,
        "us-east-1",
        consoleLogin({
          mfa: true,
          region: "us-east-1",
          loginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
          mfaDevice: `arn:aws:iam::${user.accountId}:mfa/${user.userName}-phone`,
        }),
      );
      const identity = iamUserIdentity(user, {
        accessKeyId: sessionAccessKey(rng),
        creationDate: at,
        mfa: true,
      });
      const session: Caller = {
        identity,
        accountId: user.accountId,
        sourceIp: this.sourceIp,
        agent: () => browser,
        console: true,
      };
      this.home(session, at);
      return session;
    }
    const sso = person.sso;
    const role = this.roleFor(kind === "console" ? "console" : "cli");
    if (!sso || !role) throw new Error(`person ${person.id} has neither SSO nor an IAM user`);
    const accessKeyId = sessionAccessKey(rng);
    const saml: Caller = {
      identity: samlIdentity(person.email, sso.samlProvider, sso.nameQualifier),
      accountId: role.accountId,
      sourceIp: this.sourceIp,
      // The access portal performs the federation for both the console and `aws sso login`.
      agent: () => (kind === "console" ? browser : "AWS Internal"),
    };
    this.emitter.emit(
      rng,
      saml,
      at,
      region,
      assumeRoleWithSaml(
        rng,
        role,
        sso.samlProvider,
        person.email,
        accessKeyId,
        at,
        sso.nameQualifier,
        person.account.homeRegion,
      ),
    );
    const identity = roleSessionIdentity(role, person.email, accessKeyId, at);
    const session: Caller = {
      identity,
      accountId: role.accountId,
      sourceIp: this.sourceIp,
      agent: () => browser,
      console: kind === "console",
    };
    if (kind === "console") {
      const { accessKeyId: _omit, ...withoutKey } = identity;
      const loginCaller: Caller = {
        identity: withoutKey,
        accountId: role.accountId,
        sourceIp: this.sourceIp,
        agent: () => browser,
      };
      const t = at + rng.range(1, 3) * 1000;
      this.emitter.emit(
        rng,
        loginCaller,
        t,
        region,
        consoleLogin({
          mfa: false,
          region,
          loginTo: `https://${region}.console.aws.amazon.com/console/home?region=${region}`,
        }),
      );
      this.home(session, t);
    }
    return session;
  }
}
