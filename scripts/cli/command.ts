/** The contract between the CLI's dispatcher (incident.ts) and its commands, and the --json shapes. */
import type { CommandId } from './messages.ts';
import type { Env } from './local-auth.ts';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  cwd: string;
}

/** What a command hands back; the dispatcher prints it as text or as JSON. */
export interface Outcome<R> {
  /** 0 all done, 1 some records failed (usage errors are thrown as UsageError instead). */
  status: 0 | 1;
  result: R;
  warnings: string[];
  /** The result for people. */
  human: string;
  /** Long-running commands (a server) keep going after their result is printed; resolves when they stop. */
  untilStopped?: () => Promise<Stopped<unknown>>;
}

/** What a long-running command reports when it stops: a closing note for people, a result for --json. */
export interface Stopped<S> {
  human: string;
  result: S;
}

export interface Command {
  id: CommandId;
  run(args: string[], io: CommandIo): Promise<Outcome<unknown>>;
}

/** `--json` success output, like sf's: the result is the command's typed result. */
export interface JsonSuccess<R> {
  status: 0 | 1;
  result: R;
  warnings: string[];
}

/** `--json` failure output, like sf's error JSON (name, message, status = exit code). */
export interface JsonFailure {
  status: 1 | 2;
  name: string;
  message: string;
  warnings: string[];
}
