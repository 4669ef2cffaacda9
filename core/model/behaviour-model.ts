import type { Principal, TrailEvent } from "../event/types.ts";
import { type ActionDistribution, topActions } from "./distribution.ts";
import { Interner } from "./intern.ts";
import { NoveltyTracker, type Owners } from "./novelty.ts";
import type { OnlineTuner } from "./online-tuning.ts";
import { RateTracker } from "./rates.ts";
import { SequenceModel } from "./sequence-model.ts";
import type { SessionState } from "./session-context.ts";
import { startsNewSession } from "./sessions.ts";
import { ROW, scalarProbability } from "./smoothing.ts";
import { SurpriseTracker } from "./surprise.ts";
import { ActivityProfiles } from "./timing.ts";
import { isAccessDenied, networksOf, serviceOfAction, uaFamily } from "./tokens.ts";
import type { TrackerQuery } from "./tracker-evidence.ts";
import { feedTrackers, type Trackers } from "./trackers.ts";

export interface Prediction {
  action: string;
  p: number;
}

export interface SessionPeak {
  time: number;
  sessionKey: string | null;
  bits: number;
  action: string;
  reason: string;
}

/** Facts about how the model was fitted, kept with it for reports and for `trailcast eval`. */
export interface FitInfo {
  events: number;
  heldOutForSmoothing: number;
  heldOutForCalibration: number;
  smoothingTuned: boolean;
  heldOutLossBefore: number;
  heldOutLossAfter: number;
  temperature: number;
  anomalyScaleBits: number;
  fitSeconds: number;
  /** Whether the trackers learned on a worker thread (see tracker-thread.ts); the model is the same. */
  trackerThread?: boolean;
  /**
   * Seconds per phase: ordering (sort, duplicates, interning, peer profiles), the sequence pass, the
   * smoothing search, the trackers (the wait for the worker, or their in-thread pass), the calibration
   * pass (scored events, temperature and anomaly scale fitted after it).
   */
  phaseSeconds?: Record<string, number>;
}

/** An event's address, region and client strings with their novelty token ids. */
interface Origin {
  sourceIp: string;
  region: string;
  userAgent: string;
  narrow: number;
  wide: number;
  regionId: number;
  client: number;
}

/** The novelty tokens of an event, in NOVELTY_KINDS order. */
export function noveltyTokens(event: TrailEvent): string[] {
  const networks = networksOf(event.sourceIp);
  return [
    event.action,
    serviceOfAction(event.action),
    networks.narrow,
    networks.wide,
    event.region || "(no region)",
    uaFamily(event.userAgent),
  ];
}

/** What the trackers judge an event by (see trackerEvidence), given the owners to judge it under. */
export function trackerQueryOf(event: TrailEvent, owners: Owners): TrackerQuery {
  return {
    owners,
    tokens: noveltyTokens(event),
    time: event.time,
    denied: isAccessDenied(event.errorCode),
    action: event.action,
  };
}

export function accountOf(event: TrailEvent): string {
  return event.principal.accountId ?? event.recipientAccountId ?? "?";
}

/**
 * Everything Trailcast knows about behaviour: next-action statistics, activity rhythm, first-seen sets
 * and call/error rates. `observe` every event in time order; predictions and scores only read state.
 */
export class BehaviourModel {
  readonly sequence: SequenceModel;
  /** Not readonly only so a fit can install trackers fed on another thread (installTrackers). */
  timing: ActivityProfiles;
  novelty: NoveltyTracker;
  rates: RateTracker;
  readonly accounts: Interner;
  readonly surprise: SurpriseTracker;
  /** Evidence (bits) that maps to anomaly score 0.5: the 99th percentile of held-out training evidence. */
  anomalyScaleBits = 16;
  fitInfo: FitInfo | null = null;
  /** Keeps smoothing fitted on the stream's own recent predictions; set by fitModel once fitting is done. */
  tuner: OnlineTuner | null = null;
  private readonly tokenScratch = new Int32Array(6);
  private readonly inputScratch: { account: number; tokens: Int32Array } = {
    account: 0,
    tokens: this.tokenScratch,
  };
  private readonly statsScratch = new Float64Array(ROW);
  private readonly ownerScratch: [number, number, number] = [0, 0, 0];
  private readonly serviceTokens: number[] = [];
  private readonly accountByPrincipal: number[] = [];
  private readonly networkTokens = new Map<string, [number, number]>();
  /** Per principal id: where its last event came from, with the token ids (see tokenIds). */
  private readonly lastOrigin: Origin[] = [];
  /** Per principal id: the strongest scored evidence of its current session. */
  readonly peaks = new Map<number, SessionPeak>();
  eventsSeen = 0;

