import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { column, ids, seededOrg } from './fixture.ts';

const org = seededOrg();

/** Case numbers (last digit) matching a WHERE clause, sorted. */
function matching(where: string, timeZone?: string): string[] {
  return column(
    org.query(
      `SELECT CaseNumber FROM Case WHERE ${where} ORDER BY CaseNumber`,
      timeZone
    ),
    'CaseNumber'
  ).map((n) => String(n).slice(-1));
}

void describe('WHERE', () => {
  void it('compares text case-insensitively, including non-ASCII text', () => {
    assert.deepEqual(matching(`Status = 'NEW'`), ['1', '5']);
    assert.deepEqual(matching(`Subject = 'ÜNÏCODE SUBJECT'`), ['4']);
    assert.deepEqual(matching(`Status IN ('working', 'CLOSED')`), ['2', '3']);
    assert.deepEqual(matching(`Subject > 'M'`), ['3', '4']);
  });

  void it("treats null as a value: != and NOT IN include nulls, = '' means null", () => {
    assert.deepEqual(matching(`Status != 'New'`), ['2', '3', '4']);
    assert.deepEqual(matching(`Priority NOT IN ('High', 'Medium')`), [
      '3',
      '5'
    ]);
    assert.deepEqual(matching(`Status = null`), ['4']);
    assert.deepEqual(matching(`Status != null`), ['1', '2', '3', '5']);
    assert.deepEqual(matching(`Subject = ''`), ['5']);
    assert.deepEqual(matching(`Priority IN ('Low', null)`), ['3', '5']);
    assert.deepEqual(
      matching(`Score__c < 3`),
      ['2', '5'],
      'a null number is not less than 3'
    );
  });

  void it('combines AND, OR and NOT with parentheses', () => {
    assert.deepEqual(
      matching(`(Status = 'New' OR Status = 'Closed') AND Priority = 'High'`),
      ['1']
    );
    assert.deepEqual(
      matching(`Status = 'New' OR (Status = 'Closed' AND Priority = 'Low')`),
      ['1', '3', '5']
    );
    assert.deepEqual(matching(`NOT Status = 'New'`), ['2', '3', '4']);
    assert.deepEqual(matching(`NOT (Status = 'New' OR Priority = 'High')`), [
      '2',
      '3'
    ]);
    assert.deepEqual(matching(`Priority = 'High' AND (NOT Score__c > 5)`), [
      '1'
    ]);
    assert.deepEqual(
      matching(`NOT Score__c > 5`),
      ['1', '2', '3', '5'],
      'NOT keeps rows whose value is null'
    );
  });

  void it('compares numbers, booleans and ids', () => {
    assert.deepEqual(matching(`Score__c >= 2 AND Score__c <= 3.5`), ['1', '5']);
    assert.deepEqual(matching(`Score__c = 10`), ['4']);
    assert.deepEqual(matching(`IsEscalated = true`), ['1']);
    assert.deepEqual(matching(`IsEscalated != TRUE`), ['2', '3', '4', '5']);
    assert.deepEqual(matching(`AccountId = '${ids.acme}'`), ['1', '2']);
    assert.deepEqual(
      matching(`AccountId = '${ids.acme.slice(0, 15)}'`),
      ['1', '2'],
      '15-character ids match'
    );
    assert.deepEqual(
      matching(`Id IN ('${ids.case2}', '${ids.case3.slice(0, 15)}')`),
      ['2', '3']
    );
  });

  void it('implements LIKE with % and _ wildcards, escapes and no case', () => {
    assert.deepEqual(matching(`Subject LIKE 'login%'`), ['1']);
    assert.deepEqual(matching(`Subject LIKE '%LOG%'`), ['1', '3']);
    assert.deepEqual(matching(`Subject LIKE 'Invoice __\\% off?'`), ['2']);
    assert.deepEqual(matching(`Subject LIKE '%\\%%'`), ['2']);
    assert.deepEqual(matching(`Subject LIKE 'O\\'Brien%'`), ['3']);
    assert.deepEqual(matching(`Subject LIKE 'ünï%'`), ['4']);
    assert.deepEqual(matching(`Subject LIKE '%_%'`), ['1', '2', '3', '4']);
    assert.deepEqual(matching(`Subject LIKE '%\\_%'`), []);
  });

  void it('matches multi-select picklists with INCLUDES, EXCLUDES and =', () => {
    assert.deepEqual(matching(`Impact_Areas__c INCLUDES ('Login')`), [
      '1',
      '3'
    ]);
    assert.deepEqual(
      matching(`Impact_Areas__c INCLUDES ('billing;login', 'Reports')`),
      ['1', '3', '5']
    );
    assert.deepEqual(matching(`Impact_Areas__c EXCLUDES ('Billing')`), [
      '3',
      '4',
      '5'
    ]);
    assert.deepEqual(matching(`Impact_Areas__c = 'Login;Billing'`), ['1']);
    assert.deepEqual(matching(`Impact_Areas__c != 'Billing'`), [
      '1',
      '3',
      '4',
      '5'
    ]);
  });

  void it('filters through parent relationships and polymorphic lookups', () => {
    assert.deepEqual(matching(`Account.Name = 'acme'`), ['1', '2']);
    assert.deepEqual(matching(`Account.Name != 'Acme'`), ['3', '4', '5']);
    assert.deepEqual(matching(`Owner.Name LIKE 'Ada%'`), ['1', '3', '4']);
    assert.deepEqual(matching(`Escalated_Incident__r.IsMajorIncident = true`), [
      '1'
    ]);
  });

  void it('runs semi-joins and anti-joins', () => {
    assert.deepEqual(
      matching(
        `Id IN (SELECT CaseId FROM CaseRelatedIssue WHERE RelatedIssue.Subject = 'Outage')`
      ),
      ['1', '2']
    );
    assert.deepEqual(
      matching(`Id NOT IN (SELECT CaseId FROM CaseRelatedIssue)`),
      ['4', '5']
    );
    assert.deepEqual(
      matching(
        `AccountId NOT IN (SELECT AccountId FROM Case WHERE Status = 'Closed')`
      ),
      ['1', '2', '4', '5']
    );
    assert.deepEqual(
      matching(
        `Status = 'New' AND Id IN (SELECT CaseId FROM CaseRelatedIssue WHERE Name IN ('L1', 'L3'))`
      ),
      ['1']
    );
  });

  void it('compares dates and datetimes with explicit literals and offsets', () => {
    assert.deepEqual(matching(`CreatedDate >= 2026-03-10T00:00:00Z`), [
      '1',
      '2',
      '5'
    ]);
    assert.deepEqual(matching(`CreatedDate = 2026-03-11T08:00:00.000Z`), ['1']);
    assert.deepEqual(matching(`CreatedDate = 2026-03-11T09:00:00+01:00`), [
      '1'
    ]);
    assert.deepEqual(matching(`CreatedDate < 2026-01-01T00:00:00-01:00`), [
      '4'
    ]);
    const incidents = org.query(
      `SELECT Subject FROM Incident WHERE DetectedDateTime > 2026-03-10T23:00:00Z`
    );
    assert.deepEqual(column(incidents, 'Subject'), ['Outage']);
  });

  void it('evaluates relative date literals as day ranges in the org time zone', () => {
    // NOW is 2026-03-11T15:30Z: in UTC today is 03-11; in Tokyo (UTC+9) it is already 03-12.
    assert.deepEqual(matching(`CreatedDate = TODAY`), ['1']);
    assert.deepEqual(matching(`CreatedDate = TODAY`, 'Asia/Tokyo'), ['5']);
    assert.deepEqual(matching(`CreatedDate = YESTERDAY`), ['2']);
    assert.deepEqual(matching(`CreatedDate = TOMORROW`), ['5']);
    assert.deepEqual(matching(`CreatedDate > TODAY`), ['5']);
    assert.deepEqual(matching(`CreatedDate < TODAY`), ['2', '3', '4']);
    assert.deepEqual(matching(`CreatedDate <= TODAY`), ['1', '2', '3', '4']);
    assert.deepEqual(matching(`CreatedDate != TODAY`), ['2', '3', '4', '5']);
    assert.deepEqual(matching(`CreatedDate = LAST_N_DAYS:1`), ['1', '2']);
    assert.deepEqual(matching(`CreatedDate = LAST_N_DAYS:30`), ['1', '2', '3']);
    assert.deepEqual(matching(`CreatedDate = NEXT_N_DAYS:2`), ['5']);
    assert.deepEqual(matching(`CreatedDate = THIS_WEEK`), ['1', '2', '5']);
    assert.deepEqual(matching(`CreatedDate = THIS_MONTH`), ['1', '2', '5']);
    assert.deepEqual(matching(`CreatedDate = LAST_MONTH`), ['3']);
    assert.deepEqual(matching(`CreatedDate = LAST_YEAR`), ['4']);
    assert.deepEqual(
      matching(`CreatedDate = LAST_YEAR`, 'Europe/Paris'),
      [],
      'Dec 31 23:00 UTC is Jan 1 00:00 in Paris'
    );
    assert.deepEqual(matching(`CreatedDate = THIS_YEAR`, 'Europe/Paris'), [
      '1',
      '2',
      '3',
      '4',
      '5'
    ]);
    assert.deepEqual(matching(`CreatedDate IN (TODAY, LAST_YEAR)`), ['1', '4']);
  });
});
