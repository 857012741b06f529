/** SQLite storage: table creation on new and existing databases, id sequences, and the record store. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { buildRegistry, mergeFields } from '../schema/registry.ts';
import { loadStandardObjects } from '../schema/standard.ts';
import type { FieldSchema } from '../schema/types.ts';
import { ensureTables, nextSequence, Store } from './storage.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'local-org-storage-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const standard = loadStandardObjects();
const account = standard.find((o) => o.name === 'Account');

function customField(
  name: string,
  type: FieldSchema['type'],
  externalId = false
): FieldSchema {
  const text = account?.fields.find((f) => f.name === 'Name');
  if (!text) throw new Error('the standard schema has no Account.Name');
  return {
    ...text,
    name,
    label: name,
    type,
    custom: true,
    nillable: true,
    externalId,
    unique: false,
    idLookup: externalId
  };
}

function columns(db: Database.Database, table: string): Map<string, string> {
  const rows = db.prepare(`PRAGMA table_info("${table}")`).all() as {
    name: string;
    type: string;
  }[];
  return new Map(rows.map((r) => [r.name, r.type]));
}

function indexes(db: Database.Database, table: string): string[] {
  return (
    db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string }[]
  ).map((r) => r.name);
}

describe('ensureTables', () => {
  it('creates every stored field of a new object as a typed column, with lookup indexes', () => {
    const db = new Database(':memory:');
    ensureTables(db, buildRegistry(standard));
    const caseColumns = columns(db, 'Case');
    const caseObject = standard.find((o) => o.name === 'Case');
    assert.ok(caseObject);
    for (const field of caseObject.fields) {
      if (field.type === 'address' || field.type === 'location')
        assert.equal(caseColumns.has(field.name), false, field.name);
      else assert.equal(caseColumns.has(field.name), true, field.name);
    }
    assert.equal(caseColumns.get('Id'), 'TEXT');
    assert.equal(caseColumns.get('IsClosed'), 'INTEGER');
    assert.ok(indexes(db, 'Case').includes('Case__AccountId__idx'));
    db.close();
  });

  it('adds a field deployed since to an existing table, keeping its rows', () => {
    const file = path.join(dir, 'grow.db');
    const before = new Database(file);
    ensureTables(before, buildRegistry(standard));
    before
      .prepare('INSERT INTO "Account" ("Id", "Name") VALUES (?, ?)')
      .run('001000000000001AAA', 'Kept');
    before.close();

    const grown = mergeFields(
      standard,
      new Map([
        [
          'Account',
          [
            customField('Region__c', 'string'),
            customField('Seats__c', 'double'),
            customField('Legacy_Key__c', 'string', true)
          ]
        ]
      ])
    );
    const after = new Database(file);
    ensureTables(after, buildRegistry(grown));
    const accountColumns = columns(after, 'Account');
    assert.equal(accountColumns.get('Region__c'), 'TEXT');
    assert.equal(accountColumns.get('Seats__c'), 'REAL');
    assert.ok(
      indexes(after, 'Account').includes('Account__Legacy_Key__c__idx')
    );
    assert.deepEqual(
      after.prepare('SELECT "Name", "Region__c" FROM "Account"').all(),
      [{ Name: 'Kept', Region__c: null }]
    );
    // A second start changes nothing.
    ensureTables(after, buildRegistry(grown));
    assert.deepEqual(columns(after, 'Account'), accountColumns);
    after.close();
  });
});

describe('nextSequence', () => {
  it('starts at the given value and counts up', () => {
    const db = new Database(':memory:');
    ensureTables(db, buildRegistry([]));
    assert.equal(nextSequence(db, 'autonumber:Case.CaseNumber', 1000), 1000);
    assert.equal(nextSequence(db, 'autonumber:Case.CaseNumber', 1000), 1001);
    assert.equal(nextSequence(db, 'id:500'), 1);
    db.close();
  });

  it('gives a rolled-back value out again, and continues after a reopen', () => {
    const file = path.join(dir, 'sequence.db');
    const db = new Database(file);
    ensureTables(db, buildRegistry([]));
    assert.equal(nextSequence(db, 'id:500'), 1);
    assert.throws(() => {
      db.transaction(() => {
        assert.equal(nextSequence(db, 'id:500'), 2);
        assert.equal(nextSequence(db, 'id:500'), 3);
        throw new Error('roll back');
      })();
    }, /roll back/);
    // A savepoint inside a transaction that commits returns its values too.
    db.transaction(() => {
      assert.throws(() => {
        db.transaction(() => {
          nextSequence(db, 'id:500');
          throw new Error('one record fails');
        })();
      });
      assert.equal(nextSequence(db, 'id:500'), 2);
    })();
    db.close();

    const reopened = new Database(file);
    assert.equal(nextSequence(reopened, 'id:500'), 3);
    reopened.close();
  });
});

describe('Store', () => {
  it('writes each insert with its own columns when one object is inserted with different column sets', () => {
    const db = new Database(':memory:');
    const registry = buildRegistry(standard);
    ensureTables(db, registry);
    const store = new Store(db);
    const object = registry.object('Account');
    assert.ok(object);
    store.insert(object, { Id: '001000000000001AAA', Name: 'One' });
    store.insert(object, {
      Id: '001000000000002AAA',
      Name: 'Two',
      Phone: '555-0102'
    });
    store.insert(object, { Name: 'Three', Id: '001000000000003AAA' });
    assert.deepEqual(
      db
        .prepare('SELECT "Id", "Name", "Phone" FROM "Account" ORDER BY "Id"')
        .all(),
      [
        { Id: '001000000000001AAA', Name: 'One', Phone: null },
        { Id: '001000000000002AAA', Name: 'Two', Phone: '555-0102' },
        { Id: '001000000000003AAA', Name: 'Three', Phone: null }
      ]
    );
    const name = registry.field('Account', 'Name');
    assert.ok(name);
    assert.deepEqual(store.findBy(object, name, 'two'), ['001000000000002AAA']);
    assert.equal(store.exists(object, '001000000000003AAA'), true);
    store.delete(object, '001000000000003AAA');
    assert.equal(store.exists(object, '001000000000003AAA'), false);
    assert.equal(store.get(object, '001000000000001AAA')?.Name, 'One');
    assert.equal(store.all(object).length, 2);
    db.close();
  });
});
