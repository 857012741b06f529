/** Test helpers: local orgs for the cases tests, two with distinct org ids for sync. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeId } from '../local-org/ids.ts';
import type { LocalOrgOptions } from '../local-org/server.ts';
import { META_TABLE } from '../local-org/storage.ts';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';

/**
 * A local org whose Organization id is `00D…n`. Every fresh local org numbers its org id from
 * the same sequence, so two orgs started by one test would look like one org to sync (which
 * refuses that); the identity is written into the new database before the org first starts.
 * (Asked of the local org's owner: an org id unique per database, as real orgs have.)
 */
export async function startNumberedOrg(
  n: number,
  options: LocalOrgOptions = {}
): Promise<TestOrg> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cases-org-'));
  const dbPath = path.join(dir, 'org.db');
  prepareOrgDatabase(dbPath, n);
  return startTestOrg({ ...options, dbPath });
}

/** Writes org number `n`'s identity (org id and admin username) into a new database file. */
export function prepareOrgDatabase(dbPath: string, n: number): void {
  if (n === 1) return;
  const db = new Database(dbPath);
  db.exec(
    `CREATE TABLE IF NOT EXISTS "${META_TABLE}" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`
  );
  db.prepare(`INSERT INTO "${META_TABLE}" ("key", "value") VALUES (?, ?)`).run(
    'identity',
    JSON.stringify({
      orgId: makeId('00D', n),
      userId: makeId('005', 1),
      username: `admin@org${n}.incident-console.local`
    })
  );
  db.close();
}

/** A shared-API client over a test org's jsforce connection (no real waits between retries). */
export function clientOf(org: TestOrg): OrgClient {
  return new OrgClient(org.conn, {
    sleep: () => Promise.resolve()
  });
}
