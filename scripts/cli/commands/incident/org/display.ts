/** `incident org display`: which org a command would use, like `sf org display` plus the daily API allowance. */
import { Messages, StateAggregator } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { IncidentCommand } from '../../../incident-command.ts';
import { fetchOrgDetails, type OrgDetails } from '../../../org-details.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'incident-console',
  'incident.org.display'
);

export interface OrgDisplayResult extends OrgDetails {
  /** The sf alias of the org's user, or null when it has none. */
  alias: string | null;
}

export default class OrgDisplay extends IncidentCommand<OrgDisplayResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion()
  };

  public async run(): Promise<OrgDisplayResult> {
    const { flags } = await this.parse(OrgDisplay);
    const org = flags['target-org'];
    const details = await fetchOrgDetails(
      org.getConnection(flags['api-version'])
    );
    const state = await StateAggregator.getInstance();
    const alias = state.aliases.get(details.username) ?? null;
    const result: OrgDisplayResult = { ...details, alias };
    const daily = result.dailyApiRequests;
    this.keyValueTable([
      [messages.getMessage('label.orgId'), result.orgId],
      [messages.getMessage('label.username'), result.username],
      [messages.getMessage('label.userId'), result.userId],
      [messages.getMessage('label.alias'), result.alias ?? ''],
      [messages.getMessage('label.instanceUrl'), result.instanceUrl],
      [messages.getMessage('label.apiVersion'), result.apiVersion],
      [
        messages.getMessage('label.dailyApiRequests'),
        daily
          ? messages.getMessage('apiRequestsLeft', [
              daily.remaining.toLocaleString('en-US'),
              daily.max.toLocaleString('en-US')
            ])
          : messages.getMessage('noApiLimit')
      ]
    ]);
    return result;
  }
}
