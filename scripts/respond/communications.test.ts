/** sendCommunication on a local org through jsforce: who hears, how, and never twice. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createdIds as created,
  startTestOrg,
  type TestOrg
} from '../local-org/test-org.ts';
import { OrgClient, RetriesExhaustedError } from '../org-client/index.ts';
import {
  CommunicationInputError,
  commentText,
  composeCommunication,
  messageIdentifier,
  readableTime,
  sendCommunication
} from './communications.ts';

let org: TestOrg;
let incidentId: string;
let caseIds: string[];
let groupId: string;
let anaId: string;

function client(options: { maxAttempts?: number } = {}): OrgClient {
  return new OrgClient(org.conn, {
    sleep: () => Promise.resolve(),
    ...(options.maxAttempts
      ? { retry: { maxAttempts: options.maxAttempts } }
      : {})
  });
}

/**
 * An incident whose linked cases are one per contact, all of one account: a send's audience.
 * Each contact gets the account; each case the account and its contact.
 */
async function incidentForContacts(fixture: {
  account: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  caseSubject: (index: number) => string;
  incident: Record<string, unknown>;
}): Promise<{ incidentId: string; caseIds: string[] }> {
  const conn = org.conn;
  const [account = ''] = await created(conn, 'Account', [fixture.account]);
  const contacts = await created(
    conn,
    'Contact',
    fixture.contacts.map((contact) => ({ ...contact, AccountId: account }))
  );
  const caseIds = await created(
    conn,
    'Case',
    contacts.map((ContactId, i) => ({
      Subject: fixture.caseSubject(i),
      AccountId: account,
      ContactId
    }))
  );
  const [incidentId = ''] = await created(conn, 'Incident', [fixture.incident]);
  await created(
    conn,
    'CaseRelatedIssue',
    caseIds.map((CaseId) => ({ CaseId, RelatedIssueId: incidentId }))
  );
  return { incidentId, caseIds };
}

async function count(soql: string): Promise<number> {
  return (await org.conn.query(soql)).totalSize;
}

/** The send's ledger rows as [status, broadcast id, recipients, failed]. */
async function ledgerOf(
  sendKey: string
): Promise<[string, string | null, number | null, number | null][]> {
  const rows = await org.conn.query<{
    Status__c: string;
    Broadcast_Id__c: string | null;
    Recipient_Count__c: number | null;
    Failed_Count__c: number | null;
  }>(
    `SELECT Status__c, Broadcast_Id__c, Recipient_Count__c, Failed_Count__c FROM Incident_Communication__c WHERE Send_Key__c = '${sendKey}'`
  );
  return rows.records.map((r) => [
    r.Status__c,
    r.Broadcast_Id__c,
    r.Recipient_Count__c,
    r.Failed_Count__c
  ]);
}

/**
 * Makes the `ahead`-th next call to `endpoint` fail with `kind` (only `records`, 1-based, when
 * given: a per-record refusal), as the local org's fault drill does.
 */
function failNext(
  endpoint: 'collections.create' | 'collections.update',
  ahead: number,
  kind: 'SERVER_UNAVAILABLE' | 'UNABLE_TO_LOCK_ROW',
  records?: number[]
): void {
  org.org.faults.configure({
    rules: [
      {
        endpoint,
        kind,
        calls: [org.org.counters.get(endpoint) + ahead],
        ...(records ? { records } : {})
      }
    ]
  });
}

const NOW = new Date('2026-03-10T14:00:00.000Z');

