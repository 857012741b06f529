/**
 * Record ownership and people's names, end to end with jsforce: a record created without an
 * owner belongs to the running user on every create path, an explicit owner (a user, or a
 * queue where the owner is polymorphic) is kept, and SOQL reads the owner's derived Name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { objectOrThrow } from './dml.ts';
import { makeId } from './ids.ts';
import { provision } from './seed.ts';
import { nextId, quote } from './storage.ts';
import {
  createViaCollections,
  startTestOrg,
  type TestOrg
} from './test-org.ts';

const V = '/services/data/v64.0';
const ADMIN_NAME = 'Local Admin';

interface Owned {
  Id: string;
  OwnerId: string;
  CreatedById: string;
  LastModifiedById: string;
  Owner: { Name: string | null } | null;
}

async function owned(
  conn: Connection,
  type: string,
  ids: readonly (string | null | undefined)[]
): Promise<Owned[]> {
  const list = ids.map((id) => `'${id ?? ''}'`).join(', ');
  const result = await conn.query<Owned>(
    `SELECT Id, OwnerId, Owner.Name, CreatedById, LastModifiedById FROM ${type} WHERE Id IN (${list}) ORDER BY Id`
  );
  assert.equal(result.records.length, ids.length);
  return result.records;
}

/** A setup record (a second user, a queue) the local org cannot create through the API. */
function provisioned(
  t: TestOrg,
  type: string,
  values: Record<string, unknown>
): string {
  const object = objectOrThrow(t.org.ctx, type);
  const id = nextId(t.org.db, object.keyPrefix);
  provision(t.org.ctx, type, id, values);
  return id;
}

describe('default and explicit record owners', () => {
  let t: TestOrg;
  let conn: Connection;
  let adminId: string;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
    conn = t.conn;
    adminId = (await conn.identity()).user_id;
  });
  after(async () => {
    await t.dispose();
  });

  const assertAdminOwns = (records: Owned[]): void => {
    for (const record of records) {
      assert.equal(record.OwnerId, adminId, record.Id);
      assert.equal(record.Owner?.Name, ADMIN_NAME, record.Id);
      assert.equal(record.CreatedById, adminId, record.Id);
      assert.equal(record.LastModifiedById, adminId, record.Id);
    }
  };

  it('makes the running user the owner of records created without one through sObject rows', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Ownerless' });
    const incident = await conn
      .sobject('Incident')
      .create({ Subject: 'Ownerless incident' });
    assertAdminOwns(await owned(conn, 'Account', [account.id]));
    assertAdminOwns(await owned(conn, 'Incident', [incident.id]));
    const names = await conn.query<{ Owner: { Name: string } }>(
      `SELECT Owner.Name FROM Account WHERE Id = '${account.id ?? ''}'`
    );
    assert.equal(names.records[0]?.Owner.Name, ADMIN_NAME);
  });

  it('defaults the owner through collections, composite, upsert and Bulk API 2.0 inserts', async () => {
    const collection = await createViaCollections(
      conn,
      'Incident',
      [{ Subject: 'Collection 1' }, { Subject: 'Collection 2' }],
      true
    );
    assertAdminOwns(
      await owned(
        conn,
        'Incident',
        collection.map((r) => r.id)
      )
    );

    const composite = await conn.request<{
      compositeResponse: { body: { id: string } }[];
    }>({
      method: 'POST',
      url: `${V}/composite`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `${V}/sobjects/Account`,
            referenceId: 'account',
            body: { Name: 'Composite owner' }
          }
        ]
      })
    });
    assertAdminOwns(
      await owned(conn, 'Account', [composite.compositeResponse[0]?.body.id])
    );

    const upserted = await conn
      .sobject('Case')
      .upsert(
        { Source_Case_Key__c: 'other-org:500A', Subject: 'Synced case' },
        'Source_Case_Key__c'
      );
    assert.equal((upserted as { created?: boolean }).created, true);
    assertAdminOwns(await owned(conn, 'Case', [upserted.id]));

    const bulk = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'Bulk owner 1' }, { Name: 'Bulk owner 2' }],
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(bulk.failedResults.length, 0);
    const bulkIds = (
      bulk.successfulResults as unknown as Record<string, string>[]
    ).map((row) => row.sf__Id);
    assertAdminOwns(await owned(conn, 'Account', bulkIds));
  });

  it('keeps an explicit owner: a user, or a queue where the owner may be a group', async () => {
    const otherUser = provisioned(t, 'User', {
      FirstName: 'Dana',
      LastName: 'Ortiz',
      Username: 'dana@incident-console.local',
      IsActive: true
    });
    const queue = provisioned(t, 'Group', {
      Name: 'Tier 1 Queue',
      Type: 'Queue'
    });
    const account = await conn
      .sobject('Account')
      .create({ Name: 'Dana account', OwnerId: otherUser });
    const incident = await conn
      .sobject('Incident')
      .create({ Subject: 'Queued', OwnerId: queue });
    const [accountRow] = await owned(conn, 'Account', [account.id]);
    assert.equal(accountRow?.OwnerId, otherUser);
    assert.equal(accountRow.Owner?.Name, 'Dana Ortiz');
    assert.equal(accountRow.CreatedById, adminId);
    const [incidentRow] = await owned(conn, 'Incident', [incident.id]);
    assert.equal(incidentRow?.OwnerId, queue);
    assert.equal(incidentRow.Owner?.Name, 'Tier 1 Queue');

    const refused = await createViaCollections(
      conn,
      'Account',
      [
        { Name: 'Queue-owned account', OwnerId: queue },
        {
          Name: 'Missing owner',
          OwnerId: makeId('005', 999_999)
        }
      ],
      false
    );
    assert.deepEqual(
      refused.map((r) => [r.success, r.errors[0]?.statusCode]),
      [
        [false, 'FIELD_INTEGRITY_EXCEPTION'],
        [false, 'INVALID_CROSS_REFERENCE_KEY']
      ]
    );
  });
});

describe("people's names", () => {
  it('derives Name from the name parts on create and update', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const contact = await t.conn.sobject('Contact').create({
        FirstName: 'Ana',
        MiddleName: 'Maria',
        LastName: 'Rivera',
        Suffix: 'Jr.'
      });
      const read = async (): Promise<unknown> =>
        (await t.conn.sobject('Contact').retrieve(contact.id ?? '')).Name;
      assert.equal(await read(), 'Ana Maria Rivera Jr.');
      await t.conn.sobject('Contact').update({
        Id: contact.id ?? '',
        MiddleName: null,
        Suffix: null,
        LastName: 'Rivera-Lee'
      });
      assert.equal(await read(), 'Ana Rivera-Lee');
    } finally {
      await t.dispose();
    }
  });

  it('names people a database from before derived names left nameless, on restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-org-names-'));
    const dbPath = path.join(dir, 'org.db');
    try {
      const first = await startTestOrg({ dbPath });
      first.org.db.prepare(`UPDATE ${quote('User')} SET "Name" = NULL`).run();
      await first.dispose();
      const again = await startTestOrg({ dbPath });
      try {
        const account = await again.conn
          .sobject('Account')
          .create({ Name: 'After restart' });
        const [row] = await owned(again.conn, 'Account', [account.id]);
        assert.equal(row?.Owner?.Name, ADMIN_NAME);
      } finally {
        await again.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
