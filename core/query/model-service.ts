/**
 * The one module that touches the behaviour model (core/model, being finished in parallel): everything else
 * in Trailcast asks this adapter, so a change of the model's API touches this file only.
 */
import type { Principal, TrailEvent } from "../event/types.ts";
import {
  BehaviourModel,
  fitModel,
  loadModel,
  type OnlineTuner,
  SequenceModel,
  saveModel,
  scoreEvent,
  strongestOwnReason,
} from "../model/index.ts";

/** Bumped when scoring changes meaning, so persisted scores of an older model are recomputed. */
export const SCORING_VERSION = "trailcast-model-4";

export interface ReasonView {
  kind: string;
  detail: string;
  bits: number;
}

export interface EventScore {
  /** 0 ordinary … 1 extremely unusual (0.5 = as unusual as the top 1% of calibration events). */
  score: number;
  surprisalBits: number;
  evidenceBits: number;
  reasons: ReasonView[];
  tactic: string | null;
  technique: string | null;
}

export interface NextActionView {
  action: string;
  probability: number;
}

export interface ActivityWindowView {
  /** Hours (epoch ms of the hour start) with the probability of at least one event in each, best first. */
  hours: Array<{ hourStart: number; probability: number }>;
  medianGapMs: number | null;
}

const NO_HISTORY: EventScore = {
  score: 0,
  surprisalBits: 0,
  evidenceBits: 0,
  reasons: [
    { kind: "no-history", detail: "first event in the data: nothing earlier to compare with", bits: 0 },
  ],
  tactic: null,
  technique: null,
};

/** Share of the (chronologically first) events used to tune smoothing, temperature and anomaly scale. */
const TUNING_FRACTION = 0.2;
const MAX_TUNING_EVENTS = 200_000;

/**
 * A behaviour model walked over a store's events in time order. `scoreThenLearn` scores an event from the
 * history strictly before it and then learns it, which is how every stored event gets its anomaly score.
 */
export class BehaviourService {
  /**
   * The tuning fit's online tuner, attached once the walk has passed the tuning events: those were its
   * held-out predictions already, and recording them again would count them twice.
   */
  private pendingTuner: { tuner: OnlineTuner; after: number } | null = null;

  private constructor(private readonly model: BehaviourModel) {}

  /**
   * Tunes hyperparameters on the first events (fitModel's prequential fit), then starts a fresh model with
   * those settings that has seen nothing yet: the caller walks every event through it.
   */
  static tunedOn(firstEvents: readonly TrailEvent[], expectedEvents: number): BehaviourService {
    const tuning = firstEvents.slice(0, Math.min(MAX_TUNING_EVENTS, Math.ceil(firstEvents.length)));
    const tuned = tuning.length > 0 ? fitModel(tuning) : new BehaviourModel();
    const model = new BehaviourModel({
      sequence: new SequenceModel({ params: tuned.sequence.params, expectedEvents }),
    });
    model.sequence.temperature = tuned.sequence.temperature;
    model.sequence.assignedPeers = tuned.sequence.assignedPeers;
    model.anomalyScaleBits = tuned.anomalyScaleBits;
    const service = new BehaviourService(model);
    if (tuned.tuner) service.pendingTuner = { tuner: tuned.tuner, after: tuning.length };
    return service;
  }

  /** How many of the first `total` events tune the model (see TUNING_FRACTION). */
  static tuningEvents(total: number): number {
    return Math.min(MAX_TUNING_EVENTS, Math.ceil(total * TUNING_FRACTION));
  }

  /** Writes the walked model (the model's own file format) so the next open can skip the walk. */
  save(path: string): Promise<void> {
    return saveModel(this.model, path);
  }

  static async load(path: string): Promise<BehaviourService> {
    return new BehaviourService(await loadModel(path));
  }

  get eventsSeen(): number {
    return this.model.eventsSeen;
  }

  scoreThenLearn(event: TrailEvent): EventScore {
    if (this.model.eventsSeen === 0) {
      // Nothing to compare the very first event with.
      this.learn(event);
      return { ...NO_HISTORY };
    }
    const anomaly = scoreEvent(event, { model: this.model });
    // The session remembers this event's own evidence (a later call in it is judged with it in mind).
    this.learn(event, { bits: anomaly.ownEvidenceBits, reason: strongestOwnReason(anomaly) });
    return {
      score: anomaly.score,
      surprisalBits: anomaly.surprisalBits,
      evidenceBits: anomaly.evidenceBits,
      reasons: anomaly.reasons.map((r) => ({ kind: r.kind, detail: r.detail, bits: r.bits })),
      tactic: anomaly.tactic ?? null,
      technique: anomaly.technique ?? null,
    };
  }

  learn(event: TrailEvent, scored?: { bits: number; reason: string }): void {
    this.model.observe(event, scored);
    if (this.pendingTuner && this.model.eventsSeen >= this.pendingTuner.after) {
      this.model.tuner = this.pendingTuner.tuner;
      this.pendingTuner = null;
    }
  }

  /**
   * The k most likely next actions. `history` replaces the model's own session state for the principal
   * (hypothetical "what if it had just done X, Y"), `at` is the moment of the prediction.
   */
  predictNext(
    principal: Principal,
    k: number,
    history?: readonly TrailEvent[],
    at?: number,
  ): NextActionView[] {
    if (this.model.eventsSeen === 0) return [];
    return this.model
      .predictNext(principal, k, history && history.length > 0 ? history : undefined, at)
      .map((p) => ({ action: p.action, probability: p.p }));
  }

  nextActive(principal: Principal, fromMs: number, limit: number): ActivityWindowView {
    const { hours, medianGapMs } = this.model.nextActive(principal, fromMs, limit);
    return { hours: hours.map((h) => ({ hourStart: h.hourStart, probability: h.probability })), medianGapMs };
  }

  /** The peer group the model backs off to for this principal (role or behaviour cluster), if known. */
  peerGroup(principal: Principal): string | null {
    return this.model.peerKeyOf(principal);
  }

  isKnown(principal: Principal): boolean {
    return this.model.sequence.principals.idOf(principal.key) >= 0;
  }
}
