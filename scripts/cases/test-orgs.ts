/** Test helpers for the cases tests (each local org has its own org id, so sync can pair two). */
import type { Connection } from 'jsforce';
import type { TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';

/** A shared-API client over a test org's jsforce connection (no real waits between retries). */
export function clientOf(org: TestOrg): OrgClient {
  return new OrgClient(org.conn, {
    sleep: () => Promise.resolve()
  });
}

/**
 * An open High/High incident detected now, with `assetId` as its affected deployment: what link
 * and sync attach a hub's new cases to.
 */
export async function openIncidentOnAsset(
  conn: Connection,
  assetId: string | undefined,
  subject: string
): Promise<string> {
  const incident = await conn.sobject('Incident').create({
    Subject: subject,
    Urgency: 'High',
    Impact: 'High',
    DetectedDateTime: new Date().toISOString()
  });
  await conn
    .sobject('IncidentRelatedItem')
    .create({ IncidentId: incident.id, AssetId: assetId });
  return String(incident.id);
}
