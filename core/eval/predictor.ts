import type { TrailEvent } from "../event/types.ts";
import type { BehaviourModel } from "../model/behaviour-model.ts";
import type { ActionDistribution } from "../model/distribution.ts";
import type { Interner } from "../model/intern.ts";
import type { Query } from "../model/session-context.ts";

/**
 * Anything that predicts a principal's next action and learns online. Evaluation gives every predictor
 * (Trailcast's model and the baselines) the same query — who, when, which credential session, never
 * what — and the same event afterwards, so the comparison is fair.
 */
export interface NextActionPredictor {
  readonly name: string;
  /** Action names for the ids in a distribution's probs. */
  readonly vocabulary: Interner;
  predict(query: Query): ActionDistribution;
  observe(event: TrailEvent): void;
}

export function queryOf(event: TrailEvent): Query {
  return { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
}

/** Trailcast's behaviour model behind the predictor interface. */
export function modelPredictor(model: BehaviourModel): NextActionPredictor {
  return {
    name: "trailcast",
    vocabulary: model.sequence.actions,
    predict: (query) => model.sequence.distribution(query),
    observe: (event) => model.observe(event),
  };
}
