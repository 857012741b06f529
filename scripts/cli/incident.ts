/** The `incident` CLI entry: dispatches to thin commands. Exit codes: 0 ok, 1 failures, 2 bad usage. */
import { messages } from './messages.ts';
import { parseOrgStart, startAndRecord, UsageError } from './org.ts';

const out = (text: string): void => {
  process.stdout.write(text);
};

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'org' && sub === 'start') {
      const org = await startAndRecord(parseOrgStart(rest), out);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await org.stop();
      out(messages.orgStopped);
      return 0;
    }
    if (command === undefined || command === '--help' || command === 'help') {
      out(messages.usage);
      return command === undefined ? 2 : 0;
    }
    process.stderr.write(
      messages.unknownCommand([command, sub].filter(Boolean).join(' ')) +
        messages.usage
    );
    return 2;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(messages.badOption(error.message));
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
