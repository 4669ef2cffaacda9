import type { Principal, TrailEvent } from "../event/types.ts";
import { ActionIds } from "./action-ids.ts";
import { ContextTrie, type TrieSnapshot } from "./context-trie.ts";
import type { ActionDistribution } from "./distribution.ts";
import { applyTemperature, temperedProbabilityOf } from "./distribution.ts";
import { Interner } from "./intern.ts";
import { ensureLength, PairTable } from "./pair-table.ts";
import {
  newSessionState,
  type Query,
  type ResolvedContext,
  resolveContextInto,
  type SessionState,
  sideCode,
} from "./session-context.ts";
import { DEFAULT_IDLE_GAP_MS } from "./sessions.ts";
import {
  AFTER_SINGLE,
  DenseBuffers,
  defaultParams,
  denseDistribution,
  HAZARD_KINDS,
  IN_RUN,
  KINDS,
  kindOf,
  LAST_AT,
  LEVELS,
  POSITIONS,
  REPEAT_AT,
  ROW,
  repeatHazard,
  type SmoothingParams,
  scalarProbability,
} from "./smoothing.ts";

/** Symbols above every action id: session start, then decorations. */
const BOS = 1 << 24;
const DECORATION = BOS + 1;
/**
 * Node kinds followed by decorations (side children) as well as actions: the principal's last-action
 * contexts (level 0, position 3). Their nodes keep a side slot for their first decoration (ContextTrie).
 */
const DECORATED_KINDS: readonly number[] = [kindOf(0, 3)];
/** Most ints the root tables may hold in all (16 MB): past it, further roots use the hash table alone. */
const ROOT_TABLE_BUDGET = 4_000_000;

/**
 * Repeat mode of a prediction (smoothing.ts): IN_RUN when the session's last call was made at least twice
 * in a row, AFTER_SINGLE after a single call, 0 at a session start or for a late event.
 */
function repeatMode(mode: ResolvedContext["mode"], run: number): number {
  if (mode !== "continue") return 0;
  return run >= 2 ? IN_RUN : run === 1 ? AFTER_SINGLE : 0;
}

/** Peer group key for a principal seen for the first time online (fit assigns clusters to known ones). */
export function fallbackPeerKey(principal: Principal): string {
  return principal.roleArn ? `role:${principal.roleArn}` : `${principal.type}:${principal.accountId ?? "?"}`;
}

/**
 * Variable-order next-action statistics per principal, peer group and everyone, updated online.
 * Lattice positions (see smoothing.ts): 0 = last 3 actions, 1 = last 2, 2 = last action + side context
 * (previous call's error/readOnly/client, or time of day at a session start), 3 = last action, 4 = none.
 * A session start is itself a symbol, so "first action of a session" and "second after X" are contexts.
 * Peer and everyone levels keep positions 1, 3 and 4 only: the long and decorated contexts matter for a
 * principal's own habits, and skipping them there saves a third of the updates at no measured cost.
 */
export class SequenceModel {
  readonly actions: Interner;
  private readonly actionIds: ActionIds;
  readonly principals: Interner;
  readonly peers: Interner;
  /** principal id → peer group id. */
  readonly peerOf: number[];
  readonly sessions = new Map<number, SessionState>();
  /**
   * A second session per principal for events older than its latest one (a backfill: older logs read
   * after newer ones). Such a stream keeps its own context instead of losing it; only events out of order
   * within the backfill too fall back to context-free counts.
   */
  readonly backfills = new Map<number, SessionState>();
  readonly trie: ContextTrie;
  params: SmoothingParams;
  /** Calibration: probabilities are raised to 1/temperature and renormalized (temperature scaling). */
  temperature = 1;
  idleGapMs = DEFAULT_IDLE_GAP_MS;
  /** Peer groups decided at fit time (clusters); other principals get fallbackPeerKey. */
  assignedPeers = new Map<string, string>();
  /** Observed principals per peer group id, and in all. */
  private readonly members: number[] = [];
  private observedPrincipals = 0;
  private readonly buffers = new DenseBuffers();
  private readonly nodes = new Int32Array(KINDS);
  private readonly stats = new Float64Array(ROW);
  private readonly runScratch = new Float64Array(ROW);
  /** Repeat mode of the last located query (smoothing.ts AFTER_SINGLE / IN_RUN, else 0) and its last call. */
  private locatedMode = 0;
  private locatedLast = -1;
  private readonly context: ResolvedContext = { mode: "fresh", decoration: 0 };
  /**
   * Per level, per owner id: action id → child of the owner's root + 1 (see recordAtRoot). Indexed by the
   * dense owner ids, not by root node ids: an array indexed by those (scattered up to the node count)
   * falls into dictionary mode, a hash lookup per access.
   */
  private readonly rootTables: Int32Array[][] = [[], [], []];
  private rootTableInts = 0;
  /** Root node per owner id, per level (everyone uses owner 0). */
  private readonly rootCache: number[][] = [[], [], []];

