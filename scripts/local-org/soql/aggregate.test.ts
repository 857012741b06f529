import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededOrg } from './fixture.ts';

const org = seededOrg();

void describe('aggregate queries', () => {
  void it('answers COUNT() with totalSize and no records', () => {
    assert.deepEqual(org.query(`SELECT COUNT() FROM Case`), {
      totalSize: 5,
      done: true,
      records: []
    });
    assert.equal(
      org.query(`SELECT COUNT() FROM Case WHERE Status = 'New'`).totalSize,
      2
    );
    assert.equal(org.query(`SELECT COUNT() FROM Case LIMIT 3`).totalSize, 3);
  });

  void it('names unaliased aggregates expr0, expr1, ... and keeps aliases', () => {
    const result = org.query(
      `SELECT COUNT(Id), SUM(Score__c) total, AVG(Score__c), MIN(CreatedDate), MAX(Subject) FROM Case`
    );
    assert.equal(result.totalSize, 1);
    assert.deepEqual(result.records[0], {
      attributes: { type: 'AggregateResult' },
      expr0: 5,
      total: 17,
      expr1: 4.25,
      expr2: '2025-12-31T23:00:00.000+0000',
      expr3: 'Ünïcode subject'
    });
  });

  void it('groups by fields (text without case), with HAVING and ORDER BY on aggregates', () => {
    const result = org.query(
      `SELECT Priority, COUNT(Id) n, COUNT(Score__c), COUNT_DISTINCT(AccountId) FROM Case GROUP BY Priority HAVING COUNT(Id) >= 1 ORDER BY COUNT(Id) DESC, Priority`
    );
    assert.deepEqual(
      result.records.map((r) => [r.Priority, r.n, r.expr0, r.expr1]),
      [
        ['High', 2, 2, 2],
        [null, 1, 1, 0],
        ['Low', 1, 0, 1],
        ['Medium', 1, 1, 1]
      ]
    );
    const having = org.query(
      `SELECT Priority FROM Case GROUP BY Priority HAVING COUNT(Id) > 1`
    );
    assert.deepEqual(
      having.records.map((r) => r.Priority),
      ['High']
    );
  });

  void it('groups by parent fields, keyed by the field name', () => {
    const result = org.query(
      `SELECT Account.Name, SUM(Score__c) FROM Case WHERE AccountId != null GROUP BY Account.Name ORDER BY Account.Name`
    );
    assert.deepEqual(
      result.records.map((r) => [r.Name, r.expr0]),
      [
        ['Acme', 5],
        ['Globex', null],
        ['Ünïcode Corp', 10]
      ]
    );
  });

  void it('types grouped booleans and counts per group with LIMIT', () => {
    const result = org.query(
      `SELECT IsEscalated, COUNT(Id) FROM Case GROUP BY IsEscalated ORDER BY IsEscalated LIMIT 1`
    );
    assert.deepEqual(
      result.records.map((r) => [r.IsEscalated, r.expr0]),
      [[false, 4]]
    );
  });
});
