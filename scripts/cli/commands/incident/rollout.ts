/** `incident rollout`: roll out a deployed fix (a thin command over scripts/respond's rolloutChangeRequest). */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import type { ApiUsage } from '../../../cases/index.ts';
import { OrgClient } from '../../../org-client/index.ts';
import {
  rolloutChangeRequest,
  type RolloutResult
} from '../../../respond/rollout.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.rollout');

export type RolloutCommandResult = RolloutResult & { api: ApiUsage };

export default class Rollout extends IncidentCommand<RolloutCommandResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion({
      summary: messages.getMessage('flags.api-version.summary')
    }),
    'change-request': Flags.string({
      char: 'c',
      required: true,
      summary: messages.getMessage('flags.change-request.summary')
    }),
    'resolution-summary': Flags.string({
      char: 'r',
      summary: messages.getMessage('flags.resolution-summary.summary')
    }),
    comment: Flags.string({
      summary: messages.getMessage('flags.comment.summary')
    }),
    'dry-run': Flags.boolean({
      summary: messages.getMessage('flags.dry-run.summary')
    })
  };

  public async run(): Promise<RolloutCommandResult> {
    const { flags } = await this.parse(Rollout);
    const org = flags['target-org'];
    const client = new OrgClient(org.getConnection(flags['api-version']));
    const username = org.getUsername();
    this.startProgress(
      0,
      messages.getMessage('progress.title'),
      messages.getMessage('progress.unit')
    );
    let rollout: RolloutResult;
    try {
      rollout = await rolloutChangeRequest(client, {
        changeRequest: flags['change-request'],
        dryRun: flags['dry-run'],
        ...(flags['resolution-summary'] === undefined
          ? {}
          : { resolutionSummary: flags['resolution-summary'] }),
        ...(flags.comment === undefined ? {} : { caseComment: flags.comment }),
        ...(username === undefined ? {} : { actorName: username }),
        onProgress: (done, total) => {
          this.progress.setTotal(total);
          this.progress.update(done);
        }
      });
    } finally {
      this.progress.stop();
    }
    const result: RolloutCommandResult = {
      ...rollout,
      api: {
        apiCalls: client.apiCalls,
        callsByEndpoint: client.callsByEndpoint,
        retries: client.retries
      }
    };
    this.report(result);
    if (result.failures.length > 0) process.exitCode = ExitCode.failed;
    return result;
  }

  private report(result: RolloutCommandResult): void {
    this.table({
      data: [
        ...result.problems.map((p) => ({
          type: 'Problem',
          number: p.number,
          subject: p.subject,
          status: p.status,
          outcome: p.outcome,
          cases: '',
          notice: ''
        })),
        ...result.incidents.map((i) => ({
          type: 'Incident',
          number: i.number,
          subject: i.subject,
          status: i.status,
          outcome: i.outcome,
          cases: `${i.casesClosed} / ${i.linkedCases}`,
          notice: `${i.notice} (${i.recipients})`
        }))
      ],
      columns: [
        { key: 'type', name: 'Fixed' },
        { key: 'number', name: 'Number' },
        { key: 'subject', name: 'Subject' },
        { key: 'status', name: 'Status before' },
        { key: 'outcome', name: result.dryRun ? 'Would' : 'Outcome' },
        {
          key: 'cases',
          name: result.dryRun ? 'Cases to close / linked' : 'Closed / linked'
        },
        { key: 'notice', name: 'Service Restored (recipients)' }
      ]
    });
    if (result.notFixed.length > 0)
      this.log(messages.getMessage('info.notFixed', [result.notFixed.length]));
    if (result.failures.length > 0) {
      this.log(messages.getMessage('info.failures', [result.failures.length]));
      this.table({
        data: result.failures.map((f) => ({ ...f })),
        columns: [
          { key: 'object', name: 'Object' },
          { key: 'number', name: 'Number' },
          { key: 'id', name: 'Id' },
          { key: 'statusCode', name: 'Error' },
          { key: 'message', name: 'Message' }
        ]
      });
    }
    const cr = result.changeRequest;
    const resolved = (issues: readonly { outcome: string }[]): number =>
      issues.filter((i) => i.outcome === 'resolved' || i.outcome === 'would')
        .length;
    if (result.dryRun) {
      this.log(
        messages.getMessage('info.dryRun', [
          cr.number,
          resolved(result.incidents),
          resolved(result.problems),
          result.notices.sent,
          result.notices.recipients,
          result.cases.closed,
          result.cases.alreadyClosed,
          result.cases.linked,
          result.events.written,
          messages.getMessage(
            cr.completed ? 'status.wouldComplete' : 'status.wouldKeep'
          ),
          result.api.apiCalls,
          result.api.retries
        ])
      );
      return;
    }
    this.log(
      messages.getMessage('info.summary', [
        cr.number,
        messages.getMessage(
          cr.completed
            ? 'status.completed'
            : cr.alreadyCompleted
              ? 'status.alreadyCompleted'
              : 'status.notCompleted'
        ),
        resolved(result.incidents),
        resolved(result.problems),
        result.notices.sent,
        result.notices.recipients,
        result.cases.closed,
        result.cases.alreadyClosed,
        result.cases.linked,
        result.events.written,
        result.api.apiCalls,
        result.api.retries
      ])
    );
  }
}