  constructor(
    parts: {
      actions?: Interner;
      principals?: Interner;
      peers?: Interner;
      peerOf?: number[];
      /** A persisted trie (ContextTrie.snapshot), restored with this model's side kinds. */
      trie?: TrieSnapshot;
      params?: SmoothingParams;
      /** Sizes the trie up front (see below). */
      expectedEvents?: number;
    } = {},
  ) {
    this.actions = parts.actions ?? new Interner();
    this.actionIds = new ActionIds(this.actions);
    this.principals = parts.principals ?? new Interner();
    this.peers = parts.peers ?? new Interner();
    this.peerOf = parts.peerOf ?? [];
    for (const peer of this.peerOf) {
      if (peer === undefined) continue;
      this.members[peer] = (this.members[peer] ?? 0) + 1;
      this.observedPrincipals += 1;
    }
    const expected = Math.min(parts.expectedEvents ?? 0, 8_000_000);
    // Sized for the smaller tries seen, grown beyond (by half for nodes, doubling for the table). Tries
    // take 0.12 nodes (64 bytes each) and 0.10 table entries per event on the generated sample, 0.30 and
    // 0.14 on the synthetic bench (stop 17, five inline children). Erring low matters: typed arrays are
    // memory outside V8's heap, and allocating more than ~64 MB of it starts a full marking of the
    // caller's heap, which after reading a million events is gigabytes (a first fit on the sample took
    // ~9.5 s with an earlier 0.75 / 0.3 sizing, ~6.3 s with a smaller one, as the marker no longer ran
    // alongside it).
    this.trie = parts.trie
      ? ContextTrie.restore(parts.trie, DECORATED_KINDS)
      : new ContextTrie(
          expected > 0
            ? {
                edges: new PairTable(Math.ceil(expected * 0.1)),
                capacity: Math.ceil(expected * 0.2),
                sideKinds: DECORATED_KINDS,
              }
            : { sideKinds: DECORATED_KINDS },
        );
    this.params = parts.params ?? defaultParams();
  }

  /** The action id of an event, interning it (cached by the strings the parser produced). */
  actionIdOf(event: TrailEvent): number {
    return this.actionIds.idOf(event);
  }

  /** Interns the principal (assigning its peer group the first time). */
  principalId(principal: Principal): number {
    return this.ensurePeer(this.principals.intern(principal.key), principal);
  }

  /** Assigns an interned principal's peer group on its first observation (fit interns ahead of that). */
  ensurePeer(id: number, principal: Principal): number {
    if (this.peerOf[id] === undefined) {
      const peer = this.peers.intern(this.assignedPeers.get(principal.key) ?? fallbackPeerKey(principal));
      this.peerOf[id] = peer;
      this.members[peer] = (this.members[peer] ?? 0) + 1;
      this.observedPrincipals += 1;
    }
    return id;
  }

  /** Peer group id of a principal, known or not (-1 when its group has never been seen). */
  peerIdOf(principal: Principal, principalId: number): number {
    const known = principalId >= 0 ? this.peerOf[principalId] : undefined;
    if (known !== undefined) return known;
    return this.peers.idOf(this.assignedPeers.get(principal.key) ?? fallbackPeerKey(principal));
  }