before(async () => {
  org = await startTestOrg();
  const conn = org.conn;
  const [west] = await created(conn, 'Account', [
    { Name: 'Sunny Roofs', Region__c: 'West', Key_Account__c: true }
  ]);
  const [ana = '', bo] = await created(conn, 'Contact', [
    { LastName: 'Ana', AccountId: west, Email: 'ana@example.com' },
    { LastName: 'Bo', AccountId: west }
  ]);
  anaId = ana;
  caseIds = await created(conn, 'Case', [
    { Subject: 'No power', AccountId: west, ContactId: ana },
    { Subject: 'Still no power', AccountId: west, ContactId: ana },
    { Subject: 'Inverter dark', AccountId: west, ContactId: bo }
  ]);
  [incidentId = ''] = await created(conn, 'Incident', [
    {
      Subject: 'Regional inverter outage',
      Urgency: 'High',
      Impact: 'High',
      Workaround__c: 'Switch the inverter off and on again.'
    }
  ]);
  await created(
    conn,
    'CaseRelatedIssue',
    caseIds.map((CaseId) => ({ CaseId, RelatedIssueId: incidentId }))
  );
  [groupId = ''] = await created(conn, 'Group', [
    { Name: 'Outage subscribers', Type: 'Regular' }
  ]);
});

after(async () => {
  await org.dispose();
});

test('compose merges the template and lists one member per contact', async () => {
  const composed = await composeCommunication(client(), {
    incidentId,
    stage: 'First Alert',
    now: NOW
  });
  assert.equal(
    composed.subject,
    'We are working on an issue: Regional inverter outage'
  );
  assert.match(composed.body, /Regions affected: West/);
  assert.match(composed.body, /Switch the inverter off and on again\./);
  // Severity 1 (High x High): updates every 30 minutes.
  assert.equal(composed.nextUpdateAt, '2026-03-10T14:30:00.000Z');
  assert.match(composed.body, /by 2026-03-10 14:30 UTC/);
  // No related items yet: the products are a visible placeholder, never "undefined".
  assert.match(composed.body, /\[products being confirmed\]/);
  assert.deepEqual(composed.missing, ['AffectedProducts']);
  assert.doesNotMatch(composed.body, /undefined|null/);
  assert.deepEqual(
    composed.audience.map((m) => [m.channel, m.caseIds.length]),
    [
      ['email', 2],
      ['comment', 1]
    ]
  );
});

test('bad input: one clear error, nothing written', async () => {
  const before = await count('SELECT Id FROM BroadcastCommunication');
  await assert.rejects(
    sendCommunication(client(), {
      incidentId,
      stage: 'Update',
      subject: 'Hi {!Contact.FirstName}',
      body: 'text'
    }),
    (error: unknown) =>
      error instanceof CommunicationInputError &&
      error.field === 'Contact.FirstName' &&
      error.message.includes('{!Contact.FirstName}')
  );
  await assert.rejects(
    sendCommunication(client(), {
      incidentId,
      stage: 'Farewell' as 'Update'
    }),
    (error: unknown) =>
      error instanceof CommunicationInputError && error.field === 'stage'
  );
  assert.equal(await count('SELECT Id FROM BroadcastCommunication'), before);
});

