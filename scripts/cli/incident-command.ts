/**
 * The base of every `incident` command: sf-plugins-core's SfCommand (flags, --json envelope,
 * spinners, tables, sf auth store) with the CLI's three exit codes kept. SfCommand would
 * exit 10 for any error with a TypeError in its cause chain (every network failure: fetch
 * throws TypeError 'fetch failed') and 20 for a platform gack; scripts of release engineers
 * test 0 / 1 / 2 only.
 */
import type { Interfaces } from '@oclif/core';
import { SfError } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';

export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** The command ran but some records, or the command itself, failed. */
  failed: 1,
  /** Bad usage or bad input: nothing was written. */
  usage: 2
} as const;

export abstract class IncidentCommand<T> extends SfCommand<T> {
  /**
   * Every flag problem is bad usage (exit 2), including those the sf flags find while
   * parsing: an alias the auth store does not know, no default org.
   */
  protected override async parse<
    F extends Interfaces.OutputFlags<Interfaces.FlagInput>,
    B extends Interfaces.OutputFlags<Interfaces.FlagInput>,
    A extends Interfaces.OutputArgs<Interfaces.ArgInput>
  >(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[]
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv);
    } catch (error) {
      if (error instanceof Error) markUsage(error);
      throw error;
    }
  }

  /**
   * Starts the progress bar of long work (drawn on a terminal, silent with --json), counting
   * `unit`: sf-plugins-core's default format counts "Components", a deploy's unit.
   */
  protected startProgress(total: number, title: string, unit: string): void {
    this.progress.start(
      total,
      {},
      { title, format: `%s | {bar} | {value}/{total} ${unit}` }
    );
  }

  /** A two-column table of labelled values, as `sf org display` prints them. */
  protected keyValueTable(rows: readonly (readonly [string, string])[]): void {
    this.table({
      data: rows.map(([key, value]) => ({ key, value })),
      columns: [
        { key: 'key', name: 'Key' },
        { key: 'value', name: 'Value' }
      ]
    });
  }

  /** Any failure that is not bad usage (exit 2) leaves with exit 1, its message naming the causes. */
  public override async catch(
    error: Error & { exitCode?: number; oclif?: { exit?: number } }
  ): Promise<never> {
    const usage =
      error.oclif?.exit === ExitCode.usage || error.exitCode === ExitCode.usage;
    if (usage) return super.catch(error);
    const failed = new SfError(
      messageWithCauses(error),
      error.name,
      error instanceof SfError ? error.actions : undefined,
      ExitCode.failed
    );
    if (error instanceof SfError && error.data !== undefined)
      // SfError types its data `any`; it is the JSON the error was built with.
      failed.setData(error.data as Parameters<SfError['setData']>[0]);
    return super.catch(failed);
  }
}

function markUsage(error: Error & { exitCode?: number }): void {
  error.exitCode = ExitCode.usage;
  const oclif = (error as { oclif?: { exit?: number } }).oclif;
  if (oclif) oclif.exit = ExitCode.usage;
}

/** Network failures say only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is in the cause chain. */
export function messageWithCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 4) {
    if (current instanceof Error) {
      if (!parts.includes(current.message)) parts.push(current.message);
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
