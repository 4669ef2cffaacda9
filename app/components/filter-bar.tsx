import { Form } from "@remix-run/react";
import { type ViewState, writeViewState } from "../utils/view-state.ts";
import { ApplyButton } from "./apply-button.tsx";

/** Filters and grouping as a GET form: submitting writes them into the URL (shareable, back button works). */
export function FilterBar({
  state,
  principals,
  range,
}: {
  state: ViewState;
  principals: { key: string; label: string }[];
  range: { from: number; to: number };
}) {
  const { filters } = state;
  const exportParams = writeViewState({ ...state, from: range.from, to: range.to });
  exportParams.delete("group");
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Timeline filters">
      <input type="hidden" name="from" value={new Date(range.from).toISOString()} />
      <input type="hidden" name="to" value={new Date(range.to).toISOString()} />
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Lanes by</span>
        <select
          name="group"
          defaultValue={state.group}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        >
          <option value="principal">principal</option>
          <option value="service">service</option>
          <option value="action">action</option>
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Principal</span>
        <select
          name="principal"
          defaultValue={filters.principal ?? ""}
          className="max-w-56 rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        >
          <option value="">all</option>
          {principals.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Service</span>
        <input
          name="service"
          defaultValue={filters.service ?? ""}
          placeholder="e.g. s3"
          size={8}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        />
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Action</span>
        <input
          name="action"
          defaultValue={filters.action ?? ""}
          placeholder="e.g. iam:CreateUser"
          size={16}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        />
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Read/write</span>
        <select
          name="rw"
          defaultValue={filters.readWrite}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        >
          <option value="all">all</option>
          <option value="read">read-only</option>
          <option value="write">write</option>
        </select>
      </label>
      <label className="flex flex-col">
        <span className="text-xs text-slate-500">Min anomaly</span>
        <input
          name="minScore"
          type="number"
          min={0}
          max={1}
          step={0.05}
          defaultValue={filters.minScore || ""}
          placeholder="0"
          className="w-20 rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        />
      </label>
      <label className="flex items-center gap-1 pb-1">
        <input type="checkbox" name="errors" value="1" defaultChecked={filters.errorsOnly} />
        <span>Errors only</span>
      </label>
      <ApplyButton />
      <span className="ml-auto flex gap-2 text-xs">
        <a className="underline" href={`/export/events.jsonl?${exportParams.toString()}`} download>
          Export JSON Lines
        </a>
        <a className="underline" href={`/export/events.csv?${exportParams.toString()}`} download>
          Export CSV
        </a>
      </span>
    </Form>
  );
}
