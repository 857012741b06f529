/**
 * The tooling's own executive outreach after sync and detect --create link cases (T10), on
 * local orgs with the org's automation bypassed (Bypass_Automation__c), so its after-save
 * creates no outreach and the record can only come from the tooling's ensureOutreach call. On a
 * real org that call is the only thing that reacts to a link. The link command's case is in
 * commands-outcomes.test.ts, through the CLI.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Connection } from 'jsforce';
import { detectStorms, syncCases } from './index.ts';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { openIncidentOnAsset } from './test-orgs.ts';

const orgs: TestOrg[] = [];
async function org(): Promise<TestOrg> {
  const started = await startTestOrg();
  orgs.push(started);
  return started;
}
after(async () => {
  await Promise.all(orgs.map((o) => o.dispose()));
});

async function bypass(conn: Connection): Promise<void> {
  const settings = await conn
    .sobject('Incident_Automation_Settings__c')
    .create({ Bypass_Automation__c: true });
  assert.ok(settings.success);
}

async function outreachKeys(conn: Connection): Promise<string[]> {
  const found = await conn.query<{ Outreach_Key__c: string }>(
    'SELECT Outreach_Key__c FROM Incident_Outreach__c ORDER BY Outreach_Key__c'
  );
  return found.records.map((r) => r.Outreach_Key__c);
}

test('sync: a key account case it links to a severity 1 incident gets its outreach, once', async () => {
  const source = await org();
  const hub = await org();
  const account = await source.conn
    .sobject('Account')
    .create({ Name: 'Key remote' });
  const asset = await source.conn.sobject('Asset').create({
    Name: 'Remote site',
    SerialNumber: 'SN-OUTREACH',
    AccountId: account.id
  });
  await source.conn.sobject('Case').create({
    Subject: 'Remote down',
    AccountId: account.id,
    AssetId: asset.id
  });
  const sourceOrg = await source.conn.query<{ Id: string }>(
    'SELECT Id FROM Organization'
  );
  // The hub already knows this customer as a key account, under sync's stable key.
  const hubAccount = await hub.conn.sobject('Account').create({
    Name: 'Key remote',
    Key_Account__c: true,
    Source_Account_Key__c: `${sourceOrg.records[0]?.Id ?? ''}:${String(account.id)}`
  });
  const hubAsset = await hub.conn.sobject('Asset').create({
    Name: 'Hub site',
    SerialNumber: 'SN-OUTREACH',
    AccountId: hubAccount.id
  });
  const incidentId = await openIncidentOnAsset(
    hub.conn,
    hubAsset.id,
    'Hub outage'
  );
  await bypass(hub.conn);
  const key = `${incidentId}:${String(hubAccount.id)}`;
  const result = await syncCases(source.conn, hub.conn, {
    bulkThreshold: 10_000
  });
  assert.equal(result.linked?.linked, 1);
  assert.deepEqual(result.linked.outreach, { created: [key], failed: [] });
  const again = await syncCases(source.conn, hub.conn, {
    bulkThreshold: 10_000
  });
  assert.equal(again.linked, null, 'nothing synced, nothing linked, no call');
  assert.deepEqual(await outreachKeys(hub.conn), [key]);
});

test('detect --create: the storm incident opened at severity 1 calls for its key account outreach; one record', async () => {
  const stormOrg = await org();
  const key = await stormOrg.conn
    .sobject('Account')
    .create({ Name: 'Key customer', Key_Account__c: true });
  const plain = await stormOrg.conn
    .sobject('Account')
    .create({ Name: 'Plain customer' });
  const asset = await stormOrg.conn
    .sobject('Asset')
    .create({ Name: 'Shared feeder', AccountId: key.id });
  // A key account among the storm's cases proposes urgent; a safety word, high impact: severity 1.
  for (const [i, accountId] of [key.id, plain.id, plain.id].entries())
    await stormOrg.conn.sobject('Case').create({
      Subject: `Smoke and fire at the inverter ${String(i)}`,
      AccountId: accountId,
      AssetId: asset.id
    });
  // Not bypassed: the composite's incident gets its severity from the automation, and the
  // org's after-save creates the outreach on the link; the tooling's call finds it and adds none.
  const result = await detectStorms(stormOrg.conn, {
    create: true,
    threshold: 3,
    // The scan ends at a whole second: let it take in the cases of this second too.
    now: new Date(Date.now() + 1000)
  });
  assert.equal(result.created, 1);
  const incidentId = result.storms[0]?.created?.incidentId ?? '';
  const severity = await stormOrg.conn.query<{ Severity__c: number | null }>(
    `SELECT Severity__c FROM Incident WHERE Id = '${incidentId}'`
  );
  assert.equal(severity.records[0]?.Severity__c, 1);
  assert.deepEqual(result.outreach, { created: [], failed: [] });
  assert.deepEqual(await outreachKeys(stormOrg.conn), [
    `${incidentId}:${String(key.id)}`
  ]);
});
