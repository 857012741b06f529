/**
 * When the collections path of sync saves its watermark: once at the end of a run (not once a
 * page, which cost a hub write per 2,000 cases), mid-run only when the interval has passed, and
 * on a failure what landed before it, so a rerun neither loses nor duplicates a case.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient, type RecordOutcome } from '../org-client/index.ts';
import { generateStormData, loadStormData } from './index.ts';
import { defaultCasesPlan } from './plan-schema.ts';
import { syncCases, type SyncOptions } from './sync.ts';
import { clientOf } from './test-orgs.ts';

const HOUR = 3_600_000;
/** Three query pages of the local org (2,000 a page), as on the platform. */
const CASES = 4_500;

let source: TestOrg;
const orgs: TestOrg[] = [];

before(async () => {
  source = await startTestOrg({ setAuditFields: true });
  const data = generateStormData({
    seed: 8,
    noiseCases: CASES - 20,
    stormCases: 20,
    end: Date.now(),
    spanMs: 48 * HOUR,
    stormSpanMs: HOUR
  });
  await loadStormData(clientOf(source), data);
});
after(async () => {
  await Promise.all([source.dispose(), ...orgs.map((o) => o.dispose())]);
});

/** A hub client that records each watermark save (its Cases_Synced__c) and can fail a case page. */
class HubClient extends OrgClient {
  readonly saves: unknown[] = [];
  casePages = 0;
  constructor(
    org: TestOrg,
    private readonly failCasePage?: number
  ) {
    super(org.conn, { sleep: () => Promise.resolve() });
  }
  override upsertRecords(
    type: string,
    externalIdField: string,
    records: Record<string, unknown>[],
    options?: { allOrNone?: boolean }
  ): Promise<RecordOutcome[]> {
    if (type === 'Incident_Sync_State__c')
      this.saves.push(records[0]?.Cases_Synced__c);
    if (type === 'Case' && ++this.casePages === this.failCasePage)
      return Promise.reject(new Error('the hub went away'));
    return super.upsertRecords(type, externalIdField, records, options);
  }
}

async function run(
  hub: HubClient,
  options: SyncOptions = {}
): Promise<Awaited<ReturnType<typeof syncCases>>> {
  return syncCases(clientOf(source), hub, defaultCasesPlan(), {
    bulkThreshold: CASES + 1,
    ...options
  });
}

async function hubOrg(): Promise<TestOrg> {
  const org = await startTestOrg();
  orgs.push(org);
  return org;
}

async function synced(org: TestOrg): Promise<number | undefined> {
  const state = await org.conn.query<{ Cases_Synced__c: number }>(
    'SELECT Cases_Synced__c FROM Incident_Sync_State__c'
  );
  return state.records[0]?.Cases_Synced__c;
}

test('one watermark save per run, not one per page: the writes stay at the floor plus the parents and one save', async () => {
  const org = await hubOrg();
  const hub = new HubClient(org);
  const result = await run(hub);
  assert.equal(result.created, CASES);
  assert.equal(hub.casePages, 3);
  assert.deepEqual(hub.saves, [CASES]);
  assert.equal(result.checkpoints, 1);
  const patches = hub.callsByEndpoint['PATCH composite/sobjects'] ?? 0;
  // Cases 200 a call; the accounts of the data set fit one call.
  assert.equal(patches, Math.ceil(CASES / 200) + 1 + 1);
});

test('mid-run saves when the interval has passed (0 ms: after every page), cumulative counts', async () => {
  const org = await hubOrg();
  const hub = new HubClient(org);
  await run(hub, { checkpointEveryMs: 0 });
  assert.deepEqual(hub.saves, [2_000, 4_000, CASES]);
  assert.equal(await synced(org), CASES);
});

test('a failure mid-run keeps the watermark after what landed; the rerun copies the rest exactly once', async () => {
  const org = await hubOrg();
  const failing = new HubClient(org, 3);
  await assert.rejects(run(failing), /the hub went away/);
  assert.deepEqual(failing.saves, [4_000]);
  assert.equal(await synced(org), 4_000);

  const rerun = await run(new HubClient(org));
  assert.equal(rerun.changed, CASES - 4_000);
  assert.deepEqual([rerun.created, rerun.updated], [CASES - 4_000, 0]);
  assert.equal(await synced(org), CASES);
  const copies = await org.conn.query('SELECT COUNT() FROM Case');
  assert.equal(copies.totalSize, CASES);
});
