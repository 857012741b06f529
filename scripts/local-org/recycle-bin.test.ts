/**
 * The recycle bin through jsforce, as the platform documents it: a delete moves the record to
 * the recycle bin (IsDeleted = true), which queryAll returns and query does not (REST API
 * Developer Guide, "QueryAll"); reading or deleting it again answers ENTITY_IS_DELETED;
 * SOAP undelete() and emptyRecycleBin() (SOAP API Developer Guide) restore or purge it; and
 * "Get Deleted Records" / "Get Updated Records" (/sobjects/X/deleted/ and /updated/) report
 * the window with latestDateCovered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createViaCollections,
  raw,
  rejectsWithCode,
  startTestOrg,
  type TestOrg
} from './test-org.ts';

describe('recycle bin, queryAll, undelete and replication', () => {
  let t: TestOrg;
  // The org's clock: records are written at 10:00:30; the replication calls run at 10:05.
  let clock = new Date('2026-03-02T10:00:30.000Z');
  const hourAgo = new Date('2026-03-02T09:00:00.000Z');
  let kept: string;
  let removed: string;

  before(async () => {
    t = await startTestOrg({ now: () => clock });
    const results = await createViaCollections(
      t.conn,
      'Case',
      [{ Subject: 'kept' }, { Subject: 'removed' }],
      true
    );
    kept = results[0]?.id ?? '';
    removed = results[1]?.id ?? '';
    await t.conn.sobject('Case').destroy(removed);
  });
  after(async () => {
    await t.dispose();
  });

  it('query leaves the deleted record out; queryAll returns it with IsDeleted true', async () => {
    const live = await t.conn.query<{ Id: string }>('SELECT Id FROM Case');
    assert.deepEqual(
      live.records.map((r) => r.Id),
      [kept]
    );
    const all = await t.conn.query<{ Id: string; IsDeleted: boolean }>(
      'SELECT Id, IsDeleted FROM Case ORDER BY Subject',
      { scanAll: true }
    );
    assert.deepEqual(
      all.records.map((r) => [r.Id, r.IsDeleted]),
      [
        [kept, false],
        [removed, true]
      ]
    );
    const counted = await t.conn.query('SELECT COUNT() FROM Case', {
      scanAll: true
    });
    assert.equal(counted.totalSize, 2);
  });

  it('reading, updating or deleting the deleted record answers ENTITY_IS_DELETED', async () => {
    await rejectsWithCode(
      t.conn.sobject('Case').retrieve(removed),
      'ENTITY_IS_DELETED'
    );
    await rejectsWithCode(
      t.conn.sobject('Case').update({ Id: removed, Subject: 'again' }),
      'ENTITY_IS_DELETED'
    );
    const single = await raw(
      t.org,
      'DELETE',
      `/services/data/v64.0/sobjects/Case/${removed}`
    );
    assert.equal(single.status, 404);
    assert.deepEqual(single.body, [
      {
        errorCode: 'ENTITY_IS_DELETED',
        message: 'entity is deleted',
        fields: []
      }
    ]);
  });

  it('/deleted/ lists it with its deletion time; /updated/ lists the live records', async () => {
    clock = new Date('2026-03-02T10:05:20.000Z');
    const end = new Date('2026-03-02T11:00:00.000Z');
    const deleted = await t.conn.sobject('Case').deleted(hourAgo, end);
    assert.deepEqual(
      deleted.deletedRecords.map((r) => r.id),
      [removed]
    );
    assert.match(
      deleted.latestDateCovered,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000$/
    );
    // The window never covers the future: latestDateCovered is now, to the minute.
    assert.ok(
      Date.parse(deleted.latestDateCovered.replace('+0000', 'Z')) <= Date.now()
    );
    const updated = (await t.conn
      .sobject('Case')
      .updated(hourAgo, end)) as unknown as { ids: string[] };
    assert.deepEqual(updated.ids, [kept]);
    const bad = await raw(
      t.org,
      'GET',
      '/services/data/v64.0/sobjects/Case/deleted/?start=yesterday&end=now'
    );
    assert.equal(bad.status, 400);
  });

  it('SOAP undelete restores the record; undeleting a live one fails per id', async () => {
    const results = await t.conn.soap.undelete([removed, kept]);
    assert.equal(results[0]?.success, true);
    assert.equal(results[1]?.success, false);
    const live = await t.conn.query<{ Id: string; IsDeleted: boolean }>(
      'SELECT Id, IsDeleted FROM Case ORDER BY Subject'
    );
    assert.deepEqual(
      live.records.map((r) => [r.Id, r.IsDeleted]),
      [
        [kept, false],
        [removed, false]
      ]
    );
  });

  it('undelete refuses a record whose unique key was taken meanwhile (DUPLICATE_VALUE)', async () => {
    const first = await t.conn.sobject('Incident_Roster_Member__c').create({
      Name: 'Owner',
      External_Id__c: 'owner-1',
      Role__c: 'Incident Owner',
      Email__c: 'owner@example.com'
    });
    await t.conn.sobject('Incident_Roster_Member__c').destroy(first.id ?? '');
    await t.conn.sobject('Incident_Roster_Member__c').create({
      Name: 'Owner',
      External_Id__c: 'owner-1',
      Role__c: 'Incident Owner',
      Email__c: 'owner@example.com'
    });
    const results = await t.conn.soap.undelete([first.id ?? '']);
    assert.equal(results.length, 1);
    assert.match(JSON.stringify(results), /"success":false/);
    assert.match(JSON.stringify(results), /DUPLICATE_VALUE/);
  });

  it('emptyRecycleBin purges: queryAll no longer has it and it cannot be undeleted', async () => {
    await t.conn.sobject('Case').destroy(removed);
    await t.conn.soap.emptyRecycleBin([removed]);
    const all = await t.conn.query<{ Id: string }>('SELECT Id FROM Case', {
      scanAll: true
    });
    assert.deepEqual(
      all.records.map((r) => r.Id),
      [kept]
    );
    const [result] = await t.conn.soap.undelete([removed]);
    assert.equal(result?.success, false);
  });

  it('bulk hardDelete skips the recycle bin', async () => {
    const job = t.conn.bulk2.createJob({
      object: 'Case',
      operation: 'hardDelete'
    });
    await job.open();
    await job.uploadData(`Id\n${kept}\n`);
    await job.close();
    await job.poll(100, 10_000);
    const all = await t.conn.query('SELECT COUNT() FROM Case', {
      scanAll: true
    });
    assert.equal(all.totalSize, 0);
  });

  it('other partner SOAP calls answer a fault saying they are not emulated', async () => {
    await assert.rejects(
      t.conn.soap.getServerTimestamp(),
      /does not emulate the SOAP API call 'getServerTimestamp'/
    );
  });
});
