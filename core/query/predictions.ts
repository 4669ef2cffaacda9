import { apiCallEvent } from "../event/api-call.ts";
import type { Principal, TrailEvent } from "../event/types.ts";
import { round } from "./event-summary.ts";
import type { BehaviourService } from "./model-service.ts";
import type { PrincipalHistories } from "./principal-history.ts";
import { QueryError } from "./query-error.ts";

export const MAX_K = 25;
/** Recent events that form the prediction context (the model reads at most its last three actions). */
const CONTEXT_EVENTS = 3;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9_]+$/;

export interface NextActionPrediction {
  action: string;
  probability: number;
  /** Evidence from the data: how often this principal called it, and right after the context's last action. */
  evidence: { principalCalls: number; afterLastAction: number; principalsCalling: number };
}

export interface NextActionsResult {
  principal: string;
  /** The actions the prediction conditions on, oldest first (stored or hypothetical). */
  context: string[];
  hypothetical: boolean;
  at: string;
  predictions: NextActionPrediction[];
  /** Probability left for every action not listed (including never-seen ones). */
  otherProbability: number;
  peerGroup: string | null;
}

/**
 * The principal's k most likely next actions with the evidence behind each. Without `recentActions` the
 * context is the principal's latest stored events; with them, a hypothetical session of those actions
 * ending at `at` ("what would it do after ListBuckets, GetBucketPolicy?").
 */
export async function predictNextActions(
  histories: PrincipalHistories,
  service: BehaviourService,
  principal: Principal,
  options: { k: number; recentActions?: string[]; at?: number; now: number },
): Promise<NextActionsResult> {
  const k = Math.max(1, Math.min(MAX_K, Math.trunc(options.k)));
  const hypothetical = options.recentActions !== undefined && options.recentActions.length > 0;
  const stored = await histories.of(principal.key);
  let history: TrailEvent[] = stored.latest;
  if (hypothetical) {
    const actions = options.recentActions as string[];
    for (const action of actions) {
      if (!ACTION.test(action)) {
        throw new QueryError(
          `recentActions must be IAM-style actions like "s3:ListBuckets"; got ${JSON.stringify(action.slice(0, 80))}`,
        );
      }
    }
    const end = options.at ?? options.now;
    history = actions.map((action, i) =>
      syntheticEvent(principal, action, end - (actions.length - i) * 1000),
    );
  }
  const context = history.slice(-CONTEXT_EVENTS).map((event) => event.action);
  // Without an explicit time, predict "what next in this session": just after the context's last event.
  const at = options.at ?? (hypothetical ? options.now : (history[history.length - 1]?.time ?? options.now));
  const predictions = service.predictNext(principal, k, hypothetical ? history : undefined, at);
  const spread = await histories.principalsCalling();
  const last = context[context.length - 1] ?? null;
  const listed = predictions.reduce((sum, p) => sum + p.probability, 0);
  return {
    principal: principal.key,
    context,
    hypothetical,
    at: new Date(at).toISOString(),
    predictions: predictions.map((p) => ({
      action: p.action,
      probability: round(p.probability, 4),
      evidence: {
        principalCalls: stored.calls.get(p.action) ?? 0,
        afterLastAction: last === null ? 0 : (stored.transitions.get(`${last}\u0000${p.action}`) ?? 0),
        principalsCalling: spread.get(p.action) ?? 0,
      },
    })),
    otherProbability: round(Math.max(0, 1 - listed), 4),
    peerGroup: service.peerGroup(principal),
  };
}

function syntheticEvent(principal: Principal, action: string, time: number): TrailEvent {
  return apiCallEvent(principal, action, time, { eventId: `hypothetical-${time}` });
}
