/** ensureOutreach on a local org through jsforce, with the org's own automation bypassed. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createdIds as created,
  startTestOrg,
  type TestOrg
} from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';
import { ensureOutreach } from './outreach.ts';

let org: TestOrg;

function client(): OrgClient {
  return new OrgClient(org.conn, { sleep: () => Promise.resolve() });
}

before(async () => {
  org = await startTestOrg();
});
after(async () => {
  await org.dispose();
});

test('creates the missing outreach once, keeps edited records as they are, skips severity 3', async () => {
  const conn = org.conn;
  // With automation bypassed the org creates no outreach itself: this is the tooling's path.
  await created(conn, 'Incident_Automation_Settings__c', [
    { Bypass_Automation__c: true }
  ]);
  const [key = '', plain = ''] = await created(conn, 'Account', [
    { Name: 'Key', Key_Account__c: true },
    { Name: 'Plain', Key_Account__c: false }
  ]);
  const incidents = await created(
    conn,
    'Incident',
    Array.from({ length: 3 }, (_, i) => ({
      Subject: `Outage ${i}`,
      Urgency: 'High',
      Impact: 'High',
      Severity__c: i === 2 ? 3 : 1
    }))
  );
  const cases = await created(
    conn,
    'Case',
    incidents.flatMap((_, i) => [
      { Subject: `Key ${i}`, AccountId: key },
      { Subject: `Plain ${i}`, AccountId: plain }
    ])
  );
  await created(
    conn,
    'CaseRelatedIssue',
    cases.map((CaseId, i) => ({
      CaseId,
      RelatedIssueId: incidents[Math.floor(i / 2)]
    }))
  );
  const none = await conn.query('SELECT Id FROM Incident_Outreach__c');
  assert.equal(none.totalSize, 0, 'the bypass kept the automation out');

  const now = new Date('2026-03-10T14:00:00.000Z');
  const first = await ensureOutreach(client(), incidents, now);
  assert.deepEqual(first.failed, []);
  assert.deepEqual(
    first.created.sort(),
    [`${incidents[0] ?? ''}:${key}`, `${incidents[1] ?? ''}:${key}`].sort()
  );

  // The owner takes it up; a rerun must not put it back to Open.
  const [row] = (
    await conn.query<{ Id: string }>(
      `SELECT Id FROM Incident_Outreach__c WHERE Outreach_Key__c = '${incidents[0] ?? ''}:${key}'`
    )
  ).records;
  assert.ok(row);
  await conn.sobject('Incident_Outreach__c').update({
    Id: row.Id,
    Status__c: 'Contacted',
    Special_Requests__c: 'Call the CFO'
  });
  const rerun = await ensureOutreach(client(), incidents, now);
  assert.deepEqual(rerun.created, []);
  const stored = await conn.query<{ Status__c: string }>(
    `SELECT Status__c FROM Incident_Outreach__c WHERE Id = '${row.Id}'`
  );
  assert.equal(stored.records[0]?.Status__c, 'Contacted');
  assert.equal(
    (await conn.query('SELECT Id FROM Incident_Outreach__c')).totalSize,
    2
  );
});