  /** Node for an owner's empty context, cached per owner (creating it if asked). */
  private ownerRoot(level: number, owner: number, create: boolean): number {
    if (owner < 0) return -1;
    const cache = this.rootCache[level] as number[];
    const known = cache[owner];
    if (known !== undefined) return known;
    const symbol = level === 2 ? 2 : owner * 3 + level;
    const kind = level * POSITIONS + 4;
    const root = create ? this.trie.childOrCreate(0, symbol, kind) : this.trie.child(0, symbol);
    if (root >= 0) cache[owner] = root;
    return root;
  }

  private owners(principalId: number, peerId: number, level: number): number {
    return level === 0 ? principalId : level === 1 ? peerId : 0;
  }

  /**
   * Learns from one event (call in time order; late events only update context-free counts). Returns the
   * probability the model gave the event just before learning it (uncalibrated, NaN for late events),
   * read from the same counts the update touches, so it costs no extra lookups.
   */
  observe(event: TrailEvent, knownPrincipal = -1, knownAction = -1): number {
    const { trie, stats } = this;
    // Callers that interned already (fit, BehaviourModel) pass ids: hashing keys twice is measurable.
    const principalId =
      knownPrincipal >= 0
        ? this.ensurePeer(knownPrincipal, event.principal)
        : this.principalId(event.principal);
    const peerId = this.peerOf[principalId] as number;
    const a = knownAction >= 0 ? knownAction : this.actionIdOf(event);
    // slotFor, with one map lookup for an event in order (the common case) instead of two.
    const main = this.sessions.get(principalId);
    const backfill = main !== undefined && event.time < main.lastTime;
    let state = backfill ? this.backfills.get(principalId) : main;
    const context = resolveContextInto(state, event.time, event.sessionKey, this.idleGapMs, this.context);
    if (!state) {
      state = newSessionState();
      (backfill ? this.backfills : this.sessions).set(principalId, state);
    }
    const contexts = state.contexts;
    for (let i = 0; i < ROW; i++) stats[i] = 0; // a loop rather than fill(): no builtin call per event
    // After a single call the copy component joins the n-gram; inside a run (the last call made at least
    // twice in a row) the run hazard decides whether it goes on (see smoothing.ts). Counting is unchanged.
    const mode = repeatMode(context.mode, state.run);
    stats[REPEAT_AT] = mode;
    stats[REPEAT_AT + 1] = mode !== 0 && a === state.lastAction ? 1 : 0;
    const continues = mode === IN_RUN && a === state.lastAction;
    // Inside a run the counts of the run's action are needed too (for the hazard, and to take it out of
    // the n-gram's distribution); a continuation's are its own, noted by the update below.
    if (mode === IN_RUN && !continues) {
      this.readLastCounts(principalId, peerId, contexts, context.decoration, state.lastAction);
    }
    for (let level = 0; level < LEVELS; level++) {
      const base = level * POSITIONS;
      const owner = this.owners(principalId, peerId, level);
      const root = this.ownerRoot(level, owner, true);
      if (context.mode === "late") {
        // No previous action is known: the event counts as a context of its own (see below).
        trie.record(root, a, base + 3);
        continue;
      }
      const at = level * 3;
      const fresh = context.mode === "fresh";
      const one = fresh ? trie.childOrCreate(root, BOS, base + 3) : (contexts[at] as number);
      const two = fresh ? -1 : (contexts[at + 1] as number);
      const three = fresh ? -1 : (contexts[at + 2] as number);
      if (level === 0) {
        const decorated = trie.sideChildOrCreate(one, DECORATION + context.decoration, base + 2);
        this.noteLeafBefore(base + 2, decorated, trie.recordLeaf(decorated, a));
        if (three >= 0) this.noteLeafBefore(base, three, trie.recordLeaf(three, a));
        contexts[at + 2] = two >= 0 ? this.noteBefore(base + 1, two, trie.record(two, a, base)) : -1;
      } else {
        // The peer and everyone levels use no 3-action context: what follows their 2 actions is a leaf.
        if (two >= 0) this.noteLeafBefore(base + 1, two, trie.recordLeaf(two, a));
        contexts[at + 2] = -1;
      }
      const afterOne = trie.record(one, a, base + 1);
      contexts[at + 1] = this.noteBefore(base + 3, one, afterOne);
      // Kneser-Ney continuation counts: the no-context node counts in how many distinct one-action
      // contexts (previous action or session start) an action has followed, not how often it happened,
      // so a call repeated in long bursts does not crowd out everything else where the context is new.
      const weight = trie.count(afterOne) === 1 ? 1 : 0;
      contexts[at] = this.noteBefore(
        base + 4,
        root,
        this.recordAtRoot(level, owner, root, a, weight),
        weight,
      );
    }
    if (context.mode === "late") return Number.NaN;
    if (continues) for (let kind = 0; kind < KINDS; kind++) stats[LAST_AT + kind] = stats[kind * 3] as number;
    const p = scalarProbability(this.params, stats, 0);
    state.run = context.mode === "continue" && a === state.lastAction ? state.run + 1 : 1;
    state.lastAction = a;
    state.lastTime = event.time;
    state.lastSessionKey = event.sessionKey;
    state.lastSide = sideCode(event);
    return p;
  }

