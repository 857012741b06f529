/** incident link end to end: a local org started by the test, real jsforce, the shared client. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { CasesInputError, linkCases } from './index.ts';

interface Fixture {
  incidentId: string;
  incidentNumber: string;
  onAsset: string[];
  onProduct: string[];
  closed: string;
  unrelated: string;
  accounts: number;
}

/** An incident on one asset and one product, with cases on them, one closed and one elsewhere. */
async function fixture(conn: Connection): Promise<Fixture> {
  const accounts = await conn
    .sobject('Account')
    .create(
      Array.from({ length: 4 }, (_, i) => ({ Name: `Link Customer ${i}` }))
    );
  const accountIds = accounts.map((a) => String(a.id));
  const [product, other] = await conn
    .sobject('Product2')
    .create([{ Name: 'Link Inverter' }, { Name: 'Link Meter' }]);
  const assets = await conn.sobject('Asset').create([
    { Name: 'site 1', AccountId: accountIds[0], Product2Id: other?.id },
    { Name: 'site 2', AccountId: accountIds[1], Product2Id: product?.id },
    { Name: 'site 3', AccountId: accountIds[2], Product2Id: product?.id },
    { Name: 'site 4', AccountId: accountIds[3], Product2Id: other?.id }
  ]);
  const assetIds = assets.map((a) => String(a.id));
  const incident = await conn.sobject('Incident').create({
    Subject: 'Link test outage',
    Urgency: 'High',
    Impact: 'Medium',
    DetectedDateTime: new Date().toISOString()
  });
  await conn.sobject('IncidentRelatedItem').create([
    { IncidentId: incident.id, AssetId: assetIds[0] },
    { IncidentId: incident.id, Product2Id: product?.id }
  ]);
  const cases = await conn.sobject('Case').create([
    ...Array.from({ length: 3 }, () => ({
      Subject: 'on asset',
      AccountId: accountIds[0],
      AssetId: assetIds[0]
    })),
    { Subject: 'on product', AccountId: accountIds[1], AssetId: assetIds[1] },
    { Subject: 'on product', AccountId: accountIds[2], AssetId: assetIds[2] },
    {
      Subject: 'closed',
      AccountId: accountIds[2],
      AssetId: assetIds[2],
      Status: 'Closed'
    },
    { Subject: 'elsewhere', AccountId: accountIds[3], AssetId: assetIds[3] }
  ]);
  const ids = cases.map((c) => String(c.id));
  const number = await conn.query<{ IncidentNumber: string }>(
    `SELECT IncidentNumber FROM Incident WHERE Id = '${String(incident.id)}'`
  );
  return {
    incidentId: String(incident.id),
    incidentNumber: number.records[0]?.IncidentNumber ?? '',
    onAsset: ids.slice(0, 3),
    onProduct: ids.slice(3, 5),
    closed: ids[5] ?? '',
    unrelated: ids[6] ?? '',
    accounts: 3
  };
}

async function links(conn: Connection, incidentId: string): Promise<string[]> {
  const rows = await conn.query<{ CaseId: string }>(
    `SELECT CaseId FROM CaseRelatedIssue WHERE RelatedIssueId = '${incidentId}' ORDER BY CaseId`
  );
  return rows.records.map((r) => r.CaseId);
}

let org: TestOrg;
let f: Fixture;

before(async () => {
  org = await startTestOrg();
  f = await fixture(org.conn);
});
after(async () => {
  await org.dispose();
});

test('dry run lists what it would link and writes nothing', async () => {
  const result = await linkCases(org.conn, {
    incident: f.incidentNumber,
    dryRun: true
  });
  assert.equal(result.dryRun, true);
  assert.equal(result.linked, 5);
  assert.deepEqual(
    result.incidents[0]?.wouldLink?.map((c) => c.caseId).sort(),
    [...f.onAsset, ...f.onProduct].sort()
  );
  assert.equal(result.affectedAccounts, f.accounts);
  assert.equal(
    result.api.callsByEndpoint['POST composite/sobjects'],
    undefined
  );
  assert.deepEqual(await links(org.conn, f.incidentId), []);
});

test('links the open cases on the incident assets and products, then a rerun writes nothing', async () => {
  const first = await linkCases(org.conn, { incident: f.incidentId });
  assert.deepEqual(
    [first.linked, first.alreadyLinked, first.failed],
    [5, 0, 0]
  );
  assert.equal(first.affectedAccounts, f.accounts);
  const linked = await links(org.conn, f.incidentId);
  assert.deepEqual(linked, [...f.onAsset, ...f.onProduct].sort());
  assert.ok(!linked.includes(f.closed) && !linked.includes(f.unrelated));
  const type = await org.conn.query<{ RelationshipType: string }>(
    `SELECT RelationshipType FROM CaseRelatedIssue WHERE RelatedIssueId = '${f.incidentId}' LIMIT 1`
  );
  assert.equal(type.records[0]?.RelationshipType, 'Root Cause');

  const rerun = await linkCases(org.conn, {});
  assert.deepEqual(
    [rerun.linked, rerun.alreadyLinked, rerun.failed],
    [0, 5, 0]
  );
  assert.equal(rerun.affectedAccounts, f.accounts);
  const writes = Object.keys(rerun.api.callsByEndpoint).filter(
    (e) => !e.startsWith('GET')
  );
  assert.deepEqual(writes, []);
});

test('two concurrent runs never link a case twice', async () => {
  const conn = org.conn;
  const incident = await conn.sobject('Incident').create({
    Subject: 'Concurrent link',
    Urgency: 'Low',
    Impact: 'Low',
    DetectedDateTime: new Date().toISOString()
  });
  const asset = await conn.query<{ AssetId: string }>(
    `SELECT AssetId FROM Case WHERE Id = '${f.onAsset[0] ?? ''}'`
  );
  const assetId = asset.records[0]?.AssetId ?? '';
  await conn
    .sobject('IncidentRelatedItem')
    .create({ IncidentId: incident.id, AssetId: assetId });
  const more = await conn.sobject('Case').create(
    Array.from({ length: 250 }, (_, i) => ({
      Subject: `burst ${i}`,
      AssetId: assetId
    })),
    { allowRecursive: true }
  );
  assert.ok(more.every((r) => r.success));
  const second = new Connection({
    instanceUrl: org.org.instanceUrl,
    accessToken: org.org.accessToken,
    version: '64.0'
  });
  const [a, b] = await Promise.all([
    linkCases(conn, { incident: String(incident.id) }),
    linkCases(second, { incident: String(incident.id) })
  ]);
  const expected = 250 + f.onAsset.length;
  assert.equal(a.linked + b.linked, expected);
  assert.equal(a.failed + b.failed, 0);
  assert.equal((await links(conn, String(incident.id))).length, expected);
});

test('bad input: an unknown incident or a bad window is refused with exit code 2', async () => {
  await assert.rejects(
    linkCases(org.conn, { incident: '99999999' }),
    (error: Error) => {
      assert.ok(error instanceof CasesInputError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^--incident: no incident 99999999/);
      return true;
    }
  );
  await assert.rejects(
    linkCases(org.conn, { incident: f.incidentId, window: 'yesterday' }),
    /^CasesInputError: --window: "yesterday" is not a duration/
  );
});
