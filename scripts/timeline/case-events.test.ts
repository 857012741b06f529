/**
 * The cases tooling's timeline events: one aggregated CaseLinked event per incident per run of
 * link and sync, a Created event for detect's storm incident. Pure checks, then end to end on
 * local orgs through the cases library with real jsforce.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Connection } from 'jsforce';
import {
  detectStorms,
  generateStormData,
  linkCases,
  loadStormData,
  syncCases
} from '../cases/index.ts';
import { clientOf, openIncidentOnAsset } from '../cases/test-orgs.ts';
import { testOrgPool, type TestOrg } from '../local-org/test-org.ts';
import { CaseLinkEvents, PAYLOAD_IDS } from './case-events.ts';
import { idSetHash } from './keys.ts';

const HOUR = 3_600_000;

test('one event per incident per run, its key from the set of cases, its payload bounded', () => {
  const at = new Date('2026-03-01T10:00:00.000Z');
  const run = new CaseLinkEvents('link', () => at);
  const many = Array.from({ length: PAYLOAD_IDS + 10 }, (_, i) => ({
    id: `500${String(i).padStart(15, '0')}`,
    accountId: i % 2 === 0 ? 'acc-even' : null
  }));
  run.add('inc-1', many.slice(0, 30), 1);
  run.add('inc-1', many.slice(30), 2);
  run.add('inc-2', [{ id: 'case-x', accountId: 'acc-x' }], 1);
  run.add('inc-3', [], 0);
  const [first, second, ...rest] = run.events();
  assert.equal(rest.length, 0, 'no event for an incident that linked nothing');
  assert.ok(first && second);
  assert.equal(
    first.key,
    `inc-1:CaseLinked:link:${idSetHash(many.map((c) => c.id).reverse())}`
  );
  assert.equal(first.type, 'CaseLinked');
  assert.equal(first.source, 'CLI');
  assert.equal(first.occurredAt, at.toISOString());
  assert.equal(
    first.summary,
    '60 cases of 1 account linked by incident link; 2 accounts affected in all'
  );
  assert.deepEqual(first.payload, {
    origin: 'link',
    count: PAYLOAD_IDS + 10,
    caseIds: many.slice(0, PAYLOAD_IDS).map((c) => c.id),
    accountCount: 1,
    accountIds: ['acc-even'],
    affectedAccounts: 2
  });
  assert.equal(second.summary.startsWith('1 case of 1 account'), true);
  const synced = new CaseLinkEvents('sync', () => at);
  synced.add('inc-2', [{ id: 'case-x', accountId: 'acc-x' }], 1);
  const [fromSync] = synced.events();
  assert.ok(fromSync);
  assert.equal(fromSync.source, 'Another Org');
  assert.notEqual(fromSync.key, second.key, 'the origin is part of the key');
});

interface EventRow {
  Event_Key__c: string;
  Type__c: string;
  Source__c: string;
  Summary__c: string;
  Payload__c: string;
}

async function eventsOf(
  conn: Connection,
  incidentId: string,
  type: string
): Promise<EventRow[]> {
  const rows = await conn.query<EventRow>(
    `SELECT Event_Key__c, Type__c, Source__c, Summary__c, Payload__c FROM Incident_Event__c WHERE Incident__c = '${incidentId}' AND Type__c = '${type}' ORDER BY Occurred_At__c, Event_Key__c`
  );
  return rows.records;
}

const orgs = testOrgPool();
const org = orgs.start;
after(orgs.disposeAll);

let hub: TestOrg;
before(async () => {
  hub = await org();
});

/** An incident on one asset, and `n` open cases on that asset from two accounts. */
async function incidentWithCases(
  conn: Connection,
  n: number
): Promise<{ incidentId: string; assetId: string; caseIds: string[] }> {
  const accounts = await conn
    .sobject('Account')
    .create([{ Name: 'Events A' }, { Name: 'Events B' }]);
  const asset = await conn
    .sobject('Asset')
    .create({ Name: 'Events site', AccountId: accounts[0]?.id });
  const incident = await conn.sobject('Incident').create({
    Subject: 'Events outage',
    Urgency: 'High',
    Impact: 'Medium',
    DetectedDateTime: new Date().toISOString()
  });
  await conn
    .sobject('IncidentRelatedItem')
    .create({ IncidentId: incident.id, AssetId: asset.id });
  const cases = await conn.sobject('Case').create(
    Array.from({ length: n }, (_, i) => ({
      Subject: `Down ${i}`,
      AssetId: asset.id,
      AccountId: accounts[i % 2]?.id
    }))
  );
  return {
    incidentId: String(incident.id),
    assetId: String(asset.id),
    caseIds: cases.map((c) => String(c.id))
  };
}