  /** Counts of the run's action `last` in the session's current contexts, by lookups (see LAST_AT). */
  private readLastCounts(
    principalId: number,
    peerId: number,
    contexts: Int32Array,
    decoration: number,
    last: number,
  ): void {
    const { trie, stats } = this;
    for (let level = 0; level < LEVELS; level++) {
      const base = LAST_AT + level * POSITIONS;
      const at = level * 3;
      const one = contexts[at] as number;
      stats[base + 4] = trie.countOf(
        this.ownerRoot(level, this.owners(principalId, peerId, level), false),
        last,
      );
      stats[base + 3] = trie.countOf(one, last);
      stats[base + 1] = trie.countOf(contexts[at + 1] as number, last);
      if (level === 0) {
        stats[base + 2] = trie.countOf(trie.sideChild(one, DECORATION + decoration), last);
        stats[base] = trie.countOf(contexts[at + 2] as number, last);
      }
    }
  }

  /**
   * Applies the repeat components to a dense n-gram distribution of the last located query (in place;
   * same as scalarProbability): after a single call the copy component with weight λ; inside a run the
   * run goes on with the hazard h and the other actions (and the unseen mass) share 1 − h in the n-gram's
   * proportions. Returns the new unseen mass.
   */
  private applyRepeats(probs: Float64Array, unseenMass: number): number {
    const last = this.locatedLast;
    const known = last >= 0 && last < probs.length;
    if (this.locatedMode === AFTER_SINGLE) {
      const copy = this.params.copy[0] as number;
      if (copy === 0) return unseenMass;
      for (let a = 0; a < probs.length; a++) probs[a] = (probs[a] as number) * (1 - copy);
      if (known) probs[last] = (probs[last] as number) + copy;
      return unseenMass * (1 - copy);
    }
    if (this.locatedMode !== IN_RUN) return unseenMass;
    const row = this.runScratch;
    for (const kind of HAZARD_KINDS) {
      const node = this.nodes[kind] as number;
      row[kind * 3 + 1] = node >= 0 ? this.trie.total(node) : 0;
      row[LAST_AT + kind] = node >= 0 ? this.trie.countOf(node, last) : 0;
    }
    const h = repeatHazard(this.params, row, 0);
    const keep = (1 - h) / Math.max(1e-300, 1 - (known ? (probs[last] as number) : 0));
    for (let a = 0; a < probs.length; a++) probs[a] = (probs[a] as number) * keep;
    if (known) probs[last] = h;
    return unseenMass * keep;
  }

  /**
   * record(root, a) through a direct table per owner root (action id → child + 1). An owner's root is
   * followed by most of the vocabulary, so those edges live in the hash table, where their lookups were
   * over half of all table probes and each a likely cache miss; the tables are small (one int per action)
   * and stay cached. Derived data, rebuilt as it is used (not persisted), within ROOT_TABLE_BUDGET ints.
   */
  private recordAtRoot(level: number, owner: number, root: number, a: number, weight: number): number {
    const { trie } = this;
    const tables = this.rootTables[level] as Int32Array[];
    let table = tables[owner];
    if (table !== undefined && a < table.length) {
      const known = table[a] as number;
      if (known !== 0) return trie.recordChild(root, known - 1, weight);
    }
    const child = trie.record(root, a, level * POSITIONS + 3, weight);
    if (table === undefined || a >= table.length) {
      const length = Math.max(64, 2 ** Math.ceil(Math.log2(a + 1)));
      const added = length - (table?.length ?? 0);
      if (this.rootTableInts + added > ROOT_TABLE_BUDGET) return child;
      this.rootTableInts += added;
      table = ensureLength(table ?? new Int32Array(0), length);
      tables[owner] = table;
    }
    table[a] = child + 1;
    return child;
  }

