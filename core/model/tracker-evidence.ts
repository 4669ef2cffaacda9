import type { Reason } from "./anomaly.ts";
import type { NoveltyKind, NoveltyTracker, Owners, Scope } from "./novelty.ts";
import type { Trackers } from "./trackers.ts";

/*
 * The trackers' half of an anomaly score (anomaly.ts puts the halves together): first-seen signals, bursts,
 * spikes and the unusual hour, judged from the trackers alone. A module of its own, free of the sequence
 * model, because a fit's tracker worker judges its calibration sample with it (tracker-thread.ts).
 */

/** Reasons below this many bits are not shown (they are still counted in the evidence). */
export const SHOWN_BITS = 1;

const KIND_LABEL: Record<NoveltyKind, string> = {
  action: "action",
  service: "service",
  network: "source network",
  wideNetwork: "wider source network",
  region: "region",
  client: "client (user agent family)",
};

function newBits(novelty: NoveltyTracker, scope: Scope, owner: number, kind: NoveltyKind, value: string) {
  const seen = novelty.lookup(scope, owner, kind, value);
  const bits = seen.count > 0 || seen.total === 0 ? 0 : -Math.log2(seen.newProbability);
  return { bits, isNew: seen.count === 0 && seen.total > 0, seen };
}

/**
 * What the trackers need to judge an event: its owners as scoring sees them (ids, -1 when never seen),
 * novelty tokens (NOVELTY_KINDS order), time, whether it was denied, and its action.
 */
export interface TrackerQuery {
  owners: Owners;
  tokens: readonly string[];
  time: number;
  denied: boolean;
  action: string;
}

/**
 * The part of a score the trackers give, in the order reasons are listed: first-seen signals, bursts and
 * spikes (`reasons`), then the unusual hour; `routine` is how often the principal called the action before
 * (it softens the sensitive-API reason). Plain data: a fit's worker thread computes it for the events it
 * calibrates on (tracker-thread.ts).
 */
export interface TrackerEvidence {
  reasons: Reason[];
  unusualTime: Reason | null;
  routine: number;
}

export function trackerEvidence(trackers: Trackers, query: TrackerQuery): TrackerEvidence {
  const { novelty } = trackers;
  const [principal, peer, account] = query.owners;
  const [action, service, network, wideNetwork, region, client] = query.tokens as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const reasons: Reason[] = [];
  const actionNew = newBits(novelty, "principal", principal, "action", action);
  if (actionNew.isNew) {
    const peerNew = newBits(novelty, "peer", peer, "action", action);
    const peers = peerNew.isNew ? "; its peer group never called it either" : "";
    reasons.push({
      kind: "first-seen-action",
      detail: `first time this principal called ${action}${peers}`,
      bits: peerNew.bits,
    });
  }
  const serviceNew = newBits(novelty, "principal", principal, "service", service);
  if (serviceNew.isNew) {
    const accountNew = newBits(novelty, "account", account, "service", service);
    reasons.push({
      kind: "first-seen-service",
      detail: `first use of ${service} by this principal${accountNew.isNew ? " (and by this account)" : ""}`,
      bits: accountNew.bits,
    });
  }
  const networkReason = noveltyReason(novelty, [principal, account], "network", network, wideNetwork);
  if (networkReason) reasons.push(networkReason);
  for (const [kind, value] of [
    ["region", region],
    ["client", client],
  ] as const) {
    const reason = noveltyReason(novelty, [principal, account], kind, value);
    if (reason) reasons.push(reason);
  }

  const { denied } = query;
  const rates = trackers.rates.view(principal, query.time, denied, query.action);
  // Bursts count only beyond twice the principal's usual peak: bursty principals (scanners) stay quiet.
  if (denied && rates.deniedBits >= SHOWN_BITS && rates.deniedCount > 2 * rates.typicalDenied) {
    const unknownNetwork = networkReason?.detail.includes("this account")
      ? " from a network never seen for this account"
      : "";
    reasons.push({
      kind: "error-burst",
      detail: `${rates.deniedCount} AccessDenied in 2 min across ${rates.deniedDistinctActions} API(s)${unknownNetwork} (this principal's bursts: usually up to ${rates.typicalDenied})`,
      bits: rates.deniedBits,
    });
  }
  if (rates.windowBits >= SHOWN_BITS && rates.windowCount > 2 * rates.typicalWindow) {
    reasons.push({
      kind: "rate-spike",
      detail: `${rates.windowCount} calls in 5 min (usually up to ${rates.typicalWindow})`,
      bits: rates.windowBits,
    });
  }

  const time = trackers.timing.unusualness(principal, peer, query.time);
  const unusualTime: Reason | null =
    time.bits >= SHOWN_BITS
      ? {
          kind: "unusual-time",
          detail: `active at ${weekHour(query.time)} UTC, an hour this principal is rarely active (p=${formatP(time.probability)} per hour-of-week)`,
          bits: Math.min(time.bits, 8),
        }
      : null;
  return { reasons, unusualTime, routine: actionNew.seen.count };
}

/** First-seen evidence for one kind at principal and account scope (wide network softens a new narrow one). */
function noveltyReason(
  novelty: NoveltyTracker,
  [principal, account]: [number, number],
  kind: NoveltyKind,
  value: string,
  wideValue?: string,
): Reason | undefined {
  const mine = newBits(novelty, "principal", principal, kind, value);
  if (!mine.isNew) return undefined;
  const wideKind: NoveltyKind = wideValue === undefined ? kind : "wideNetwork";
  const ours = newBits(novelty, "account", account, wideKind, wideValue ?? value);
  const wideSeen =
    wideValue !== undefined && !newBits(novelty, "principal", principal, "wideNetwork", wideValue).isNew;
  const bits = mine.bits * (wideSeen ? 0.5 : 1) + ours.bits;
  const where = ours.isNew ? "this principal or this account" : "this principal";
  const reasonKind =
    kind === "network" ? "first-seen-network" : kind === "region" ? "first-seen-region" : "first-seen-client";
  const usual = kind === "network" ? [] : novelty.usual("principal", principal, kind);
  const usually = usual.length > 0 ? ` (usually ${usual.join(", ")})` : "";
  return { kind: reasonKind, detail: `${KIND_LABEL[kind]} ${value} never seen for ${where}${usually}`, bits };
}

export function formatP(p: number): string {
  if (p >= 0.01) return `${(p * 100).toFixed(1)}%`;
  return p.toExponential(1);
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
function weekHour(timeMs: number): string {
  const date = new Date(timeMs);
  return `${DAYS[(date.getUTCDay() + 6) % 7]} ${String(date.getUTCHours()).padStart(2, "0")}:00`;
}
