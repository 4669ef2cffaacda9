/** A next-action distribution over a vocabulary at prediction time, with an explicit unseen-action mass. */
export interface ActionDistribution {
  /** probs[id] for action ids 0..probs.length-1 (the vocabulary when predicted). */
  probs: Float64Array;
  /** Total mass for actions never seen; one specific unseen action gets unseenMass / unseenCount. */
  unseenMass: number;
  unseenCount: number;
}

/**
 * Temperature scaling over the known actions plus one lumped "unseen" category (spreading it per unseen
 * action would let the universe size dominate the normalizer).
 */
export function applyTemperature(dist: ActionDistribution, temperature: number): ActionDistribution {
  if (temperature === 1) return dist;
  const beta = 1 / temperature;
  const probs = new Float64Array(dist.probs.length);
  let total = dist.unseenMass > 0 ? dist.unseenMass ** beta : 0;
  for (let a = 0; a < probs.length; a++) {
    const p = dist.probs[a] as number;
    const q = p > 0 ? p ** beta : 0;
    probs[a] = q;
    total += q;
  }
  const scale = total > 0 ? 1 / total : 0;
  for (let a = 0; a < probs.length; a++) probs[a] = (probs[a] as number) * scale;
  const unseenMass = dist.unseenMass > 0 ? dist.unseenMass ** beta * scale : 0;
  return { probs, unseenMass, unseenCount: dist.unseenCount };
}

/**
 * probabilityOf(applyTemperature(dist, temperature), actionId), bit for bit, without building the tempered
 * distribution: scoring needs one action's calibrated probability per event, not the whole vector.
 */
export function temperedProbabilityOf(
  dist: ActionDistribution,
  actionId: number,
  temperature: number,
): number {
  if (temperature === 1) return probabilityOf(dist, actionId);
  const beta = 1 / temperature;
  let total = dist.unseenMass > 0 ? dist.unseenMass ** beta : 0;
  const { probs } = dist;
  for (let a = 0; a < probs.length; a++) {
    const p = probs[a] as number;
    total += p > 0 ? p ** beta : 0;
  }
  const scale = total > 0 ? 1 / total : 0;
  if (actionId >= 0 && actionId < probs.length) {
    const p = probs[actionId] as number;
    return (p > 0 ? p ** beta : 0) * scale;
  }
  if (dist.unseenCount <= 0) return 0;
  return (dist.unseenMass > 0 ? dist.unseenMass ** beta * scale : 0) / dist.unseenCount;
}

/** Probability of one action id (unseen actions, id -1 or beyond the vocabulary, share the unseen mass). */
export function probabilityOf(dist: ActionDistribution, actionId: number): number {
  if (actionId >= 0 && actionId < dist.probs.length) return dist.probs[actionId] as number;
  return dist.unseenCount > 0 ? dist.unseenMass / dist.unseenCount : 0;
}

/** The k most likely actions, probability descending (ties by id, so output is deterministic). */
export function topActions(dist: ActionDistribution, k: number): Array<{ id: number; p: number }> {
  const best: Array<{ id: number; p: number }> = [];
  const { probs } = dist;
  for (let id = 0; id < probs.length; id++) {
    const p = probs[id] as number;
    if (best.length === k && p <= (best[k - 1] as { p: number }).p) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as { p: number }).p < p) at--;
    best.splice(at, 0, { id, p });
    if (best.length > k) best.pop();
  }
  return best;
}
