/** Trailcast's behaviour model: the API the rest of the product uses. */
export {
  type AnomalyScore,
  type Reason,
  type ReasonKind,
  type ScoringContext,
  scoreEvent,
  strongestOwnReason,
} from "./anomaly.ts";
export { BehaviourModel, type FitInfo, type Prediction } from "./behaviour-model.ts";
export { benchModel, type ModelBench } from "./bench.ts";
export { type ActionDistribution, probabilityOf, topActions } from "./distribution.ts";
export { type FitOptions, fitModel, updateModel } from "./fit.ts";
export { OnlineTuner } from "./online-tuning.ts";
export {
  DEFAULT_MODEL_PATH,
  deserializeModel,
  loadModel,
  ModelFileError,
  saveModel,
  serializeModel,
} from "./persist.ts";
export { SENSITIVE_APIS, type SensitiveApi, sensitiveApiOf } from "./sensitive-apis.ts";
export { SequenceModel } from "./sequence-model.ts";
export { chronological, DEFAULT_IDLE_GAP_MS, type Session, sessionize } from "./sessions.ts";
