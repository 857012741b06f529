/** incident sync end to end: two local orgs started by the test, real jsforce, the shared client. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'jsforce';
import {
  runScript,
  startTestOrg,
  testOrgPool,
  type ChildEnd,
  type TestOrg
} from '../local-org/test-org.ts';
import {
  CasesInputError,
  generateStormData,
  loadStormData,
  syncCases,
  type StormData
} from './index.ts';
import { clientOf, openIncidentOnAsset } from './test-orgs.ts';
import { seededRandom } from '../shared/seeded-random.ts';

const HOUR = 3_600_000;
const here = path.dirname(fileURLToPath(import.meta.url));

let source: TestOrg;
let data: StormData;
let ids: Map<string, string>;
const hubs = testOrgPool();
const hub = hubs.start;
let contacts = 0;

async function count(conn: Connection, soql: string): Promise<number> {
  return (await conn.query(soql)).totalSize;
}

/** What every complete sync must leave in a hub: one copy of each source case, account and contact. */
async function assertExactCopy(hubConn: Connection): Promise<void> {
  const sourceCases = await count(source.conn, 'SELECT COUNT() FROM Case');
  assert.equal(await count(hubConn, 'SELECT COUNT() FROM Case'), sourceCases);
  assert.equal(
    await count(
      hubConn,
      'SELECT COUNT() FROM Case WHERE Source_Case_Key__c = null'
    ),
    0
  );
  const accounts = await source.conn.query<{ AccountId: string }>(
    'SELECT AccountId FROM Case WHERE AccountId != null'
  );
  const distinct = new Set(accounts.records.map((r) => r.AccountId)).size;
  assert.equal(
    await count(
      hubConn,
      'SELECT COUNT() FROM Account WHERE Source_Account_Key__c != null'
    ),
    distinct
  );
  assert.equal(
    await count(
      hubConn,
      'SELECT COUNT() FROM Contact WHERE Source_Contact_Key__c != null'
    ),
    contacts
  );
}

before(async () => {
  source = await startTestOrg({ setAuditFields: true });
  data = generateStormData({
    seed: 5,
    noiseCases: 400,
    stormCases: 50,
    end: Date.now(),
    spanMs: 20 * HOUR,
    stormSpanMs: HOUR,
    regions: ['North', 'South'],
    accountsPerRegion: 10,
    products: 3
  });
  ({ ids } = await loadStormData(clientOf(source), data));
  // Contacts on the first 40 cases, so sync carries contacts as well.
  const people = await source.conn.sobject('Contact').create(
    Array.from({ length: 8 }, (_, i) => ({
      LastName: `Caller ${i}`,
      Email: `caller${i}@example.com`,
      AccountId: ids.get(data.accounts[i]?.ref ?? '')
    }))
  );
  contacts = people.length;
  const withContacts = data.cases.slice(0, 40).map((c, i) => ({
    Id: ids.get(c.ref) ?? '',
    ContactId: people[i % people.length]?.id
  }));
  const saved = await source.conn.sobject('Case').update(withContacts);
  assert.ok(saved.every((r) => r.success));
});
after(async () => {
  await Promise.all([source.dispose(), hubs.disposeAll()]);
});

test('bad input: the same org twice, or a hub without the package, is refused (exit 2) and nothing is written', async () => {
  await assert.rejects(
    syncCases(source.conn, source.conn),
    (e: Error) =>
      e instanceof CasesInputError &&
      e.exitCode === 2 &&
      e.message.includes('same org')
  );
  const bare = await hub({ forceAppDir: null });
  await assert.rejects(
    syncCases(source.conn, bare.conn),
    (e: Error) =>
      e instanceof CasesInputError &&
      e.message.includes('missing Case.Source_Case_Key__c')
  );
  assert.equal(await count(bare.conn, 'SELECT COUNT() FROM Case'), 0);
  await assert.rejects(
    syncCases(source.conn, bare.conn, { bulkThreshold: 0 }),
    /^CasesInputError: --bulk-threshold/
  );
});

test('collections path: copies cases with their accounts and contacts, links new cases to open incidents, and a rerun writes nothing', async () => {
  const h = await hub();
  // The hub knows the outage product's installations by serial number and has an incident on one of them.
  const outageAssets = data.assets
    .filter((a) => a.productRef === data.storm.productRef)
    .slice(0, 3);
  const hubAccount = await h.conn
    .sobject('Account')
    .create({ Name: 'Hub customer' });
  const hubAssets = await h.conn.sobject('Asset').create(
    outageAssets.map((a) => ({
      Name: a.name,
      SerialNumber: a.serial,
      AccountId: hubAccount.id
    }))
  );
  const incidentId = await openIncidentOnAsset(
    h.conn,
    hubAssets[0]?.id,
    'Open outage'
  );

  const first = await syncCases(source.conn, h.conn, { bulkThreshold: 10_000 });
  assert.equal(first.path, 'collections');
  assert.equal(first.created, 450);
  assert.deepEqual([first.updated, first.failed.length], [0, 0]);
  await assertExactCopy(h.conn);
  const onAsset = data.cases.filter(
    (c) => c.assetRef === outageAssets[0]?.ref
  ).length;
  assert.ok(onAsset > 0);
  assert.equal(first.linked?.linked, onAsset);
  assert.equal(
    await count(
      h.conn,
      `SELECT COUNT() FROM CaseRelatedIssue WHERE RelatedIssueId = '${incidentId}'`
    ),
    onAsset
  );
  const state = await h.conn.query<{
    Watermark__c: string;
    Cases_Synced__c: number;
  }>('SELECT Watermark__c, Cases_Synced__c FROM Incident_Sync_State__c');
  assert.equal(state.totalSize, 1);
  assert.equal(state.records[0]?.Cases_Synced__c, 450);

  const rerun = await syncCases(source.conn, h.conn, { bulkThreshold: 10_000 });
  assert.deepEqual(
    [rerun.path, rerun.changed, rerun.created, rerun.updated],
    ['none', 0, 0, 0]
  );
  assert.deepEqual(
    Object.keys(rerun.api.hub.callsByEndpoint).filter(
      (e) => !e.startsWith('GET')
    ),
    []
  );

  // A changed case and a new one: exactly those two move.
  const changedId = ids.get(data.cases[7]?.ref ?? '') ?? '';
  await source.conn
    .sobject('Case')
    .update({ Id: changedId, Subject: 'Changed at the source' });
  await source.conn.sobject('Case').create({
    Subject: 'Brand new',
    AccountId: ids.get(data.accounts[0]?.ref ?? '')
  });
  const next = await syncCases(source.conn, h.conn, { bulkThreshold: 10_000 });
  assert.deepEqual([next.changed, next.created, next.updated], [2, 1, 1]);
  const copy = await h.conn.query<{ Subject: string }>(
    `SELECT Subject FROM Case WHERE Source_Case_Key__c = '${next.sourceOrgId}:${changedId}'`
  );
  assert.equal(copy.records[0]?.Subject, 'Changed at the source');
  await assertExactCopy(h.conn);
});

