/**
 * The response controller's stand-in against a local org, through jsforce: templates and the
 * update cadence, a preview merged with the incident's data and a deduplicated audience, a send
 * through the tooling's sendCommunication that the history then shows with its counts (and a
 * draft apart), outreach listed and edited, response steps with their plan labels, and the
 * errors the sections show. The contract cases (incidentConsoleContract.json) hold it to the Apex.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../../local-org/test-org.ts';
import { OrgClient } from '../../org-client/index.ts';
import { ApexError } from './incident-console-controller.ts';
import {
  getCommunications,
  getDraft,
  getOutreach,
  getResponseActions,
  getUpdateCadence,
  previewMessage,
  sendCommunication,
  updateOutreach
} from './response-controller.ts';

const DETECTED = '2026-01-05T09:00:00.000Z';
const NOW = new Date('2026-01-05T09:20:00.000Z');
const now = (): Date => NOW;

describe('IncidentResponseController stand-in on the local org', () => {
  let testOrg: TestOrg;
  let client: OrgClient;

  before(async () => {
    testOrg = await startTestOrg();
    client = new OrgClient(testOrg.conn);
  });
  after(async () => {
    await testOrg.dispose();
  });

  async function create(
    sObject: string,
    fields: Record<string, unknown>
  ): Promise<string> {
    const result = await testOrg.conn.sobject(sObject).create(fields);
    assert.ok(result.success && result.id, JSON.stringify(result));
    return result.id;
  }

  /**
   * A severity 1 incident with three linked cases: two of one contact with an email (one
   * message), one of a contact without an email (a case comment).
   */
  async function outage(subject: string): Promise<string> {
    const incidentId = await create('Incident', {
      Subject: subject,
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: DETECTED
    });
    const account = await create('Account', { Name: `${subject} customer` });
    const withEmail = await create('Contact', {
      LastName: 'Mailable',
      Email: 'mailable@example.com',
      AccountId: account
    });
    const withoutEmail = await create('Contact', {
      LastName: 'Unmailable',
      AccountId: account
    });
    for (const contact of [withEmail, withEmail, withoutEmail]) {
      const caseId = await create('Case', {
        Subject: `${subject} case`,
        Status: 'New',
        ContactId: contact,
        AccountId: account
      });
      await create('CaseRelatedIssue', {
        CaseId: caseId,
        RelatedIssueId: incidentId
      });
    }
    return incidentId;
  }

  it('lists the templates in stage order, no history yet, and the next update due from detection', async () => {
    const incidentId = await outage('Comms first');
    const data = await getCommunications(
      client,
      { recordId: incidentId },
      { now }
    );

    assert.equal(data.recordId, incidentId);
    assert.equal(data.canSend, true);
    assert.deepEqual(
      data.templates.map((template) => template.stage),
      ['First Alert', 'Update', 'Webinar Invitation', 'Service Restored']
    );
    assert.match(data.templates[1]?.subject ?? '', /\{!Incident\.Subject\}/);
    // The response plan's automation may have drafted a first alert; nothing was sent.
    assert.deepEqual(
      data.history.filter((row) => row.status === 'Sent'),
      []
    );
    // Severity 1 updates every 30 minutes, counted from detection until one is sent.
    assert.equal(data.nextUpdateAt, '2026-01-05T09:30:00.000Z');

    const cadence = await getUpdateCadence(client, { recordId: incidentId });
    assert.equal(cadence.severity, 1);
    assert.equal(cadence.detectedAt, DETECTED);
    assert.equal(cadence.lastSentAt, null);
    assert.equal(cadence.closed, false);
    assert.deepEqual(
      cadence.policy.find((row) => row.severity === 1),
      { severity: 1, updateMinutes: 30, warningPercent: 75 }
    );
  });

  it('previews the merged text and the audience, one per contact, writing nothing', async () => {
    const incidentId = await outage('Inverters offline');
    const broadcastsOf = async (): Promise<number> =>
      (
        await client.queryAll(
          `SELECT Id FROM BroadcastCommunication WHERE RelatedRecordId = '${incidentId}'`
        )
      ).length;
    const before = await broadcastsOf();
    const preview = await previewMessage(
      client,
      {
        recordId: incidentId,
        stage: 'Update',
        subject: 'Update on {!Incident.Subject}',
        body: 'Still working on it. Workaround: {!Workaround}'
      },
      { now }
    );

    assert.equal(preview.subject, 'Update on Inverters offline');
    assert.equal(
      preview.body,
      'Still working on it. Workaround: [no workaround is available yet]'
    );
    assert.deepEqual(preview.missing, ['Workaround']);
    assert.deepEqual(preview.problems, []);
    assert.deepEqual(preview.audience, {
      contacts: 2,
      byEmail: 1,
      byComment: 1,
      cases: 3
    });
    assert.equal(await broadcastsOf(), before, 'a preview writes nothing');

    const unknown = await previewMessage(client, {
      recordId: incidentId,
      stage: 'Update',
      subject: 'Hello',
      body: 'Dear {!Customer.Name}'
    });
    assert.equal(unknown.problems.length, 1);
    assert.match(unknown.problems[0] ?? '', /\{!Customer\.Name\}/);
    assert.equal(unknown.body, 'Dear {!Customer.Name}');
    assert.equal(unknown.audience.contacts, 2, 'the audience still shows');
  });

  it('sends through the tooling; the history shows it with its counts, a draft apart, and the cadence restarts', async () => {
    const incidentId = await outage('Sent outage');
    // The response plan's automation drafts the first alert of a severity 1 incident
    // (IncidentCommunicationService.draft's key); drafted here when it has not.
    const draftKey = `${incidentId}:First Alert:draft`;
    const [drafted] = await client.queryAll<{ Id: string }>(
      `SELECT Id FROM Incident_Communication__c WHERE Send_Key__c = '${draftKey}'`
    );
    const draft =
      drafted?.Id ??
      (await create('Incident_Communication__c', {
        Incident__c: incidentId,
        Stage__c: 'First Alert',
        Subject__c: 'Draft first alert',
        Status__c: 'Draft',
        Send_Key__c: draftKey
      }));

    const sent = await sendCommunication(
      client,
      {
        recordId: incidentId,
        stage: 'Update',
        subject: 'Update on {!Incident.Subject}',
        body: 'We are on it.'
      },
      { now }
    );
    assert.equal(sent.sentAt, NOW.toISOString());
    assert.equal(sent.emailCount, 1);
    assert.equal(sent.commentCount, 1);
    assert.deepEqual(sent.failures, []);

    const data = await getCommunications(
      client,
      { recordId: incidentId },
      { now }
    );
    const byId = new Map(data.history.map((row) => [row.id, row]));
    assert.deepEqual(
      { ...byId.get(sent.id), sentBy: undefined },
      {
        id: sent.id,
        stage: 'Update',
        subject: 'Update on Sent outage',
        status: 'Sent',
        sentAt: NOW.toISOString(),
        sentBy: undefined,
        emailCount: 1,
        commentCount: 1
      }
    );
    assert.equal(byId.get(draft)?.status, 'Draft');
    assert.equal(byId.get(draft)?.stage, 'First Alert');
    assert.equal(byId.get(draft)?.emailCount, 0);
    assert.equal(data.nextUpdateAt, '2026-01-05T09:50:00.000Z');

    const cadence = await getUpdateCadence(client, { recordId: incidentId });
    assert.equal(cadence.lastSentAt, NOW.toISOString());
  });

  it("the compose starts from the plan's draft first alert, and sending it turns the draft into the send", async () => {
    // Severity 1: the local org's response plan drafted the first alert when it was created.
    const incidentId = await outage('Drafted outage');
    const draft = await getDraft(client, {
      recordId: incidentId,
      stage: 'First Alert'
    });
    assert.ok(draft, 'the open draft');
    assert.equal(draft.stage, 'First Alert');
    assert.match(draft.subject, /Drafted outage/);
    assert.notEqual(draft.body, '');
    assert.equal(
      await getDraft(client, { recordId: incidentId, stage: 'Update' }),
      null,
      'no draft of another stage'
    );

    const sent = await sendCommunication(
      client,
      {
        recordId: incidentId,
        stage: 'First Alert',
        subject: draft.subject,
        body: `${draft.body}\nChecked by the agent.`
      },
      { now }
    );
    assert.equal(sent.id, draft.id, "the send is the draft's ledger row");
    assert.equal(sent.pending, 0, 'the tooling messages everyone at once');
    const data = await getCommunications(
      client,
      { recordId: incidentId },
      { now }
    );
    assert.deepEqual(
      data.history.map((row) => [row.id, row.stage, row.status]),
      [[draft.id, 'First Alert', 'Sent']]
    );
    assert.equal(
      await getDraft(client, { recordId: incidentId, stage: 'First Alert' }),
      null,
      'the draft is spent'
    );
    await assert.rejects(
      getDraft(client, { recordId: incidentId, stage: 'Teaser' }),
      /Choose a template stage/
    );
  });

  it('a send still going out (an Apex send between its chained jobs) shows its counts so far from its row', async () => {
    const incidentId = await outage('Large outage');
    const going = await create('Incident_Communication__c', {
      Incident__c: incidentId,
      Stage__c: 'Update',
      Subject__c: 'Update: Large outage',
      Status__c: 'Sending',
      Send_Key__c: `${incidentId}:Update:large`,
      Sent_At__c: NOW.toISOString(),
      Progress_Key__c: 'contact:003000000000999AAA',
      Email_Count__c: 700,
      Comment_Count__c: 300
    });
    const data = await getCommunications(
      client,
      { recordId: incidentId },
      { now }
    );
    const row = data.history.find((sent) => sent.id === going);
    assert.deepEqual(
      [row?.status, row?.emailCount, row?.commentCount],
      ['Sending', 700, 300]
    );
  });

  it('refuses a send without a stage or a body, or on another object, with the message the section shows', async () => {
    const incidentId = await outage('Refused send');
    await assert.rejects(
      sendCommunication(client, {
        recordId: incidentId,
        stage: 'Postcard',
        subject: 's',
        body: 'b'
      }),
      new ApexError(
        'Choose a template stage: one of First Alert, Update, Webinar Invitation, Service Restored (got "Postcard").'
      )
    );
    await assert.rejects(
      sendCommunication(client, {
        recordId: incidentId,
        stage: 'Update',
        subject: 's',
        body: '  '
      }),
      new ApexError('The message has no body.')
    );
    const caseId = await create('Case', { Subject: 'Not an incident' });
    await assert.rejects(
      getCommunications(client, { recordId: caseId }),
      new ApexError(
        `Communications, outreach and response steps belong to incidents, not to Case (${caseId}).`
      )
    );
  });

  it('lists outreach by due time and saves a status and special requests', async () => {
    const incidentId = await outage('Key account outage');
    const later = await create('Account', { Name: 'Later Key Account' });
    const sooner = await create('Account', { Name: 'Sooner Key Account' });
    const laterOutreach = await create('Incident_Outreach__c', {
      Incident__c: incidentId,
      Account__c: later,
      Status__c: 'Open',
      Due_At__c: '2026-01-05T11:00:00.000Z',
      Outreach_Key__c: `${incidentId}:${later}`
    });
    await create('Incident_Outreach__c', {
      Incident__c: incidentId,
      Account__c: sooner,
      Status__c: 'Open',
      Due_At__c: '2026-01-05T10:00:00.000Z',
      Outreach_Key__c: `${incidentId}:${sooner}`
    });

    const list = await getOutreach(client, { recordId: incidentId });
    assert.equal(list.canEdit, true);
    const mine = list.items.filter((item) =>
      item.accountName?.endsWith('Key Account')
    );
    assert.deepEqual(
      mine.map((item) => item.accountName),
      ['Sooner Key Account', 'Later Key Account']
    );
    assert.ok(mine[0]?.ownerName, 'the owner is named');

    const saved = await updateOutreach(client, {
      id: laterOutreach,
      status: 'Contacted',
      specialRequests: 'A call from the CTO every two hours.'
    });
    assert.equal(saved.status, 'Contacted');
    assert.equal(saved.specialRequests, 'A call from the CTO every two hours.');
    assert.equal(saved.dueAt, '2026-01-05T11:00:00.000Z');

    await assert.rejects(
      updateOutreach(client, { id: laterOutreach, status: 'Forgotten' }),
      new ApexError(
        'Status must be one of Open, Contacted, Done (got "Forgotten").'
      )
    );
    await assert.rejects(
      updateOutreach(client, { id: incidentId, status: 'Done' }),
      new ApexError(`${incidentId} is not an executive outreach record.`)
    );
  });

  it('lists response steps newest first with the plan step labels', async () => {
    const incidentId = await outage('Steps outage');
    const [step] = await client.queryAll<{
      DeveloperName: string;
      MasterLabel: string;
    }>(
      "SELECT DeveloperName, MasterLabel FROM Incident_Response_Step__mdt WHERE DeveloperName = 'Sev1_Owner_Task'"
    );
    assert.ok(step, 'the default plan has Sev1_Owner_Task');
    const actionId = await create('Incident_Response_Action__c', {
      Incident__c: incidentId,
      Step__c: 'Sev1_Owner_Task',
      Action__c: 'Owner Task',
      Trigger__c: 'Severity Raised',
      Status__c: 'Failed',
      Error__c: 'The owner is a queue.',
      Completed_At__c: '2026-01-05T09:05:00.000Z',
      Action_Key__c: `${incidentId}:Sev1_Owner_Task:Severity Raised:test`
    });

    const actions = await getResponseActions(client, { recordId: incidentId });
    const mine = actions.find((action) => action.id === actionId);
    assert.deepEqual(
      { ...mine, createdAt: undefined },
      {
        id: actionId,
        stepName: 'Sev1_Owner_Task',
        stepLabel: step.MasterLabel,
        action: 'Owner Task',
        triggerName: 'Severity Raised',
        status: 'Failed',
        error: 'The owner is a queue.',
        createdAt: undefined,
        completedAt: '2026-01-05T09:05:00.000Z'
      }
    );
    assert.ok(mine?.createdAt);
  });
});
