import type { TrailEvent } from "../event/types.ts";
import type { BehaviourModel } from "./behaviour-model.ts";
import { noveltyTokens } from "./behaviour-model.ts";
import { type ActionDistribution, probabilityOf } from "./distribution.ts";
import type { NoveltyKind, Scope } from "./novelty.ts";
import { SEVERITY_BITS, sensitiveApiOf } from "./sensitive-apis.ts";
import { isAccessDenied } from "./tokens.ts";

export type ReasonKind =
  | "sequence"
  | "first-seen-action"
  | "first-seen-service"
  | "first-seen-network"
  | "first-seen-region"
  | "first-seen-client"
  | "error-burst"
  | "rate-spike"
  | "sensitive-api"
  | "unusual-time"
  | "session";

export interface Reason {
  kind: ReasonKind;
  /** One sentence an analyst can read without knowing the model. */
  detail: string;
  /** How much this reason adds to the evidence, in bits. */
  bits: number;
}

export interface AnomalyScore {
  /** 0 = ordinary; 0.5 = as unusual as the top 1% of training events; → 1 beyond. */
  score: number;
  /** -log2 p(action) under the calibrated next-action model. */
  surprisalBits: number;
  /** Total evidence in bits: surprisal plus every other reason. */
  evidenceBits: number;
  /** Evidence from this event alone (without the session carry-over); what the session remembers. */
  ownEvidenceBits: number;
  /** Strongest first. */
  reasons: Reason[];
  tactic?: string;
  technique?: string;
}

export interface ScoringContext {
  model: BehaviourModel;
  /** The event's next-action distribution if the caller already computed it (saves a prediction). */
  distribution?: ActionDistribution;
}

/**
 * Share of the strongest earlier evidence in the same session that carries over to later calls: attacks
 * are sessions (recon, then the payload), and the quiet calls after a loud one deserve a look too.
 */
const SESSION_CARRY = 0.5;
/** Reasons below this many bits are not shown (they are still counted in the evidence). */
const SHOWN_BITS = 1;
/** The sequence is only worth a sentence when fewer than 1 in 64 of the principal's calls are as odd. */
const SHOWN_SURPRISAL_BITS = 6;

const KIND_LABEL: Record<NoveltyKind, string> = {
  action: "action",
  service: "service",
  network: "source network",
  wideNetwork: "wider source network",
  region: "region",
  client: "client (user agent family)",
};

function newBits(model: BehaviourModel, scope: Scope, owner: number, kind: NoveltyKind, value: string) {
  const seen = model.novelty.lookup(scope, owner, kind, value);
  const bits = seen.count > 0 || seen.total === 0 ? 0 : -Math.log2(seen.newProbability);
  return { bits, isNew: seen.count === 0 && seen.total > 0, seen };
}

/**
 * Scores one event against everything the model learned before it: how unexpected the action was, what
 * is new about it (action, service, network, region, client) for the principal and its account, whether
 * it is part of an AccessDenied burst or a call-rate spike, whether the API is sensitive, and whether
 * the principal is active at an unusual hour. Each part is evidence in bits; the score squashes the total.
 */
