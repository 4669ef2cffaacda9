import { type ActionDistribution, topActions } from "./distribution.ts";

/** Enough held-out predictions to fit one scalar without chasing noise. */
export const MIN_HELD_OUT_FOR_CALIBRATION = 100;
const KEEP = 32;

/**
 * One held-out prediction reduced to what temperature fitting needs: the largest probabilities exactly,
 * the rest summarized (mass and count, treated as equal shares), the unseen lump, and the true category.
 */
export interface CalibrationRecord {
  top: Float64Array;
  /** ln of each of `top` (-Infinity for 0): tempering is then an exp per term instead of a power. */
  logTop: Float64Array;
  restMass: number;
  restCount: number;
  unseenMass: number;
  /** Raw probability of the true action's category (the unseen lump when the action was never seen). */
  trueMass: number;
  /** 1, or the number of unseen actions sharing the lump. */
  trueShare: number;
}

export function calibrationRecord(dist: ActionDistribution, trueId: number): CalibrationRecord {
  // The largest by topActions (a full sort of the vocabulary per record was ~0.1 s of a million-event fit),
  // the rest summed in id order.
  const best = topActions(dist, KEEP);
  const top = Float64Array.from(best, (b) => b.p);
  const kept = best.map((b) => b.id).sort((a, b) => a - b);
  let restMass = 0;
  for (let id = 0, next = 0; id < dist.probs.length; id++) {
    if (id === kept[next]) next += 1;
    else restMass += dist.probs[id] as number;
  }
  const known = trueId >= 0 && trueId < dist.probs.length;
  return {
    top,
    logTop: top.map(Math.log),
    restMass,
    restCount: Math.max(0, dist.probs.length - KEEP),
    unseenMass: dist.unseenMass,
    trueMass: known ? (dist.probs[trueId] as number) : dist.unseenMass,
    trueShare: known ? 1 : Math.max(1, dist.unseenCount),
  };
}

/** Mean negative log-likelihood (nats) after tempering with exponent beta = 1 / temperature. */
export function temperedLoss(records: readonly CalibrationRecord[], beta: number): number {
  let loss = 0;
  for (const r of records) {
    let z = r.unseenMass > 0 ? r.unseenMass ** beta : 0;
    for (let i = 0; i < r.logTop.length; i++) z += Math.exp(beta * (r.logTop[i] as number));
    if (r.restCount > 0 && r.restMass > 0) z += r.restCount * (r.restMass / r.restCount) ** beta;
    const mass = Math.max(r.trueMass, 1e-300);
    loss -= beta * Math.log(mass) - Math.log(z) - Math.log(r.trueShare);
  }
  return records.length === 0 ? 0 : loss / records.length;
}

/** Temperature in [1/4, 4] minimizing held-out NLL (golden-section search on log T); 1 when data is thin. */
export function fitTemperature(records: readonly CalibrationRecord[]): number {
  if (records.length < MIN_HELD_OUT_FOR_CALIBRATION) return 1;
  const loss = (logT: number) => temperedLoss(records, Math.exp(-logT));
  let lo = Math.log(0.25);
  let hi = Math.log(4);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - ratio * (hi - lo);
  let x2 = lo + ratio * (hi - lo);
  let f1 = loss(x1);
  let f2 = loss(x2);
  for (let i = 0; i < 30; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = loss(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = loss(x2);
    }
  }
  const best = Math.exp((lo + hi) / 2);
  // Keep T = 1 unless tempering clearly helps on the held-out records.
  return loss(Math.log(best)) < loss(0) - 1e-6 ? best : 1;
}