test('bulk path: one Bulk API 2.0 job per object, at most 8 calls per object without polls', async () => {
  const h = await hub();
  const result = await syncCases(source.conn, h.conn, {
    bulkThreshold: 100,
    bulkPollMs: 10
  });
  assert.equal(result.path, 'bulk');
  assert.equal(result.failed.length, 0);
  await assertExactCopy(h.conn);
  assert.ok(
    result.bulk && result.bulk.calls <= 8 * 3,
    JSON.stringify(result.bulk)
  );
  const rerun = await syncCases(source.conn, h.conn, { bulkThreshold: 100 });
  assert.equal(rerun.changed, 0);
});

test('5 % injected faults: every case arrives once, none lost, none duplicated', async () => {
  const h = await hub({
    faults: {
      seed: 42,
      rules: [
        { endpoint: '*', kind: 'SERVER_UNAVAILABLE', rate: 0.02 },
        { endpoint: '*', kind: 'DROP_CONNECTION', rate: 0.02 },
        {
          endpoint: 'collections.upsert',
          kind: 'UNABLE_TO_LOCK_ROW',
          rate: 0.05,
          records: [1, 7, 150]
        }
      ]
    }
  });
  const result = await syncCases(source.conn, h.conn, {
    bulkThreshold: 10_000,
    client: { sleep: () => Promise.resolve() }
  });
  assert.equal(
    result.failed.length,
    0,
    JSON.stringify(result.failed.slice(0, 3))
  );
  assert.ok(result.api.hub.retries > 0, 'faults were injected and retried');
  await assertExactCopy(h.conn);
});

/** The sync fixture as a child process from `source` into `h`, SIGKILLed after killAfterMs. */
function runChild(h: TestOrg, killAfterMs: number | null): Promise<ChildEnd> {
  return runScript(
    path.join(here, '__fixtures__', 'sync-child.ts'),
    {
      SOURCE_URL: source.org.instanceUrl,
      SOURCE_TOKEN: source.org.accessToken,
      HUB_URL: h.org.instanceUrl,
      HUB_TOKEN: h.org.accessToken,
      BULK_THRESHOLD: '10000'
    },
    killAfterMs
  );
}

test('SIGKILL at random points, then a rerun: exact final counts', async () => {
  const h = await hub();
  // Seeded kill times spread over a run's start-up and its writes.
  const next = seededRandom(9);
  let killed = 0;
  for (let i = 0; i < 5; i++) {
    const outcome = await runChild(h, Math.round(400 + next() * 1600));
    if (outcome.signal === 'SIGKILL') killed++;
    else assert.equal(outcome.code, 0);
  }
  assert.ok(killed > 0, 'at least one run was killed part way');
  const final = await runChild(h, null);
  assert.equal(final.code, 0);
  await assertExactCopy(h.conn);
});

test('deleted source cases are reported, and closed in the hub with closeDeleted, never deleted there', async () => {
  const h = await hub();
  await syncCases(source.conn, h.conn, { bulkThreshold: 10_000 });
  const gone = await source.conn
    .sobject('Case')
    .create({ Subject: 'Opened by mistake' });
  await syncCases(source.conn, h.conn, { bulkThreshold: 10_000 });
  await source.conn.sobject('Case').destroy(String(gone.id));
  const key = `${(await source.conn.query<{ Id: string }>('SELECT Id FROM Organization')).records[0]?.Id ?? ''}:${String(gone.id)}`;
  const report = await syncCases(source.conn, h.conn, {
    bulkThreshold: 10_000
  });
  assert.deepEqual(report.deleted, { keys: [key], closed: 0 });
  const closing = await syncCases(source.conn, h.conn, {
    bulkThreshold: 10_000,
    closeDeleted: true
  });
  assert.deepEqual(closing.deleted, { keys: [key], closed: 1 });
  const copy = await h.conn.query<{ Status: string }>(
    `SELECT Status FROM Case WHERE Source_Case_Key__c = '${key}'`
  );
  assert.equal(copy.records[0]?.Status, 'Closed');
  // Handled: the next run reports it no more.
  const after = await syncCases(source.conn, h.conn, {
    bulkThreshold: 10_000,
    closeDeleted: true
  });
  assert.deepEqual(after.deleted, { keys: [], closed: 0 });
});
