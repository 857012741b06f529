/** Flag parsing shared by every command: node:util parseArgs, strict, with sf's flag names. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const globalFlags = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies FlagOptions;

/** How a command that talks to an org is pointed at it (see connection.ts for the order). */
export const orgFlags = {
  'target-org': { type: 'string', short: 'o' },
  'instance-url': { type: 'string' },
  'access-token': { type: 'string' },
  'api-version': { type: 'string' }
} as const satisfies FlagOptions;

export function parseFlags<T extends FlagOptions>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...globalFlags, ...options },
      strict: true,
      allowPositionals: false
    }).values;
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(error.message);
    throw error;
  }
}

/** `--help` wins over everything else on the line, as in sf, even over flags that would not parse. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const flags = end === -1 ? args : args.slice(0, end);
  return flags.includes('--help') || flags.includes('-h');
}

/** Looked up before parsing, so a parse error can still be reported as JSON. */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

function isParseArgsError(error: unknown): error is TypeError {
  return (
    error instanceof TypeError &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS')
  );
}
