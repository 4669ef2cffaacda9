import { type ActionDistribution, probabilityOf, topActions } from "../model/distribution.ts";
import type { Interner } from "../model/intern.ts";

/**
 * Log-loss is -ln p(true action) in nats, where p of an action the predictor has never seen is its
 * explicit unseen mass divided by the number of unseen actions in its universe, and p is floored at
 * LOG_LOSS_FLOOR so one impossible event cannot make the mean infinite. The same rule applies to every
 * predictor.
 */
export const LOG_LOSS_FLOOR = 1e-12;
/** Equal-width confidence bins for expected calibration error and the reliability diagram. */
export const CALIBRATION_BINS = 15;

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface PredictionMetrics {
  events: number;
  top1: number;
  top5: number;
  mrr: number;
  logLoss: number;
  /** Expected calibration error of the top-1 prediction (confidence vs hit rate, 15 bins). */
  ece: number;
  reliability: ReliabilityBin[];
  /** Share of test events whose action the predictor had never seen. */
  unseenShare: number;
}

/** Accumulates next-action metrics over a stream of (distribution, true action) pairs. */
export class PredictionScorer {
  private n = 0;
  private hits1 = 0;
  private hits5 = 0;
  private reciprocalRanks = 0;
  private loss = 0;
  private unseen = 0;
  private readonly binCount = new Float64Array(CALIBRATION_BINS);
  private readonly binConfidence = new Float64Array(CALIBRATION_BINS);
  private readonly binHits = new Float64Array(CALIBRATION_BINS);
  /** Per principal: [events, top-1 hits]. */
  readonly perPrincipal = new Map<string, [number, number]>();

  add(dist: ActionDistribution, vocabulary: Interner, action: string, principalKey: string): void {
    const id = vocabulary.idOf(action);
    const known = id >= 0 && id < dist.probs.length;
    const p = probabilityOf(dist, known ? id : -1);
    const top = topActions(dist, 5);
    const hit1 = known && top[0]?.id === id;
    const rankInTop = known ? top.findIndex((t) => t.id === id) : -1;
    this.n += 1;
    if (!known) this.unseen += 1;
    if (hit1) this.hits1 += 1;
    if (rankInTop >= 0) this.hits5 += 1;
    this.reciprocalRanks += known ? 1 / rankOf(dist, id, rankInTop) : 0;
    this.loss -= Math.log(Math.max(p, LOG_LOSS_FLOOR));
    const confidence = top[0]?.p ?? 0;
    const bin = Math.min(CALIBRATION_BINS - 1, Math.floor(confidence * CALIBRATION_BINS));
    this.binCount[bin] = (this.binCount[bin] as number) + 1;
    this.binConfidence[bin] = (this.binConfidence[bin] as number) + confidence;
    this.binHits[bin] = (this.binHits[bin] as number) + (hit1 ? 1 : 0);
    const row = this.perPrincipal.get(principalKey) ?? [0, 0];
    row[0] += 1;
    row[1] += hit1 ? 1 : 0;
    this.perPrincipal.set(principalKey, row);
  }

  result(): PredictionMetrics {
    const n = Math.max(1, this.n);
    const reliability: ReliabilityBin[] = [];
    let ece = 0;
    for (let b = 0; b < CALIBRATION_BINS; b++) {
      const count = this.binCount[b] as number;
      const meanConfidence = count ? (this.binConfidence[b] as number) / count : 0;
      const accuracy = count ? (this.binHits[b] as number) / count : 0;
      reliability.push({
        lower: b / CALIBRATION_BINS,
        upper: (b + 1) / CALIBRATION_BINS,
        count,
        meanConfidence,
        accuracy,
      });
      ece += (count / n) * Math.abs(meanConfidence - accuracy);
    }
    return {
      events: this.n,
      top1: this.hits1 / n,
      top5: this.hits5 / n,
      mrr: this.reciprocalRanks / n,
      logLoss: this.loss / n,
      ece,
      reliability,
      unseenShare: this.unseen / n,
    };
  }
}

/** 1-based rank of action `id`, ties counted as half (ranks within the top 5 are taken from topActions). */
function rankOf(dist: ActionDistribution, id: number, rankInTop: number): number {
  if (rankInTop >= 0) return rankInTop + 1;
  const p = dist.probs[id] as number;
  let greater = 0;
  let equal = 0;
  for (let a = 0; a < dist.probs.length; a++) {
    const q = dist.probs[a] as number;
    if (q > p) greater += 1;
    else if (q === p && a !== id) equal += 1;
  }
  return 1 + greater + equal / 2;
}

/** Area under the ROC curve (Mann-Whitney U, ties counted half); NaN without both classes. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (
      j < order.length &&
      (order[j] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (labels[(order[k] as readonly [number, number])[1]]) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (area under the precision-recall curve, step-wise; tied scores form one step). */
export function prAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const positives = labels.filter(Boolean).length;
  if (positives === 0) return Number.NaN;
  let truePositives = 0;
  let seen = 0;
  let area = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    let newPositives = 0;
    while (
      j < order.length &&
      (order[j] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    ) {
      if (labels[(order[j] as readonly [number, number])[1]]) newPositives += 1;
      j++;
    }
    seen += j - i;
    truePositives += newPositives;
    area += (newPositives / positives) * (truePositives / seen);
    i = j;
  }
  return area;
}
