import { type ContextTrie, INLINE_SLOTS } from "./context-trie.ts";

/**
 * Graphical Pitman-Yor back-off (Wood & Teh 2009, "A hierarchical nonparametric Bayesian approach to
 * statistical language model domain adaptation"), with the one-table-per-type approximation that turns
 * it into interpolated absolute discounting (Kneser-Ney style) at every node.
 *
 * Nodes form a 3 × 5 lattice: level (principal, peer group, everyone) × context position in the chain
 *   0: last 3 actions · 1: last 2 · 2: last action + side context · 3: last action · 4: no context.
 * A node's prediction is its discounted counts plus an escape mass spent on its base distribution; the
 * base mixes the same level with a shorter context and the parent level with the same context, so a new
 * principal falls back to its peers and a known one to its own shorter history. The everyone/no-context
 * node backs off to a uniform distribution over a universe of U possible actions, which is where the
 * explicit unseen-action mass comes from.
 */
export const LEVELS = 3;
export const POSITIONS = 5;
export const KINDS = LEVELS * POSITIONS;
export const LEVEL_NAMES = ["principal", "peer group", "everyone"] as const;
export const POSITION_NAMES = [
  "3 actions",
  "2 actions",
  "1 action + side context",
  "1 action",
  "none",
] as const;

/**
 * Repeats. CloudTrail is full of one call made many times in a row (polling loops, pagination, scripted
 * enumeration). An n-gram over action ids cannot say "the same as the last call" for a call it has not seen
 * repeat, and inside a run every context length holds the same run's counts, so the escape masses of the
 * lattice multiply into near-certainty that a polling loop never ends (and a stop is then a near-impossible
 * event). Two components handle repeats; counting is unchanged:
 * - after a single call, a copy component (a cache of size one, Kuhn & De Mori 1990) is mixed into the
 *   n-gram with weight λ;
 * - inside a run (the last call made at least twice in a row), whether it goes on is a Bernoulli whose
 *   probability (the run hazard) is a hierarchical Beta estimate over the run's nested contexts: the
 *   principal's last 3 calls (e.g. "X, X, X"), its "X, X" (all its runs of X), its peer group's and
 *   everyone's "X, X", then a Beta prior. Each level is an average with the level below (not a product of
 *   escapes) and adds only the observations the narrower level did not hold, so a long run counts once.
 *   The other actions share 1 − h in the n-gram's proportions (its mass on the run's call taken out).
 * λ, the Beta strengths and the prior mean are fitted on held-out predictions with the rest.
 */

/** Lattice kinds of the run contexts, narrowest first: principal 3 and 2 actions, peer and everyone 2. */
export const HAZARD_KINDS = [0, 1, 6, 11] as const;

/**
 * Layout of one row of held-out statistics: [count, total, types] per lattice node; the count of the last
 * call's action per node (filled inside a run); then [after a single call (2) / inside a run (1) / else 0,
 * the action repeats the last call (0/1)].
 */
export const LAST_AT = KINDS * 3;
export const REPEAT_AT = LAST_AT + KINDS;
export const REPEAT_FIELDS = 2;
export const ROW = REPEAT_AT + REPEAT_FIELDS;
export const AFTER_SINGLE = 2;
export const IN_RUN = 1;

/** About as many API actions as AWS has (IAM's service authorization reference lists ~17–20k). */
export const DEFAULT_UNIVERSE = 20_000;

export interface SmoothingParams {
  /** Absolute discount d in (0, 1) per node kind. */
  discount: Float64Array;
  /** Pitman-Yor strength θ ≥ 0 per node kind. */
  strength: Float64Array;
  /** Weight of the shorter context (vs the parent level) in the base, per node kind below everyone. */
  mix: Float64Array;
  /** Number of possible actions the uniform floor spreads over. */
  universe: number;
  /** Run hazard: Beta strength per level (HAZARD_KINDS order), then the prior's mean. */
  hazard: Float64Array;
  /** Weight λ of the copy component ("the same call again") after a single call. */
  copy: Float64Array;
}

export function kindOf(level: number, position: number): number {
  return level * POSITIONS + position;
}