test('a send to 3 cases of 2 contacts (one without email): 1 broadcast, its audience, 1 email, 1 comment, 1 event; a rerun after a fault messages nobody twice', async () => {
  const sendKey = `${incidentId}:First Alert:test`;
  // The send's creates: broadcast, audience, emails, comments. The comments' call fails for
  // good the first time, as if the process died there after the email went out.
  failNext('collections.create', 4, 'SERVER_UNAVAILABLE');
  await assert.rejects(
    sendCommunication(client({ maxAttempts: 1 }), {
      incidentId,
      stage: 'First Alert',
      now: NOW,
      sendKey,
      subscriberGroupIds: [groupId]
    }),
    RetriesExhaustedError
  );
  org.org.faults.clear();
  assert.equal(await count('SELECT Id FROM EmailMessage'), 1);
  assert.equal(await count('SELECT Id FROM CaseComment'), 0);

  const later = new Date(NOW.getTime() + 5 * 60 * 1000);
  const result = await sendCommunication(client(), {
    incidentId,
    stage: 'First Alert',
    now: later,
    sendKey,
    subscriberGroupIds: [groupId]
  });
  assert.equal(result.resumed, true);
  assert.equal(result.emailsSent, 0);
  assert.equal(result.alreadyMessaged, 1);
  assert.equal(result.commentsPosted, 1);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.afterErrors, []);
  // The rerun says what the first attempt said (its next-update time included).
  assert.match(result.body, /by 2026-03-10 14:30 UTC/);

  assert.equal(
    await count(
      `SELECT Id FROM BroadcastCommunication WHERE RelatedRecordId = '${incidentId}'`
    ),
    1
  );
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Sent', result.broadcastId, 2, 0]
  ]);
  assert.equal(
    await count(
      `SELECT Id FROM BroadcastCommAudience WHERE BroadcastCommunicationId = '${result.broadcastId}'`
    ),
    1
  );
  const emails = await org.conn.query<{
    ParentId: string;
    ToAddress: string;
    MessageIdentifier: string;
    Subject: string;
  }>(
    'SELECT ParentId, ToAddress, MessageIdentifier, Subject FROM EmailMessage'
  );
  assert.equal(emails.records.length, 1);
  assert.equal(emails.records[0]?.ParentId, caseIds[0]);
  assert.equal(emails.records[0]?.ToAddress, 'ana@example.com');
  const comments = await org.conn.query<{
    ParentId: string;
    IsPublished: boolean;
    CommentBody: string;
  }>('SELECT ParentId, IsPublished, CommentBody FROM CaseComment');
  assert.equal(comments.records.length, 1);
  const [comment] = comments.records;
  assert.ok(comment);
  assert.equal(comment.ParentId, caseIds[2]);
  assert.equal(comment.IsPublished, true);
  assert.equal(comment.CommentBody, commentText(result.subject, result.body));
  const incident = await org.conn
    .sobject('Incident')
    .retrieve(incidentId, { fields: ['Last_Customer_Update_At__c'] });
  assert.equal(
    new Date(String(incident.Last_Customer_Update_At__c)).toISOString(),
    later.toISOString()
  );
  const events = await org.conn.query<{
    Event_Key__c: string;
    Visibility__c: string;
  }>(
    `SELECT Event_Key__c, Visibility__c FROM Incident_Event__c WHERE Type__c = 'CommunicationSent'`
  );
  assert.deepEqual(
    events.records.map((e) => [e.Event_Key__c, e.Visibility__c]),
    [
      [
        `${incidentId}:CommunicationSent:${result.broadcastId}`,
        'Customer-Facing'
      ]
    ]
  );

  // A third run of the same send writes no message at all.
  const again = await sendCommunication(client(), {
    incidentId,
    stage: 'First Alert',
    now: later,
    sendKey
  });
  assert.equal(again.alreadyMessaged, 2);
  assert.equal(again.emailsSent + again.commentsPosted, 0);
  assert.equal(await count('SELECT Id FROM EmailMessage'), 1);
  assert.equal(await count('SELECT Id FROM CaseComment'), 1);
});

test('excluded contacts are not messaged (rollout: once per contact across incidents)', async () => {
  const result = await sendCommunication(client(), {
    incidentId,
    stage: 'Update',
    now: NOW,
    sendKey: `${incidentId}:Update:exclude`,
    excludeContactIds: [anaId]
  });
  assert.deepEqual(
    result.members.map((m) => [m.channel, m.status]),
    [['comment', 'sent']]
  );
  assert.equal(result.emailsSent, 0);
  assert.ok(result.audience.every((m) => m.contactId !== anaId));
});

test('450 contacts: 200 messages a call, and the calls of a first send do not grow with reads per member', async () => {
  const { incidentId: bigIncident } = await incidentForContacts({
    account: { Name: 'Many Homes', Region__c: 'East' },
    contacts: Array.from({ length: 450 }, (_, i) => ({
      LastName: `Customer ${i}`,
      ...(i % 2 === 0 ? { Email: `c${i}@example.com` } : {})
    })),
    caseSubject: (i) => `Outage ${i}`,
    incident: { Subject: 'Wide outage', Urgency: 'Medium', Impact: 'High' }
  });
  const sender = client();
  const result = await sendCommunication(sender, {
    incidentId: bigIncident,
    stage: 'Update',
    now: NOW
  });
  assert.deepEqual(result.failed, []);
  assert.equal(result.emailsSent, 225);
  assert.equal(result.commentsPosted, 225);
  const calls = sender.callsByEndpoint;
  // 225 emails and 225 comments: two creates each, plus the broadcast's one.
  assert.equal(calls['POST composite/sobjects'], 5, JSON.stringify(calls));
});

