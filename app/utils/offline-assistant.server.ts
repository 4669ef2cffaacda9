import type { ActivityWindow } from "../../core/query/activity-window.ts";
import type { Anomaly } from "../../core/query/anomalies.ts";
import type { DataStatus } from "../../core/query/data-status.ts";
import type { EventSummary } from "../../core/query/event-summary.ts";
import type { NextActionsResult } from "../../core/query/predictions.ts";
import type { PrincipalProfile } from "../../core/query/principal-profile.ts";
import type { PrincipalSummary } from "../../core/query/principals.ts";
import type { AgentEvent } from "./agent-events.ts";
import type { RawToolResult } from "./mcp.server.ts";

export interface OfflineContext {
  call: (name: string, args: Record<string, unknown>, signal?: AbortSignal) => Promise<RawToolResult>;
  emit: (event: AgentEvent) => void;
  signal: AbortSignal;
}

export type OfflineIntent = "next" | "anomalies" | "summary" | "around" | "help";

/** Which common question this is, from keywords (no language model offline). */
export function classify(question: string, hasPrincipal: boolean, hasTime: boolean): OfflineIntent {
  const q = question.toLowerCase();
  if (/\b(anomal\w*|suspicious|unusual|odd|attack\w*|threats?|alerts?)\b/.test(q)) return "anomalies";
  if (hasPrincipal && /\b(next|predict\w*|will|likely|forecast|expect\w*)\b/.test(q)) return "next";
  if (hasTime && /\b(around|happen\w*|at|during|near)\b/.test(q)) return "around";
  if (hasPrincipal) return "summary";
  if (hasTime) return "around";
  return "help";
}

const TIME = /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?\s*(?:z|utc)?\b/i;
const AGO = /\b(?:last|past)\s+(\d+)\s*(minute|hour|day|week)s?\b/i;

/** A point in time named in the question (ISO date/time, UTC), or a "last N hours" window. */
export function timeIn(question: string): { at?: number; lastMs?: number } {
  const match = TIME.exec(question);
  if (match) {
    const at = Date.parse(`${match[1]}T${match[2] ?? "12:00"}${match[2]?.length === 5 ? ":00" : ""}Z`);
    if (Number.isFinite(at)) return { at };
  }
  const ago = AGO.exec(question);
  if (ago) {
    const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[
      ago[2]?.toLowerCase() as "hour"
    ];
    return { lastMs: Number(ago[1]) * unit };
  }
  return {};
}

