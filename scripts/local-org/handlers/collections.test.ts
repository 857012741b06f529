/**
 * sObject Collections atomicity as the id and autonumber sequences show it: a record that
 * fails (or a call rolled back under allOrNone) gives its numbers back, so committed records
 * number without gaps or reuse, across a restart too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Connection } from 'jsforce';
import type { OrgContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { makeId } from '../ids.ts';
import { Store } from '../storage.ts';
import { runBatch } from './collections.ts';
import {
  createViaCollections,
  startTestOrg,
  type CollectionSaveResult,
  type TestOrg
} from '../test-org.ts';

/** An Account id of the right shape that no record has: fails the lookup check after numbering. */
const MISSING_ACCOUNT = makeId('001', 999_999);

function createCases(
  conn: Connection,
  subjects: (string | null)[],
  allOrNone: boolean
): Promise<CollectionSaveResult[]> {
  return createViaCollections(
    conn,
    'Case',
    subjects.map((subject) =>
      subject === null
        ? { Subject: 'bad', AccountId: MISSING_ACCOUNT }
        : { Subject: subject }
    ),
    allOrNone
  );
}

async function caseNumber(conn: Connection, id: string): Promise<number> {
  const row = await conn.sobject('Case').retrieve(id);
  return Number(row.CaseNumber);
}

function idsOf(results: CollectionSaveResult[]): string[] {
  return results.flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
}

describe('sObject Collections and the id sequences', () => {
  let t: TestOrg;
  let restarted: TestOrg | undefined;
  before(async () => {
    t = await startTestOrg();
  });
  after(async () => {
    await restarted?.dispose();
    await t.dispose().catch(() => undefined);
  });

  it('numbers committed cases without gaps or reuse around rolled-back records and a restart', async () => {
    const [first] = idsOf(await createCases(t.conn, ['first'], true));
    assert.ok(first);
    const start = await caseNumber(t.conn, first);

    const rolledBack = await createCases(t.conn, ['a', null, 'b'], true);
    assert.deepEqual(
      rolledBack.map((r) => r.errors[0]?.statusCode),
      [
        'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        'INVALID_CROSS_REFERENCE_KEY',
        'ALL_OR_NONE_OPERATION_ROLLED_BACK'
      ]
    );
    assert.deepEqual(idsOf(rolledBack), []);

    // Without allOrNone the failed record is undone alone: its neighbours commit, and the
    // numbers it drew before failing are given to the next record.
    const partial = await createCases(t.conn, ['c', null, 'd'], false);
    assert.deepEqual(
      partial.map((r) => r.success),
      [true, false, true]
    );
    const [c, d] = idsOf(partial);
    assert.ok(c && d);
    assert.equal(await caseNumber(t.conn, c), start + 1);
    assert.equal(await caseNumber(t.conn, d), start + 2);

    await t.org.stop();
    restarted = await startTestOrg({ dbPath: t.dbPath });
    const [e] = idsOf(await createCases(restarted.conn, ['e'], true));
    assert.ok(e);
    assert.equal(await caseNumber(restarted.conn, e), start + 3);
    assert.equal(new Set([first, c, d, e]).size, 4);
    assert.equal(
      (await restarted.conn.query('SELECT COUNT() FROM Case')).totalSize,
      4
    );
  });
});

describe('runBatch without allOrNone', () => {
  const table = (): { ctx: OrgContext; rows: () => string[] } => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (v TEXT)');
    return {
      // runBatch reads only ctx.db and the store its write scope remembers reads in.
      ctx: { db, store: new Store(db) } as unknown as OrgContext,
      rows: () =>
        (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map(
          (r) => r.v
        )
    };
  };

  it('undoes a failed record alone and keeps its neighbours', () => {
    const { ctx, rows } = table();
    const insert = ctx.db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = runBatch(ctx, ['a', 'bad', 'c'], false, (v) => {
      insert.run(v);
      if (v === 'bad') throw new ApiError(400, 'FIELD_INTEGRITY_EXCEPTION', v);
      return { id: v, success: true, errors: [] };
    });
    assert.deepEqual(
      results.map((r) => r.success),
      [true, false, true]
    );
    // The failed record's own write is undone alone.
    assert.deepEqual(rows(), ['a', 'c']);
  });

  it('is one transaction for the call: an unexpected failure (not a record error) writes nothing of it', () => {
    const { ctx, rows } = table();
    const insert = ctx.db.prepare('INSERT INTO t (v) VALUES (?)');
    assert.throws(
      () =>
        runBatch(ctx, ['a', 'boom'], false, (v) => {
          insert.run(v);
          if (v === 'boom') throw new Error('a bug');
          return { id: v, success: true, errors: [] };
        }),
      /a bug/
    );
    assert.deepEqual(rows(), []);
  });
});