  /**
   * Whether a level adds information beyond the principal's own counts. A peer group whose only member
   * is the principal (and "everyone" while there is only one principal) holds exactly the same data;
   * backing off to it would discount the same counts twice, so such a level is skipped.
   */
  private levelInformative(level: number, principalId: number, peerId: number): boolean {
    if (level === 0) return true;
    const self = principalId >= 0 ? 1 : 0;
    if (level === 1) return peerId >= 0 && (this.members[peerId] ?? 0) - self >= 1;
    return this.observedPrincipals - self >= 1;
  }

  /** The main session map, or the backfill one for an event older than the principal's latest. */
  private slotFor(principalId: number, time: number): Map<number, SessionState> {
    const main = this.sessions.get(principalId);
    return main && time < main.lastTime ? this.backfills : this.sessions;
  }

  /** The session state a query at `time` continues (main or backfill). */
  stateAt(principalId: number, time: number): SessionState | undefined {
    return principalId < 0 ? undefined : this.slotFor(principalId, time).get(principalId);
  }

  /** noteBefore() for a leaf follower of `node` whose count is now `count` (recordLeaf adds 1). */
  private noteLeafBefore(kind: number, node: number, count: number): void {
    this.noteCounts(kind, node, count - 1, 1);
  }

  /** Stores a node's [count, total, types] as they were before `child` was just given `weight`. */
  private noteBefore(kind: number, node: number, child: number, weight = 1): number {
    this.noteCounts(kind, node, this.trie.count(child) - weight, weight);
    return child;
  }

  /** [count before, total, types] of a node whose follower (counted `before` times) just got `weight`. */
  private noteCounts(kind: number, node: number, before: number, weight: number): void {
    const at = kind * 3;
    this.stats[at] = before;
    this.stats[at + 1] = this.trie.total(node) - weight;
    this.stats[at + 2] = this.trie.types(node) - (before === 0 ? 1 : 0);
  }

  /** Fills this.nodes with the lattice for a query (-1 = absent); lookups only. */
  private locate(query: Query, state?: SessionState): Int32Array {
    const { trie, nodes } = this;
    const principalId = this.principals.idOf(query.principal.key);
    const peerId = this.peerIdOf(query.principal, principalId);
    const current = state ?? this.stateAt(principalId, query.time);
    const context = resolveContextInto(current, query.time, query.sessionKey, this.idleGapMs, this.context);
    this.locatedMode = current ? repeatMode(context.mode, current.run) : 0;
    this.locatedLast = current ? current.lastAction : -1;
    for (let level = 0; level < LEVELS; level++) {
      const base = level * POSITIONS;
      const root = this.levelInformative(level, principalId, peerId)
        ? this.ownerRoot(level, this.owners(principalId, peerId, level), false)
        : -1;
      nodes[base + 4] = root;
      if (context.mode === "late" || root < 0 || !current) {
        const one = context.mode === "late" ? -1 : trie.child(root, BOS);
        nodes[base + 3] = one;
        nodes[base + 2] = level === 0 ? trie.sideChild(one, DECORATION + context.decoration) : -1;
        nodes[base + 1] = nodes[base] = -1;
        continue;
      }
      const at = level * 3;
      const fresh = context.mode === "fresh";
      const one = fresh ? trie.child(root, BOS) : (current.contexts[at] as number);
      nodes[base + 3] = one;
      nodes[base + 2] = level === 0 ? trie.sideChild(one, DECORATION + context.decoration) : -1;
      nodes[base + 1] = fresh ? -1 : (current.contexts[at + 1] as number);
      nodes[base] = fresh || level > 0 ? -1 : (current.contexts[at + 2] as number);
    }
    return nodes;
  }

