import { CliError, EXIT } from "./exit-codes.ts";

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `90m`, `24h`, `7d` or an ISO timestamp into epoch ms (durations count back from `now`). */
export function parseTimeArg(name: string, value: string, now = Date.now()): number {
  const relative = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  const ms = Date.parse(value);
  if (Number.isFinite(ms)) return ms;
  throw new CliError(
    `--${name}: expected a duration like 24h or 7d, or an ISO timestamp; got "${value}"`,
    EXIT.usage,
  );
}