  constructor(
    parts: {
      sequence?: SequenceModel;
      timing?: ActivityProfiles;
      novelty?: NoveltyTracker;
      rates?: RateTracker;
      accounts?: Interner;
      surprise?: SurpriseTracker;
    } = {},
  ) {
    this.sequence = parts.sequence ?? new SequenceModel();
    this.timing = parts.timing ?? new ActivityProfiles();
    // Novelty shares the sequence model's action ids: one interning per event, not two.
    this.novelty =
      parts.novelty ??
      new NoveltyTracker({
        tokens: [this.sequence.actions, ...Array.from({ length: 5 }, () => new Interner())],
      });
    this.rates = parts.rates ?? new RateTracker();
    this.accounts = parts.accounts ?? new Interner();
    this.surprise = parts.surprise ?? new SurpriseTracker();
  }

  /** Numeric owners of an event for the novelty tracker (-1 for ones never seen; read-only). */
  ownersOf(event: TrailEvent): Owners {
    const principalId = this.sequence.principals.idOf(event.principal.key);
    return [
      principalId,
      this.sequence.peerIdOf(event.principal, principalId),
      this.accounts.idOf(accountOf(event)),
    ];
  }

  peerKeyOf(principal: Principal): string | null {
    const id = this.sequence.peerIdOf(principal, this.sequence.principals.idOf(principal.key));
    return id < 0 ? null : this.sequence.peers.nameOf(id);
  }

  /** Interned novelty tokens of an event; action ids are the sequence model's, the rest are cached. */
  private tokenIds(event: TrailEvent, action: number, principalId: number): Int32Array {
    const ids = this.tokenScratch;
    const tokens = this.novelty.tokens;
    // tokens[0] is the sequence model's action interner (shared), so its id is the novelty token.
    ids[0] = action;
    let service = this.serviceTokens[action];
    if (service === undefined) {
      service = (tokens[1] as Interner).intern(serviceOfAction(event.action));
      this.serviceTokens[action] = service;
    }
    ids[1] = service;
    // A principal mostly calls from where it called last: same address, region and client strings (the
    // parser shares their instances, so comparing is cheap), so their ids are remembered per principal.
    let origin = this.lastOrigin[principalId];
    if (
      origin === undefined ||
      origin.sourceIp !== event.sourceIp ||
      origin.region !== event.region ||
      origin.userAgent !== event.userAgent
    ) {
      origin = this.originIds(event);
      this.lastOrigin[principalId] = origin;
    }
    ids[2] = origin.narrow;
    ids[3] = origin.wide;
    ids[4] = origin.regionId;
    ids[5] = origin.client;
    return ids;
  }

  private originIds(event: TrailEvent): Origin {
    const tokens = this.novelty.tokens;
    let networks = this.networkTokens.get(event.sourceIp);
    if (!networks) {
      const { narrow, wide } = networksOf(event.sourceIp);
      networks = [(tokens[2] as Interner).intern(narrow), (tokens[3] as Interner).intern(wide)];
      if (this.networkTokens.size > 100_000) this.networkTokens.clear();
      this.networkTokens.set(event.sourceIp, networks);
    }
    return {
      sourceIp: event.sourceIp,
      region: event.region,
      userAgent: event.userAgent,
      narrow: networks[0],
      wide: networks[1],
      regionId: (tokens[4] as Interner).intern(event.region || "(no region)"),
      client: (tokens[5] as Interner).intern(uaFamily(event.userAgent)),
    };
  }

