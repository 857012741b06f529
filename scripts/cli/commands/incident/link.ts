/** `incident link`: attach the open cases on incidents' affected deployments (a thin command over scripts/cases' linkCases). */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import {
  linkCases,
  type ApiUsage,
  type LinkResult
} from '../../../cases/index.ts';
import { loadCasesPlan } from '../../../cases/plan-file.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';
import { failedRecords, reportRecordWrites } from '../../record-failures.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.link');

export type LinkCommandResult = LinkResult & { api: ApiUsage };

export default class Link extends IncidentCommand<LinkCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion({
      summary: messages.getMessage('flags.api-version.summary')
    }),
    plan: Flags.file({
      char: 'p',
      summary: messages.getMessage('flags.plan.summary')
    }),
    incident: Flags.string({
      char: 'i',
      summary: messages.getMessage('flags.incident.summary')
    }),
    window: Flags.string({
      char: 'w',
      summary: messages.getMessage('flags.window.summary')
    }),
    'dry-run': Flags.boolean({
      summary: messages.getMessage('flags.dry-run.summary')
    })
  };

  public async run(): Promise<LinkCommandResult> {
    const { flags } = await this.parse(Link);
    const plan = loadCasesPlan(flags.plan);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    this.startProgress(
      0,
      messages.getMessage('progress.title'),
      messages.getMessage('progress.unit')
    );
    let result: LinkCommandResult;
    try {
      result = await linkCases(conn, {
        plan,
        dryRun: flags['dry-run'],
        ...(flags.incident === undefined ? {} : { incident: flags.incident }),
        ...(flags.window === undefined ? {} : { window: flags.window }),
        onProgress: (done, total) => {
          this.progress.setTotal(total);
          this.progress.update(done);
        }
      });
    } finally {
      this.progress.stop();
    }
    this.report(result);
    // A link, a timeline event or an outreach record the org refused: partial failure.
    if (result.failed + failedRecords(result.timeline, result.outreach) > 0)
      process.exitCode = ExitCode.failed;
    return result;
  }

  private report(result: LinkCommandResult): void {
    if (result.incidents.length === 0) {
      this.log(messages.getMessage('info.noIncidents'));
      return;
    }
    this.table({
      data: result.incidents.map((i) => ({
        number: i.number,
        subject: i.subject,
        since: i.windowStart,
        linked: i.linked,
        already: i.alreadyLinked,
        failed: i.failed.length,
        accounts: i.affectedAccounts
      })),
      columns: [
        { key: 'number', name: 'Incident' },
        { key: 'subject', name: 'Subject' },
        { key: 'since', name: 'Cases since' },
        { key: 'linked', name: result.dryRun ? 'Would link' : 'Linked' },
        { key: 'already', name: 'Already linked' },
        { key: 'failed', name: 'Failed' },
        { key: 'accounts', name: 'Affected accounts' }
      ]
    });
    if (result.dryRun) {
      for (const incident of result.incidents)
        for (const c of incident.wouldLink ?? [])
          this.log(
            messages.getMessage('info.wouldLink', [
              incident.number,
              c.caseNumber,
              c.caseId
            ])
          );
    }
    const failures = result.incidents.flatMap((i) =>
      i.failed.map((f) => ({ incident: i.number, ...f }))
    );
    if (failures.length > 0) {
      this.log(messages.getMessage('info.failures', [failures.length]));
      this.table({
        data: failures,
        columns: [
          { key: 'incident', name: 'Incident' },
          { key: 'caseId', name: 'Case' },
          { key: 'statusCode', name: 'Error' },
          { key: 'message', name: 'Message' }
        ]
      });
    }
    reportRecordWrites(this, messages, result.timeline, result.outreach);
    this.log(
      messages.getMessage(result.dryRun ? 'info.dryRun' : 'info.summary', [
        result.linked,
        result.alreadyLinked,
        result.failed,
        result.affectedAccounts,
        result.api.apiCalls,
        result.api.retries
      ])
    );
  }
}
