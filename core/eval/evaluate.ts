import type { TrailEvent } from "../event/types.ts";
import type { FitInfo } from "../model/behaviour-model.ts";
import { fitModel } from "../model/fit.ts";
import { chronological } from "../model/sessions.ts";
import { baselines } from "./baselines.ts";
import { type PredictionMetrics, PredictionScorer, prAuc, rocAuc } from "./metrics.ts";
import { modelPredictor, type NextActionPredictor, queryOf } from "./predictor.ts";
import { scoreOne } from "./score-stream.ts";

export interface ModelResult {
  name: string;
  metrics: PredictionMetrics;
  /** principal key → [test events, top-1 hits]. */
  perPrincipal: Record<string, [number, number]>;
}

export interface AnomalyResult {
  rocAuc: number;
  prAuc: number;
  positives: number;
  negatives: number;
  /** Labelled eventIDs that were not among the scored test events. */
  labelsNotInTest: number;
}

export interface EvaluationResult {
  trainEvents: number;
  testEvents: number;
  fit: FitInfo | null;
  models: ModelResult[];
  anomaly: AnomalyResult | null;
  seconds: number;
}

/**
 * Fits Trailcast's model and the three baselines on the training events, then walks the test events in
 * time order: every predictor predicts each event from what it knew before it, is scored, and then
 * learns from it. Anomaly scores are Trailcast's, ranked against the labels when given.
 */
export function evaluate(
  train: readonly TrailEvent[],
  test: readonly TrailEvent[],
  labels?: ReadonlySet<string>,
): EvaluationResult {
  const started = performance.now();
  const model = fitModel(train);
  const ours = modelPredictor(model);
  const others = baselines(model.sequence.params.universe);
  for (const event of chronological(train)) for (const baseline of others) baseline.observe(event);
  const predictors: NextActionPredictor[] = [ours, ...others];
  const scorers = predictors.map(() => new PredictionScorer());
  const scores: number[] = [];
  const isAttack: boolean[] = [];
  const ordered = chronological(test);
  for (const event of ordered) {
    const scored = scoreOne(model, event);
    (scorers[0] as PredictionScorer).add(
      scored.distribution,
      ours.vocabulary,
      event.action,
      event.principal.key,
    );
    for (let i = 1; i < predictors.length; i++) {
      const predictor = predictors[i] as NextActionPredictor;
      const dist = predictor.predict(queryOf(event));
      (scorers[i] as PredictionScorer).add(dist, predictor.vocabulary, event.action, event.principal.key);
    }
    scores.push(scored.line.anomaly);
    isAttack.push(labels?.has(event.eventId) ?? false);
    model.observe(event, scored.evidence);
    for (const predictor of others) predictor.observe(event);
  }
  let anomaly: AnomalyResult | null = null;
  if (labels) {
    const positives = isAttack.filter(Boolean).length;
    anomaly = {
      rocAuc: rocAuc(scores, isAttack),
      prAuc: prAuc(scores, isAttack),
      positives,
      negatives: isAttack.length - positives,
      labelsNotInTest: labels.size - positives,
    };
  }
  return {
    trainEvents: train.length,
    testEvents: ordered.length,
    fit: model.fitInfo,
    models: predictors.map((predictor, i) => {
      const scorer = scorers[i] as PredictionScorer;
      return {
        name: predictor.name,
        metrics: scorer.result(),
        perPrincipal: Object.fromEntries(scorer.perPrincipal),
      };
    }),
    anomaly,
    seconds: (performance.now() - started) / 1000,
  };
}
