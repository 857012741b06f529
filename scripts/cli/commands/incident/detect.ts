/** `incident detect`: find case storms (a thin command over scripts/cases' detectStorms). */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import {
  detectStorms,
  type ApiUsage,
  type DetectResult
} from '../../../cases/index.ts';
import { loadCasesPlan } from '../../../cases/plan-file.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';
import { failedRecords, reportRecordWrites } from '../../record-failures.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.detect');

export type DetectCommandResult = DetectResult & { api: ApiUsage };

export default class Detect extends IncidentCommand<DetectCommandResult> {
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
    threshold: Flags.integer({
      char: 't',
      summary: messages.getMessage('flags.threshold.summary')
    }),
    window: Flags.string({
      char: 'w',
      summary: messages.getMessage('flags.window.summary')
    }),
    lookback: Flags.string({
      summary: messages.getMessage('flags.lookback.summary')
    }),
    create: Flags.boolean({
      summary: messages.getMessage('flags.create.summary')
    })
  };

  public async run(): Promise<DetectCommandResult> {
    const { flags } = await this.parse(Detect);
    const plan = loadCasesPlan(flags.plan);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    this.spinner.start(messages.getMessage('spinner.scanning'));
    let result: DetectCommandResult;
    try {
      result = await detectStorms(conn, {
        plan,
        create: flags.create,
        ...(flags.threshold === undefined
          ? {}
          : { threshold: flags.threshold }),
        ...(flags.window === undefined ? {} : { window: flags.window }),
        ...(flags.lookback === undefined ? {} : { lookback: flags.lookback }),
        onProgress: (scanned) => {
          this.spinner.status = messages.getMessage('spinner.scanned', [
            scanned
          ]);
        }
      });
    } finally {
      this.spinner.stop();
    }
    this.report(result, flags.create);
    // A storm's incident, a timeline event or an outreach record the org refused.
    if (result.failed + failedRecords(result.timeline, result.outreach) > 0)
      process.exitCode = ExitCode.failed;
    return result;
  }

  private report(result: DetectCommandResult, create: boolean): void {
    this.log(
      messages.getMessage('info.scanned', [
        result.scanned,
        result.since,
        result.threshold,
        result.window
      ])
    );
    if (result.storms.length === 0) {
      this.log(messages.getMessage('info.noStorms'));
    } else {
      this.table({
        data: result.storms.map((s) => ({
          group: `${s.level} ${s.label}`,
          cases: s.caseCount,
          accounts: s.accountCount,
          from: s.firstAt,
          to: s.lastAt,
          urgency: s.proposal.urgency,
          impact: s.proposal.impact,
          incident:
            s.created?.incidentNumber ??
            s.coveredBy ??
            (s.error ? messages.getMessage('info.failed') : '')
        })),
        columns: [
          { key: 'group', name: 'Storm' },
          { key: 'cases', name: 'Cases' },
          { key: 'accounts', name: 'Accounts' },
          { key: 'from', name: 'First' },
          { key: 'to', name: 'Last' },
          { key: 'urgency', name: 'Urgency' },
          { key: 'impact', name: 'Impact' },
          { key: 'incident', name: 'Incident' }
        ]
      });
      for (const s of result.storms) {
        for (const r of [
          ...s.proposal.urgencyReasons,
          ...s.proposal.impactReasons
        ])
          this.log(
            messages.getMessage('info.reason', [s.label, r.label, r.evidence])
          );
        if (s.error)
          this.log(messages.getMessage('info.error', [s.label, s.error]));
      }
    }
    reportRecordWrites(this, messages, result.timeline, result.outreach);
    this.log(
      messages.getMessage(create ? 'info.created' : 'info.reportOnly', [
        result.created,
        result.failed,
        result.api.apiCalls,
        result.api.retries
      ])
    );
  }
}