test('a message the org refuses is reported for its contact, the others go out, and a rerun sends only it', async () => {
  const { incidentId: lockIncident, caseIds: cases } =
    await incidentForContacts({
      account: { Name: 'Lock Street' },
      contacts: [
        { LastName: 'One', Email: 'one@example.com' },
        { LastName: 'Two', Email: 'two@example.com' }
      ],
      caseSubject: () => 'Dark',
      incident: { Subject: 'Locked', Urgency: 'Low', Impact: 'Low' }
    });
  const sendKey = `${lockIncident}:Update:locked`;
  // The emails' create (after the broadcast's) loses the row lock on its second record.
  failNext('collections.create', 2, 'UNABLE_TO_LOCK_ROW', [2]);
  const first = await sendCommunication(client({ maxAttempts: 1 }), {
    incidentId: lockIncident,
    stage: 'Update',
    now: NOW,
    sendKey
  });
  org.org.faults.clear();
  assert.equal(first.emailsSent, 1);
  assert.equal(first.failed.length, 1);
  assert.equal(first.failed[0]?.errors[0]?.statusCode, 'UNABLE_TO_LOCK_ROW');
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Partially Sent', first.broadcastId, 1, 1]
  ]);

  const rerun = await sendCommunication(client(), {
    incidentId: lockIncident,
    stage: 'Update',
    now: NOW,
    sendKey
  });
  assert.deepEqual(rerun.failed, []);
  assert.equal(rerun.emailsSent, 1);
  assert.equal(rerun.alreadyMessaged, 1);
  assert.equal(
    await count(
      `SELECT Id FROM EmailMessage WHERE ParentId IN ('${cases.join("','")}')`
    ),
    2
  );
});

test('a crash between the broadcast and its ledger update: the rerun finds that broadcast (by incident, subject and time), creates no second one, and ends Sent', async () => {
  const sendKey = `${incidentId}:Update:crash`;
  failNext('collections.update', 1, 'SERVER_UNAVAILABLE');
  const broadcastsBefore = await count(
    `SELECT Id FROM BroadcastCommunication WHERE RelatedRecordId = '${incidentId}'`
  );
  await assert.rejects(
    sendCommunication(client({ maxAttempts: 1 }), {
      incidentId,
      stage: 'Update',
      now: NOW,
      sendKey
    }),
    RetriesExhaustedError
  );
  org.org.faults.clear();
  assert.deepEqual(await ledgerOf(sendKey), [['Sending', null, null, null]]);
  const rerun = await sendCommunication(client(), {
    incidentId,
    stage: 'Update',
    now: NOW,
    sendKey
  });
  assert.equal(rerun.resumed, true);
  assert.equal(
    await count(
      `SELECT Id FROM BroadcastCommunication WHERE RelatedRecordId = '${incidentId}'`
    ),
    broadcastsBefore + 1
  );
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Sent', rerun.broadcastId, 2, 0]
  ]);
});

/** The incident's Last_Customer_Update_At__c, ISO. */
async function lastUpdateOf(id: string): Promise<string | null> {
  const row = await org.conn
    .sobject('Incident')
    .retrieve(id, { fields: ['Last_Customer_Update_At__c'] });
  const at: unknown = row.Last_Customer_Update_At__c;
  return typeof at === 'string' ? new Date(at).toISOString() : null;
}

