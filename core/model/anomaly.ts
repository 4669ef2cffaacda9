import type { TrailEvent } from "../event/types.ts";
import type { BehaviourModel } from "./behaviour-model.ts";
import { trackerQueryOf } from "./behaviour-model.ts";
import { type ActionDistribution, probabilityOf } from "./distribution.ts";
import { SEVERITY_BITS, sensitiveApiOf } from "./sensitive-apis.ts";
import { formatP, SHOWN_BITS, type TrackerEvidence, trackerEvidence } from "./tracker-evidence.ts";

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
/** The sequence is only worth a sentence when fewer than 1 in 64 of the principal's calls are as odd. */
const SHOWN_SURPRISAL_BITS = 6;

/**
 * Scores one event against everything the model learned before it: how unexpected the action was, what
 * is new about it (action, service, network, region, client) for the principal and its account, whether
 * it is part of an AccessDenied burst or a call-rate spike, whether the API is sensitive, and whether
 * the principal is active at an unusual hour. Each part is evidence in bits; the score squashes the total.
 */
export function scoreEvent(event: TrailEvent, context: ScoringContext): AnomalyScore {
  const { model } = context;
  const sequence = sequenceEvidence(event, model, context.distribution);
  const found = trackerEvidence(model, trackerQueryOf(event, model.ownersOf(event)));
  return assembleScore(event, model, sequence, found);
}

/** The part of a score the next-action model gives: how unexpected the action was. */
export interface SequenceEvidence {
  surprisalBits: number;
  reason: Reason;
}

export function sequenceEvidence(
  event: TrailEvent,
  model: BehaviourModel,
  distribution?: ActionDistribution,
): SequenceEvidence {
  const actionId = model.sequence.actions.idOf(event.action);
  const p = distribution
    ? probabilityOf(distribution, actionId)
    : model.sequence.probability(
        { principal: event.principal, time: event.time, sessionKey: event.sessionKey },
        actionId,
      );
  const surprisalBits = -Math.log2(Math.max(p, 1e-300));
  const principal = model.sequence.principals.idOf(event.principal.key);
  const raw = -Math.log2(Math.max(model.rawProbability(event), 1e-300));
  const rarity = model.surprise.tailBits(principal, raw);
  const reason: Reason = {
    kind: "sequence",
    detail: `unexpected next action ${event.action}: p=${formatP(p)} (${surprisalBits.toFixed(1)} bits; only ${formatP(2 ** -rarity)} of this principal's calls are as unexpected)`,
    bits: rarity,
  };
  return { surprisalBits, reason };
}

/**
 * A score from its parts: the sequence's reason, the trackers', the sensitive-API catalogue's, and the
 * carry-over of the strongest earlier evidence in the same session (`earlier`).
 */
export function assembleScore(
  event: TrailEvent,
  model: BehaviourModel,
  sequence: SequenceEvidence,
  found: TrackerEvidence,
  earlier = model.sessionPeak(event),
): AnomalyScore {
  const reasons: Reason[] = [sequence.reason, ...found.reasons];
  const sensitive = sensitiveApiOf(event);
  if (sensitive) {
    const routine = found.routine;
    reasons.push({
      kind: "sensitive-api",
      detail: `${event.action} is sensitive: ${sensitive.tactic} (${sensitive.technique})${routine > 0 ? `; called ${routine} time(s) before by this principal` : ""}`,
      bits: SEVERITY_BITS[sensitive.severity] / (1 + routine),
    });
  }
  if (found.unusualTime) reasons.push(found.unusualTime);

  const ownEvidenceBits = reasons.reduce((sum, r) => sum + r.bits, 0);
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
    surprisalBits: sequence.surprisalBits,
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