export function scoreEvent(event: TrailEvent, context: ScoringContext): AnomalyScore {
  const { model } = context;
  const actionId = model.sequence.actions.idOf(event.action);
  const p = context.distribution
    ? probabilityOf(context.distribution, actionId)
    : model.sequence.probability(
        { principal: event.principal, time: event.time, sessionKey: event.sessionKey },
        actionId,
      );
  const surprisalBits = -Math.log2(Math.max(p, 1e-300));
  const [principal, peer, account] = model.ownersOf(event);
  const raw = -Math.log2(Math.max(model.rawProbability(event), 1e-300));
  const rarity = model.surprise.tailBits(principal, raw);
  const reasons: Reason[] = [
    {
      kind: "sequence",
      detail: `unexpected next action ${event.action}: p=${formatP(p)} (${surprisalBits.toFixed(1)} bits; only ${formatP(2 ** -rarity)} of this principal's calls are as unexpected)`,
      bits: rarity,
    },
  ];
  const [action, service, network, wideNetwork, region, client] = noveltyTokens(event) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  const actionNew = newBits(model, "principal", principal, "action", action);
  if (actionNew.isNew) {
    const peerNew = newBits(model, "peer", peer, "action", action);
    const peers = peerNew.isNew ? "; its peer group never called it either" : "";
    reasons.push({
      kind: "first-seen-action",
      detail: `first time this principal called ${action}${peers}`,
      bits: peerNew.bits,
    });
  }
  const serviceNew = newBits(model, "principal", principal, "service", service);
  if (serviceNew.isNew) {
    const accountNew = newBits(model, "account", account, "service", service);
    reasons.push({
      kind: "first-seen-service",
      detail: `first use of ${service} by this principal${accountNew.isNew ? " (and by this account)" : ""}`,
      bits: accountNew.bits,
    });
  }
  const networkReason = noveltyReason(model, [principal, account], "network", network, wideNetwork);
  if (networkReason) reasons.push(networkReason);
  for (const [kind, value] of [
    ["region", region],
    ["client", client],
  ] as const) {
    const reason = noveltyReason(model, [principal, account], kind, value);
    if (reason) reasons.push(reason);
  }

  const denied = isAccessDenied(event.errorCode);
  const rates = model.rates.view(principal, event.time, denied, event.action);
  // Bursts count only beyond twice the principal's usual peak: bursty principals (scanners) stay quiet.
  if (denied && rates.deniedBits >= SHOWN_BITS && rates.deniedCount > 2 * rates.typicalDenied) {
    const unknownNetwork = networkReason?.detail.includes("this account")
      ? " from a network never seen for this account"
      : "";
    reasons.push({
      kind: "error-burst",
      detail: `${rates.deniedCount} AccessDenied in 2 min across ${rates.deniedDistinctActions} API(s)${unknownNetwork} (this principal's bursts: usually up to ${rates.typicalDenied})`,
      bits: rates.deniedBits,
    });
  }
  if (rates.windowBits >= SHOWN_BITS && rates.windowCount > 2 * rates.typicalWindow) {
    reasons.push({
      kind: "rate-spike",
      detail: `${rates.windowCount} calls in 5 min (usually up to ${rates.typicalWindow})`,
      bits: rates.windowBits,
    });
  }

  const sensitive = sensitiveApiOf(event);
  if (sensitive) {
    const routine = actionNew.seen.count;
    reasons.push({
      kind: "sensitive-api",
      detail: `${action} is sensitive: ${sensitive.tactic} (${sensitive.technique})${routine > 0 ? `; called ${routine} time(s) before by this principal` : ""}`,
      bits: SEVERITY_BITS[sensitive.severity] / (1 + routine),
    });
  }

  const time = model.activityUnusualness(event.principal, event.time);
  if (time.bits >= SHOWN_BITS) {
    reasons.push({
      kind: "unusual-time",
      detail: `active at ${weekHour(event.time)} UTC, an hour this principal is rarely active (p=${formatP(time.probability)} per hour-of-week)`,
      bits: Math.min(time.bits, 8),
    });
  }

  const ownEvidenceBits = reasons.reduce((sum, r) => sum + r.bits, 0);
  const earlier = model.sessionPeak(event);
  if (earlier && earlier.bits * SESSION_CARRY >= SHOWN_BITS) {
    reasons.push({
      kind: "session",
      detail: `same session as an earlier anomalous call (${earlier.reason ? `${earlier.action}: ${earlier.reason}` : earlier.action})`,
      bits: earlier.bits * SESSION_CARRY,
    });
  }
  const evidenceBits = reasons.reduce((sum, r) => sum + r.bits, 0);
  const score = 1 - 2 ** (-evidenceBits / model.anomalyScaleBits);
  const shown = reasons
    .filter((r) =>
      r.kind === "sequence"
        ? r.bits >= SHOWN_SURPRISAL_BITS
        : r.bits >= SHOWN_BITS || r.kind.startsWith("first-seen"),
    )
    .sort((a, b) => b.bits - a.bits);
  const burst = reasons.find((r) => r.kind === "error-burst" && r.bits >= 4);
  const tactic = sensitive?.tactic ?? (burst ? "Discovery" : undefined);
  const technique = sensitive?.technique ?? (burst ? "T1580 Cloud Infrastructure Discovery" : undefined);
  return {
    score,
    surprisalBits,
    evidenceBits,
    ownEvidenceBits,
    reasons: shown,
    ...(tactic ? { tactic } : {}),
    ...(technique ? { technique } : {}),
  };
}

/** The event's strongest reason of its own (not inherited from its session), for the session to remember. */
export function strongestOwnReason(score: AnomalyScore): string {
  return score.reasons.find((r) => r.kind !== "session")?.detail ?? "";
}

/** First-seen evidence for one kind at principal and account scope (wide network softens a new narrow one). */
function noveltyReason(
  model: BehaviourModel,
  [principal, account]: [number, number],
  kind: NoveltyKind,
  value: string,
  wideValue?: string,
): Reason | undefined {
  const mine = newBits(model, "principal", principal, kind, value);
  if (!mine.isNew) return undefined;
  const wideKind: NoveltyKind = wideValue === undefined ? kind : "wideNetwork";
  const ours = newBits(model, "account", account, wideKind, wideValue ?? value);
  const wideSeen =
    wideValue !== undefined && !newBits(model, "principal", principal, "wideNetwork", wideValue).isNew;
  const bits = mine.bits * (wideSeen ? 0.5 : 1) + ours.bits;
  const where = ours.isNew ? "this principal or this account" : "this principal";
  const reasonKind =
    kind === "network" ? "first-seen-network" : kind === "region" ? "first-seen-region" : "first-seen-client";
  const usual = kind === "network" ? [] : model.novelty.usual("principal", principal, kind);
  const usually = usual.length > 0 ? ` (usually ${usual.join(", ")})` : "";
  return { kind: reasonKind, detail: `${KIND_LABEL[kind]} ${value} never seen for ${where}${usually}`, bits };
}

function formatP(p: number): string {
  if (p >= 0.01) return `${(p * 100).toFixed(1)}%`;
  return p.toExponential(1);
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
function weekHour(timeMs: number): string {
  const date = new Date(timeMs);
  return `${DAYS[(date.getUTCDay() + 6) % 7]} ${String(date.getUTCHours()).padStart(2, "0")}:00`;
}
