import type { TrailEvent } from "../event/types.ts";
import type { ActionDistribution } from "../model/distribution.ts";
import { Interner } from "../model/intern.ts";
import type { Query } from "../model/session-context.ts";
import type { NextActionPredictor } from "./predictor.ts";

/**
 * Baselines, all smoothed the same way so log-loss compares like with like: Witten-Bell interpolation
 * p(a) = (c(a) + T·base(a)) / (N + T), T = distinct actions seen in the context, ending in a uniform
 * base over the same universe of U possible actions as the model. The unseen-action mass is whatever
 * that uniform base keeps for actions outside the vocabulary.
 */
class Counts {
  readonly byAction = new Map<number, number>();
  total = 0;

  add(action: number): void {
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
    this.total += 1;
  }
}

/** base ← (counts + T·base) / (N + T), in place; the unseen mass follows the same weights. */
function interpolate(counts: Counts | undefined, dist: ActionDistribution): void {
  if (!counts || counts.total === 0) return;
  const types = counts.byAction.size;
  const scale = 1 / (counts.total + types);
  const { probs } = dist;
  for (let a = 0; a < probs.length; a++) probs[a] = (probs[a] as number) * types * scale;
  for (const [a, c] of counts.byAction) probs[a] = (probs[a] as number) + c * scale;
  dist.unseenMass *= types * scale;
}

abstract class Baseline implements NextActionPredictor {
  abstract readonly name: string;
  readonly vocabulary = new Interner();
  protected readonly global = new Counts();

  constructor(protected readonly universe: number) {}

  protected uniform(): ActionDistribution {
    const size = this.vocabulary.size;
    return {
      probs: new Float64Array(size).fill(1 / this.universe),
      unseenMass: (this.universe - size) / this.universe,
      unseenCount: this.universe - size,
    };
  }

  protected globalDistribution(): ActionDistribution {
    const dist = this.uniform();
    interpolate(this.global, dist);
    return dist;
  }

  abstract predict(query: Query): ActionDistribution;

  observe(event: TrailEvent): void {
    this.global.add(this.vocabulary.intern(event.action));
  }
}

/** How often each action happens, over everyone. */
export class GlobalFrequency extends Baseline {
  readonly name = "global frequency";

  predict(): ActionDistribution {
    return this.globalDistribution();
  }
}

/** How often each action happens for this principal, backed off to everyone. */
export class PrincipalFrequency extends Baseline {
  readonly name = "per-principal frequency";
  private readonly byPrincipal = new Map<string, Counts>();

  predict(query: Query): ActionDistribution {
    const dist = this.globalDistribution();
    interpolate(this.byPrincipal.get(query.principal.key), dist);
    return dist;
  }

  override observe(event: TrailEvent): void {
    super.observe(event);
    let counts = this.byPrincipal.get(event.principal.key);
    if (!counts) {
      counts = new Counts();
      this.byPrincipal.set(event.principal.key, counts);
    }
    counts.add(this.vocabulary.idOf(event.action));
  }
}

/**
 * First-order Markov chain per principal: p(a | principal, previous action), backed off to everyone's
 * p(a | previous action), then to global frequency. "Previous" is the principal's last event, however old.
 */
export class MarkovPerPrincipal extends Baseline {
  readonly name = "first-order Markov";
  private readonly previous = new Map<string, number>();
  private readonly transitions = new Map<string, Counts>();

  private countsFor(key: string, create: boolean): Counts | undefined {
    let counts = this.transitions.get(key);
    if (!counts && create) {
      counts = new Counts();
      this.transitions.set(key, counts);
    }
    return counts;
  }

  predict(query: Query): ActionDistribution {
    const dist = this.globalDistribution();
    const previous = this.previous.get(query.principal.key);
    if (previous === undefined) return dist;
    interpolate(this.countsFor(`*\u0000${previous}`, false), dist);
    interpolate(this.countsFor(`${query.principal.key}\u0000${previous}`, false), dist);
    return dist;
  }

  override observe(event: TrailEvent): void {
    super.observe(event);
    const action = this.vocabulary.idOf(event.action);
    const key = event.principal.key;
    const previous = this.previous.get(key);
    if (previous !== undefined) {
      this.countsFor(`*\u0000${previous}`, true)?.add(action);
      this.countsFor(`${key}\u0000${previous}`, true)?.add(action);
    }
    this.previous.set(key, action);
  }
}

export function baselines(universe: number): NextActionPredictor[] {
  return [new GlobalFrequency(universe), new PrincipalFrequency(universe), new MarkovPerPrincipal(universe)];
}