  /**
   * The account id token of an event. A principal with an account in its identity keeps it, so that id is
   * remembered per principal: interning the account string of every event costs a string hash each.
   */
  private accountIdOf(event: TrailEvent, principalId: number): number {
    const known = this.accountByPrincipal[principalId];
    if (known !== undefined) return known;
    const id = this.accounts.intern(accountOf(event));
    if (event.principal.accountId) this.accountByPrincipal[principalId] = id;
    return id;
  }

  /** The strongest scored event so far in the principal's current session, if any. */
  sessionPeak(
    event: TrailEvent,
    principalId = this.sequence.principals.idOf(event.principal.key),
  ): SessionPeak | undefined {
    const peak = principalId < 0 ? undefined : this.peaks.get(principalId);
    return peak && this.inPeakSession(peak, event) ? peak : undefined;
  }

  private inPeakSession(peak: SessionPeak, event: TrailEvent): boolean {
    return event.time >= peak.time && !startsNewSession(peak, event, this.sequence.idleGapMs);
  }

  /**
   * Learns from one event; call in time order (online refits are just more calls). `scored` is the
   * event's own anomaly evidence when it was scored first, remembered for the rest of its session.
   */
  observe(
    event: TrailEvent,
    scored?: { bits: number; reason: string },
    knownPrincipal = -1,
    knownAction = -1,
  ): void {
    const { sequence } = this;
    const principalId =
      knownPrincipal >= 0
        ? sequence.ensurePeer(knownPrincipal, event.principal)
        : sequence.principalId(event.principal);
    const action = knownAction >= 0 ? knownAction : sequence.actionIdOf(event);
    const { tuner } = this;
    if (tuner?.takeSample()) {
      const query = { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
      sequence.nodeStats(query, action, tuner.buffer, tuner.offset);
      tuner.record();
      sequence.params = tuner.maybeRefit(sequence.params);
    }
    this.learnSequence(event, principalId, action);
    this.notePeak(event, principalId, scored);
    this.learnTrackers(event, principalId, action);
  }

  /**
   * The part of observe() that depends on the order of actions: next-action statistics and the surprise
   * they give. `principalId` must have its peer group (ensurePeer).
   */
  learnSequence(event: TrailEvent, principalId: number, action: number): void {
    const p = this.sequence.observe(event, principalId, action);
    this.surprise.observe(principalId, -Math.log2(p));
    this.eventsSeen += 1;
  }

  /**
   * The part of observe() that remembers each session's strongest evidence. Nothing else in observe()
   * reads it, so a fit may note a run of events' peaks after learning them (fit.ts).
   */
  notePeak(event: TrailEvent, principalId: number, scored?: { bits: number; reason: string }): void {
    // One map lookup per event (this runs for every event a fit or a walk learns).
    const known = this.peaks.get(principalId);
    const peak = known && this.inPeakSession(known, event) ? known : undefined;
    const keep = peak && (!scored || peak.bits >= scored.bits);
    const next = known ?? { time: 0, sessionKey: null, bits: 0, action: "", reason: "" };
    if (!known) this.peaks.set(principalId, next);
    if (!keep) {
      next.bits = scored?.bits ?? 0;
      next.action = event.action;
      next.reason = scored?.reason ?? "";
    }
    next.time = event.time;
    next.sessionKey = event.sessionKey;
  }

  /**
   * The rest of observe(): activity rhythm, first-seen sets, call and error rates. None of it reads the
   * sequence statistics, so a fit may feed these trackers in a pass of their own (see tracker-thread.ts).
   */
  learnTrackers(event: TrailEvent, principalId: number, action: number): void {
    const inputs = this.trackerInputs(event, principalId, action);
    const owners = this.ownerScratch;
    owners[0] = principalId;
    owners[1] = this.sequence.peerOf[principalId] as number;
    owners[2] = inputs.account;
    feedTrackers(this, owners, inputs.tokens, event.time, isAccessDenied(event.errorCode), event.action);
  }

  /**
   * The interned ids the trackers need from an event: its account and its novelty tokens (NOVELTY_KINDS
   * order). Interning in event order gives the ids learnTrackers would; the result is reused scratch.
   */
  trackerInputs(
    event: TrailEvent,
    principalId: number,
    action: number,
  ): { account: number; tokens: Int32Array } {
    const inputs = this.inputScratch;
    inputs.account = this.accountIdOf(event, principalId);
    inputs.tokens = this.tokenIds(event, action, principalId);
    return inputs;
  }

  /**
   * What the trackers judge an event by (see trackerEvidence), with the owners it is learned under. Their
   * ids are interned here: a never-seen owner's new id holds no counts yet, so it is judged exactly as an
   * unknown one (-1, what scoreEvent's ownersOf gives) would be; likewise a token interned but not yet
   * observed. So a fit's worker, which only has interned ids, judges as scoreEvent does.
   */
  trackerQuery(event: TrailEvent, principalId: number, action: number): TrackerQuery {
    const { account } = this.trackerInputs(event, principalId, action);
    return trackerQueryOf(event, [principalId, this.sequence.peerOf[principalId] as number, account]);
  }

  /** Replaces the trackers with ones fed elsewhere (a fit's worker thread) over this model's ids. */
  installTrackers(trackers: Trackers): void {
    this.timing = trackers.timing;
    this.novelty = trackers.novelty;
    this.rates = trackers.rates;
  }

  /** Calibrated distribution of the principal's next action at `time` (its own session state by default). */
  distribution(principal: Principal, time: number, sessionKey?: string | null, state?: SessionState) {
    return this.sequence.distribution({ principal, time, sessionKey: sessionKey ?? null }, state);
  }

  /**
   * The k most likely next actions of `principal`, probabilities summing to ≤ 1. With `history` (the
   * principal's recent events, any order) the context comes from it instead of the model's own state;
   * `at` defaults to just after the latest known event, i.e. "what next in this session".
   */
  predictNext(principal: Principal, k: number, history?: readonly TrailEvent[], at?: number): Prediction[] {
    const { sequence } = this;
    const principalId = sequence.principals.idOf(principal.key);
    const state = history ? sequence.stateFromHistory(principal, history) : undefined;
    const current = state ?? sequence.stateAt(principalId, at ?? Number.POSITIVE_INFINITY);
    const time = at ?? current?.lastTime ?? 0;
    const dist = this.distribution(principal, time, current?.lastSessionKey ?? null, current);
    return this.top(dist, k);
  }

  /** Uncalibrated probability of the event's action before learning it (what surprise is tracked on). */
  rawProbability(event: TrailEvent): number {
    const { sequence, statsScratch } = this;
    const query = { principal: event.principal, time: event.time, sessionKey: event.sessionKey };
    sequence.nodeStats(query, sequence.actions.idOf(event.action), statsScratch, 0);
    return scalarProbability(sequence.params, statsScratch, 0);
  }

  top(dist: ActionDistribution, k: number): Prediction[] {
    return topActions(dist, k).map(({ id, p }) => ({ action: this.sequence.actions.nameOf(id), p }));
  }

  /** When the principal is next likely active (hours, best first) and its usual gap between events. */
  nextActive(principal: Principal, fromMs: number, limit = 3) {
    const { principalId, peerId } = this.ids(principal);
    return {
      hours: this.timing.nextActive(principalId, peerId, fromMs, limit),
      medianGapMs: this.timing.medianGapMs(principalId),
    };
  }

  /** How unusual activity at `timeMs` is for the principal (bits above a flat weekly rhythm). */
  activityUnusualness(principal: Principal, timeMs: number) {
    const { principalId, peerId } = this.ids(principal);
    return this.timing.unusualness(principalId, peerId, timeMs);
  }

  private ids(principal: Principal): { principalId: number; peerId: number } {
    const principalId = this.sequence.principals.idOf(principal.key);
    return { principalId, peerId: this.sequence.peerIdOf(principal, principalId) };
  }
}
