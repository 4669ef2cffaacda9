import { Link } from "@remix-run/react";
import { useRef, useState } from "react";
import { type AgentEvent, EVENT_ID_PATTERN, SseParser } from "../utils/agent-events.ts";

interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  status: "running" | "ok" | "error";
  summary?: string;
}

interface Turn {
  role: "user" | "assistant";
  text: string;
  tools: ToolCall[];
  notices: string[];
}

/** The assistant side panel: streams the server's agent loop (text, tool progress) and can stop it. */
export function ChatPanel({ onClose }: { onClose: () => void }) {
  const [conversationId] = useState(() => crypto.randomUUID());
  const [turns, setTurns] = useState<Turn[]>([]);
  const [mode, setMode] = useState<{ mode: "bedrock" | "offline"; model?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  const update = (change: (turn: Turn) => void) =>
    setTurns((current) => {
      const next = current.slice();
      const last = next.at(-1);
      if (!last) return current;
      const copy = { ...last, tools: last.tools.slice(), notices: last.notices.slice() };
      change(copy);
      next[next.length - 1] = copy;
      return next;
    });

  const apply = (event: AgentEvent) => {
    if (event.type === "mode") setMode({ mode: event.mode, ...(event.model ? { model: event.model } : {}) });
    else if (event.type === "text")
      update((turn) => {
        turn.text = `${turn.text}${event.text}`;
      });
    else if (event.type === "tool_start")
      update(
        (turn) =>
          void turn.tools.push({ id: event.id, name: event.name, input: event.input, status: "running" }),
      );
    else if (event.type === "tool_end")
      update((turn) => {
        turn.tools = turn.tools.map((tool) =>
          tool.id === event.id
            ? { ...tool, status: event.ok ? "ok" : "error", summary: event.summary }
            : tool,
        );
      });
    else if (event.type === "notice") update((turn) => void turn.notices.push(event.message));
    else if (event.type === "error") update((turn) => void turn.notices.push(`Error: ${event.message}`));
  };

  async function send(message: string) {
    setTurns((current) => [
      ...current,
      { role: "user", text: message, tools: [], notices: [] },
      { role: "assistant", text: "", tools: [], notices: [] },
    ]);
    setBusy(true);
    const abort = new AbortController();
    controller.current = abort;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ conversationId, message }),
        signal: abort.signal,
      });
      if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) apply(event);
      }
    } catch (error) {
      if (abort.signal.aborted) update((turn) => void turn.notices.push("Stopped."));
      else update((turn) => void turn.notices.push(`Error: ${(error as Error).message}`));
    } finally {
      controller.current = null;
      setBusy(false);
    }
  }

  return (
    <aside
      id="chat-panel"
      aria-label="Assistant"
      className="flex w-[26rem] max-w-full flex-col border-l border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <h2 className="font-semibold">Assistant</h2>
        <button type="button" className="text-sm underline" onClick={onClose}>
          Close
        </button>
      </div>
      {mode?.mode === "offline" ? (
        <p
          role="status"
          className="bg-amber-100 px-3 py-2 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100"
        >
          Offline mode: no AWS credentials, so no language model. Common questions (next actions of a
          principal, anomalies in a window, summary of a principal, what happened around a time) are answered
          from the same tools.
        </p>
      ) : mode?.mode === "bedrock" ? (
        <p className="px-3 py-1 text-xs text-slate-500">Bedrock · {mode.model}</p>
      ) : null}
      <ol aria-live="polite" className="flex-1 space-y-3 overflow-auto p-3" data-testid="chat-log">
        {turns.map((turn, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are append-only
          <li key={index} className={turn.role === "user" ? "text-right" : ""}>
            <div
              className={`inline-block max-w-full rounded px-3 py-2 text-left text-sm whitespace-pre-wrap ${
                turn.role === "user" ? "bg-blue-600 text-white" : "bg-white dark:bg-slate-800"
              }`}
              data-testid={turn.role === "assistant" ? "assistant-message" : "user-message"}
            >
              {turn.tools.map((tool) => (
                <div key={tool.id} className="mb-1 font-mono text-xs text-slate-500" data-testid="tool-call">
                  {tool.status === "running" ? "⏳" : tool.status === "ok" ? "✓" : "✗"} {tool.name}
                  {tool.summary && tool.status === "error" ? `: ${tool.summary}` : ""}
                </div>
              ))}
              <Linkified text={turn.text} />
              {turn.notices.map((notice, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: append-only
                <div key={i} className="mt-1 text-xs text-amber-700 dark:text-amber-300">
                  {notice}
                </div>
              ))}
            </div>
          </li>
        ))}
      </ol>
      <form
        className="flex gap-2 border-t border-slate-200 p-3 dark:border-slate-800"
        onSubmit={(event) => {
          event.preventDefault();
          const message = input.current?.value.trim();
          if (!message || busy) return;
          if (input.current) input.current.value = "";
          void send(message);
        }}
      >
        <label htmlFor="chat-input" className="sr-only">
          Question
        </label>
        <textarea
          id="chat-input"
          ref={input}
          rows={2}
          placeholder="e.g. What will alice do next?"
          className="flex-1 resize-none rounded border border-slate-300 bg-white p-2 text-sm dark:border-slate-700 dark:bg-slate-950"
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        {busy ? (
          <button
            type="button"
            className="rounded bg-red-600 px-3 text-sm text-white"
            onClick={() => controller.current?.abort()}
          >
            Stop
          </button>
        ) : (
          <button type="submit" className="rounded bg-blue-600 px-3 text-sm text-white">
            Send
          </button>
        )}
      </form>
    </aside>
  );
}

/** Plain text with every eventID turned into a link that moves the timeline to that event. */
function Linkified({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(EVENT_ID_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    parts.push(
      <Link
        key={index}
        to={`/?event=${encodeURIComponent(match[0])}`}
        className="font-mono text-blue-600 underline dark:text-blue-400"
      >
        {match[0]}
      </Link>,
    );
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