test('a rerun of a finished send that reaches nobody new leaves the last update time, the event and the ledger row as the send wrote them', async () => {
  const { incidentId: quiet } = await incidentForContacts({
    account: { Name: 'Quiet Lane' },
    contacts: [{ LastName: 'Quinn', Email: 'quinn@example.com' }],
    caseSubject: () => 'Flicker',
    incident: { Subject: 'Flicker', Urgency: 'Low', Impact: 'Low' }
  });
  const sendKey = `${quiet}:Update:finished`;
  const first = await sendCommunication(client(), {
    incidentId: quiet,
    stage: 'Update',
    now: NOW,
    sendKey
  });
  assert.equal(first.recorded, true);
  assert.equal(await lastUpdateOf(quiet), NOW.toISOString());
  const sentAt = async () =>
    (
      await org.conn.query<{ Sent_At__c: string }>(
        `SELECT Sent_At__c FROM Incident_Communication__c WHERE Send_Key__c = '${sendKey}'`
      )
    ).records.map((r) => new Date(r.Sent_At__c).toISOString());
  const updatesBefore = org.org.counters.get('collections.update');
  const eventsBefore = org.org.counters.get('collections.upsert');

  // An hour later (rollout's rerun after its cases failed): nobody new to message.
  const rerun = await sendCommunication(client(), {
    incidentId: quiet,
    stage: 'Update',
    now: new Date(NOW.getTime() + 60 * 60 * 1000),
    sendKey
  });
  assert.equal(rerun.resumed, true);
  assert.equal(rerun.alreadyMessaged, 1);
  assert.equal(rerun.recorded, false);
  assert.equal(await lastUpdateOf(quiet), NOW.toISOString());
  assert.deepEqual(await sentAt(), [NOW.toISOString()]);
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Sent', first.broadcastId, 1, 0]
  ]);
  assert.equal(org.org.counters.get('collections.update'), updatesBefore);
  assert.equal(org.org.counters.get('collections.upsert'), eventsBefore);
});

test('a send whose stamp the org refuses stays Sending; the rerun messages nobody again, stamps and ends Sent', async () => {
  const { incidentId: refused } = await incidentForContacts({
    account: { Name: 'Stamp Road' },
    contacts: [{ LastName: 'Sam', Email: 'sam@example.com' }],
    caseSubject: () => 'Dim',
    incident: { Subject: 'Dim', Urgency: 'Low', Impact: 'Low' }
  });
  const sendKey = `${refused}:Update:stamp`;
  // The send's updates: the ledger's broadcast link, then the incident's stamp.
  failNext('collections.update', 2, 'UNABLE_TO_LOCK_ROW', [1]);
  const first = await sendCommunication(client({ maxAttempts: 1 }), {
    incidentId: refused,
    stage: 'Update',
    now: NOW,
    sendKey
  });
  org.org.faults.clear();
  assert.equal(first.emailsSent, 1);
  assert.deepEqual(
    first.afterErrors.map((e) => e.object),
    ['Incident']
  );
  assert.equal(await lastUpdateOf(refused), null);
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Sending', first.broadcastId, 1, 0]
  ]);

  const later = new Date(NOW.getTime() + 10 * 60 * 1000);
  const rerun = await sendCommunication(client(), {
    incidentId: refused,
    stage: 'Update',
    now: later,
    sendKey
  });
  assert.equal(rerun.emailsSent, 0);
  assert.equal(rerun.recorded, true);
  assert.deepEqual(rerun.afterErrors, []);
  assert.equal(await lastUpdateOf(refused), later.toISOString());
  assert.deepEqual(await ledgerOf(sendKey), [
    ['Sent', first.broadcastId, 1, 0]
  ]);
});

