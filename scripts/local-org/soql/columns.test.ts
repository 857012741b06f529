import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeQueryColumns } from './columns.ts';
import type { QueryColumn } from './columns.ts';
import { SoqlError } from './errors.ts';
import { seededOrg } from './fixture.ts';

const org = seededOrg();
const describeColumns = (soql: string) =>
  describeQueryColumns(org.registry, soql);

/** A column with the platform's defaults (as for a relationship column) and the given flags. */
function col(name: string, flags: Partial<QueryColumn> = {}): QueryColumn {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
    ...flags
  };
}

const writable = { insertable: true, updatable: true };
const text = { apexType: 'String', textType: true };

/** sf data query's reading of the metadata: dotted names for parents, nested lists for children. */
function columnNames(columns: QueryColumn[], prefix = ''): string[] {
  return columns.flatMap((c) =>
    c.joinColumns.length === 0
      ? [`${prefix}${c.columnName}`]
      : c.aggregate
        ? [`${c.columnName}[${columnNames(c.joinColumns).join(',')}]`]
        : columnNames(c.joinColumns, `${prefix}${c.columnName}.`)
  );
}

void describe('describeQueryColumns (query?columns=true)', () => {
  void it('describes plain fields in SELECT order and schema casing', () => {
    const result = describeColumns(
      'select name, id, numberofemployees, annualrevenue from account'
    );
    assert.deepEqual(result, {
      columnMetadata: [
        col('Name', { ...text, ...writable }),
        col('Id', { apexType: 'Id' }),
        col('NumberOfEmployees', {
          apexType: 'Integer',
          numberType: true,
          ...writable
        }),
        col('AnnualRevenue', {
          apexType: 'Decimal',
          numberType: true,
          ...writable
        })
      ],
      entityName: 'Account',
      groupBy: false,
      idSelected: true,
      keyPrefix: '001'
    });
  });

  void it('flags custom, boolean and multipicklist fields and leaves idSelected false without Id', () => {
    const result = describeColumns(
      'SELECT Score__c, IsEscalated, Impact_Areas__c FROM Case'
    );
    assert.equal(result.idSelected, false);
    assert.equal(result.entityName, 'Case');
    assert.deepEqual(result.columnMetadata, [
      col('Score__c', {
        apexType: 'Decimal',
        numberType: true,
        custom: true,
        ...writable
      }),
      col('IsEscalated', {
        apexType: 'Boolean',
        booleanType: true,
        ...writable
      }),
      col('Impact_Areas__c', { ...text, custom: true, ...writable })
    ]);
  });

  void it('nests parent fields two levels deep under one column per relationship', () => {
    const result = describeColumns(
      'SELECT Subject, c.Account.Name, Account.Owner.Name, Account.Industry, Escalated_Incident__r.Subject FROM Case c'
    );
    const [subject, account, escalated] = result.columnMetadata;
    assert.equal(result.columnMetadata.length, 3);
    assert.equal(subject?.columnName, 'Subject');
    assert.deepEqual(
      { ...account, joinColumns: [] },
      col('Account', { foreignKeyName: 'AccountId' })
    );
    const [name, owner, industry] = account?.joinColumns ?? [];
    assert.equal(name?.columnName, 'Name');
    assert.equal(name.textType, true);
    assert.deepEqual(
      { ...owner, joinColumns: [] },
      col('Owner', { foreignKeyName: 'OwnerId' })
    );
    assert.deepEqual(
      owner?.joinColumns.map((c) => c.columnName),
      ['Name']
    );
    assert.equal(industry?.columnName, 'Industry');
    assert.deepEqual(
      { ...escalated, joinColumns: [] },
      col('Escalated_Incident__r', {
        custom: true,
        foreignKeyName: 'Escalated_Incident__c'
      })
    );
    assert.deepEqual(columnNames(result.columnMetadata), [
      'Subject',
      'Account.Name',
      'Account.Owner.Name',
      'Account.Industry',
      'Escalated_Incident__r.Subject'
    ]);
  });

  void it('describes the polymorphic owner through its relationship, Type included', () => {
    const result = describeColumns('SELECT Owner.Name, Owner.Type FROM Case');
    assert.deepEqual(columnNames(result.columnMetadata), [
      'Owner.Name',
      'Owner.Type'
    ]);
    assert.equal(result.columnMetadata[0]?.foreignKeyName, 'OwnerId');
  });

  void it('describes a child subquery as an aggregate column holding its fields', () => {
    const result = describeColumns(
      'SELECT Name, (SELECT Subject, Owner.Name FROM cases ORDER BY Subject) FROM Account'
    );
    const cases = result.columnMetadata[1];
    assert.deepEqual(
      { ...cases, joinColumns: [] },
      col('Cases', { aggregate: true })
    );
    assert.deepEqual(columnNames(result.columnMetadata), [
      'Name',
      'Cases[Subject,Owner.Name]'
    ]);
  });

  void it('expands FIELDS() like the engine', () => {
    const result = describeColumns('SELECT FIELDS(CUSTOM) FROM Case LIMIT 10');
    assert.deepEqual(columnNames(result.columnMetadata), [
      'Impact_Areas__c',
      'Score__c',
      'Escalated_Incident__c'
    ]);
  });

  void it('describes COUNT() as no columns and aggregates by alias or exprN', () => {
    assert.deepEqual(describeColumns('SELECT COUNT() FROM Case'), {
      columnMetadata: [],
      entityName: 'Case',
      groupBy: false,
      idSelected: false,
      keyPrefix: '500'
    });
    const result = describeColumns(
      'SELECT Priority, COUNT(Id) n, AVG(Score__c), MAX(Subject) FROM Case GROUP BY Priority'
    );
    assert.equal(result.groupBy, true);
    assert.equal(result.idSelected, false);
    assert.deepEqual(result.columnMetadata, [
      col('Priority', { ...text, ...writable }),
      col('n', { aggregate: true, displayName: 'count(Id)', numberType: true }),
      col('expr0', {
        aggregate: true,
        displayName: 'avg(Score__c)',
        numberType: true
      }),
      col('expr1', {
        aggregate: true,
        displayName: 'max(Subject)',
        textType: true
      })
    ]);
    // The keys match the AggregateResult records the engine returns.
    const record = org.query(
      'SELECT Priority, COUNT(Id) n, AVG(Score__c), MAX(Subject) FROM Case GROUP BY Priority'
    ).records[0];
    assert.deepEqual(
      Object.keys(record ?? {}).filter((key) => key !== 'attributes'),
      result.columnMetadata.map((c) => c.columnName)
    );
  });

  void it('rejects what the engine rejects, with the same error code and message', () => {
    const bad = [
      'SELECT Nope__c FROM Account',
      'SELECT Account.Nope FROM Case',
      'SELECT Nope__r.Name FROM Case',
      'SELECT Name, (SELECT Id FROM Nopes) FROM Account',
      'SELECT Name, (SELECT Nope__c FROM Cases) FROM Account',
      'SELECT Id FROM Nope__c',
      'SELECT Name, Name FROM Account',
      'SELECT Priority, Subject, COUNT(Id) FROM Case GROUP BY Priority',
      'SELECT COUNT(Id), Name FROM Account GROUP BY Nope__c',
      'SELECT FIELDS(ALL) FROM Account',
      'SELECT Id FROM'
    ];
    for (const soql of bad) {
      let expected: unknown;
      try {
        org.query(soql);
      } catch (error) {
        expected = error;
      }
      assert.ok(expected instanceof SoqlError, `engine accepts ${soql}`);
      assert.throws(
        () => describeColumns(soql),
        (error: unknown) =>
          error instanceof SoqlError &&
          error.errorCode === expected.errorCode &&
          error.message === expected.message,
        soql
      );
    }
    assert.throws(
      () => describeColumns('SELECT Nope__c FROM Account'),
      (error: unknown) =>
        error instanceof SoqlError &&
        error.errorCode === 'INVALID_FIELD' &&
        error.message.startsWith(
          "No such column 'Nope__c' on entity 'Account'."
        )
    );
  });
});
