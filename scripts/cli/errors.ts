/** Exit codes of the incident CLI (sf conventions) and the errors that carry them. */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** The command ran but some records (or the command itself) failed. */
  failed: 1,
  /** Bad usage or bad input: nothing was attempted. */
  usage: 2
} as const;

export type ExitStatus = (typeof ExitCode)[keyof typeof ExitCode];
export type FailureStatus = Exclude<ExitStatus, typeof ExitCode.ok>;

/** An error whose message is meant for the user as is (no stack trace). */
export class CliError extends Error {
  readonly exitCode: FailureStatus;

  constructor(message: string, exitCode: FailureStatus, name = 'CliError') {
    super(message);
    this.name = name;
    this.exitCode = exitCode;
  }
}

/** Bad flags, a missing target org, unreadable input: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage, 'UsageError');
  }
}