test('link: one CaseLinked event per run for the cases it linked; a rerun that links nothing writes none', async () => {
  const f = await incidentWithCases(hub.conn, 5);
  const first = await linkCases(hub.conn, { incident: f.incidentId });
  assert.equal(first.linked, 5);
  assert.deepEqual(first.timeline, { created: 1, existing: 0, failed: [] });
  const [event, ...others] = await eventsOf(
    hub.conn,
    f.incidentId,
    'CaseLinked'
  );
  assert.equal(others.length, 0);
  assert.ok(event);
  assert.equal(
    event.Event_Key__c,
    `${f.incidentId}:CaseLinked:link:${idSetHash(f.caseIds)}`
  );
  assert.equal(event.Source__c, 'CLI');
  const payload = JSON.parse(event.Payload__c) as {
    count: number;
    caseIds: string[];
    accountCount: number;
    affectedAccounts: number;
  };
  assert.equal(payload.count, 5);
  assert.deepEqual([...payload.caseIds].sort(), [...f.caseIds].sort());
  assert.deepEqual([payload.accountCount, payload.affectedAccounts], [2, 2]);

  const rerun = await linkCases(hub.conn, { incident: f.incidentId });
  assert.equal(rerun.linked, 0);
  assert.deepEqual(rerun.timeline, { created: 0, existing: 0, failed: [] });
  assert.equal(
    rerun.api.callsByEndpoint['PATCH composite/sobjects'],
    undefined
  );

  // A later case: its own event, keyed by the new set.
  const later = await hub.conn.sobject('Case').create({
    Subject: 'Down later',
    AssetId: f.assetId
  });
  const third = await linkCases(hub.conn, { incident: f.incidentId });
  assert.equal(third.linked, 1);
  const keys = (await eventsOf(hub.conn, f.incidentId, 'CaseLinked')).map(
    (e) => e.Event_Key__c
  );
  assert.equal(keys.length, 2);
  assert.ok(
    keys.includes(
      `${f.incidentId}:CaseLinked:link:${idSetHash([String(later.id)])}`
    )
  );
  // A dry run writes no event.
  const dry = await linkCases(hub.conn, { dryRun: true });
  assert.equal(dry.timeline, null);
});

test('link over many incidents writes their events in one call', async () => {
  const a = await incidentWithCases(hub.conn, 2);
  const b = await incidentWithCases(hub.conn, 3);
  const result = await linkCases(hub.conn, {});
  assert.equal(result.timeline?.created, 2);
  assert.equal(result.api.callsByEndpoint['PATCH composite/sobjects'], 1);
  for (const f of [a, b])
    assert.equal(
      (await eventsOf(hub.conn, f.incidentId, 'CaseLinked')).length,
      1
    );
});

test('sync: the cases it links make one CaseLinked event per incident for the run, from another org', async () => {
  const source = await org();
  const target = await org();
  const account = await source.conn.sobject('Account').create({ Name: 'Src' });
  const asset = await source.conn.sobject('Asset').create({
    Name: 'Src site',
    SerialNumber: 'SN-EVENTS-1',
    AccountId: account.id
  });
  await source.conn.sobject('Case').create(
    Array.from({ length: 4 }, (_, i) => ({
      Subject: `Remote ${i}`,
      AccountId: account.id,
      AssetId: asset.id
    }))
  );
  const hubAccount = await target.conn
    .sobject('Account')
    .create({ Name: 'Hub side' });
  const hubAsset = await target.conn.sobject('Asset').create({
    Name: 'Hub site',
    SerialNumber: 'SN-EVENTS-1',
    AccountId: hubAccount.id
  });
  const incidentId = await openIncidentOnAsset(
    target.conn,
    hubAsset.id,
    'Hub outage'
  );
  const result = await syncCases(source.conn, target.conn, {
    bulkThreshold: 10_000
  });
  assert.ok(result.linked);
  assert.equal(result.linked.linked, 4);
  assert.deepEqual(result.linked.timeline, {
    created: 1,
    existing: 0,
    failed: []
  });
  const events = await eventsOf(target.conn, incidentId, 'CaseLinked');
  const [event, ...others] = events;
  assert.ok(event);
  assert.equal(others.length, 0);
  assert.equal(event.Source__c, 'Another Org');
  assert.match(event.Event_Key__c, /:CaseLinked:sync:[0-9a-f]{32}$/);
  assert.equal((JSON.parse(event.Payload__c) as { count: number }).count, 4);
});

test('detect --create: a Created event for the storm incident, keyed by its storm key', async () => {
  const stormOrg = await org({ setAuditFields: true });
  const data = generateStormData({
    seed: 11,
    noiseCases: 60,
    stormCases: 30,
    end: Date.now() - 60_000,
    spanMs: 20 * HOUR,
    stormSpanMs: 30 * 60_000
  });
  await loadStormData(clientOf(stormOrg), data);
  const result = await detectStorms(stormOrg.conn, { create: true });
  assert.equal(result.created, 1);
  assert.deepEqual(result.timeline, { created: 1, existing: 0, failed: [] });
  const incidentId = result.storms[0]?.created?.incidentId ?? '';
  const stormKey = await stormOrg.conn.query<{ Storm_Key__c: string }>(
    `SELECT Storm_Key__c FROM Incident WHERE Id = '${incidentId}'`
  );
  const [created] = (
    await eventsOf(stormOrg.conn, incidentId, 'Created')
  ).filter((e) => e.Source__c === 'CLI');
  assert.equal(
    created?.Event_Key__c,
    `${incidentId}:Created:storm:${stormKey.records[0]?.Storm_Key__c ?? ''}`
  );
  const payload = JSON.parse(created.Payload__c) as {
    caseCount: number;
    linked: number;
  };
  assert.equal(payload.caseCount, result.storms[0]?.caseCount);
  assert.equal(payload.linked, result.storms[0]?.caseCount);
  // Covered now: a rerun opens nothing and writes no event.
  const rerun = await detectStorms(stormOrg.conn, { create: true });
  assert.equal(rerun.created, 0);
  assert.deepEqual(rerun.timeline, { created: 0, existing: 0, failed: [] });
});
