import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SoqlError } from './index.ts';
import type { SoqlErrorCode } from './index.ts';
import { column, seededOrg } from './fixture.ts';

const org = seededOrg();

function rejects(
  soql: string,
  errorCode: SoqlErrorCode,
  message: RegExp
): void {
  assert.throws(
    () => org.query(soql),
    (error: unknown) => {
      assert.ok(
        error instanceof SoqlError,
        `expected a SoqlError for ${soql}, got ${String(error)}`
      );
      assert.equal(error.errorCode, errorCode, `${soql}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    }
  );
}

void describe('errors', () => {
  void it('reports unknown objects, fields and relationships as Salesforce does', () => {
    rejects(
      `SELECT Id FROM Foo`,
      'INVALID_TYPE',
      /^sObject type 'Foo' is not supported\./
    );
    rejects(
      `SELECT Foo FROM Case`,
      'INVALID_FIELD',
      /^No such column 'Foo' on entity 'Case'\. If you are attempting to use a custom field/
    );
    rejects(
      `SELECT Account.Foo FROM Case`,
      'INVALID_FIELD',
      /^No such column 'Foo' on entity 'Account'/
    );
    rejects(
      `SELECT Owner.Foo FROM Case`,
      'INVALID_FIELD',
      /^No such column 'Foo' on entity 'Name'/
    );
    rejects(
      `SELECT Acount.Name FROM Case`,
      'INVALID_FIELD',
      /^Didn't understand relationship 'Acount' in field path/
    );
    rejects(
      `SELECT Owner.Manager.Name FROM Case`,
      'INVALID_FIELD',
      /Didn't understand relationship 'Manager'/
    );
    rejects(
      `SELECT Id FROM Case WHERE Foo = 1`,
      'INVALID_FIELD',
      /No such column 'Foo'/
    );
    rejects(
      `SELECT Id, (SELECT Id FROM Foos) FROM Account`,
      'INVALID_TYPE',
      /Didn't understand relationship 'Foos' in FROM part/
    );
    rejects(
      `SELECT Id FROM Case WHERE Id IN (SELECT CaseId FROM Nope)`,
      'INVALID_TYPE',
      /'Nope'/
    );
  });

  void it('rejects malformed SOQL and values of the wrong type', () => {
    rejects(`SELECT FROM Case`, 'MALFORMED_QUERY', /unexpected token/);
    rejects(
      `SELECT Id FROM Case WHERE Status = 'New' AND Priority = 'High' OR IsEscalated = true`,
      'MALFORMED_QUERY',
      /parentheses/
    );
    rejects(
      `SELECT Id FROM Case WHERE Subject = 5`,
      'INVALID_FIELD',
      /field 'Subject' must be of type string and should be enclosed in quotes/
    );
    rejects(
      `SELECT Id FROM Case WHERE Score__c = '5'`,
      'INVALID_FIELD',
      /must be of type double and should not be enclosed in quotes/
    );
    rejects(
      `SELECT Id FROM Case WHERE CreatedDate > 2026-01-01`,
      'INVALID_FIELD',
      /must be of type dateTime/
    );
    rejects(
      `SELECT Id FROM Case WHERE IsEscalated = 'true'`,
      'INVALID_FIELD',
      /must be of type boolean/
    );
    rejects(
      `SELECT Id FROM Case WHERE IsEscalated > true`,
      'INVALID_QUERY_FILTER_OPERATOR',
      /boolean/
    );
    rejects(
      `SELECT Id FROM Case WHERE AccountId = 'not-an-id'`,
      'INVALID_QUERY_FILTER_OPERATOR',
      /invalid ID field: not-an-id/
    );
    rejects(
      `SELECT Id FROM Case WHERE Subject INCLUDES ('a')`,
      'INVALID_QUERY_FILTER_OPERATOR',
      /multipicklist/
    );
    rejects(
      `SELECT Id FROM Case WHERE Description = 'x'`,
      'INVALID_FIELD',
      /field 'Description' can not be filtered/
    );
    rejects(
      `SELECT Id FROM Case ORDER BY Description`,
      'INVALID_FIELD',
      /can not be sorted/
    );
    rejects(
      `SELECT Id, Id FROM Case`,
      'MALFORMED_QUERY',
      /duplicate field selected: Id/
    );
    rejects(
      `SELECT Id FROM Case WHERE CreatedDate > 2026-02-30T00:00:00Z`,
      'MALFORMED_QUERY',
      /invalid datetime/
    );
    rejects(
      `SELECT Id FROM Case OFFSET 2001`,
      'NUMBER_OUTSIDE_VALID_RANGE',
      /Maximum SOQL offset allowed is 2000/
    );
    rejects(
      `SELECT FIELDS(ALL) FROM Case`,
      'MALFORMED_QUERY',
      /LIMIT of at most 200/
    );
  });

  void it('rejects aggregate misuse', () => {
    rejects(
      `SELECT Subject, COUNT(Id) FROM Case`,
      'MALFORMED_QUERY',
      /Field must be grouped or aggregated: Subject/
    );
    rejects(
      `SELECT Status, COUNT(Id) FROM Case GROUP BY Priority`,
      'MALFORMED_QUERY',
      /Field must be grouped or aggregated: Status/
    );
    rejects(
      `SELECT SUM(Subject) FROM Case`,
      'MALFORMED_QUERY',
      /does not support aggregate operator SUM/
    );
    rejects(`SELECT COUNT(), Id FROM Case`, 'MALFORMED_QUERY', /COUNT\(\)/);
    rejects(
      `SELECT CaseNumber FROM Case GROUP BY CaseNumber`,
      'INVALID_FIELD',
      /can not be grouped/
    );
  });

  void it('rejects what the local org does not execute, naming the construct', () => {
    rejects(
      `SELECT TYPEOF Owner WHEN User THEN Email END FROM Case`,
      'MALFORMED_QUERY',
      /TYPEOF is not supported/
    );
    rejects(
      `SELECT Id FROM Case FOR UPDATE`,
      'MALFORMED_QUERY',
      /FOR UPDATE is not supported/
    );
    rejects(`SELECT Id FROM Case FOR VIEW`, 'MALFORMED_QUERY', /FOR VIEW/);
    rejects(
      `SELECT Id FROM Case UPDATE TRACKING`,
      'MALFORMED_QUERY',
      /UPDATE TRACKING/
    );
    rejects(
      `SELECT Id FROM Case USING SCOPE mine`,
      'MALFORMED_QUERY',
      /USING SCOPE/
    );
    rejects(
      `SELECT Status, COUNT(Id) FROM Case GROUP BY ROLLUP(Status)`,
      'MALFORMED_QUERY',
      /GROUP BY ROLLUP\(\)/
    );
    rejects(
      `SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) FROM Case GROUP BY CALENDAR_YEAR(CreatedDate)`,
      'MALFORMED_QUERY',
      /CALENDAR_YEAR/
    );
    rejects(
      `SELECT Id FROM Case WHERE CALENDAR_YEAR(CreatedDate) = 2026`,
      'MALFORMED_QUERY',
      /CALENDAR_YEAR\(\) in WHERE/
    );
    rejects(
      `SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi') < 20`,
      'MALFORMED_QUERY',
      /DISTANCE/
    );
    rejects(
      `SELECT toLabel(Status) FROM Case`,
      'MALFORMED_QUERY',
      /toLabel\(\) is not supported/
    );
    rejects(
      `SELECT FORMAT(CreatedDate) FROM Case`,
      'MALFORMED_QUERY',
      /FORMAT\(\)/
    );
    // A compound field is selectable on the queried object only, never filtered on.
    rejects(
      `SELECT Id FROM Account ORDER BY BillingAddress`,
      'MALFORMED_QUERY',
      /compound field BillingAddress/
    );
    rejects(
      `SELECT Id FROM Case WHERE Score__c = USD10`,
      'MALFORMED_QUERY',
      /currency-prefixed/
    );
    rejects(
      `SELECT Id FROM Case WHERE Id IN (SELECT CaseId FROM CaseRelatedIssue WHERE CaseId IN (SELECT Id FROM Case))`,
      'MALFORMED_QUERY',
      /Nesting/
    );
    rejects(
      `SELECT Name, (SELECT Id, (SELECT Id FROM CaseComments) FROM Cases) FROM Account`,
      'MALFORMED_QUERY',
      /nested/
    );
  });

  void it('binds literals as parameters: quotes and SQL in strings are only data', () => {
    const attempts = [
      `SELECT Id FROM Case WHERE Subject = 'x\\' OR 1=1 --'`,
      `SELECT Id FROM Case WHERE Subject = 'x'' OR ''1''=''1'`,
      `SELECT Id FROM Case WHERE Subject = '"; DROP TABLE "Case"; --'`,
      `SELECT Id FROM Case WHERE Subject LIKE '%\\'); DELETE FROM "Case"; --'`,
      `SELECT Id FROM Case WHERE Subject IN ('a\\'), (\\'b')`
    ];
    for (const soql of attempts) {
      try {
        assert.equal(org.query(soql).totalSize, 0, soql);
      } catch (error) {
        assert.ok(error instanceof SoqlError, `${soql} threw ${String(error)}`);
      }
    }
    assert.equal(
      org.query(`SELECT COUNT() FROM Case`).totalSize,
      5,
      'no row was touched'
    );
    assert.deepEqual(
      column(
        org.query(
          `SELECT Subject FROM Case WHERE Subject = 'O\\'Brien can\\'t log in'`
        ),
        'Subject'
      ),
      ["O'Brien can't log in"]
    );
  });
});
