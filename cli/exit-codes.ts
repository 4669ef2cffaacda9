/** Exit codes of every `trailcast` command (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** Something failed at run time: store cannot be opened, an AWS call failed. */
  failure: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** The command ran but had nothing usable to work on: every input was missing or unreadable. */
  noInput: 3,
} as const;

/** An error the user can fix; printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}