  /**
   * Session state rebuilt from an explicit history (the principal's events, any order), walking the
   * trie without changing it; for callers that do not stream events through the model.
   */
  stateFromHistory(principal: Principal, history: readonly TrailEvent[]): SessionState | undefined {
    const { trie } = this;
    const principalId = this.principals.idOf(principal.key);
    const peerId = this.peerIdOf(principal, principalId);
    let state: SessionState | undefined;
    const context: ResolvedContext = { mode: "fresh", decoration: 0 };
    for (const event of [...history].sort((x, y) => x.time - y.time)) {
      resolveContextInto(state, event.time, event.sessionKey, this.idleGapMs, context);
      if (context.mode === "late") continue;
      state ??= newSessionState();
      const a = this.actions.idOf(event.action);
      const repeats = context.mode === "continue" && a >= 0 && a === state.lastAction;
      for (let level = 0; level < LEVELS; level++) {
        const at = level * 3;
        const root = this.ownerRoot(level, this.owners(principalId, peerId, level), false);
        const fresh = context.mode === "fresh";
        const one = fresh ? trie.child(root, BOS) : (state.contexts[at] as number);
        const two = fresh ? -1 : (state.contexts[at + 1] as number);
        state.contexts[at + 2] = a < 0 || level > 0 ? -1 : trie.child(two, a);
        state.contexts[at + 1] = a < 0 ? -1 : trie.child(one, a);
        state.contexts[at] = a < 0 ? -1 : trie.child(root, a);
      }
      state.run = repeats ? state.run + 1 : 1;
      state.lastAction = a;
      state.lastTime = event.time;
      state.lastSessionKey = event.sessionKey;
      state.lastSide = sideCode(event);
    }
    return state;
  }

  /**
   * One row of statistics (smoothing.ts ROW) for the lattice of a query and the true action, written at
   * `offset`: per node [count of action, node total, node types], then the run fields; the raw material for
   * fitting hyperparameters on held-out events.
   */
  nodeStats(query: Query, actionId: number, out: Float64Array, offset: number): void {
    const nodes = this.locate(query);
    for (let kind = 0; kind < KINDS; kind++) {
      const node = nodes[kind] as number;
      const at = offset + kind * 3;
      out[at] = node >= 0 && actionId >= 0 ? this.trie.countOf(node, actionId) : 0;
      out[at + 1] = node >= 0 ? this.trie.total(node) : 0;
      out[at + 2] = node >= 0 ? this.trie.types(node) : 0;
    }
    const mode = this.locatedMode;
    const last = this.locatedLast;
    out[offset + REPEAT_AT] = mode;
    out[offset + REPEAT_AT + 1] = mode !== 0 && actionId >= 0 && actionId === last ? 1 : 0;
    for (let kind = 0; kind < KINDS; kind++) {
      const node = nodes[kind] as number;
      out[offset + LAST_AT + kind] = mode === IN_RUN && node >= 0 ? this.trie.countOf(node, last) : 0;
    }
  }

  /** Uncalibrated distribution (what hyperparameters are fitted on). */
  rawDistribution(query: Query, state?: SessionState): ActionDistribution {
    const nodes = this.locate(query, state);
    const vocabSize = this.actions.size;
    const { probs, unseenMass } = denseDistribution(this.params, this.trie, nodes, vocabSize, this.buffers);
    return {
      probs,
      unseenMass: this.applyRepeats(probs, unseenMass),
      unseenCount: this.params.universe - vocabSize,
    };
  }

  /** Calibrated probability of one action for a query (the distribution is not copied or tempered). */
  probability(query: Query, actionId: number): number {
    const nodes = this.locate(query);
    const vocabSize = this.actions.size;
    const { probs, unseenMass } = denseDistribution(
      this.params,
      this.trie,
      nodes,
      vocabSize,
      this.buffers,
      true,
    );
    const dist = {
      probs,
      unseenMass: this.applyRepeats(probs, unseenMass),
      unseenCount: this.params.universe - vocabSize,
    };
    return temperedProbabilityOf(dist, actionId, this.temperature);
  }

  /** Calibrated next-action distribution for a query. */
  distribution(query: Query, state?: SessionState): ActionDistribution {
    return applyTemperature(this.rawDistribution(query, state), this.temperature);
  }
}
