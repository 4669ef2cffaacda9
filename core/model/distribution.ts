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

/**
 * The k most likely actions, probability descending (ties by id, so output is deterministic). Kept in two
 * typed arrays, insertion by shifting: no object per candidate, which matters where k is 32 (calibration
 * records, 1,000 per fit) rather than a prediction's 10.
 */
export function topActions(dist: ActionDistribution, k: number): Array<{ id: number; p: number }> {
  const { probs } = dist;
  const capacity = Math.max(0, k);
  const ids = new Int32Array(capacity);
  const ps = new Float64Array(capacity);
  let size = 0;
  for (let id = 0; id < probs.length && capacity > 0; id++) {
    const p = probs[id] as number;
    if (size === capacity && p <= (ps[capacity - 1] as number)) continue;
    // When full, the last (smallest) entry is the one dropped.
    let at = size < capacity ? size : capacity - 1;
    while (at > 0 && (ps[at - 1] as number) < p) {
      ps[at] = ps[at - 1] as number;
      ids[at] = ids[at - 1] as number;
      at--;
    }
    ps[at] = p;
    ids[at] = id;
    if (size < capacity) size += 1;
  }
  return Array.from({ length: size }, (_, i) => ({ id: ids[i] as number, p: ps[i] as number }));
}
