/**
 * The incident timeline in the local org, through jsforce: an incident's life writes exactly
 * the expected events, in one statement per save; a rolled-back composite writes none; events
 * are append-only (starring allowed, edits and deletes refused unless the user is a timeline
 * admin); milestones are kept as first set; the SLA sweep writes each breach once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import {
  ADMIN_PERMISSION,
  runSlaSweep,
  startSlaSweep,
  timelineWrites
} from './automation-timeline.ts';
import { startTestOrg, type TestOrg } from './test-org.ts';

interface EventRow {
  Type__c: string;
  Event_Key__c: string;
  Summary__c: string;
  Visibility__c: string;
  Source__c: string;
  Actor__c: string | null;
  Recorded_At__c: string | null;
  Payload__c: string;
  Occurred_At__c: string;
}

async function eventsOf(
  conn: Connection,
  incidentId: string
): Promise<EventRow[]> {
  // The response plan writes ResponseStep events on severity changes: not this automation's.
  const result = await conn.query<EventRow>(
    `SELECT Type__c, Event_Key__c, Summary__c, Visibility__c, Source__c, Actor__c, Recorded_At__c, Payload__c, Occurred_At__c FROM Incident_Event__c WHERE Incident__c = '${incidentId}' AND Type__c != 'ResponseStep' ORDER BY Occurred_At__c, Name`
  );
  return result.records;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  assert.fail('the call was expected to be refused');
}

describe('incident timeline automation (local org)', () => {
  let t: TestOrg;
  let clock = new Date('2026-03-10T09:00:00.000Z');
  let adminId = '';
  let otherUserId = '';

  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:', now: () => clock });
    const admin = await t.conn.query<{ Id: string }>(
      'SELECT Id FROM User LIMIT 1'
    );
    adminId = admin.records[0]?.Id ?? '';
    const profile = await t.conn.query<{ Id: string }>(
      "SELECT Id FROM Profile WHERE Name = 'Standard User'"
    );
    const user = await t.conn.sobject('User').create({
      Username: 'ana.silva@timeline.test',
      LastName: 'Silva',
      FirstName: 'Ana',
      Email: 'ana.silva@example.com',
      Alias: 'asilva',
      TimeZoneSidKey: 'Europe/Lisbon',
      LocaleSidKey: 'pt_PT',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profile.records[0]?.Id
    });
    otherUserId = String(user.id);
  });
  after(async () => {
    await t.dispose();
  });

  it("writes an incident's life as exactly the expected events", async () => {
    const created = await t.conn.sobject('Incident').create({
      Subject: 'Inverters offline in Lisbon',
      Urgency: 'Low',
      Impact: 'Low',
      Status: 'New'
    });
    const id = String(created.id);
    clock = new Date('2026-03-10T09:05:00.000Z');
    await t.conn
      .sobject('Incident')
      .update({ Id: id, Urgency: 'High', Impact: 'High' });
    clock = new Date('2026-03-10T09:06:00.000Z');
    await t.conn.sobject('Incident').update({ Id: id, OwnerId: otherUserId });
    clock = new Date('2026-03-10T09:10:00.000Z');
    await t.conn.sobject('Incident').update({ Id: id, Status: 'In Progress' });
    clock = new Date('2026-03-10T10:00:00.000Z');
    await t.conn.sobject('Incident').update({ Id: id, Status: 'Resolved' });

    const events = await eventsOf(t.conn, id);
    assert.deepEqual(
      events.map((e) => [e.Type__c, e.Summary__c, e.Visibility__c]),
      [
        [
          'Created',
          'Incident created at severity 5 (urgency Low, impact Low), status New',
          'Internal'
        ],
        ['Milestone', 'Milestone: detected', 'Internal'],
        [
          'Severity',
          'Severity raised 5 -> 1 (urgency High, impact High)',
          'Internal'
        ],
        [
          'UrgencyImpact',
          'Urgency Low -> High, impact Low -> High',
          'Internal'
        ],
        ['Owner', 'Owner changed to Ana Silva', 'Internal'],
        ['Status', 'Status New -> In Progress', 'Internal'],
        [
          'Milestone',
          'Milestone: acknowledged (first response), 10 min after detection',
          'Internal'
        ],
        ['SlaMet', 'Response SLA met, 20 min before the due time', 'Internal'],
        ['Status', 'Status In Progress -> Resolved', 'Internal'],
        [
          'Milestone',
          'Milestone: mitigated, 1 h after detection',
          'Customer-Facing'
        ],
        [
          'Milestone',
          'Milestone: resolved, 1 h after detection',
          'Customer-Facing'
        ],
        ['SlaMet', 'Resolution SLA met, 3 h before the due time', 'Internal']
      ]
    );
    for (const event of events) {
      assert.equal(event.Source__c, 'Automation');
      assert.equal(event.Actor__c, adminId);
      assert.ok(event.Recorded_At__c, 'Recorded_At__c is stamped');
      assert.ok(event.Event_Key__c.startsWith(`${id}:${event.Type__c}:`));
    }
    const severity = events.find((e) => e.Type__c === 'Severity');
    assert.deepEqual(JSON.parse(severity?.Payload__c ?? '{}'), {
      old: 5,
      new: 1,
      urgency: 'High',
      impact: 'High',
      priority: 'Critical'
    });
    const incident = await t.conn.sobject('Incident').retrieve(id);
    assert.equal(incident.DetectedDateTime, '2026-03-10T09:00:00.000+0000');
    assert.equal(incident.Mitigated_At__c, '2026-03-10T10:00:00.000+0000');
  });

  it('writes the events of a Bulk API 2.0 job in one multi-row statement per 200 rows, each stamped with the time of its save', async () => {
    clock = new Date('2026-03-11T08:00:00.000Z');
    const writes = timelineWrites(t.org.ctx);
    const before = { ...writes };
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Incident',
      operation: 'insert',
      input: Array.from({ length: 250 }, (_, i) => ({
        Subject: `Bulk load ${String(i)}`,
        Urgency: 'Low',
        Impact: 'Low'
      })),
      pollInterval: 20,
      pollTimeout: 20000
    });
    assert.equal(results.failedResults.length, 0);
    assert.equal(writes.statements - before.statements, 2);
    const stamped = await t.conn.query<{
      Type__c: string;
      Recorded_At__c: string | null;
    }>(
      "SELECT Type__c, Recorded_At__c FROM Incident_Event__c WHERE Incident__r.Subject LIKE 'Bulk load %'"
    );
    // Every event the timeline wrote is stored (the response plan writes its steps' own).
    assert.equal(
      stamped.records.filter((r) => r.Type__c !== 'ResponseStep').length,
      writes.events - before.events
    );
    assert.ok(writes.events - before.events >= 250);
    assert.ok(
      stamped.records.every(
        (r) => r.Recorded_At__c === '2026-03-11T08:00:00.000+0000'
      )
    );
  });

  it('writes the events of a 200-record save in one statement, and none for a rolled-back composite', async () => {
    clock = new Date('2026-03-11T09:00:00.000Z');
    const created = await t.conn.sobject('Incident').create(
      Array.from({ length: 200 }, (_, i) => ({
        Subject: `Bulk ${String(i)}`,
        Urgency: 'Low',
        Impact: 'Low'
      })),
      { allOrNone: true }
    );
    const ids = created.map((r) => String(r.id));
    const writes = timelineWrites(t.org.ctx);
    const before = { ...writes };
    clock = new Date('2026-03-11T09:05:00.000Z');
    const updated = await t.conn.sobject('Incident').update(
      ids.map((Id) => ({
        Id,
        Urgency: 'High',
        Status: 'In Progress',
        OwnerId: otherUserId
      })),
      { allOrNone: true }
    );
    assert.ok(updated.every((r) => r.success));
    assert.equal(writes.statements - before.statements, 1);
    // Status, Severity, UrgencyImpact, Owner, acknowledged, SlaMet per incident.
    assert.equal(writes.events - before.events, 200 * 6);

    const count = async (): Promise<number> =>
      (await t.conn.query('SELECT COUNT() FROM Incident_Event__c')).totalSize;
    const total = await count();
    const composite = await t.conn.request<{
      compositeResponse: { httpStatusCode: number }[];
    }>({
      method: 'POST',
      url: '/services/data/v64.0/composite',
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          {
            method: 'PATCH',
            url: `/services/data/v64.0/sobjects/Incident/${ids[0] ?? ''}`,
            referenceId: 'raise',
            body: { Status: 'Resolved' }
          },
          {
            method: 'PATCH',
            url: `/services/data/v64.0/sobjects/Incident/${ids[1] ?? ''}`,
            referenceId: 'bad',
            body: { Urgency: 'Bogus' }
          }
        ]
      }),
      headers: { 'content-type': 'application/json' }
    });
    assert.ok(
      composite.compositeResponse.some((r) => r.httpStatusCode >= 400),
      'the second subrequest fails'
    );
    assert.equal(
      await count(),
      total,
      'the rolled-back composite wrote no event'
    );
  });

  it('keeps events append-only: starring allowed, edits and deletes only for a timeline admin', async () => {
    const created = await t.conn
      .sobject('Incident')
      .create({ Subject: 'Append-only', Urgency: 'Low', Impact: 'Low' });
    const [event] = await eventsOf(t.conn, String(created.id));
    const found = await t.conn.query<{ Id: string }>(
      `SELECT Id FROM Incident_Event__c WHERE Event_Key__c = '${event?.Event_Key__c ?? ''}'`
    );
    const eventId = found.records[0]?.Id ?? '';

    const starred = await t.conn
      .sobject('Incident_Event__c')
      .update({ Id: eventId, Starred__c: true });
    assert.ok(starred.success);
    const edit = await rejection(
      t.conn
        .sobject('Incident_Event__c')
        .update({ Id: eventId, Summary__c: 'rewritten' })
    );
    assert.match(
      edit,
      /append-only.*Changing Summary__c needs the custom permission Incident Timeline Admin/
    );
    assert.match(
      await rejection(t.conn.sobject('Incident_Event__c').destroy(eventId)),
      /append-only: deleting one needs/
    );
    assert.match(
      await rejection(
        t.conn.sobject('Incident').update({
          Id: String(created.id),
          DetectedDateTime: '2026-01-01T00:00:00.000Z'
        })
      ),
      /detected milestone was recorded at .* kept as first set/
    );

    const grant = await t.conn
      .sobject('PermissionSet')
      .create({ Name: ADMIN_PERMISSION, Label: 'Incident Timeline Admin' });
    const assignment = await t.conn.sobject('PermissionSetAssignment').create({
      AssigneeId: adminId,
      PermissionSetId: grant.id
    });
    try {
      const corrected = await t.conn
        .sobject('Incident_Event__c')
        .update({ Id: eventId, Summary__c: 'Corrected by an admin' });
      assert.ok(corrected.success);
      const removed = await t.conn
        .sobject('Incident_Event__c')
        .destroy(eventId);
      assert.ok(removed.success);
      // The lookup to the incident is required, so Restrict: an incident with events is kept.
      assert.match(
        await rejection(t.conn.sobject('Incident').destroy(String(created.id))),
        /could not be completed because it is associated with the following incident events/
      );
    } finally {
      await t.conn
        .sobject('PermissionSetAssignment')
        .destroy(String(assignment.id));
    }
  });

  it('keeps a save whose event key is taken (two saves in one millisecond): the first event stays', async () => {
    clock = new Date(clock.getTime() + 60_000);
    const created = await t.conn
      .sobject('Incident')
      .create({ Subject: 'Same millisecond', Urgency: 'Low', Impact: 'Low' });
    const id = String(created.id);
    // Both saves happen at the org clock's one time, so their Status events share a key.
    await t.conn.sobject('Incident').update({ Id: id, Status: 'Open' });
    const second = await t.conn
      .sobject('Incident')
      .update({ Id: id, Status: 'In Progress' });
    assert.ok(second.success);
    const statuses = (await eventsOf(t.conn, id)).filter(
      (e) => e.Type__c === 'Status'
    );
    assert.deepEqual(
      statuses.map((e) => e.Summary__c),
      ['Status New -> Open']
    );
    const stored = await t.conn.sobject('Incident').retrieve(id);
    assert.equal((stored as { Status?: string }).Status, 'In Progress');
  });

  it('sweeps SLA warnings and breaches once, on demand and on a timer', async () => {
    clock = new Date('2026-03-12T09:00:00.000Z');
    const created = await t.conn.sobject('Incident').create({
      Subject: 'Overdue',
      Urgency: 'High',
      Impact: 'High'
    });
    const id = String(created.id);
    // Severity 1: respond within 30 minutes, warning at 75 % (22 minutes) in business time.
    clock = new Date('2026-03-12T09:25:00.000Z');
    assert.equal(runSlaSweep(t.org.ctx), 1);
    const warned = await eventsOf(t.conn, id);
    assert.deepEqual(
      warned
        .filter((e) => e.Type__c.startsWith('Sla'))
        .map((e) => e.Summary__c),
      ['Response SLA warning: 8 min left before the due time']
    );
    assert.equal(runSlaSweep(t.org.ctx), 0, 'a second sweep writes nothing');

    clock = new Date('2026-03-12T09:40:00.000Z');
    const stop = startSlaSweep(t.org.ctx, 10);
    try {
      for (let i = 0; i < 100; i++) {
        const events = await eventsOf(t.conn, id);
        if (events.some((e) => e.Type__c === 'SlaBreach')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      stop();
    }
    const swept = (await eventsOf(t.conn, id)).filter((e) =>
      e.Type__c.startsWith('Sla')
    );
    assert.deepEqual(
      swept.map((e) => [e.Type__c, e.Occurred_At__c]),
      [
        ['SlaWarning', '2026-03-12T09:22:00.000+0000'],
        ['SlaBreach', '2026-03-12T09:30:00.000+0000']
      ]
    );
  });
});

describe('the SLA sweep while the local org runs', () => {
  it('runs on the interval the org was started with, and stops with it', async () => {
    let clock = new Date('2026-04-01T09:00:00.000Z');
    const t = await startTestOrg({
      dbPath: ':memory:',
      now: () => clock,
      slaSweepMs: 20
    });
    try {
      const created = await t.conn
        .sobject('Incident')
        .create({ Subject: 'Late', Urgency: 'High', Impact: 'High' });
      clock = new Date('2026-04-01T14:00:00.000Z');
      let types: string[] = [];
      for (let i = 0; i < 100 && types.length < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        types = (await eventsOf(t.conn, String(created.id)))
          .map((e) => e.Type__c)
          .filter((type) => type.startsWith('Sla'));
      }
      assert.deepEqual(types.sort(), [
        'SlaBreach',
        'SlaBreach',
        'SlaWarning',
        'SlaWarning'
      ]);
    } finally {
      await t.dispose();
    }
  });
});
