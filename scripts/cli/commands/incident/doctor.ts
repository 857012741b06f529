/** `incident doctor`: is the org's incident plan usable right now? (checkReadiness from scripts/seed) */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { OrgClient } from '../../../org-client/index.ts';
import { checkReadiness, type Readiness } from '../../../seed/index.ts';
import { ExitCode, IncidentCommand } from '../../incident-command.ts';
import { printReadiness } from '../../readiness-report.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.doctor');

export interface DoctorResult extends Readiness {
  username: string;
}

export default class Doctor extends IncidentCommand<DoctorResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion()
  };

  public async run(): Promise<DoctorResult> {
    const { flags } = await this.parse(Doctor);
    const org = flags['target-org'];
    const username = org.getUsername() ?? '';
    const readiness = await checkReadiness(
      new OrgClient(org.getConnection(flags['api-version']))
    );
    printReadiness(
      {
        log: (text) => {
          this.log(text);
        },
        table: (options) => {
          this.table(options);
        }
      },
      readiness,
      username
    );
    if (readiness.needsAttention) process.exitCode = ExitCode.failed;
    return { ...readiness, username };
  }
}
