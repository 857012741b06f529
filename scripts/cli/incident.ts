/** The `incident` CLI: a table of thin commands, and the dispatcher that prints their results and sets the exit code. */
import type {
  Command,
  CommandIo,
  JsonFailure,
  JsonSuccess,
  Outcome
} from './command.ts';
import { orgDisplay } from './commands/org-display.ts';
import { orgStart } from './commands/org-start.ts';
import {
  CliError,
  ExitCode,
  type ExitStatus,
  type FailureStatus,
  UsageError
} from './errors.ts';
import { wantsHelp, wantsJson } from './flags.ts';
import { formatCommandHelp, formatUsage, messages } from './messages.ts';

export const commands: readonly Command[] = [orgStart, orgDisplay];

/** The command named by the leading words of argv (ids are one or two words), and the rest. */
export function findCommand(
  argv: readonly string[]
): { command: Command; args: string[] } | undefined {
  for (const command of commands) {
    const words = command.id.split(' ');
    if (words.every((word, index) => argv[index] === word))
      return { command, args: argv.slice(words.length) };
  }
  return undefined;
}

export function defaultIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd()
  };
}

export async function main(
  argv: readonly string[],
  io: CommandIo = defaultIo()
): Promise<ExitStatus> {
  const json = wantsJson(argv);
  const first = argv[0];
  if (first === undefined) {
    io.stderr(formatUsage());
    return ExitCode.usage;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    io.stdout(formatUsage());
    return ExitCode.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const words = argv.slice(0, 2).filter((word) => !word.startsWith('-'));
    return fail(
      io,
      json,
      new UsageError(messages.unknownCommand(words.join(' '))),
      () => {
        io.stderr(`\n${formatUsage()}`);
      }
    );
  }
  if (wantsHelp(found.args)) {
    io.stdout(formatCommandHelp(found.command.id));
    return ExitCode.ok;
  }
  let outcome: Outcome<unknown>;
  try {
    outcome = await found.command.run(found.args, io);
  } catch (error) {
    return fail(io, json, error);
  }
  if (json) {
    const output: JsonSuccess<unknown> = {
      status: outcome.status,
      result: outcome.result,
      warnings: outcome.warnings
    };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    for (const warning of outcome.warnings)
      io.stderr(messages.warning(warning));
    io.stdout(outcome.human);
  }
  if (outcome.untilStopped) {
    const stopped = await outcome.untilStopped();
    // --json: a second document of the same shape, so a reader takes the start result as soon
    // as it arrives and the stop result (a drill's call counts) at exit.
    if (json) {
      const output: JsonSuccess<unknown> = {
        status: outcome.status,
        result: stopped.result,
        warnings: []
      };
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    } else io.stdout(stopped.human);
  }
  return outcome.status;
}

function fail(
  io: CommandIo,
  json: boolean,
  error: unknown,
  afterHuman?: () => void
): FailureStatus {
  const status = error instanceof CliError ? error.exitCode : ExitCode.failed;
  const name = error instanceof Error ? error.name : 'Error';
  const message = messageWithCauses(error);
  // Errors the CLI did not anticipate (API faults, network) still print as one line, with their name.
  const text = error instanceof CliError ? message : `${name}: ${message}`;
  if (json) {
    const output: JsonFailure = {
      status,
      name,
      message,
      warnings: []
    };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    io.stderr(messages.error(text));
    afterHuman?.();
  }
  return status;
}

/** Network failures say only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is in the cause chain. */
function messageWithCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 4) {
    if (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(
        typeof current === 'string' ? current : JSON.stringify(current)
      );
      current = undefined;
    }
  }
  return parts.join(': ');
}
