/** The CLI's exit codes (documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** At least one file is invalid. */
  Invalid: 1,
  /** The command line itself is wrong. */
  Usage: 2,
  /** A bug in this tool. */
  Internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake on the command line: printed with the usage hint, exit 2. */
export class UsageError extends Error {}
