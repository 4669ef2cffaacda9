/** The submit button of every filter form, so they look and read alike. */
export function ApplyButton() {
  return (
    <button
      type="submit"
      className="rounded bg-slate-800 px-3 py-1 text-white dark:bg-slate-200 dark:text-slate-900"
    >
      Apply
    </button>
  );
}
