import type { Principal, TrailEvent } from "../event/types.ts";

/**
 * Peer groups for back-off. Assumed roles group by role (every session of a role is a peer). Other
 * principals (IAM users, root, services, federated users) are clustered per account and identity type by
 * what they do: greedy leader clustering on the Hellinger affinity (cosine of square-rooted action
 * frequencies), busiest principals first so clusters are seeded by well-measured behaviour.
 */
export const DEFAULT_AFFINITY = 0.5;

/** What one principal did in the training data: action id → count. */
export interface ActionProfile {
  principal: Principal;
  counts: Map<number, number>;
  total: number;
}

function affinity(a: Map<number, number>, aTotal: number, b: Map<number, number>, bTotal: number): number {
  let dot = 0;
  for (const [action, count] of a) {
    const other = b.get(action);
    if (other !== undefined) dot += Math.sqrt(count * other);
  }
  return aTotal === 0 || bTotal === 0 ? 0 : dot / Math.sqrt(aTotal * bTotal);
}

/** Peer group key per principal key, from per-principal action profiles. */
export function clusterPeers(
  profiles: readonly ActionProfile[],
  threshold = DEFAULT_AFFINITY,
): Map<string, string> {
  const assigned = new Map<string, string>();
  const byGroup = new Map<string, ActionProfile[]>();
  for (const profile of profiles) {
    const p = profile.principal;
    if (p.roleArn) {
      assigned.set(p.key, `role:${p.roleArn}`);
      continue;
    }
    const group = `${p.type}:${p.accountId ?? "?"}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), profile]);
  }
  for (const [group, members] of byGroup) {
    const ordered = [...members].sort(
      (a, b) => b.total - a.total || (a.principal.key < b.principal.key ? -1 : 1),
    );
    const clusters: Array<{ id: string; centroid: Map<number, number>; total: number }> = [];
    for (const profile of ordered) {
      let best: (typeof clusters)[number] | undefined;
      let bestAffinity = threshold;
      for (const cluster of clusters) {
        const a = affinity(profile.counts, profile.total, cluster.centroid, cluster.total);
        if (a >= bestAffinity) {
          best = cluster;
          bestAffinity = a;
        }
      }
      if (!best) {
        best = { id: `cluster:${group}#${clusters.length}`, centroid: new Map(), total: 0 };
        clusters.push(best);
      }
      // Centroid = pooled frequencies, each member weighted equally so a busy one does not drown the rest.
      for (const [action, count] of profile.counts) {
        best.centroid.set(action, (best.centroid.get(action) ?? 0) + count / profile.total);
      }
      best.total += 1;
      assigned.set(profile.principal.key, best.id);
    }
  }
  return assigned;
}

/** Convenience for callers holding events: profiles built here, then clustered. */
export function assignPeerGroups(
  events: readonly TrailEvent[],
  threshold = DEFAULT_AFFINITY,
): Map<string, string> {
  const profiles = new Map<string, ActionProfile>();
  const actions = new Map<string, number>();
  for (const event of events) {
    let profile = profiles.get(event.principal.key);
    if (!profile) {
      profile = { principal: event.principal, counts: new Map(), total: 0 };
      profiles.set(event.principal.key, profile);
    }
    let action = actions.get(event.action);
    if (action === undefined) {
      action = actions.size;
      actions.set(event.action, action);
    }
    profile.counts.set(action, (profile.counts.get(action) ?? 0) + 1);
    profile.total += 1;
  }
  return clusterPeers([...profiles.values()], threshold);
}
