/**
 * The timeline controller's stand-in against a local org, through jsforce: keyset paging over
 * more events than one query page (no gaps, no repeats, ties on the same instant ordered by
 * Id), the filters and counts, a note written once per client key, starring, and the errors
 * the section shows. The contract cases (incidentConsoleContract.json) hold it to the Apex.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../../local-org/test-org.ts';
import { OrgClient } from '../../org-client/index.ts';
import { ApexError } from './incident-console-controller.ts';
import {
  addNote,
  getTimeline,
  setStarred,
  type TimelineEvent,
  type TimelinePage,
  type TimelineQuery
} from './timeline-controller.ts';

const START = Date.parse('2026-01-05T09:00:00.000Z');
const MINUTE = 60_000;

describe('IncidentTimelineController stand-in on the local org', () => {
  let testOrg: TestOrg;
  let client: OrgClient;

  before(async () => {
    testOrg = await startTestOrg();
    client = new OrgClient(testOrg.conn);
  });
  after(async () => {
    await testOrg.dispose();
  });

  async function incident(subject: string): Promise<string> {
    const result = await testOrg.conn
      .sobject('Incident')
      .create({ Subject: subject, Urgency: 'Low', Impact: 'Low' });
    assert.ok(result.success && result.id);
    return result.id;
  }

  /**
   * Events one minute apart from START; every third shares its minute with the one before,
   * so the order must fall back to the Id. Even ones Internal, odd ones Customer-Facing, every
   * fifth starred.
   */
  async function events(
    incidentId: string,
    count: number,
    type: string,
    tag: string,
    offsetMinutes = 0
  ): Promise<string[]> {
    const rows = Array.from({ length: count }, (_unused, i) => ({
      Incident__c: incidentId,
      Type__c: type,
      Occurred_At__c: new Date(
        START + (offsetMinutes + i - (i % 3 === 2 ? 1 : 0)) * MINUTE
      ).toISOString(),
      Source__c: 'CLI',
      Visibility__c: i % 2 === 0 ? 'Internal' : 'Customer-Facing',
      Starred__c: i % 5 === 0,
      Summary__c: `${tag} ${i}`,
      Actor_Name__c: 'cli.user@example.com',
      Payload__c: JSON.stringify({ index: i }),
      Event_Key__c: `${incidentId}:${type}:${tag}:${i}`
    }));
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += 200) {
      const results = await testOrg.conn
        .sobject('Incident_Event__c')
        .create(rows.slice(start, start + 200), { allOrNone: true });
      for (const result of results) {
        assert.ok(result.success && result.id, JSON.stringify(result));
        ids.push(result.id);
      }
    }
    return ids;
  }

  async function allPages(
    incidentId: string,
    query: TimelineQuery
  ): Promise<{ sizes: number[]; seen: TimelineEvent[] }> {
    const sizes: number[] = [];
    const seen: TimelineEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: TimelinePage = await getTimeline(client, {
        recordId: incidentId,
        query: { ...query, cursor }
      });
      sizes.push(page.events.length);
      seen.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { sizes, seen };
  }

  const countOf = (page: TimelinePage, type: string): number | undefined =>
    page.counts.find((count) => count.type === type)?.count;

  it('pages 450 events newest first and oldest first without gaps or repeats', async () => {
    const incidentId = await incident('Paged timeline');
    const ids = await events(incidentId, 450, 'Note', 'paged');

    const newest = await allPages(incidentId, {
      types: ['Note'],
      pageSize: 200
    });
    assert.deepEqual(newest.sizes, [200, 200, 50]);
    assert.equal(new Set(newest.seen.map((event) => event.id)).size, 450);
    assert.equal(newest.seen[0]?.summary, 'paged 449');
    // Events 1 and 2 share a minute: newest first puts the higher Id first.
    const tie = newest.seen.slice(-3).map((event) => event.summary);
    assert.deepEqual(tie, ['paged 2', 'paged 1', 'paged 0']);

    const oldest = await allPages(incidentId, {
      order: 'oldest',
      types: ['Note'],
      pageSize: 100
    });
    assert.deepEqual(oldest.sizes, [100, 100, 100, 100, 50]);
    assert.deepEqual(
      oldest.seen.map((event) => event.id),
      [...newest.seen].reverse().map((event) => event.id),
      'oldest first is newest first reversed'
    );
    assert.equal(oldest.seen[0]?.id, ids[0]);
    const first = oldest.seen[0];
    assert.ok(first);
    assert.equal(first.actorName, 'cli.user@example.com');
    assert.equal(first.source, 'CLI');
    assert.equal(first.typeLabel, 'Note');
    assert.equal(first.payload, '{"index":0}');
    assert.equal(first.occurredAt, '2026-01-05T09:00:00.000Z');
  });

  it('filters by type, visibility and star; counts ignore only the type filter', async () => {
    const incidentId = await incident('Filtered timeline');
    await events(incidentId, 20, 'Note', 'note');
    await events(incidentId, 10, 'CommunicationSent', 'sent', 1000);

    const customerFacing = await getTimeline(client, {
      recordId: incidentId,
      query: { types: ['CommunicationSent'], visibility: 'Customer-Facing' }
    });
    assert.equal(customerFacing.events.length, 5);
    assert.ok(
      customerFacing.events.every(
        (event) =>
          event.type === 'CommunicationSent' &&
          event.visibility === 'Customer-Facing'
      )
    );
    assert.equal(countOf(customerFacing, 'Note'), 10);
    assert.equal(customerFacing.total, 5);
    assert.equal(customerFacing.nextCursor, null);
    assert.ok(customerFacing.canAddNote && customerFacing.canStar);
    assert.equal(customerFacing.mitigatedAt, null);
    assert.equal(customerFacing.canMarkMitigated, true);
    assert.deepEqual(
      customerFacing.counts.slice(0, 2).map((count) => count.label),
      ['Created', 'Status'],
      'every type, in the picklist order, with its label'
    );

    const starred = await getTimeline(client, {
      recordId: incidentId,
      query: { visibility: 'All', types: ['Note'], starredOnly: true }
    });
    assert.deepEqual(
      starred.events.map((event) => event.summary),
      ['note 15', 'note 10', 'note 5', 'note 0']
    );

    await testOrg.conn.sobject('Incident').update({
      Id: incidentId,
      Mitigated_At__c: '2026-01-05T10:30:00.000Z'
    });
    const mitigated = await getTimeline(client, {
      recordId: incidentId,
      query: { pageSize: 1 }
    });
    assert.equal(mitigated.mitigatedAt, '2026-01-05T10:30:00.000Z');
    assert.equal(mitigated.canMarkMitigated, false, 'set once');
  });

  it('adds a note once per client key, as the console user, and stars it', async () => {
    const incidentId = await incident('Noted timeline');
    const first = await addNote(client, {
      recordId: incidentId,
      summary: '  Vendor confirmed the firmware fault.  ',
      visibility: 'Customer-Facing',
      clientKey: 'b7e4c1d2-0001'
    });
    const again = await addNote(client, {
      recordId: incidentId,
      summary: 'Vendor confirmed the firmware fault.',
      visibility: 'Customer-Facing',
      clientKey: 'b7e4c1d2-0001'
    });
    assert.equal(again.id, first.id, 'a retry gets the same note back');
    const rows = await client.queryAll<Record<string, unknown>>(
      `SELECT Summary__c, Source__c, Visibility__c, Event_Key__c, Actor__c, Actor_Name__c FROM Incident_Event__c WHERE Incident__c = '${incidentId}' AND Type__c = 'Note'`
    );
    const sessionUser = (await testOrg.conn.identity()).user_id;
    assert.deepEqual(
      rows.map(({ attributes: _a, ...row }) => row),
      [
        {
          Summary__c: 'Vendor confirmed the firmware fault.',
          Source__c: 'Console',
          Visibility__c: 'Customer-Facing',
          Event_Key__c: `${incidentId}:Note:b7e4c1d2-0001`,
          // As Apex's addNote: the user in Actor__c, no name for an actor outside the org.
          Actor__c: sessionUser,
          Actor_Name__c: null
        }
      ]
    );
    // The name shown is the user's, read through Actor__r.
    assert.equal(first.actorName, 'Local Admin');
    assert.equal(first.starred, false);

    const starred = await setStarred(client, {
      eventId: first.id,
      starred: true
    });
    assert.equal(starred.starred, true);
    const unstarred = await setStarred(client, {
      eventId: first.id,
      starred: false
    });
    assert.equal(unstarred.starred, false);
  });

  it('refuses bad input with the Apex messages, writing nothing', async () => {
    const incidentId = await incident('Refused timeline');
    const refuses = (promise: Promise<unknown>, message: string | RegExp) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof ApexError, String(error));
        if (typeof message === 'string') assert.equal(error.message, message);
        else assert.match(error.message, message);
        return true;
      });
    const query = (asked: TimelineQuery) =>
      getTimeline(client, { recordId: incidentId, query: asked });
    await refuses(
      query({ order: 'sideways' }),
      'The timeline is ordered newest or oldest first (got "sideways").'
    );
    await refuses(
      query({ types: ['Gossip'] }),
      /^The timeline cannot be filtered by type "Gossip"; use one of: Created, Status, /
    );
    await refuses(
      query({ pageSize: 201 }),
      'pageSize must be between 1 and 200 (got 201).'
    );
    await refuses(
      query({ cursor: 'yesterday_nothing' }),
      'The timeline cannot continue from "yesterday_nothing": load it again from the start.'
    );
    await refuses(
      query({ visibility: 'Public' }),
      'Visibility must be one of All, Internal, Customer-Facing (got "Public").'
    );
    await refuses(
      getTimeline(client, { query: {} }),
      'The incident timeline needs an incident Id.'
    );
    const note = (summary: string, visibility: string | null, key: string) =>
      addNote(client, {
        recordId: incidentId,
        summary,
        visibility,
        clientKey: key
      });
    await refuses(note('   ', null, 'k1'), 'A note needs some text.');
    await refuses(
      note('x'.repeat(256), null, 'k2'),
      'A note can be at most 255 characters long (this one has 256).'
    );
    await refuses(
      note('Hi', 'Public', 'k3'),
      'Visibility must be one of Internal, Customer-Facing (got "Public").'
    );
    await refuses(
      note('Hi', null, 'a:b'),
      'A note needs a client key of 1 to 64 letters, digits, - or _ (got "a:b").'
    );
    await refuses(
      setStarred(client, { eventId: incidentId, starred: true }),
      `Only incident timeline events can be starred (got ${incidentId}).`
    );
    const rows = await client.queryAll(
      `SELECT Id FROM Incident_Event__c WHERE Incident__c = '${incidentId}' AND Type__c = 'Note'`
    );
    assert.equal(rows.length, 0, 'nothing written');
  });
});