/** The principal the question names: the longest display name or key found in it (case-insensitive). */
export function principalIn(question: string, principals: readonly { principal: string; name: string }[]) {
  const q = question.toLowerCase();
  let best: { principal: string; name: string; length: number } | null = null;
  for (const p of principals) {
    const names = [p.principal, p.name, p.name.split("/").at(-1) ?? p.name, p.name.split("@")[0] ?? p.name];
    for (const candidate of names) {
      const c = candidate.toLowerCase();
      if (c.length < 3) continue;
      const index = q.indexOf(c);
      const bounded =
        index >= 0 && !/[a-z0-9]/.test(q[index - 1] ?? " ") && !/[a-z0-9]/.test(q[index + c.length] ?? " ");
      if (bounded && (!best || c.length > best.length))
        best = { principal: p.principal, name: p.name, length: c.length };
    }
  }
  return best;
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
const when = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

/**
 * The offline assistant: answers the common questions by calling the same MCP tools the agent would and
 * rendering their results as text (eventIDs included, so the chat links them to the timeline).
 */
export async function answerOffline(question: string, context: OfflineContext): Promise<void> {
  const { emit, signal } = context;
  let n = 0;
  const tool = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const id = `offline-${++n}`;
    emit({ type: "tool_start", id, name, input: args });
    const result = await context.call(name, args, signal);
    emit({ type: "tool_end", id, name, ok: result.ok, summary: result.text.slice(0, 160) });
    if (!result.ok) throw new Error(result.text);
    return result.content as T;
  };
  const say = (text: string) => emit({ type: "text", text });

  try {
    const { principals } = await tool<{ principals: PrincipalSummary[] }>("list_principals", {
      limit: 200,
      sortBy: "events",
    });
    const who = principalIn(question, principals);
    const time = timeIn(question);
    const intent = classify(question, who !== null, time.at !== undefined || time.lastMs !== undefined);

    if (intent === "next" && who) {
      const next = await tool<NextActionsResult>("predict_next_actions", { principal: who.principal, k: 5 });
      const window = await tool<ActivityWindow>("predict_activity_window", {
        principal: who.principal,
        hours: 3,
      });
      say(
        `Most likely next actions of ${who.name} (after ${next.context.join(" → ") || "its latest events"}):\n`,
      );
      for (const p of next.predictions) say(`• ${p.action}: ${pct(p.probability)}\n`);
      say(`• anything else: ${pct(next.otherProbability)}\n`);
      say(`Last seen ${when(window.lastSeen)}`);
      if (window.expectedNextEvent)
        say(`; a continuation of that session would be expected around ${when(window.expectedNextEvent)}`);
      const hours = window.likelyHours
        .map((h) => `${when(h.hourStart).slice(0, 16)} (${pct(h.probability)})`)
        .join(", ");
      say(hours ? `. Likely active hours: ${hours}.` : ".");
      return;
    }
    if (intent === "anomalies") {
      const args: Record<string, unknown> = { minScore: 0.5, limit: 10 };
      if (who) args.principal = who.principal;
      if (time.at !== undefined) {
        args.start = new Date(time.at - 12 * 3_600_000).toISOString();
        args.end = new Date(time.at + 12 * 3_600_000).toISOString();
      } else if (time.lastMs !== undefined) args.start = `${Math.round(time.lastMs / 60_000)} minutes ago`;
      else args.start = new Date(0).toISOString();
      const result = await tool<{ anomalies: Anomaly[]; total: number }>("list_anomalies", args);
      if (result.anomalies.length === 0) {
        say("No events scoring 50% or more in that window.");
        return;
      }
      say(
        `${result.total} event(s) score 50% or more${who ? ` for ${who.name}` : ""}; the top ${result.anomalies.length}:\n`,
      );
      for (const a of result.anomalies) {
        const tactic = a.tactic ? ` [${a.tactic}]` : "";
        say(
          `• ${pct(a.score)} ${a.event.action} by ${a.event.principalName} at ${when(a.event.time)}${tactic}, event ${a.event.eventId}\n  ${a.reasons[0]?.detail ?? ""}\n`,
        );
      }
      return;
    }
    if (intent === "around") {
      const args: Record<string, unknown> = { limit: 20, order: "oldest" };
      if (time.at !== undefined) {
        args.start = new Date(time.at - 15 * 60_000).toISOString();
        args.end = new Date(time.at + 15 * 60_000).toISOString();
      } else args.start = `${Math.round((time.lastMs ?? 3_600_000) / 60_000)} minutes ago`;
      if (who) args.principal = who.principal;
      const result = await tool<{ events: EventSummary[]; range: { start: string; end: string } }>(
        "lookup_events",
        args,
      );
      say(
        `${result.events.length} event(s) between ${when(result.range.start)} and ${when(result.range.end)}${who ? ` by ${who.name}` : ""}${result.events.length === 20 ? " (first 20)" : ""}:\n`,
      );
      for (const e of result.events) {
        say(
          `• ${when(e.time).slice(11)} ${e.principalName} ${e.action}${e.errorCode ? ` (${e.errorCode})` : ""}, event ${e.eventId}\n`,
        );
      }
      return;
    }
    if (intent === "summary" && who) {
      const p = await tool<PrincipalProfile>("get_principal_profile", { principal: who.principal });
      say(
        `${p.name} (${p.type}): ${p.events} events, ${p.errors} errors, active ${when(p.firstSeen)} – ${when(p.lastSeen)}.\n`,
      );
      say(
        `Top actions: ${p.topActions
          .slice(0, 5)
          .map((c) => `${c.value} (${c.events})`)
          .join(", ")}.\n`,
      );
      say(
        `Regions: ${p.regions.map((c) => c.value).join(", ")}. Source networks: ${p.sourceNetworks
          .slice(0, 3)
          .map((c) => c.value)
          .join(", ")}.\n`,
      );
      if (p.maxScore !== null)
        say(`Highest anomaly score ${pct(p.maxScore)}; ${p.anomalies ?? 0} event(s) at 50% or more.`);
      return;
    }
    const status = await tool<DataStatus>("get_data_status", {});
    say(
      `The data holds ${status.events} events of ${status.principals} principals from ${status.dataStart ?? "?"} to ${status.dataEnd ?? "?"}.\n` +
        "Offline I can answer: “what will <principal> do next?”, “anomalies in the last 24 hours” (or around a date), " +
        "“summary of <principal>”, and “what happened around 2026-10-12 14:00?”.",
    );
  } catch (error) {
    if (signal.aborted) return;
    emit({ type: "error", message: (error as Error).message });
  }
}
