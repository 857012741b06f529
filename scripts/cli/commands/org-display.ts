/** `incident org display`: which org a command would use, like `sf org display` plus the daily API allowance. */
import type { Command, Outcome } from '../command.ts';
import { resolveConnection, type ConnectionSource } from '../connection.ts';
import { orgFlags, parseFlags } from '../flags.ts';
import { messages } from '../messages.ts';
import { fetchOrgDetails, type OrgDetails } from '../org-details.ts';

export interface OrgDisplayResult extends OrgDetails {
  source: ConnectionSource;
}

export const orgDisplay: Command = {
  id: 'org display',
  async run(args, io): Promise<Outcome<OrgDisplayResult>> {
    const values = parseFlags(args, orgFlags);
    const org = await resolveConnection(values, io.env, io.cwd);
    const details = await fetchOrgDetails(org.connection);
    const result: OrgDisplayResult = { ...details, source: org.source };
    return {
      status: 0,
      result,
      warnings: org.warnings,
      human: formatOrgDisplay(result)
    };
  }
};

export function formatOrgDisplay(result: OrgDisplayResult): string {
  const labels = messages.orgDisplayLabels;
  const daily = result.dailyApiRequests;
  return messages.orgDisplay([
    [labels.orgId, result.orgId],
    [labels.username, result.username],
    [labels.userId, result.userId],
    [labels.instanceUrl, result.instanceUrl],
    [labels.apiVersion, result.apiVersion],
    [
      labels.dailyApiRequests,
      daily
        ? messages.apiRequestsLeft(daily.remaining, daily.max)
        : messages.noApiLimit
    ],
    [labels.connectedWith, describeSource(result.source)]
  ]);
}

function describeSource(source: ConnectionSource): string {
  switch (source.kind) {
    case 'flags':
      return messages.source.flags;
    case 'environment':
      return messages.source.environment;
    case 'local-org':
      return messages.source.localOrg(source.authFile);
    case 'sf-auth':
      return messages.source.sfAuth(source.targetOrg, source.fromConfig);
  }
}