export function defaultParams(discounts?: Float64Array): SmoothingParams {
  return {
    discount: discounts ? Float64Array.from(discounts) : new Float64Array(KINDS).fill(0.75),
    strength: new Float64Array(KINDS),
    mix: new Float64Array(KINDS).fill(0.5),
    universe: DEFAULT_UNIVERSE,
    // Until held-out data says otherwise: no copy component, and a uniform Beta(1, 1) prior on the hazard.
    hazard: Float64Array.of(1, 1, 1, 2, 0.5),
    copy: Float64Array.of(0),
  };
}

/**
 * Probability that a run goes on, from a row at `offset` (a prediction made inside a run): from the widest
 * run context to the narrowest, (continuations + strength × the estimate so far) / (opportunities +
 * strength), starting from the prior mean, each level counting only what the next narrower one did not.
 * Strictly inside (0, 1) for a mean inside it and positive strengths.
 */
export function repeatHazard(params: SmoothingParams, stats: Float64Array, offset: number): number {
  const h = params.hazard;
  const levels = HAZARD_KINDS.length;
  let p = h[levels] as number;
  for (let level = levels - 1; level >= 0; level--) {
    const kind = HAZARD_KINDS[level] as number;
    let total = stats[offset + kind * 3 + 1] as number;
    if (total === 0) continue;
    let count = stats[offset + LAST_AT + kind] as number;
    // The contexts are nested (each holds the narrower one's observations): a level contributes only what
    // the next present, narrower one did not see, so every observation counts once.
    for (let inner = level - 1; inner >= 0; inner--) {
      const innerKind = HAZARD_KINDS[inner] as number;
      const innerTotal = stats[offset + innerKind * 3 + 1] as number;
      if (innerTotal === 0) continue;
      total = Math.max(0, total - innerTotal);
      count = Math.max(0, Math.min(total, count - (stats[offset + LAST_AT + innerKind] as number)));
      break;
    }
    if (total === 0) continue;
    const strength = h[level] as number;
    p = (count + strength * p) / (total + strength);
  }
  return p;
}

/**
 * p(action) for one action from a row of statistics (ROW floats at `offset`: [count, total, types] × KINDS,
 * total 0 = node absent, then the repeat fields; see the layout above): the n-gram's back-off chain, with
 * the copy component after a single call and the run hazard inside a run. Used to fit hyperparameters
 * without touching the count store.
 */
export function scalarProbability(params: SmoothingParams, stats: Float64Array, offset: number): number {
  const chains = chainsNeeded(stats, offset);
  const q = chains & TRUE_CHAIN ? chainProbability(params, stats, offset, 0) : 0;
  const last = chains & RUN_CHAIN ? chainProbability(params, stats, offset, 1) : 0;
  return withRepeats(params, stats, offset, q, last);
}

/**
 * chainValues' result (node 0's value) with the lattice's values kept in locals instead of an array: a
 * node's value reaches the next through a register rather than a store and a reload, which kept the array
 * version at ~150–400 ns per call here, and this runs once per event a model learns. The same operations
 * in the same order as chainValues, so the same bits (tested). Written for the three levels of LEVELS.
 */
export function chainProbability(
  params: SmoothingParams,
  stats: Float64Array,
  offset: number,
  which: 0 | 1,
): number {
  const { mix } = params;
  const countAt = which === 0 ? offset : offset + LAST_AT;
  const countStride = which === 0 ? 3 : 1;
  let shorter2 = 0;
  let shorter1 = 0;
  let shorter0 = 0;
  for (let position = POSITIONS - 1; position >= 0; position--) {
    const noContext = position === POSITIONS - 1;
    const k2 = 2 * POSITIONS + position;
    const v2 = nodeValue(
      params,
      stats,
      offset,
      countAt + k2 * countStride,
      k2,
      noContext ? 1 / params.universe : shorter2,
    );
    const k1 = POSITIONS + position;
    const m1 = mix[k1] as number;
    const v1 = nodeValue(
      params,
      stats,
      offset,
      countAt + k1 * countStride,
      k1,
      noContext ? v2 : m1 * shorter1 + (1 - m1) * v2,
    );
    const m0 = mix[position] as number;
    const v0 = nodeValue(
      params,
      stats,
      offset,
      countAt + position * countStride,
      position,
      noContext ? v1 : m0 * shorter0 + (1 - m0) * v1,
    );
    shorter2 = v2;
    shorter1 = v1;
    shorter0 = v0;
  }
  return shorter0;
}

