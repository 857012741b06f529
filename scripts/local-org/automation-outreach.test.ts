/** The local org's executive outreach automation, through jsforce as a client sees it. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createdIds as created,
  startTestOrg,
  type TestOrg
} from './test-org.ts';

let org: TestOrg;
let keyAccount: string;
let otherKey: string;
let plainAccount: string;
let manager: string;

interface OutreachRow {
  Account__c: string;
  OwnerId: string;
  Status__c: string;
  Outreach_Key__c: string;
  Due_At__c: string | null;
}

async function outreachOf(incidentId: string): Promise<OutreachRow[]> {
  return (
    await org.conn.query<OutreachRow>(
      `SELECT Account__c, OwnerId, Status__c, Outreach_Key__c, Due_At__c FROM Incident_Outreach__c WHERE Incident__c = '${incidentId}' ORDER BY Account__c`
    )
  ).records;
}

async function casesOf(accounts: string[]): Promise<string[]> {
  return created(
    org.conn,
    'Case',
    accounts.map((AccountId, i) => ({ Subject: `Outage ${i}`, AccountId }))
  );
}

async function link(incidentId: string, caseIds: string[]): Promise<void> {
  await created(
    org.conn,
    'CaseRelatedIssue',
    caseIds.map((CaseId) => ({ CaseId, RelatedIssueId: incidentId }))
  );
}

before(async () => {
  org = await startTestOrg();
  [keyAccount = '', otherKey = '', plainAccount = ''] = await created(
    org.conn,
    'Account',
    [
      { Name: 'Key one', Key_Account__c: true },
      { Name: 'Key two', Key_Account__c: true },
      { Name: 'Plain', Key_Account__c: false }
    ]
  );
  const users = await org.conn.query<{ Id: string }>(
    'SELECT Id FROM User LIMIT 1'
  );
  manager = users.records[0]?.Id ?? '';
  await created(org.conn, 'Incident_Roster_Member__c', [
    {
      Name: 'Sam Manager',
      Role__c: 'Service Level Manager',
      Account__c: keyAccount,
      User__c: manager,
      Email__c: 'sam@example.com',
      Active__c: true
    }
  ]);
});

after(async () => {
  await org.dispose();
});

test('severity 1: linking cases of key accounts creates one outreach per key account, once', async () => {
  const [incidentId = ''] = await created(org.conn, 'Incident', [
    { Subject: 'Storm', Urgency: 'High', Impact: 'High' }
  ]);
  assert.deepEqual(await outreachOf(incidentId), []);
  // Two cases of one key account, one of another, one of a plain account, in one call.
  await link(
    incidentId,
    await casesOf([keyAccount, keyAccount, otherKey, plainAccount])
  );
  const rows = await outreachOf(incidentId);
  assert.deepEqual(
    rows.map((r) => [r.Account__c, r.Status__c, r.Outreach_Key__c]),
    [
      [keyAccount, 'Open', `${incidentId}:${keyAccount}`],
      [otherKey, 'Open', `${incidentId}:${otherKey}`]
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  );
  // The roster's service level manager owns the key account's outreach.
  assert.equal(rows.find((r) => r.Account__c === keyAccount)?.OwnerId, manager);
  assert.ok(rows.every((r) => r.Due_At__c !== null));

  // More links and a save of the incident: still one per account.
  await link(incidentId, await casesOf([keyAccount]));
  await org.conn
    .sobject('Incident')
    .update({ Id: incidentId, Subject: 'Storm (renamed)' });
  assert.equal((await outreachOf(incidentId)).length, 2);
});

test('a link of a key account that has its outreach does not queue the check: the links are not re-read', async () => {
  const [incidentId = ''] = await created(org.conn, 'Incident', [
    { Subject: 'Long storm', Urgency: 'High', Impact: 'High' }
  ]);
  await link(incidentId, await casesOf([keyAccount]));
  assert.equal((await outreachOf(incidentId)).length, 1);
  // The check's read of every key-account link of the incident is the one statement joining
  // CaseRelatedIssue to Account; count its executions while more cases are linked.
  const db = org.org.db;
  const prepare = db.prepare.bind(db);
  let linkReads = 0;
  db.prepare = (sql: string) => {
    if (/FROM "CaseRelatedIssue"[^]*JOIN "Account"/.test(sql)) linkReads += 1;
    return prepare(sql);
  };
  try {
    await link(
      incidentId,
      await casesOf([keyAccount, keyAccount, plainAccount])
    );
    assert.equal(linkReads, 0);
    // A key account without its outreach still gets it, through the check.
    await link(incidentId, await casesOf([otherKey]));
    assert.equal(linkReads, 1);
  } finally {
    db.prepare = prepare;
  }
  assert.deepEqual(
    (await outreachOf(incidentId)).map((r) => r.Account__c).sort(),
    [keyAccount, otherKey].sort()
  );
});

test('severity 3 gets none until it is raised to 2', async () => {
  const [incidentId = ''] = await created(org.conn, 'Incident', [
    { Subject: 'Degraded panels', Urgency: 'Low', Impact: 'High' }
  ]);
  await link(incidentId, await casesOf([keyAccount]));
  assert.deepEqual(await outreachOf(incidentId), []);
  await org.conn
    .sobject('Incident')
    .update({ Id: incidentId, Urgency: 'Medium', Impact: 'High' });
  const rows = await outreachOf(incidentId);
  assert.deepEqual(
    rows.map((r) => r.Account__c),
    [keyAccount]
  );
});

test('an outreach key is unique: a second record for the same incident and account is refused', async () => {
  const [incidentId = ''] = await created(org.conn, 'Incident', [
    { Subject: 'Twice', Urgency: 'High', Impact: 'High' }
  ]);
  await link(incidentId, await casesOf([otherKey]));
  const [again] = await org.conn.sobject('Incident_Outreach__c').create([
    {
      Incident__c: incidentId,
      Account__c: otherKey,
      Status__c: 'Open',
      Outreach_Key__c: `${incidentId}:${otherKey}`
    }
  ]);
  assert.equal(again?.success, false);
  assert.equal((await outreachOf(incidentId)).length, 1);
});
