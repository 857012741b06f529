/**
 * A standard object whose every field the reference marks create-only (BroadcastCommunication:
 * no field has Update) cannot be updated or upserted through the API, as on the platform, so a
 * sender that tries to "fix up" a broadcast fails here as it would in an org. Through jsforce.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrgClient } from '../org-client/index.ts';
import { rejectsWithCode, startTestOrg, type TestOrg } from './test-org.ts';

describe('create-only standard objects', () => {
  let t: TestOrg;
  let incidentId = '';
  let broadcastId = '';
  before(async () => {
    t = await startTestOrg();
    const incident = await t.conn.sobject('Incident').create({
      Subject: 'Broadcast target',
      Urgency: 'Low',
      Impact: 'Low'
    });
    incidentId = String(incident.id);
    const broadcast = await t.conn.sobject('BroadcastCommunication').create({
      RelatedRecordId: incidentId,
      BroadcastType: 'Email',
      Subject: 'First',
      Body: 'Body'
    });
    assert.ok(broadcast.success, 'a broadcast can be created');
    broadcastId = broadcast.id;
  });
  after(async () => t.dispose());

  it('describes BroadcastCommunication as createable and not updateable', async () => {
    const describe = await t.conn.sobject('BroadcastCommunication').describe();
    assert.equal(describe.createable, true);
    assert.equal(describe.updateable, false);
    assert.ok(
      describe.fields.every((f) => !f.updateable),
      'no field updateable'
    );
  });

  it('refuses an update of a broadcast, and keeps it as created', async () => {
    await rejectsWithCode(
      t.conn
        .sobject('BroadcastCommunication')
        .update({ Id: broadcastId, Subject: 'Changed' }),
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY'
    );
    const stored = await t.conn
      .sobject('BroadcastCommunication')
      .retrieve(broadcastId, { fields: ['Subject'] });
    assert.equal(stored.Subject, 'First');
  });

  it('refuses an upsert, even one that would insert', async () => {
    await rejectsWithCode(
      t.conn
        .sobject('BroadcastCommunication')
        .upsert({ Id: broadcastId, Body: 'Again' }, 'Id'),
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY'
    );
    // Through sObject Collections (two records): each refused, nothing inserted.
    const before = await t.conn.query('SELECT Id FROM BroadcastCommunication');
    // jsforce's many-record upsert needs the key in every record; the project's client sends
    // the collections call with one record that names an Id and one that does not.
    const results = await new OrgClient(t.conn).upsertRecords(
      'BroadcastCommunication',
      'Id',
      [
        { Id: broadcastId, Body: 'Again' },
        { RelatedRecordId: incidentId, BroadcastType: 'Email', Subject: 'New' }
      ]
    );
    assert.deepEqual(
      results.map((r) => [r.success, r.errors[0]?.statusCode ?? null]),
      [
        [false, 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY'],
        [false, 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY']
      ]
    );
    const afterUpsert = await t.conn.query(
      'SELECT Id FROM BroadcastCommunication'
    );
    assert.equal(afterUpsert.totalSize, before.totalSize, 'nothing written');
  });

  it('still updates an object with updateable fields (Incident)', async () => {
    const result = await t.conn
      .sobject('Incident')
      .update({ Id: incidentId, Subject: 'Renamed' });
    assert.equal(result.success, true);
  });
});