/** One node's value over its base (both chains' arithmetic): the base itself when the node is absent. */
function nodeValue(
  params: SmoothingParams,
  stats: Float64Array,
  offset: number,
  countIndex: number,
  kind: number,
  base: number,
): number {
  const at = offset + kind * 3;
  const total = stats[at + 1] as number;
  if (total === 0) return base;
  const d = params.discount[kind] as number;
  const theta = params.strength[kind] as number;
  const count = stats[countIndex] as number;
  const kept = count > d ? count - d : 0;
  return (kept + (theta + d * (stats[at + 2] as number)) * base) / (total + theta);
}

/** chainsNeeded bits: the true action's back-off chain, and the run's own call's. */
export const TRUE_CHAIN = 1;
export const RUN_CHAIN = 2;

/**
 * Which back-off chains a row's probability needs: the true action's, unless a run went on (then the
 * hazard alone decides); the run's call's, when a run ended (its mass is taken out of the n-gram's).
 */
export function chainsNeeded(stats: Float64Array, offset: number): number {
  const inRun = stats[offset + REPEAT_AT] === IN_RUN;
  const goesOn = stats[offset + REPEAT_AT + 1] === 1;
  return (inRun && goesOn ? 0 : TRUE_CHAIN) | (inRun && !goesOn ? RUN_CHAIN : 0);
}

/**
 * Combines a row's n-gram probability of the true action `q` and, inside a run that ended, of the run's
 * own call `last`, with the repeat components (see the layout above).
 */
export function withRepeats(
  params: SmoothingParams,
  stats: Float64Array,
  offset: number,
  q: number,
  last: number,
): number {
  const inRun = stats[offset + REPEAT_AT] === IN_RUN;
  return repeatsApplied(params, stats, offset, q, last, inRun ? repeatHazard(params, stats, offset) : 0);
}

/** withRepeats with the row's run hazard `h` already known (any value outside a run). */
export function repeatsApplied(
  params: SmoothingParams,
  stats: Float64Array,
  offset: number,
  q: number,
  last: number,
  h: number,
): number {
  const repeat = offset + REPEAT_AT;
  const mode = stats[repeat] as number;
  if (mode === AFTER_SINGLE) {
    const copy = params.copy[0] as number;
    return (1 - copy) * q + (stats[repeat + 1] === 1 ? copy : 0);
  }
  if (mode !== IN_RUN) return q;
  if (stats[repeat + 1] === 1) return h;
  return ((1 - h) * q) / Math.max(1e-300, 1 - last);
}

/**
 * Evaluation order of the lattice: position 4 → 0, within it level 2 → 0. A node's value depends only
 * on nodes earlier in this order (its shorter context and its parent owner's).
 */
export const CHAIN_ORDER = Int32Array.from({ length: KINDS }, (_, step) => {
  const position = POSITIONS - 1 - Math.floor(step / LEVELS);
  const level = LEVELS - 1 - (step % LEVELS);
  return level * POSITIONS + position;
});

/**
 * The back-off chain of a row at `offset` for the true action (`which` 0: counts at [count] of each node)
 * or the run's own call (1: counts at LAST_AT): node values into out[outAt + kind] from evaluation step
 * `fromStep` on (up to `toStep`), reading earlier nodes' values from `out` (so a caller that keeps them can
 * recompute only what a parameter change affects). Returns the value of the principal's longest context
 * (node 0) once every step is done.
 */
