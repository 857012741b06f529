/** `incident sync`: cases from another org into the hub (a thin command over scripts/cases' syncCases). */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import {
  syncCases,
  type ApiUsage,
  type SyncResult
} from '../../../cases/index.ts';
import { loadCasesPlan } from '../../../cases/plan-file.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';
import { failedRecords, reportRecordWrites } from '../../record-failures.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.sync');

export type SyncCommandResult = SyncResult & {
  api: { source: ApiUsage; hub: ApiUsage };
};

export default class Sync extends IncidentCommand<SyncCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg({
      summary: messages.getMessage('flags.target-org.summary')
    }),
    'source-org': Flags.requiredOrg({
      char: 's',
      summary: messages.getMessage('flags.source-org.summary'),
      required: true
    }),
    'api-version': Flags.orgApiVersion({
      summary: messages.getMessage('flags.api-version.summary')
    }),
    plan: Flags.file({
      char: 'p',
      summary: messages.getMessage('flags.plan.summary')
    }),
    'bulk-threshold': Flags.integer({
      summary: messages.getMessage('flags.bulk-threshold.summary'),
      min: 1
    }),
    'close-deleted': Flags.boolean({
      summary: messages.getMessage('flags.close-deleted.summary')
    })
  };

  public async run(): Promise<SyncCommandResult> {
    const { flags } = await this.parse(Sync);
    const plan = loadCasesPlan(flags.plan);
    const source = flags['source-org'].getConnection(flags['api-version']);
    const hub = flags['target-org'].getConnection(flags['api-version']);
    let started = false;
    let result: SyncCommandResult;
    try {
      result = await syncCases(source, hub, {
        plan,
        closeDeleted: flags['close-deleted'],
        ...(flags['bulk-threshold'] === undefined
          ? {}
          : { bulkThreshold: flags['bulk-threshold'] }),
        onProgress: (done, total) => {
          if (!started) {
            this.startProgress(
              total,
              messages.getMessage('progress.title'),
              messages.getMessage('progress.unit')
            );
            started = true;
          }
          this.progress.update(done);
        }
      });
    } finally {
      this.progress.stop();
    }
    this.report(result);
    // A record, a link, a timeline event or an outreach record the org refused.
    const linked = result.linked;
    const refused = linked
      ? linked.failed + failedRecords(linked.timeline, linked.outreach)
      : 0;
    if (result.failed.length + refused > 0) process.exitCode = ExitCode.failed;
    return result;
  }

  private report(result: SyncCommandResult): void {
    this.log(
      messages.getMessage('info.summary', [
        result.changed,
        result.sourceOrgId,
        result.hubOrgId,
        result.path,
        result.created,
        result.updated,
        result.failed.length,
        result.accounts,
        result.contacts
      ])
    );
    if (result.linked)
      this.log(
        messages.getMessage('info.linked', [
          result.linked.linked,
          result.linked.alreadyLinked,
          result.linked.failed
        ])
      );
    if (result.linked)
      reportRecordWrites(
        this,
        messages,
        result.linked.timeline,
        result.linked.outreach
      );
    if (result.deleted.keys.length > 0)
      this.log(
        messages.getMessage('info.deleted', [
          result.deleted.keys.length,
          result.deleted.closed,
          result.deleted.keys.join(', ')
        ])
      );
    if (result.failed.length > 0) {
      this.log(messages.getMessage('info.failures', [result.failed.length]));
      this.table({
        data: result.failed.map((f) => ({ ...f })),
        columns: [
          { key: 'object', name: 'Object' },
          { key: 'key', name: 'Source key' },
          { key: 'message', name: 'Message' }
        ]
      });
    }
    this.log(
      messages.getMessage('info.calls', [
        result.api.source.apiCalls,
        result.api.hub.apiCalls,
        result.api.source.retries + result.api.hub.retries,
        result.watermark ?? '-'
      ])
    );
  }
}
