import type { TrailStore } from "../store/trail-store.ts";
import { parseReasons } from "./anomalies.ts";
import {
  EVENT_ONLY_COLUMNS,
  type EventSummary,
  round,
  SUMMARY_COLUMNS,
  type SummaryRow,
  scoreJoin,
  toSummary,
  withScores,
} from "./event-summary.ts";
import type { ReasonView } from "./model-service.ts";
import { QueryError } from "./query-error.ts";

/** Raw records above this are cut (CloudTrail records are usually < 10 KB; some carry huge policies). */
export const MAX_RAW_CHARS = 32_000;
export const MAX_CONTEXT_EVENTS = 25;

export interface EventExplanation {
  event: EventSummary;
  /** The CloudTrail record as delivered (parsed JSON), or its text cut at MAX_RAW_CHARS when longer. */
  raw: unknown;
  rawTruncated: boolean;
  score: number | null;
  surprisalBits: number | null;
  reasons: ReasonView[];
  tactic: string | null;
  technique: string | null;
  /** The same principal's events just before and after (oldest first). */
  before: EventSummary[];
  after: EventSummary[];
}

/** One event in full, why it scored as it did, and what the same principal did around it. */
export async function explainEvent(
  store: TrailStore,
  eventId: string,
  contextEvents: number,
  scores: boolean,
): Promise<EventExplanation> {
  const [row] = await store.rows<
    SummaryRow & {
      raw: string;
      surprisal_bits: number | null;
      reasons: string | null;
      tactic: string | null;
      technique: string | null;
    }
  >(
    `SELECT ${SUMMARY_COLUMNS}, e.raw, s.surprisal_bits, s.reasons, s.tactic, s.technique
     FROM events e ${scoreJoin(scores)}
     WHERE e.event_id = $1 LIMIT 1`,
    [eventId],
  );
  if (!row) {
    throw new QueryError(
      `no event with eventID ${JSON.stringify(eventId)} in the data: take IDs from lookup_events, list_anomalies or get_timeline`,
    );
  }
  const n = Math.max(0, Math.min(MAX_CONTEXT_EVENTS, Math.trunc(contextEvents)));
  const around = async (comparison: string, direction: "ASC" | "DESC") =>
    (
      await withScores(
        store,
        await store.rows<SummaryRow>(
          `SELECT ${EVENT_ONLY_COLUMNS} FROM events e
         WHERE e.principal_key = $1 AND (e.time ${comparison} make_timestamp($2 * 1000)
           OR (e.time = make_timestamp($2 * 1000) AND e.event_id ${comparison} $3))
         ORDER BY e.time ${direction}, e.event_id ${direction} LIMIT ${n}`,
          [row.principal_key, row.time_ms, row.event_id],
        ),
        scores,
      )
    ).map(toSummary);
  const before = n > 0 ? (await around("<", "DESC")).reverse() : [];
  const after = n > 0 ? await around(">", "ASC") : [];
  const rawTruncated = row.raw.length > MAX_RAW_CHARS;
  return {
    event: toSummary(row),
    raw: rawTruncated ? row.raw.slice(0, MAX_RAW_CHARS) : JSON.parse(row.raw),
    rawTruncated,
    score: row.score === null ? null : round(row.score, 4),
    surprisalBits: row.surprisal_bits === null ? null : round(row.surprisal_bits, 2),
    reasons: row.reasons ? parseReasons(row.reasons) : [],
    tactic: row.tactic,
    technique: row.technique,
    before,
    after,
  };
}
