/**
 * The platform's rules that the schema alone cannot state, through jsforce: an asset needs an
 * account or a contact but no record type (Object Reference, "Asset": AccountId "Required if
 * ContactId isn't specified"), and "Set Audit Fields upon Record Creation" (Salesforce Help,
 * knowledge article 000386065: CreatedDate, CreatedById, LastModifiedDate, LastModifiedById
 * on insert only, not on update or upsert), off by default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejectsWithCode, startTestOrg, type TestOrg } from './test-org.ts';

interface Dated {
  CreatedDate: string;
  LastModifiedDate: string;
  CreatedById: string;
}

describe('assets without record types', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
  });
  after(async () => {
    await t.dispose();
  });

  it('creates an asset with an account and no RecordTypeId; describe agrees it is optional', async () => {
    const account = await t.conn.sobject('Account').create({ Name: 'Solar' });
    const asset = await t.conn
      .sobject('Asset')
      .create({ Name: 'Inverter 7', AccountId: account.id });
    assert.equal(asset.success, true);
    const describe = await t.conn.sobject('Asset').describe();
    const recordType = describe.fields.find((f) => f.name === 'RecordTypeId');
    assert.equal(recordType?.nillable, true);
  });

  it('refuses an asset with neither account nor contact (FIELD_INTEGRITY_EXCEPTION)', async () => {
    await rejectsWithCode(
      t.conn.sobject('Asset').create({ Name: 'Orphan' }),
      'FIELD_INTEGRITY_EXCEPTION'
    );
  });

  it('a queue needs no QueueRoutingConfigId', async () => {
    const queue = await t.conn
      .sobject('Group')
      .create({ Name: 'Field Service', Type: 'Queue' });
    assert.equal(queue.success, true);
  });
});

describe('Incident.IsClosed follows Status', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
  });
  after(async () => {
    await t.dispose();
  });

  it('is false while open, true once Resolved or Completed, false again when reopened', async () => {
    const created = await t.conn
      .sobject('Incident')
      .create({ Subject: 'Grid fault', Urgency: 'Low', Impact: 'Low' });
    const id = String(created.id);
    const closed = async (): Promise<boolean> =>
      (
        await t.conn.query<{ IsClosed: boolean }>(
          `SELECT IsClosed FROM Incident WHERE Id = '${id}'`
        )
      ).records[0]?.IsClosed ?? true;
    assert.equal(await closed(), false);
    const open = await t.conn.query<{ Id: string }>(
      `SELECT Id FROM Incident WHERE IsClosed = false AND Id = '${id}'`
    );
    assert.equal(open.totalSize, 1);
    for (const [status, expected] of [
      ['In Progress', false],
      ['Resolved', true],
      ['Open', false],
      ['Completed', true]
    ] as const) {
      await t.conn.sobject('Incident').update({ Id: id, Status: status });
      assert.equal(await closed(), expected, status);
    }
  });
});

describe('Set Audit Fields upon Record Creation', () => {
  const past = '2026-01-05T08:30:00.000+0000';
  let off: TestOrg;
  let on: TestOrg;
  before(async () => {
    off = await startTestOrg({ forceAppDir: null });
    on = await startTestOrg({ setAuditFields: true });
  });
  after(async () => {
    await off.dispose();
    await on.dispose();
  });

  it('is off by default: CreatedDate cannot be set', async () => {
    await rejectsWithCode(
      off.conn.sobject('Case').create({ Subject: 'Storm', CreatedDate: past }),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });

  it('when on, an insert keeps the given CreatedDate; LastModifiedDate follows it unless given', async () => {
    const created = await on.conn
      .sobject('Case')
      .create({ Subject: 'Storm', CreatedDate: past });
    const row = (await on.conn
      .sobject('Case')
      .retrieve(created.id ?? '')) as unknown as Dated;
    assert.equal(row.CreatedDate, past);
    assert.equal(row.LastModifiedDate, past);
    assert.equal(row.CreatedById, on.org.ctx.userId);
    const describe = await on.conn.sobject('Case').describe();
    const field = describe.fields.find((f) => f.name === 'CreatedDate');
    assert.equal(field?.createable, true);
    assert.equal(field.updateable, false);
  });

  it('when on, a CreatedDate in the future or a LastModifiedDate before it is refused', async () => {
    await rejectsWithCode(
      on.conn
        .sobject('Case')
        .create({ Subject: 'Later', CreatedDate: '2999-01-01T00:00:00Z' }),
      'INVALID_FIELD'
    );
    await rejectsWithCode(
      on.conn.sobject('Case').create({
        Subject: 'Backwards',
        CreatedDate: past,
        LastModifiedDate: '2025-12-31T00:00:00Z'
      }),
      'INVALID_FIELD'
    );
  });

  it('when on, audit fields still cannot be updated or upserted', async () => {
    const created = await on.conn.sobject('Case').create({ Subject: 'x' });
    await rejectsWithCode(
      on.conn
        .sobject('Case')
        .update({ Id: created.id ?? '', CreatedDate: past }),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    await rejectsWithCode(
      on.conn
        .sobject('Case')
        .upsert(
          { Subject: 'Synced', CreatedDate: past, Source_Case_Key__c: 'k:1' },
          'Source_Case_Key__c'
        ),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });

  it('applies to standard objects on the list only: Incident keeps its own dates', async () => {
    await rejectsWithCode(
      on.conn
        .sobject('Incident')
        .create({ Subject: 'Outage', CreatedDate: past }),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });
});
