/** incident rollout end to end: local orgs started by the test, real jsforce, the shared client. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  runScript,
  testOrgPool,
  type ChildEnd,
  type TestOrg
} from '../local-org/test-org.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import {
  loadRolloutScenario,
  ownClient as clientOf,
  type RolloutScenario
} from './rollout-data.ts';
import {
  assignContacts,
  defaultCaseComment,
  rolloutChangeRequest,
  rolloutEventKey,
  RolloutInputError,
  type RolloutResult
} from './rollout.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUMMARY = 'Inverter firmware 4.2.1 deployed to every site.';
const COMMENT = 'Fixed by the firmware update; closing this case.';

let org: TestOrg;
const orgs = testOrgPool();
const newOrg = orgs.start;

before(async () => {
  org = await newOrg();
});
after(orgs.disposeAll);

/** Calls that are not reads (GET): writes, and composite requests (which here always write). */
function writeCalls(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([endpoint]) => !endpoint.startsWith('GET'))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Every record of a query, read through a retrying client (the fault test's org fails reads too). */
function rows<T>(target: TestOrg, soql: string): Promise<T[]> {
  return clientOf(target).queryAll<T>(soql);
}

/**
 * What a finished rollout must leave: every case that was open closed, each with exactly one
 * closing comment; the cases closed before and the case of the 'Caused By' incident untouched;
 * the fixed issues resolved, the caused incident not; one rollout event per incident.
 */
async function assertRolledOut(
  target: TestOrg,
  scenario: RolloutScenario,
  comment: string
): Promise<void> {
  const cases = await rows<{ Id: string; Status: string }>(
    target,
    `SELECT Id, Status FROM Case WHERE Source_Case_Key__c != null`
  );
  const status = new Map(cases.map((c) => [c.Id, c.Status]));
  for (const id of scenario.caseIds)
    assert.equal(status.get(id), 'Closed', `case ${id}`);
  assert.equal(status.get(scenario.causedCaseId), 'Working');
  const closing = await rows<{ ParentId: string; IsPublished: boolean }>(
    target,
    `SELECT ParentId, IsPublished, CommentBody FROM CaseComment WHERE ParentId != null`
  ).then((all) =>
    all.filter((c) => (c as { CommentBody?: string }).CommentBody === comment)
  );
  const perCase = new Map<string, number>();
  for (const c of closing) {
    assert.equal(c.IsPublished, true);
    perCase.set(c.ParentId, (perCase.get(c.ParentId) ?? 0) + 1);
  }
  const open = new Set(scenario.openCaseIds);
  for (const id of scenario.caseIds)
    assert.equal(
      perCase.get(id) ?? 0,
      open.has(id) ? 1 : 0,
      `comments on ${id}`
    );
  assert.equal(perCase.get(scenario.causedCaseId) ?? 0, 0);

  const incidents = await rows<{
    Id: string;
    Status: string;
    ResolutionSummary: string | null;
  }>(target, 'SELECT Id, Status, ResolutionSummary FROM Incident');
  const byId = new Map(incidents.map((i) => [i.Id, i]));
  for (const id of scenario.incidentIds)
    assert.equal(byId.get(id)?.Status, 'Resolved');
  assert.equal(byId.get(scenario.causedIncidentId)?.Status, 'In Progress');
  const [problem] = await rows<{ Status: string }>(
    target,
    `SELECT Status FROM Problem WHERE Id = '${scenario.problemId}'`
  );
  assert.equal(problem?.Status, 'Resolved');
  const [cr] = await rows<{ Status: string }>(
    target,
    `SELECT Status FROM ChangeRequest WHERE Id = '${scenario.changeRequestId}'`
  );
  assert.equal(cr?.Status, 'Closed');
  const events = await rows<{
    Event_Key__c: string;
    Type__c: string;
    Source__c: string;
  }>(
    target,
    `SELECT Event_Key__c, Type__c, Source__c FROM Incident_Event__c WHERE Event_Key__c LIKE '%:Status:rollout:%'`
  );
  assert.deepEqual(
    events.map((e) => e.Event_Key__c).sort(),
    scenario.incidentIds
      .map((id) => rolloutEventKey(id, scenario.changeRequestId))
      .sort()
  );
  assert.ok(
    events.every((e) => e.Type__c === 'Status' && e.Source__c === 'CLI')
  );
}

/**
 * Restored notices per recipient (a contact, or a case without one) and incident: each
 * incident's Service Restored broadcast, and its messages (emails, and published comments that
 * are not the closing comment) on the cases of that incident.
 */
async function noticesByRecipient(
  target: TestOrg,
  scenario: RolloutScenario,
  comment: string
): Promise<{ perRecipient: Map<string, number>; broadcasts: number }> {
  const contactOf = new Map(scenario.links.map((l) => [l.caseId, l.contactId]));
  const emails = await rows<{ ParentId: string }>(
    target,
    'SELECT ParentId FROM EmailMessage'
  );
  const comments = await rows<{ ParentId: string; CommentBody: string }>(
    target,
    'SELECT ParentId, CommentBody FROM CaseComment WHERE IsPublished = true'
  );
  const perRecipient = new Map<string, number>();
  for (const message of [
    ...emails,
    ...comments.filter((c) => c.CommentBody !== comment)
  ]) {
    const recipient =
      contactOf.get(message.ParentId) ?? `case:${message.ParentId}`;
    perRecipient.set(recipient, (perRecipient.get(recipient) ?? 0) + 1);
  }
  const broadcasts = await rows<{ Id: string }>(
    target,
    "SELECT Broadcast_Id__c FROM Incident_Communication__c WHERE Stage__c = 'Service Restored' AND Broadcast_Id__c != null"
  );
  return { perRecipient, broadcasts: broadcasts.length };
}

/**
 * The restored notices each recipient must get: a contact one, if a case of theirs is linked to
 * a fixed incident (problem-only cases get no notice); a case without a contact one per fixed
 * incident it is linked to (comms' audience gives such a case a comment of its own per send).
 */
function expectedNotices(scenario: RolloutScenario): Map<string, number> {
  const expected = new Map<string, number>();
  const fixed = new Set(scenario.incidentIds);
  for (const link of scenario.links) {
    const incidents = link.issueIds.filter((id) => fixed.has(id)).length;
    if (incidents === 0) continue;
    if (link.contactId !== null) expected.set(link.contactId, 1);
    else expected.set(`case:${link.caseId}`, incidents);
  }
  return expected;
}

/** Exactly the notices expectedNotices says: nobody missing, no contact twice. */
function assertOneNoticePerContact(
  scenario: RolloutScenario,
  perRecipient: ReadonlyMap<string, number>
): void {
  const sorted = (m: ReadonlyMap<string, number>): [string, number][] =>
    [...m].sort(([a], [b]) => a.localeCompare(b));
  assert.deepEqual(sorted(perRecipient), sorted(expectedNotices(scenario)));
  // Contacts with cases on several incidents, or the rule was not put to work.
  const shared = scenario.contactIds.filter(
    (contact) =>
      new Set(
        scenario.links
          .filter((l) => l.contactId === contact)
          .flatMap((l) => l.issueIds)
      ).size > 1
  );
  assert.ok(shared.length > 0);
}

function assertOk(result: RolloutResult): void {
  assert.deepEqual(
    result.failures,
    [],
    JSON.stringify(result.failures.slice(0, 3))
  );
}

test('assignContacts: each contact goes to the first incident that has a case of theirs', () => {
  const assigned = assignContacts(
    ['i1', 'i2', 'i3'],
    [
      { contactId: 'a', issueIds: ['i2'] },
      { contactId: 'a', issueIds: ['i1'] },
      { contactId: 'b', issueIds: ['i2', 'i3'] },
      { contactId: null, issueIds: ['i1'] },
      { contactId: 'c', issueIds: ['problem'] }
    ]
  );
  assert.deepEqual([...(assigned.get('i1')?.notifies ?? [])], ['a']);
  assert.deepEqual([...(assigned.get('i2')?.notifies ?? [])], ['b']);
  assert.deepEqual([...(assigned.get('i2')?.excluded ?? [])], ['a']);
  assert.deepEqual([...(assigned.get('i3')?.notifies ?? [])], []);
  assert.deepEqual([...(assigned.get('i3')?.excluded ?? [])], ['b']);
});

test('happy path, then a rerun writes nothing, then the change request counts as completed', async () => {
  const scenario = await loadRolloutScenario(clientOf(org), {
    incidents: 3,
    cases: 260,
    contacts: 40,
    tag: 'happy'
  });
  const client = clientOf(org);
  const result = await rolloutChangeRequest(client, {
    changeRequest: scenario.changeRequestNumber,
    resolutionSummary: SUMMARY,
    caseComment: COMMENT,
    actorName: 'release.engineer@example.com'
  });
  assertOk(result);
  assert.equal(result.changeRequest.completed, true);
  assert.equal(result.changeRequest.alreadyCompleted, false);
  assert.deepEqual(
    result.incidents.map((i) => [i.id, i.outcome, i.notice]),
    scenario.incidentIds.map((id) => [id, 'resolved', 'sent'])
  );
  assert.deepEqual(
    result.problems.map((p) => p.outcome),
    ['resolved']
  );
  assert.deepEqual(result.notFixed, [
    {
      id: scenario.causedIncidentId,
      type: 'Incident',
      relationshipType: 'Caused By'
    }
  ]);
  const open = scenario.openCaseIds.length;
  assert.deepEqual(result.cases, {
    linked: 260,
    closed: open,
    alreadyClosed: 260 - open
  });
  assert.equal(result.notices.sent, 3);
  assert.deepEqual(result.events, { written: 3, existing: 0 });
  assert.equal(result.writes.Case, open);
  // Resolved, then stamped Last_Customer_Update_At__c by each incident's send.
  assert.equal(result.writes.Incident, 3 + 3);
  assert.equal(result.writes.Problem, 1);
  assert.equal(result.writes.ChangeRequest, 1);
  assert.equal(result.writes.BroadcastCommunication, 3);
  await assertRolledOut(org, scenario, COMMENT);
  const [incident] = await rows<{ ResolutionSummary: string }>(
    org,
    `SELECT ResolutionSummary FROM Incident WHERE Id = '${scenario.incidentIds[0] ?? ''}'`
  );
  assert.equal(incident?.ResolutionSummary, SUMMARY);
  // Comment and close go together: two composite calls for 200 + the rest.
  assert.equal(client.callsByEndpoint['POST composite'], Math.ceil(open / 200));
  const notices = await noticesByRecipient(org, scenario, COMMENT);
  assert.equal(notices.broadcasts, 3);
  assertOneNoticePerContact(scenario, notices.perRecipient);

  const rerunClient = clientOf(org);
  const rerun = await rolloutChangeRequest(rerunClient, {
    changeRequest: scenario.changeRequestId
  });
  assertOk(rerun);
  assert.equal(writeCalls(rerunClient.callsByEndpoint), 0);
  assert.deepEqual(rerun.writes, {});
  assert.equal(rerun.changeRequest.alreadyCompleted, true);
  assert.equal(rerun.changeRequest.completed, false);
  assert.ok(
    rerun.incidents.every((i) => i.outcome === 'already' && i.notice === 'done')
  );
  assert.equal(rerun.cases.closed, 0);
  await assertRolledOut(org, scenario, COMMENT);
});

test('one restored notice per contact across the incidents of a rollout', async () => {
  const scenario = await loadRolloutScenario(clientOf(org), {
    incidents: 2,
    cases: 40,
    contacts: 10,
    tag: 'per-contact'
  });
  const before = await noticesByRecipient(org, scenario, COMMENT);
  const result = await rolloutChangeRequest(clientOf(org), {
    changeRequest: scenario.changeRequestNumber,
    caseComment: COMMENT
  });
  assertOk(result);
  const after = await noticesByRecipient(org, scenario, COMMENT);
  for (const contact of scenario.contactIds)
    assert.equal(
      (after.perRecipient.get(contact) ?? 0) -
        (before.perRecipient.get(contact) ?? 0),
      1,
      contact
    );
});

test('dry run: lists what it would do with the counts the real run then has, and writes nothing', async () => {
  const scenario = await loadRolloutScenario(clientOf(org), {
    incidents: 2,
    cases: 90,
    contacts: 20,
    tag: 'dry'
  });
  const client = clientOf(org);
  const dry = await rolloutChangeRequest(client, {
    changeRequest: scenario.changeRequestNumber,
    dryRun: true
  });
  assert.equal(writeCalls(client.callsByEndpoint), 0);
  assert.equal(dry.dryRun, true);
  assert.equal(dry.changeRequest.completed, true);
  assert.ok(
    dry.incidents.every((i) => i.outcome === 'would' && i.notice === 'would')
  );
  assert.equal(dry.cases.closed, scenario.openCaseIds.length);
  const [cr] = await rows<{ Status: string }>(
    org,
    `SELECT Status FROM ChangeRequest WHERE Id = '${scenario.changeRequestId}'`
  );
  assert.equal(cr?.Status, 'Implementing');
  const real = await rolloutChangeRequest(clientOf(org), {
    changeRequest: scenario.changeRequestNumber
  });
  assertOk(real);
  // The dry run counts what rollout itself writes; the real run adds what each send wrote
  // (its broadcast, messages, Last_Customer_Update_At__c and CommunicationSent event).
  assert.deepEqual(dry.writes, {
    Problem: 1,
    Incident: 2,
    Case: scenario.openCaseIds.length,
    CaseComment: scenario.openCaseIds.length,
    Incident_Event__c: 2,
    ChangeRequest: 1
  });
  assert.equal(real.writes.Problem, 1);
  assert.equal(real.writes.Incident, 2 + 2);
  assert.equal(real.writes.Case, scenario.openCaseIds.length);
  assert.equal(real.writes.Incident_Event__c, 2 + 2);
  assert.equal(real.writes.BroadcastCommunication, 2);
  assert.equal(real.writes.ChangeRequest, 1);
  assert.deepEqual(dry.cases, real.cases);
  assert.equal(dry.notices.sent, real.notices.sent);
});

test('bad input: exit 2 and nothing written', async () => {
  const client = clientOf(org);
  for (const ref of ['99999999', '0oW000000000000AAA'])
    await assert.rejects(
      rolloutChangeRequest(client, { changeRequest: ref }),
      (e: Error) =>
        e instanceof RolloutInputError &&
        e.exitCode === 2 &&
        e.message.includes(`no change request ${ref}`)
    );
  await assert.rejects(
    rolloutChangeRequest(client, { changeRequest: ' ' }),
    (e: Error) =>
      e instanceof RolloutInputError && e.message.startsWith('--change-request')
  );
  const canceled = await org.conn
    .sobject('ChangeRequest')
    .create({ Subject: 'Abandoned change', Status: 'Canceled' });
  await assert.rejects(
    rolloutChangeRequest(client, { changeRequest: String(canceled.id) }),
    (e: Error) =>
      e instanceof RolloutInputError && e.message.includes(' is Canceled: ')
  );
  // A change request that only caused an incident fixes nothing.
  const culprit = await org.conn
    .sobject('ChangeRequest')
    .create({ Subject: 'Portal release', Status: 'Implementing' });
  const broken = await org.conn.sobject('Incident').create({
    Subject: 'Portal down after release',
    Urgency: 'High',
    Impact: 'High'
  });
  await org.conn.sobject('ChangeRequestRelatedIssue').create({
    ChangeRequestId: culprit.id,
    RelatedIssueId: broken.id
  });
  await assert.rejects(
    rolloutChangeRequest(client, { changeRequest: String(culprit.id) }),
    (e: Error) =>
      e instanceof RolloutInputError && e.message.includes("none as 'Fixed By'")
  );
  await assert.rejects(
    rolloutChangeRequest(client, {
      changeRequest: String(culprit.id),
      resolutionSummary: 'x'.repeat(32_001)
    }),
    (e: Error) =>
      e instanceof RolloutInputError &&
      e.message.startsWith('--resolution-summary')
  );
  assert.equal(writeCalls(client.callsByEndpoint), 0);
  const [incident] = await rows<{ Status: string }>(
    org,
    `SELECT Status FROM Incident WHERE Id = '${String(broken.id)}'`
  );
  assert.equal(incident?.Status, 'New');
});

test('a change request closed by hand before the rollout: the run resolves and closes what is left', async () => {
  const scenario = await loadRolloutScenario(clientOf(org), {
    incidents: 1,
    cases: 20,
    tag: 'closed-by-hand'
  });
  await org.conn
    .sobject('ChangeRequest')
    .update({ Id: scenario.changeRequestId, Status: 'Closed' });
  const result = await rolloutChangeRequest(clientOf(org), {
    changeRequest: scenario.changeRequestNumber,
    caseComment: COMMENT
  });
  assertOk(result);
  assert.equal(result.changeRequest.alreadyCompleted, true);
  assert.equal(result.changeRequest.completed, false);
  assert.equal(result.cases.closed, scenario.openCaseIds.length);
  assert.equal(result.writes.ChangeRequest, undefined);
});

/** Runs until a run reports no failure (at most `limit` runs); returns how many runs it took. */
async function rolloutUntilDone(
  target: TestOrg,
  changeRequest: string,
  limit: number
): Promise<{ runs: number; failuresSeen: number; retries: number }> {
  let failuresSeen = 0;
  let retries = 0;
  for (let runs = 1; runs <= limit; runs++) {
    const client = clientOf(target);
    const result = await rolloutChangeRequest(client, {
      changeRequest,
      caseComment: COMMENT
    });
    retries += client.retries;
    if (result.failures.length === 0) return { runs, failuresSeen, retries };
    failuresSeen += result.failures.length;
  }
  throw new Error(`still failing after ${String(limit)} runs`);
}

test('5 % injected faults, then reruns: every case closed exactly once, each contact messaged once', async () => {
  const faulty = await newOrg({
    faults: {
      seed: 12,
      rules: [
        { endpoint: '*', kind: 'SERVER_UNAVAILABLE', rate: 0.02 },
        { endpoint: '*', kind: 'DROP_CONNECTION', rate: 0.02 },
        { endpoint: 'composite', kind: 'UNABLE_TO_LOCK_ROW', rate: 0.05 },
        {
          endpoint: 'collections.create',
          kind: 'UNABLE_TO_LOCK_ROW',
          rate: 0.05,
          records: [2, 40]
        }
      ]
    }
  });
  const scenario = await loadRolloutScenario(clientOf(faulty), {
    incidents: 3,
    cases: 450,
    contacts: 60,
    tag: 'faults'
  });
  const outcome = await rolloutUntilDone(
    faulty,
    scenario.changeRequestNumber,
    6
  );
  assert.ok(outcome.retries > 0, 'faults were injected and retried');
  await assertRolledOut(faulty, scenario, COMMENT);
  const notices = await noticesByRecipient(faulty, scenario, COMMENT);
  assert.equal(notices.broadcasts, 3);
  assertOneNoticePerContact(scenario, notices.perRecipient);
});

function runChild(
  target: TestOrg,
  changeRequest: string,
  killAfterMs: number | null
): Promise<ChildEnd> {
  return runScript(
    path.join(here, 'rollout-child.ts'),
    {
      ORG_URL: target.org.instanceUrl,
      ORG_TOKEN: target.org.accessToken,
      CHANGE_REQUEST: changeRequest
    },
    killAfterMs
  );
}

test('SIGKILL at random points, then a rerun: every case closed exactly once, each contact messaged once', async () => {
  const target = await newOrg();
  const scenario = await loadRolloutScenario(clientOf(target), {
    incidents: 3,
    cases: 600,
    contacts: 120,
    tag: 'sigkill'
  });
  const next = seededRandom(31);
  let killed = 0;
  for (let i = 0; i < 4; i++) {
    const outcome = await runChild(
      target,
      scenario.changeRequestNumber,
      Math.round(900 + next() * 1800)
    );
    if (outcome.signal === 'SIGKILL') killed++;
    else assert.equal(outcome.code, 0);
  }
  assert.ok(killed > 0, 'at least one run was killed part way');
  const final = await runChild(target, scenario.changeRequestNumber, null);
  assert.equal(final.code, 0);
  // The child ran with the default comment.
  const comment = defaultCaseComment(scenario.changeRequestNumber);
  await assertRolledOut(target, scenario, comment);
  const notices = await noticesByRecipient(target, scenario, comment);
  assert.equal(notices.broadcasts, 3);
  assertOneNoticePerContact(scenario, notices.perRecipient);
});
