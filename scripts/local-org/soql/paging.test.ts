import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeSoql, openSoql } from './index.ts';
import { createDb, idFor, testRegistry } from './test-db.ts';

const ROWS = 100_000;
const PAGE = 2_000;

void describe('large results', () => {
  void it('returns 100,000 rows in order with parents, which page into 2,000-record slices exactly', () => {
    const registry = testRegistry();
    const db = createDb(registry);
    const accounts = Array.from({ length: 10 }, (_, i) =>
      idFor('Account', i + 1)
    );
    const insertAccount = db.prepare(
      'INSERT INTO "Account" ("Id", "Name") VALUES (?, ?)'
    );
    const insertCase = db.prepare(
      'INSERT INTO "Case" ("Id", "CaseNumber", "AccountId", "Score__c", "IsEscalated") VALUES (?, ?, ?, ?, ?)'
    );
    db.transaction(() => {
      accounts.forEach((id, i) => insertAccount.run(id, `Account ${i}`));
      for (let n = 1; n <= ROWS; n++) {
        insertCase.run(
          idFor('Case', n),
          String(n).padStart(8, '0'),
          accounts[n % 10],
          n / 2,
          n % 3 === 0 ? 1 : 0
        );
      }
    })();

    const result = executeSoql(
      db,
      registry,
      'SELECT Id, CaseNumber, Score__c, IsEscalated, Account.Name FROM Case ORDER BY CaseNumber DESC',
      {
        apiVersion: '64.0'
      }
    );
    assert.equal(result.totalSize, ROWS);
    assert.equal(result.records.length, ROWS);

    const seen = new Set<unknown>();
    for (let start = 0; start < ROWS; start += PAGE) {
      const page = result.records.slice(start, start + PAGE);
      assert.equal(page.length, PAGE);
      const first = page[0];
      assert.ok(first);
      const n = ROWS - start;
      assert.equal(first.CaseNumber, String(n).padStart(8, '0'));
      assert.equal(first.Score__c, n / 2);
      assert.equal(first.IsEscalated, n % 3 === 0);
      assert.equal(
        (first.Account as { Name: string }).Name,
        `Account ${n % 10}`
      );
      for (const record of page) seen.add(record.Id);
    }
    assert.equal(seen.size, ROWS, 'every record exactly once');

    const filtered = executeSoql(
      db,
      registry,
      `SELECT COUNT() FROM Case WHERE IsEscalated = true AND Account.Name = 'account 3'`,
      {
        apiVersion: '64.0'
      }
    );
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter(
      (n) => n % 3 === 0 && n % 10 === 3
    ).length;
    assert.equal(filtered.totalSize, expected);
  });
});

void describe('a cursor', () => {
  const cursorOver = (count: number) => {
    const registry = testRegistry();
    const db = createDb(registry);
    const insert = db.prepare(
      'INSERT INTO "Case" ("Id", "CaseNumber", "IsEscalated") VALUES (?, ?, 0)'
    );
    for (let n = 1; n <= count; n++)
      insert.run(idFor('Case', n), String(n).padStart(4, '0'));
    const cursor = openSoql(
      db,
      registry,
      'SELECT Id, CaseNumber FROM Case WHERE IsEscalated = false ORDER BY CaseNumber',
      { apiVersion: '64.0' }
    );
    const numbers = (offset: number, n: number): unknown[] =>
      cursor.read(offset, n).map((r) => r.CaseNumber);
    return { db, cursor, numbers };
  };

  void it('keeps the set and order of its query at open: records leaving the filter after page 1 do not shift page 2', () => {
    const { db, cursor, numbers } = cursorOver(12);
    assert.deepEqual(numbers(0, 4), ['0001', '0002', '0003', '0004']);
    // The first page's records no longer match; a re-run query would start page 2 at 0009.
    db.prepare(
      `UPDATE "Case" SET "IsEscalated" = 1 WHERE "CaseNumber" <= '0004'`
    ).run();
    assert.equal(cursor.totalSize, 12);
    assert.deepEqual(numbers(4, 4), ['0005', '0006', '0007', '0008']);
    // A record deleted since the query opened is left out of its page; the pages keep their places.
    db.prepare(`DELETE FROM "Case" WHERE "CaseNumber" = '0010'`).run();
    assert.deepEqual(numbers(8, 4), ['0009', '0011', '0012']);
  });
});
