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
import {
  ensureTables,
  nextSequence,
  restoreSequences,
  sequenceMark,
  Store,
  withSequencesInMemory
} from './storage.ts';

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

describe('withSequencesInMemory', () => {
  it('hands out what the stored sequence would, stores it once at the end, and nothing when it throws', () => {
    const db = new Database(':memory:');
    ensureTables(db, buildRegistry([]));
    assert.equal(nextSequence(db, 'id:500'), 1);
    const stored = (): unknown =>
      db
        .prepare(
          `SELECT "value" FROM "_local_org_meta" WHERE "key" = 'seq:id:500'`
        )
        .pluck(true)
        .get();
    db.transaction(() => {
      withSequencesInMemory(db, () => {
        assert.equal(nextSequence(db, 'id:500'), 2);
        assert.equal(
          nextSequence(db, 'autonumber:Case.CaseNumber', 1000),
          1000
        );
        // A failed record gives its values to the next one.
        const mark = sequenceMark(db);
        assert.equal(nextSequence(db, 'id:500'), 3);
        restoreSequences(db, mark);
        assert.equal(nextSequence(db, 'id:500'), 3);
        assert.equal(stored(), '1'); // not yet: once, at the end
      });
    })();
    assert.equal(stored(), '3');
    assert.equal(nextSequence(db, 'autonumber:Case.CaseNumber', 1000), 1001);
    assert.throws(() => {
      db.transaction(() => {
        withSequencesInMemory(db, () => {
          nextSequence(db, 'id:500');
          throw new Error('roll back');
        });
      })();
    }, /roll back/);
    assert.equal(nextSequence(db, 'id:500'), 4);
    assert.throws(() => {
      withSequencesInMemory(db, () => 0);
    }, /inside a transaction/);
    db.close();
  });
});

describe('Store read memo', () => {
  const setUp = (): {
    db: Database.Database;
    store: Store;
    object: NonNullable<ReturnType<ReturnType<typeof buildRegistry>['object']>>;
    name: FieldSchema;
    registry: ReturnType<typeof buildRegistry>;
  } => {
    const grown = mergeFields(
      standard,
      new Map([['Account', [customField('Key__c', 'string', true)]]])
    );
    const registry = buildRegistry(grown);
    const db = new Database(':memory:');
    ensureTables(db, registry);
    const object = registry.object('Account');
    const name = registry.field('Account', 'Key__c');
    assert.ok(object && name);
    return { db, store: new Store(db), object, name, registry };
  };

  it('answers findBy from keys read ahead, and never from one a write may have changed, a rolled-back write too', () => {
    const { db, store, object, name } = setUp();
    store.insert(object, { Id: '001000000000001AAA', Key__c: 'Alpha' });
    db.transaction(() => {
      store.withReadMemo(() => {
        store.rememberKeys(object, name, ['ALPHA', 'beta', 'gamma']);
        assert.deepEqual(store.findBy(object, name, 'alpha'), [
          '001000000000001AAA'
        ]);
        // Read ahead as absent, then written in a savepoint that rolls back.
        assert.throws(() => {
          db.transaction(() => {
            store.insert(object, { Id: '001000000000002AAA', Key__c: 'BETA' });
            assert.deepEqual(store.findBy(object, name, 'beta'), [
              '001000000000002AAA'
            ]);
            throw new Error('roll back');
          })();
        }, /roll back/);
        assert.deepEqual(store.findBy(object, name, 'beta'), []);
        // An update of the key drops what was read ahead for the field.
        store.update(object, '001000000000001AAA', { Key__c: 'gamma' });
        assert.deepEqual(store.findBy(object, name, 'alpha'), []);
        assert.deepEqual(store.findBy(object, name, 'GAMMA'), [
          '001000000000001AAA'
        ]);
        // SQLite's NOCASE folds ASCII letters only.
        store.rememberKeys(object, name, ['É']);
        store.insert(object, { Id: '001000000000003AAA', Key__c: 'é' });
        assert.deepEqual(store.findBy(object, name, 'É'), []);
      });
    })();
    db.close();
  });

  it('remembers ids read ahead until deleted, found ones until a record fails, and a per-scope value until its object is written', () => {
    const { db, store, object, registry } = setUp();
    store.insert(object, { Id: '001000000000001AAA', Name: 'One' });
    db.transaction(() => {
      store.withReadMemo(() => {
        store.rememberIds(object, ['001000000000001AAA', '001000000000009AAA']);
        assert.equal(store.exists(object, '001000000000001AAA'), true);
        assert.equal(store.exists(object, '001000000000009AAA'), false);
        store.delete(object, '001000000000001AAA');
        assert.equal(store.exists(object, '001000000000001AAA'), false);
        // Found inside a savepoint that then rolls back: forgotten when the record fails.
        assert.throws(() => {
          db.transaction(() => {
            store.insert(object, { Id: '001000000000002AAA', Name: 'Two' });
            assert.equal(store.exists(object, '001000000000002AAA'), true);
            throw new Error('roll back');
          })();
        }, /roll back/);
        store.forgetFound();
        assert.equal(store.exists(object, '001000000000002AAA'), false);
        // Account is written above; Group not until here.
        const group = registry.object('Group');
        assert.ok(group);
        let reads = 0;
        const count = (): number =>
          store.remembered('Group', 'n', () => ++reads);
        assert.equal(count(), 1);
        assert.equal(count(), 1);
        store.insert(group, { Id: '00G000000000001AAA', Name: 'Four' });
        assert.equal(count(), 2);
        assert.equal(count(), 3);
      });
    })();
    // Outside a scope nothing is remembered.
    assert.equal(store.exists(object, '001000000000002AAA'), false);
    db.close();
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
