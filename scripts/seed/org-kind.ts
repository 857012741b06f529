/**
 * What kind of org a command talks to, so `--create-users` can be refused on production.
 */
import { OrgClient, type OrgConnection } from '../org-client/index.ts';

export type OrgKind = 'production' | 'sandbox' | 'scratch';

export interface OrganizationFlags {
  IsSandbox: boolean;
  TrialExpirationDate: string | null;
}

/**
 * The platform's own reading (as @salesforce/core's Org.determineIfScratch/IfSandbox): scratch
 * orgs and sandboxes both have IsSandbox; only a scratch org also expires (TrialExpirationDate).
 * Anything else, a trial or Developer Edition org included, counts as production, where
 * creating users is refused.
 */
export function classifyOrg(org: OrganizationFlags): OrgKind {
  if (!org.IsSandbox) return 'production';
  return org.TrialExpirationDate ? 'scratch' : 'sandbox';
}

/** Production, sandbox or scratch org, read from Organization (one query). */
export async function orgKind(
  conn: OrgConnection | OrgClient
): Promise<OrgKind> {
  const client = OrgClient.of(conn);
  const [org] = await client.queryAll<OrganizationFlags>(
    'SELECT IsSandbox, TrialExpirationDate FROM Organization LIMIT 1'
  );
  if (!org) throw new Error('The org returned no Organization record');
  return classifyOrg(org);
}
