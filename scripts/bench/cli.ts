/**
 * What the benchmark scripts share as commands: strict flags with one usage error naming the
 * flag, and main(): parse, run, write the JSON, print a summary. Exit codes: 0 done, 1 wrong
 * data or any other failure, 2 bad usage (nothing run, nothing written). Errors go to stderr,
 * prefixed with the benchmark's name, so a summary on stdout stays parseable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** A bad flag: the message starts with the flag's name (`--cases: ...`). */
export class UsageError extends Error {}
/** The org ended in the wrong state: the figures would be meaningless. */
export class DataError extends Error {}

export type Print = (line: string) => void;

export const stdoutLine: Print = (line) => {
  process.stdout.write(`${line}\n`);
};
const stderrLine: Print = (line) => {
  process.stderr.write(`${line}\n`);
};

/** The flags' values as given (each flag takes a value); an unknown flag or a positional is a UsageError. */
export function readFlags<K extends string>(
  argv: string[],
  names: readonly K[]
): Partial<Record<K, string>> {
  const options = Object.fromEntries(
    names.map((name) => [name, { type: 'string' as const }])
  );
  try {
    const { values } = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: false
    });
    return values as Partial<Record<K, string>>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A whole-number flag: digits only (no 1e4, 2.5 or 0x10), from min to max (max optional);
 * absent, the fallback.
 */
export function wholeNumberFlag(
  value: string | undefined,
  flag: string,
  range: { min: number; max?: number },
  fallback: number
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const { min, max } = range;
  if (
    !/^\d+$/.test(value.trim()) ||
    !Number.isSafeInteger(n) ||
    n < min ||
    (max !== undefined && n > max)
  )
    throw new UsageError(
      `${flag}: expected a whole number ${max === undefined ? `of ${String(min)} or more` : `from ${String(min)} to ${String(max)}`}, got '${value}'`
    );
  return n;
}

/** The --out flag: a file path, the fallback when absent. */
export function outFlag(value: string | undefined, fallback: string): string {
  if (value === '') throw new UsageError('--out: expected a file path');
  return value ?? fallback;
}

export interface BenchCommand<A extends { out: string }, R> {
  /** Prefixes errors: `<name> benchmark: ...`. */
  name: string;
  usage: string;
  parse: (argv: string[]) => A;
  run: (args: A) => Promise<R>;
  /** Lines printed after the JSON is written, before `written to <out>`. */
  summary: (result: R, args: A) => string[];
}

/** A benchmark's main(): returns the exit code. */
export async function benchMain<A extends { out: string }, R>(
  command: BenchCommand<A, R>,
  argv: string[],
  print: Print = stdoutLine,
  fail: Print = stderrLine
): Promise<number> {
  const prefix = `${command.name} benchmark: `;
  let args: A;
  try {
    args = command.parse(argv);
  } catch (error) {
    // Anything else is a bug in the parser, not the caller's input.
    if (!(error instanceof UsageError)) throw error;
    fail(`${prefix}${error.message}\n${command.usage}`);
    return 2;
  }
  try {
    const result = await command.run(args);
    mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    for (const line of command.summary(result, args)) print(line);
    print(`written to ${args.out}`);
    return 0;
  } catch (error) {
    fail(
      prefix +
        (error instanceof DataError
          ? `wrong data: ${error.message}`
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error))
    );
    return 1;
  }
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return (
    script !== undefined && path.resolve(script) === fileURLToPath(moduleUrl)
  );
}