test('a draft (a ledger row in Draft, no broadcast) sent under its key becomes Sent with the text chosen now and one broadcast', async () => {
  const sendKey = `${incidentId}:Webinar Invitation:draft`;
  await org.conn.sobject('Incident_Communication__c').create({
    Incident__c: incidentId,
    Stage__c: 'Webinar Invitation',
    Subject__c: 'Drafted subject',
    Body__c: 'Drafted body',
    Status__c: 'Draft',
    Send_Key__c: sendKey
  });
  assert.deepEqual(await ledgerOf(sendKey), [['Draft', null, null, null]]);
  const sent = await sendCommunication(client(), {
    incidentId,
    stage: 'Webinar Invitation',
    subject: 'Join us',
    body: 'Webinar at noon.',
    now: NOW,
    sendKey
  });
  assert.equal(sent.resumed, false, 'a draft is not a started send');
  assert.equal(sent.subject, 'Join us');
  assert.deepEqual(await ledgerOf(sendKey), [['Sent', sent.broadcastId, 2, 0]]);
});

test("a First Alert sent without a key takes over the response plan's open draft: one ledger row, Sent; the next First Alert is a send of its own", async () => {
  // A severity 1 incident: the local org's response plan drafted its first alert on creation.
  const [drafted = ''] = await created(org.conn, 'Incident', [
    { Subject: 'Drafted outage', Urgency: 'High', Impact: 'High' }
  ]);
  await created(org.conn, 'CaseRelatedIssue', [
    { CaseId: caseIds[2], RelatedIssueId: drafted }
  ]);
  const draftKey = `${drafted}:First Alert:draft`;
  const ledgerOfIncident = async () =>
    (
      await org.conn.query<{ Send_Key__c: string; Status__c: string }>(
        `SELECT Send_Key__c, Status__c FROM Incident_Communication__c WHERE Incident__c = '${drafted}' ORDER BY CreatedDate, Id`
      )
    ).records.map((r) => [r.Send_Key__c, r.Status__c]);
  assert.deepEqual(await ledgerOfIncident(), [[draftKey, 'Draft']]);

  const sent = await sendCommunication(client(), {
    incidentId: drafted,
    stage: 'First Alert',
    subject: 'Power outage: we are on it',
    body: 'Crews are out.',
    now: NOW
  });
  assert.equal(sent.sendKey, draftKey);
  assert.equal(sent.resumed, false);
  assert.equal(sent.commentsPosted, 1);
  assert.deepEqual(await ledgerOfIncident(), [[draftKey, 'Sent']]);
  const [row] = (
    await org.conn.query<{
      Subject__c: string;
      Broadcast_Id__c: string;
      Email_Count__c: number;
      Comment_Count__c: number;
    }>(
      `SELECT Subject__c, Broadcast_Id__c, Email_Count__c, Comment_Count__c FROM Incident_Communication__c WHERE Send_Key__c = '${draftKey}'`
    )
  ).records;
  assert.ok(row);
  assert.equal(row.Subject__c, 'Power outage: we are on it');
  assert.equal(row.Broadcast_Id__c, sent.broadcastId);
  // The counts on the row, as the Apex send keeps them across its transactions.
  assert.deepEqual([row.Email_Count__c, row.Comment_Count__c], [0, 1]);

  // The draft is spent: a second First Alert is a new send, which messages everyone again.
  const second = await sendCommunication(client(), {
    incidentId: drafted,
    stage: 'First Alert',
    now: NOW
  });
  assert.notEqual(second.sendKey, draftKey);
  assert.equal(second.commentsPosted, 1);
  assert.deepEqual(
    (await ledgerOfIncident()).map(([, status]) => status),
    ['Sent', 'Sent']
  );
});

test('helpers: readable time, identifiers, comment length', () => {
  assert.equal(
    readableTime('2026-03-10T14:30:00.000Z'),
    '2026-03-10 14:30 UTC'
  );
  assert.equal(messageIdentifier('k', '003A'), messageIdentifier('k', '003A'));
  assert.notEqual(
    messageIdentifier('k', '003A'),
    messageIdentifier('j', '003A')
  );
  const long = commentText('S', 'é'.repeat(5000));
  assert.ok(Buffer.byteLength(long, 'utf8') <= 4000);
  assert.ok(long.endsWith('…'));
});