export function chainValues(
  params: SmoothingParams,
  stats: Float64Array,
  offset: number,
  which: 0 | 1,
  out: Float64Array,
  outAt: number,
  fromStep: number,
  toStep = KINDS,
): number {
  const { mix } = params;
  const countAt = which === 0 ? offset : offset + LAST_AT;
  const countStride = which === 0 ? 3 : 1;
  for (let step = fromStep; step < toStep; step++) {
    const kind = CHAIN_ORDER[step] as number;
    const topLevel = kind >= (LEVELS - 1) * POSITIONS;
    const noContext = kind % POSITIONS === POSITIONS - 1;
    let base: number;
    if (topLevel) {
      base = noContext ? 1 / params.universe : (out[outAt + kind + 1] as number);
    } else {
      const parent = out[outAt + kind + POSITIONS] as number;
      const m = mix[kind] as number;
      base = noContext ? parent : m * (out[outAt + kind + 1] as number) + (1 - m) * parent;
    }
    out[outAt + kind] = nodeValue(params, stats, offset, countAt + kind * countStride, kind, base);
  }
  return out[outAt] as number;
}

/** Reusable work buffers for dense predictions (one per node kind). */
export class DenseBuffers {
  vectors: Float64Array[] = [];
  /** Which buffer each kind's distribution lives in (empty nodes share their base's buffer). */
  owner = new Int32Array(KINDS);
  size = 0;

  /**
   * What the everyone/no-context buffer holds: its node's vector for these inputs (node, total, types,
   * vocabulary size, discount, strength, universe), and its floor; `rootNode` -1 when it holds nothing.
   * That node backs every prediction and is followed by nearly the whole vocabulary, so walking its
   * children (each a likely cache miss) was about 40% of a prediction on the synthetic million; its
   * counts change only when some context sees an action for the first time (KN continuation counts).
   */
  private rootNode = -1;
  private rootStore: ContextTrie | null = null;
  private readonly rootKey = new Float64Array(6);
  rootFloor = 0;

  ensure(size: number): void {
    // An empty vocabulary (a model that has seen nothing) still needs the buffers once.
    if (size <= this.size && this.vectors.length > 0) return;
    const capacity = Math.max(64, size * 2);
    this.vectors = Array.from({ length: KINDS }, () => new Float64Array(capacity));
    this.size = capacity;
    this.forgetRoot();
  }

  /** Whether the everyone/no-context buffer already holds this node's vector for these inputs. */
  holdsRoot(store: ContextTrie, node: number, key: Float64Array): boolean {
    if (node !== this.rootNode || store !== this.rootStore) return false;
    for (let i = 0; i < key.length; i++) if (key[i] !== this.rootKey[i]) return false;
    return true;
  }

  rememberRoot(store: ContextTrie, node: number, key: Float64Array, floor: number): void {
    this.rootNode = node;
    this.rootStore = store;
    this.rootKey.set(key);
    this.rootFloor = floor;
  }

  forgetRoot(): void {
    this.rootNode = -1;
    this.rootStore = null;
  }
}

/** The everyone/no-context node's kind (the lattice's last, evaluated first). */
const EVERYONE_ROOT = KINDS - 1;
const rootKeyScratch = new Float64Array(6);

/**
 * Fills the everyone/no-context buffer (discounted counts over the uniform floor), unless it holds this
 * node's vector for the same inputs already; returns its floor (weight on the uniform base).
 */
function everyoneRoot(
  params: SmoothingParams,
  store: ContextTrie,
  node: number,
  vocabSize: number,
  buffers: DenseBuffers,
): number {
  const total = node < 0 ? 0 : store.total(node);
  const d = params.discount[EVERYONE_ROOT] as number;
  const theta = params.strength[EVERYONE_ROOT] as number;
  const key = rootKeyScratch;
  key[0] = total;
  key[1] = total === 0 ? 0 : store.types(node);
  key[2] = vocabSize;
  key[3] = d;
  key[4] = theta;
  key[5] = params.universe;
  if (buffers.holdsRoot(store, node, key)) return buffers.rootFloor;
  const out = buffers.vectors[EVERYONE_ROOT] as Float64Array;
  const uniform = 1 / params.universe;
  out.fill(uniform, 0, vocabSize);
  const floor = total > 0 ? uniform * discountOnto(out, store, node, total, d, theta, vocabSize) : uniform;
  buffers.rememberRoot(store, node, key, floor);
  return floor;
}

/**
 * A node's prediction over the base already in `out`: the base scaled by the node's escape mass, plus each
 * child's discounted count. Returns the escape mass (the base's share, for the floor).
 */
