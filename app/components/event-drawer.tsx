import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { highlightJson, type TokenKind } from "../utils/json-highlight.ts";
import type { EventDetail } from "../utils/trail-types.ts";
import { timelineHref } from "../utils/view-state.ts";

const TOKEN_CLASS: Record<TokenKind, string> = {
  key: "text-sky-700 dark:text-sky-300",
  string: "text-emerald-700 dark:text-emerald-300",
  number: "text-amber-700 dark:text-amber-300",
  boolean: "text-violet-700 dark:text-violet-300",
  null: "text-slate-500",
  punct: "text-slate-500",
  space: "",
};

/** The selected event: raw record (highlighted, copyable), anomaly reasons, what was predicted, neighbours. */
export function EventDrawer({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const fetcher = useFetcher<{ detail: EventDetail | null }>();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load when the selection changes
  useEffect(() => {
    fetcher.load(`/api/event/${encodeURIComponent(eventId)}`);
    setCopied(false);
  }, [eventId]);
  useEffect(() => heading.current?.focus(), []);
  const detail = fetcher.data?.detail;
  const loading = fetcher.state !== "idle" || !fetcher.data;

  return (
    <section
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
      className="fixed inset-y-0 right-0 z-20 flex w-[40rem] max-w-full flex-col border-l border-slate-300 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-950"
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
    >
      <header className="flex items-center gap-2 border-b border-slate-200 p-3 dark:border-slate-800">
        <h2 id="drawer-title" ref={heading} tabIndex={-1} className="font-semibold break-all">
          {detail ? `${detail.event.action} by ${detail.event.principalName}` : `Event ${eventId}`}
        </h2>
        <button
          type="button"
          className="ml-auto rounded border border-slate-300 px-2 text-sm dark:border-slate-700"
          onClick={onClose}
        >
          Close
        </button>
      </header>
      <div className="flex-1 space-y-4 overflow-auto p-3 text-sm">
        {loading ? <p role="status">Loading event…</p> : null}
        {!loading && !detail ? <p role="alert">No event with id {eventId} in the store.</p> : null}
        {detail ? (
          <>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-2 gap-y-1 text-xs">
              <dt className="text-slate-500">Time</dt>
              <dd>{new Date(detail.event.time).toISOString()}</dd>
              <dt className="text-slate-500">Event ID</dt>
              <dd className="font-mono break-all">{detail.event.eventId}</dd>
              <dt className="text-slate-500">Principal</dt>
              <dd className="break-all">
                <Link className="underline" to={`/principals/${encodeURIComponent(detail.event.principal)}`}>
                  {detail.event.principal}
                </Link>
              </dd>
              <dt className="text-slate-500">Source</dt>
              <dd className="break-all">
                {detail.event.sourceIp} · {detail.event.region} · {detail.event.userAgent}
              </dd>
              {detail.event.errorCode ? (
                <>
                  <dt className="text-slate-500">Error</dt>
                  <dd className="text-red-600">{detail.event.errorCode}</dd>
                </>
              ) : null}
              <dt className="text-slate-500">Anomaly</dt>
              <dd>
                {detail.score === null ? "not scored" : `${(detail.score * 100).toFixed(0)}%`}
                {detail.tactic
                  ? ` · ATT&CK ${detail.tactic}${detail.technique ? ` (${detail.technique})` : ""}`
                  : ""}
              </dd>
            </dl>
            {detail.reasons.length > 0 ? (
              <div>
                <h3 className="font-semibold">Why it stands out</h3>
                <ul className="mt-1 list-disc pl-5" data-testid="anomaly-reasons">
                  {detail.reasons.map((r) => (
                    <li key={`${r.kind}:${r.detail}`}>
                      {r.detail} <span className="text-slate-500">({r.bits.toFixed(1)} bits)</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <div>
              <div className="flex items-center gap-2">
                <h3 className="font-semibold">Raw event</h3>
                <button
                  type="button"
                  className="rounded border border-slate-300 px-2 text-xs dark:border-slate-700"
                  onClick={() => {
                    void navigator.clipboard?.writeText(prettyRaw(detail.raw)).then(() => setCopied(true));
                  }}
                >
                  {copied ? "Copied" : "Copy JSON"}
                </button>
              </div>
              {detail.rawTruncated ? (
                <p className="text-xs text-amber-700">
                  The record is longer than the tool returns; it is cut.
                </p>
              ) : null}
              <pre
                className="mt-1 max-h-96 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-900"
                data-testid="raw-event"
              >
                {highlightJson(detail.raw).map((token, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positional
                  <span key={i} className={TOKEN_CLASS[token.kind]}>
                    {token.text}
                  </span>
                ))}
              </pre>
            </div>
            <div>
              <h3 className="font-semibold">Neighbouring events of this principal</h3>
              <ol className="mt-1 space-y-0.5 text-xs">
                {detail.neighbours.map((n) => (
                  <li key={n.eventId} className={n.eventId === detail.event.eventId ? "font-semibold" : ""}>
                    <Link
                      className="underline"
                      to={timelineHref(n.time, { eventId: n.eventId })}
                      preventScrollReset
                    >
                      {new Date(n.time).toISOString().slice(11, 19)}
                    </Link>{" "}
                    {n.action}
                    {n.errorCode ? <span className="text-red-600"> {n.errorCode}</span> : null}
                  </li>
                ))}
              </ol>
            </div>
          </>
        ) : null}
      </div>
    </section>
  );
}

function prettyRaw(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}
