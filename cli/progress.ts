import { SingleBar } from "cli-progress";

export interface Progress {
  update(done: number, total: number | null, extra?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long work, only when stderr is a terminal and output is not JSON, so
 * pipes, CI logs and `--json` consumers never see control characters.
 */
export function progressBar(label: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} {unit} | {extra}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(done, total, extra = "") {
      if (!started) {
        bar.start(total ?? done + 1, done, { unit: "", extra });
        started = true;
      }
      if (total !== null) bar.setTotal(total);
      bar.update(done, { extra });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
