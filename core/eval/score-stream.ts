import type { TrailEvent } from "../event/types.ts";
import { scoreEvent, strongestOwnReason } from "../model/anomaly.ts";
import type { BehaviourModel, Prediction } from "../model/behaviour-model.ts";
import type { ActionDistribution } from "../model/distribution.ts";
import { chronological } from "../model/sessions.ts";
import { queryOf } from "./predictor.ts";

/** How many predicted actions each scored line lists. */
export const TOP_K = 10;

/** One line of `trailcast score` output (field names are a contract: see docs/model.md). */
export interface ScoreLine {
  eventID: string;
  principal: string;
  action: string;
  top: Prediction[];
  anomaly: number;
  reasons: string[];
}

export interface ScoredEvent {
  line: ScoreLine;
  /** What the session remembers of this event (pass to model.observe). */
  evidence: { bits: number; reason: string };
  distribution: ActionDistribution;
  event: TrailEvent;
}

/** Scores one event from what the model knew before it (the model is not changed). */
export function scoreOne(model: BehaviourModel, event: TrailEvent): ScoredEvent {
  const distribution = model.sequence.distribution(queryOf(event));
  const anomaly = scoreEvent(event, { model, distribution });
  return {
    event,
    distribution,
    evidence: { bits: anomaly.ownEvidenceBits, reason: strongestOwnReason(anomaly) },
    line: {
      eventID: event.eventId,
      principal: event.principal.key,
      action: event.action,
      top: model.top(distribution, TOP_K),
      anomaly: anomaly.score,
      reasons: anomaly.reasons.map((r) => r.detail),
    },
  };
}

/**
 * Walks test events in time order: each is scored before the model sees it, then (by default) learned
 * from, as a deployed model would. `beforeLearning` runs between the two, for other predictors.
 */
export function* scoreStream(
  model: BehaviourModel,
  events: readonly TrailEvent[],
  options: { learn?: boolean } = {},
): Generator<ScoredEvent> {
  const learn = options.learn ?? true;
  for (const event of chronological(events)) {
    const scored = scoreOne(model, event);
    yield scored;
    if (learn) model.observe(event, scored.evidence);
  }
}
