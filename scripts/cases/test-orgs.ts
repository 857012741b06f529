/** Test helpers for the cases tests (each local org has its own org id, so sync can pair two). */
import type { TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';

/** A shared-API client over a test org's jsforce connection (no real waits between retries). */
export function clientOf(org: TestOrg): OrgClient {
  return new OrgClient(org.conn, {
    sleep: () => Promise.resolve()
  });
}
