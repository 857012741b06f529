/**
 * The response plan in the local org, through jsforce: raising an incident's severity takes the
 * plan's steps once (actions recorded, tasks, swarm, feed post, draft alert, timeline events),
 * a second save takes none, lowering takes none, and an SLA breach found by the sweep escalates
 * to the service level manager of an affected account.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { respondToSla } from './automation-response.ts';
import { runSlaSweep } from './automation-timeline.ts';
import { startTestOrg, type TestOrg } from './test-org.ts';

type Rec = Record<string, unknown>;

async function rows(conn: Connection, soql: string): Promise<Rec[]> {
  return (await conn.query<Rec>(soql)).records;
}

describe('response plan automation', () => {
  let t: TestOrg;
  let clock = new Date('2026-03-10T17:00:00.000Z');
  let incidentId = '';
  let adminId = '';
  let accountId = '';

  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:', now: () => clock });
    const [admin] = await rows(t.conn, 'SELECT Id FROM User LIMIT 1');
    adminId = String(admin?.Id);
    const account = await t.conn
      .sobject('Account')
      .create({ Name: 'Sunrise Apartments', Key_Account__c: true });
    accountId = String(account.id);
    // No shifts: always on duty. The expert knows the incident's category.
    await t.conn.sobject('Incident_Roster_Member__c').create([
      {
        Name: 'Olivia Duty',
        Role__c: 'On-Duty Customer Service Manager',
        Email__c: 'olivia@example.com',
        Active__c: true
      },
      {
        Name: 'Ezra Expert',
        Role__c: 'Technical Expert',
        Email__c: 'ezra@example.com',
        Expertise__c: 'Batteries; inverters ',
        Active__c: true
      },
      {
        Name: 'Sam Level',
        Role__c: 'Service Level Manager',
        User__c: adminId,
        Account__c: accountId,
        Active__c: true
      }
    ]);
  });
  after(async () => {
    await t.dispose();
  });

  async function actions(): Promise<Rec[]> {
    return rows(
      t.conn,
      `SELECT Step__c, Trigger__c, Action__c, Status__c, Error__c, Result_Id__c, Action_Key__c FROM Incident_Response_Action__c WHERE Incident__c = '${incidentId}' ORDER BY Name`
    );
  }

  it('takes severity 3 steps on creation: the owner gets a task', async () => {
    const created = await t.conn.sobject('Incident').create({
      Subject: 'Inverters offline in Fresno',
      Urgency: 'Low',
      Impact: 'High',
      Category: 'Inverters'
    });
    assert.ok(created.success);
    incidentId = created.id;
    const taken = await actions();
    assert.deepEqual(
      taken.map((a) => [a.Step__c, a.Trigger__c, a.Status__c]),
      [['Sev3_Owner_Task', 'Severity Reached', 'Done']]
    );
    const [task] = await rows(
      t.conn,
      `SELECT Subject, OwnerId, Priority, Status FROM Task WHERE WhatId = '${incidentId}'`
    );
    assert.ok(task);
    assert.match(String(task.Subject), /^Severity 3 response: /);
    assert.equal(task.OwnerId, adminId);
    assert.equal(task.Status, 'Not Started');
  });

  it('raising severity 3 -> 1 takes the severity 1 steps once, each recorded and on the timeline', async () => {
    await t.conn
      .sobject('Incident')
      .update({ Id: incidentId, Urgency: 'High' });
    const taken = await actions();
    assert.deepEqual(
      taken.slice(1).map((a) => [a.Step__c, a.Action__c, a.Status__c]),
      [
        ['Sev1_Start_Swarm', 'Start Swarm', 'Done'],
        ['Sev1_Feed_Post', 'Feed Post', 'Done'],
        ['Sev1_Owner_Task', 'Owner Task', 'Done'],
        ['Sev1_Draft_Customer_Alert', 'Draft Customer Alert', 'Done']
      ]
    );
    assert.ok(taken.every((a) => typeof a.Result_Id__c === 'string'));
    const [swarm] = await rows(
      t.conn,
      `SELECT Name, OwnerId FROM Swarm WHERE RelatedRecordId = '${incidentId}'`
    );
    assert.match(String(swarm?.Name), /^Swarm: /);
    const [post] = await rows(
      t.conn,
      `SELECT Body FROM FeedItem WHERE ParentId = '${incidentId}'`
    );
    assert.match(
      String(post?.Body),
      /On-duty customer service manager: Olivia Duty\./
    );
    assert.match(String(post?.Body), /Technical experts: Ezra Expert\./);
    const [draft] = await rows(
      t.conn,
      `SELECT Subject__c, Status__c, Broadcast_Id__c, Send_Key__c FROM Incident_Communication__c WHERE Incident__c = '${incidentId}'`
    );
    assert.ok(draft, 'a draft first alert');
    assert.equal(draft.Send_Key__c, `${incidentId}:First Alert:draft`);
    assert.equal(draft.Status__c, 'Draft');
    assert.equal(draft.Broadcast_Id__c, null, 'a draft has no broadcast');
    assert.match(String(draft.Subject__c), /Inverters offline in Fresno/);
    assert.equal(
      (
        await rows(
          t.conn,
          `SELECT Id FROM BroadcastCommunication WHERE RelatedRecordId = '${incidentId}'`
        )
      ).length,
      0,
      'a draft is no broadcast'
    );
    const audiences = await rows(
      t.conn,
      'SELECT Id FROM BroadcastCommAudience'
    );
    assert.equal(audiences.length, 0, 'a draft goes to nobody');
    const events = await rows(
      t.conn,
      `SELECT Summary__c, Event_Key__c FROM Incident_Event__c WHERE Incident__c = '${incidentId}' AND Type__c = 'ResponseStep' ORDER BY Event_Key__c`
    );
    assert.equal(events.length, 5);
    assert.ok(
      events.some(
        (e) =>
          e.Summary__c ===
            'Response plan: Start Swarm done (severity 1 reached)' &&
          e.Event_Key__c ===
            `${incidentId}:ResponseStep:Sev1_Start_Swarm:Severity Reached`
      )
    );
  });

  it('takes a feed post on an incident from a client too (FeedItem.ParentId may be an incident)', async () => {
    const post = await t.conn
      .sobject('FeedItem')
      .create({ ParentId: incidentId, Body: 'Bridge call at 10:00' });
    assert.equal(post.success, true);
  });

  it('a second save, lowering and raising again take no step twice', async () => {
    const before = (await actions()).length;
    await t.conn.sobject('Incident').update({
      Id: incidentId,
      Subject: 'Inverters offline in Fresno and Clovis'
    });
    // A minute between saves, as people take: the timeline keys a save's events by its time.
    clock = new Date(clock.getTime() + 60_000);
    await t.conn.sobject('Incident').update({ Id: incidentId, Urgency: 'Low' });
    clock = new Date(clock.getTime() + 60_000);
    await t.conn
      .sobject('Incident')
      .update({ Id: incidentId, Urgency: 'High' });
    assert.equal((await actions()).length, before);
    const tasks = await rows(
      t.conn,
      `SELECT Id FROM Task WHERE WhatId = '${incidentId}'`
    );
    assert.equal(tasks.length, 2);
  });

  it("an SLA breach found by the sweep escalates to the affected account's service level manager, once", async () => {
    const kase = await t.conn.sobject('Case').create({
      Subject: 'No power',
      AccountId: accountId,
      Status: 'New'
    });
    await t.conn.sobject('CaseRelatedIssue').create({
      CaseId: kase.id,
      RelatedIssueId: incidentId
    });
    const [stored] = await rows(
      t.conn,
      `SELECT Sla_Response_Due__c FROM Incident WHERE Id = '${incidentId}'`
    );
    clock = new Date(Date.parse(String(stored?.Sla_Response_Due__c)) + 60_000);
    // The org's own sweep (IncidentSlaMonitor's twin) finds the breach and calls the plan.
    assert.ok(runSlaSweep(t.org.ctx) > 0, 'the sweep wrote the breach');
    assert.equal(runSlaSweep(t.org.ctx), 0, 'a second sweep finds nothing new');
    // Called again for the same incident (a later sweep, a retry), it takes no step twice.
    const incidentObject = t.org.ctx.registry.object('Incident');
    assert.ok(incidentObject);
    const row = t.org.ctx.store.get(incidentObject, incidentId);
    assert.ok(row);
    respondToSla(t.org.ctx, row, {});
    const breach = (await actions()).filter(
      (a) => a.Trigger__c === 'SLA Breach'
    );
    assert.deepEqual(
      breach.map((a) => [a.Step__c, a.Status__c]),
      [['SLA_Breach_Escalate', 'Done']]
    );
    const escalations = await rows(
      t.conn,
      `SELECT OwnerId, Subject FROM Task WHERE WhatId = '${incidentId}' AND Subject LIKE 'SLA breached%'`
    );
    assert.deepEqual(
      escalations.map((e) => e.OwnerId),
      [adminId]
    );
  });

  it('a severity 4 incident follows the case process: recorded, nothing else made', async () => {
    const created = await t.conn.sobject('Incident').create({
      Subject: 'One panel dusty',
      Urgency: 'Low',
      Impact: 'Medium'
    });
    const id = String(created.id);
    const taken = await rows(
      t.conn,
      `SELECT Step__c, Status__c, Result_Id__c FROM Incident_Response_Action__c WHERE Incident__c = '${id}'`
    );
    assert.deepEqual(taken, [
      {
        attributes: taken[0]?.attributes,
        Step__c: 'Sev4_Case_Process',
        Status__c: 'Done',
        Result_Id__c: null
      }
    ]);
    const [event] = await rows(
      t.conn,
      `SELECT Summary__c FROM Incident_Event__c WHERE Incident__c = '${id}' AND Type__c = 'ResponseStep'`
    );
    assert.equal(
      event?.Summary__c,
      'Response plan: standard case process only, no incident response steps (severity 4 reached)'
    );
    const tasks = await rows(
      t.conn,
      `SELECT Id FROM Task WHERE WhatId = '${id}'`
    );
    assert.equal(tasks.length, 0);
  });

  it('a bypassed save takes no step', async () => {
    const settings = await t.conn
      .sobject('Incident_Automation_Settings__c')
      .create({ Bypass_Automation__c: true });
    try {
      const created = await t.conn.sobject('Incident').create({
        Subject: 'Migrated from the old tool',
        Urgency: 'High',
        Impact: 'High',
        Severity__c: 1
      });
      const taken = await rows(
        t.conn,
        `SELECT Id FROM Incident_Response_Action__c WHERE Incident__c = '${String(created.id)}'`
      );
      assert.equal(taken.length, 0);
    } finally {
      await t.conn
        .sobject('Incident_Automation_Settings__c')
        .destroy(String(settings.id));
    }
  });

  it('an invalid plan refuses the save that needs it, naming the step and the field', async () => {
    // A step written through the Metadata API as an admin could in Setup: no severity.
    const saved = await t.conn.metadata.upsert('CustomMetadata', {
      fullName: 'Incident_Response_Step.Broken_Step',
      label: 'Broken step',
      values: [
        { field: 'Trigger__c', value: 'Severity Raised' },
        { field: 'Action__c', value: 'Owner Task' },
        { field: 'Order__c', value: 10 }
      ]
    });
    assert.equal(saved.success, true);
    await assert.rejects(
      t.conn.sobject('Incident').create({
        Subject: 'Refused',
        Urgency: 'Low',
        Impact: 'High'
      }),
      (error: Error) => {
        assert.match(
          error.message,
          /^The incident response plan cannot be used: Response step \d+: Severity__c is required for the Severity Raised trigger$/
        );
        return true;
      }
    );
  });
});