function discountOnto(
  out: Float64Array,
  store: ContextTrie,
  node: number,
  total: number,
  d: number,
  theta: number,
  vocabSize: number,
): number {
  const escapeMass = (theta + d * store.types(node)) / (total + theta);
  for (let a = 0; a < vocabSize; a++) out[a] = (out[a] as number) * escapeMass;
  const scale = 1 / (total + theta);
  for (let slot = 0; slot < INLINE_SLOTS; slot++) {
    const leaf = store.inlineLeafCount(node, slot);
    if (leaf === 0) continue;
    const a = store.inlineSymbol(node, slot);
    if (a < vocabSize) out[a] = (out[a] as number) + (leaf - d) * scale;
  }
  for (let c = store.firstChild(node); c >= 0; c = store.nextSibling(c)) {
    const a = store.symbolOf(c);
    if (a < vocabSize) out[a] = (out[a] as number) + (store.count(c) - d) * scale;
  }
  return escapeMass;
}

/**
 * The full distribution over the known vocabulary (ids 0..vocabSize-1) for the given lattice nodes
 * (-1 = absent), written into a fresh array. Returns the probabilities and the mass left for actions
 * never seen (spread over universe − vocabSize of them).
 */
export function denseDistribution(
  params: SmoothingParams,
  store: ContextTrie,
  nodes: Int32Array,
  vocabSize: number,
  buffers: DenseBuffers,
  /** Return a view of the work buffer (valid until the next call) instead of a copy. */
  borrow = false,
): { probs: Float64Array; unseenMass: number } {
  buffers.ensure(vocabSize);
  const { discount, strength, mix } = params;
  const { vectors, owner } = buffers;
  const floor = new Float64Array(KINDS); // weight on the uniform base per kind, to get the unseen mass
  owner[EVERYONE_ROOT] = EVERYONE_ROOT;
  floor[EVERYONE_ROOT] = everyoneRoot(params, store, nodes[EVERYONE_ROOT] as number, vocabSize, buffers);
  for (let position = POSITIONS - 1; position >= 0; position--) {
    for (let level = LEVELS - 1; level >= 0; level--) {
      const kind = level * POSITIONS + position;
      if (kind === EVERYONE_ROOT) continue; // filled above
      const node = nodes[kind] as number;
      const total = node < 0 ? 0 : store.total(node);
      const out = vectors[kind] as Float64Array;
      let baseFloor: number;
      if (level === LEVELS - 1 || position === POSITIONS - 1) {
        const from = level === LEVELS - 1 ? kind + 1 : kind + POSITIONS;
        baseFloor = floor[from] as number;
        if (total === 0) {
          // An empty node is its base: share the base's buffer instead of copying it.
          owner[kind] = owner[from] as number;
          floor[kind] = baseFloor;
          continue;
        }
        owner[kind] = kind;
        out.set((vectors[owner[from] as number] as Float64Array).subarray(0, vocabSize));
      } else {
        owner[kind] = kind;
        const m = mix[kind] as number;
        const shorter = vectors[owner[kind + 1] as number] as Float64Array;
        const parent = vectors[owner[kind + POSITIONS] as number] as Float64Array;
        for (let a = 0; a < vocabSize; a++) {
          out[a] = m * (shorter[a] as number) + (1 - m) * (parent[a] as number);
        }
        baseFloor = m * (floor[kind + 1] as number) + (1 - m) * (floor[kind + POSITIONS] as number);
      }
      if (total === 0) {
        floor[kind] = baseFloor;
        continue;
      }
      const escapeMass = discountOnto(
        out,
        store,
        node,
        total,
        discount[kind] as number,
        strength[kind] as number,
        vocabSize,
      );
      floor[kind] = baseFloor * escapeMass;
    }
  }
  const result = vectors[owner[0] as number] as Float64Array;
  // A borrowed view may be changed in place (repeat components), so it must not stay remembered. (Only a
  // principal without state gets the root vector itself, and then no repeat applies: a safety net.)
  if (borrow && owner[0] === EVERYONE_ROOT) buffers.forgetRoot();
  const probs = borrow ? result.subarray(0, vocabSize) : result.slice(0, vocabSize);
  const unseenMass = Math.max(0, (floor[0] as number) * (params.universe - vocabSize));
  return { probs, unseenMass };
}
