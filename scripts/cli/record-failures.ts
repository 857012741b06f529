/**
 * What link, detect and sync report of the records they write beside their own work: the
 * timeline events (T8) and the executive outreach (T10). A record the org refused is listed by
 * key with its status code and message, and counts as a partial failure (exit 1), as the CLI's
 * rule asks; nothing of it is visible in --json only. One shape for the three commands; each
 * command's messages file holds its own words under the same keys (info.eventFailures,
 * info.outreach, info.outreachFailures).
 */
import type { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';

/** SfCommand.table's options, for rows of text. */
type TableOptions = Parameters<SfCommand<unknown>['table']>[0];

export interface RecordFailure {
  key: string;
  statusCode: string;
  message: string;
}

interface Written {
  failed: readonly RecordFailure[];
}

/** The part of an SfCommand this needs (both public). */
export type ReportingCommand = Pick<SfCommand<unknown>, 'log' | 'table'>;

/** The failures as an SfCommand table: key, error, message. */
export function recordFailureTable(
  failures: readonly RecordFailure[]
): TableOptions {
  return {
    data: failures.map((f) => ({ ...f })),
    columns: [
      { key: 'key', name: 'Key' },
      { key: 'statusCode', name: 'Error' },
      { key: 'message', name: 'Message' }
    ]
  };
}

/** How many of these records the org refused (null: none written). */
export function failedRecords(...written: (Written | null)[]): number {
  return written.reduce((n, w) => n + (w?.failed.length ?? 0), 0);
}

/** Prints the refused events and the outreach created or refused; silent when there is nothing. */
export function reportRecordWrites(
  command: ReportingCommand,
  messages: Messages<string>,
  timeline: Written | null,
  outreach: (Written & { created: readonly string[] }) | null
): void {
  if (timeline && timeline.failed.length > 0) {
    command.log(
      messages.getMessage('info.eventFailures', [timeline.failed.length])
    );
    command.table(recordFailureTable(timeline.failed));
  }
  if (outreach && outreach.created.length > 0)
    command.log(
      messages.getMessage('info.outreach', [
        outreach.created.length,
        outreach.created.join(', ')
      ])
    );
  if (outreach && outreach.failed.length > 0) {
    command.log(
      messages.getMessage('info.outreachFailures', [outreach.failed.length])
    );
    command.table(recordFailureTable(outreach.failed));
  }
}
