import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { column, ids, seededOrg } from './fixture.ts';

const org = seededOrg();

void describe('record queries', () => {
  void it('returns REST-shaped records with typed values in schema casing', () => {
    const result = org.query(
      `select id, subject, isescalated, createddate, score__c, impact_areas__c from case where id = '${ids.case1}'`
    );
    assert.equal(result.totalSize, 1);
    assert.equal(result.done, true);
    assert.deepEqual(result.records[0], {
      attributes: {
        type: 'Case',
        url: `/services/data/v64.0/sobjects/Case/${ids.case1}`
      },
      Id: ids.case1,
      Subject: 'Login fails',
      IsEscalated: true,
      CreatedDate: '2026-03-11T08:00:00.000+0000',
      Score__c: 3.5,
      Impact_Areas__c: 'Billing;Login'
    });
  });

  void it('nests parent relationship fields, several levels deep, null when the lookup is empty', () => {
    const result = org.query(
      `SELECT CaseNumber, Account.Name, Account.Industry, Escalated_Incident__r.Owner.Name FROM Case WHERE CaseNumber IN ('00001001', '00001005') ORDER BY CaseNumber`
    );
    assert.deepEqual(result.records[0]?.Account, {
      attributes: {
        type: 'Account',
        url: `/services/data/v64.0/sobjects/Account/${ids.acme}`
      },
      Name: 'Acme',
      Industry: 'Energy'
    });
    assert.deepEqual(result.records[0].Escalated_Incident__r, {
      attributes: {
        type: 'Incident',
        url: `/services/data/v64.0/sobjects/Incident/${ids.outage}`
      },
      Owner: {
        attributes: {
          type: 'Name',
          url: `/services/data/v64.0/sobjects/User/${ids.ada}`
        },
        Name: 'Ada Lovelace'
      }
    });
    assert.equal(result.records[1]?.Account, null);
    assert.equal(result.records[1].Escalated_Incident__r, null);
  });

  void it('resolves polymorphic Owner by the id it holds, and filters on Owner.Type', () => {
    const result = org.query(
      `SELECT Subject, Owner.Name, Owner.Email FROM Incident ORDER BY Subject`
    );
    assert.deepEqual(
      result.records.map((r) => r.Owner),
      [
        {
          attributes: {
            type: 'Name',
            url: `/services/data/v64.0/sobjects/Group/${ids.queue}`
          },
          Name: 'Tier 2 Queue',
          Email: null
        },
        {
          attributes: {
            type: 'Name',
            url: `/services/data/v64.0/sobjects/User/${ids.ada}`
          },
          Name: 'Ada Lovelace',
          Email: 'ada@example.com'
        }
      ]
    );
    assert.deepEqual(
      column(
        org.query(
          `SELECT CaseNumber FROM Case WHERE Owner.Type = 'Group' ORDER BY CaseNumber`
        ),
        'CaseNumber'
      ),
      ['00001002', '00001005']
    );
  });

  void it('accepts the FROM alias in field paths', () => {
    const result = org.query(
      `SELECT c.Subject, c.Account.Name FROM Case c WHERE c.Status = 'Closed'`
    );
    assert.equal(result.records[0]?.Subject, "O'Brien can't log in");
    assert.deepEqual(
      (result.records[0].Account as Record<string, unknown>).Name,
      'Globex'
    );
  });

  void it('returns child subqueries as query results per parent, null when empty', () => {
    const result = org.query(
      `SELECT Name, (SELECT CaseNumber FROM Cases WHERE Status != 'Closed' ORDER BY CaseNumber DESC LIMIT 1) FROM Account ORDER BY Name`
    );
    assert.deepEqual(column(result, 'Name'), [
      'Acme',
      'Globex',
      'Ünïcode Corp'
    ]);
    const acme = result.records[0]?.Cases as {
      totalSize: number;
      done: boolean;
      records: Record<string, unknown>[];
    };
    assert.equal(acme.totalSize, 1);
    assert.equal(acme.done, true);
    assert.equal(acme.records[0]?.CaseNumber, '00001002');
    assert.equal(
      result.records[1]?.Cases,
      null,
      'Globex has only a closed case'
    );
    const unicode = result.records[2]?.Cases as {
      records: Record<string, unknown>[];
    };
    assert.equal(unicode.records[0]?.CaseNumber, '00001004');
  });

  void it('follows Incident → CaseRelatedIssues with parent fields inside the subquery', () => {
    const result = org.query(
      `SELECT Subject, (SELECT Case.CaseNumber FROM CaseRelatedIssues ORDER BY Name) FROM Incident WHERE Subject = 'Outage'`
    );
    const links = result.records[0]?.CaseRelatedIssues as {
      totalSize: number;
      records: { Case: { CaseNumber: string } }[];
    };
    assert.equal(links.totalSize, 2);
    assert.deepEqual(
      links.records.map((r) => r.Case.CaseNumber),
      ['00001001', '00001002']
    );
  });

  void it('orders by several fields with Salesforce null placement', () => {
    const asc = org.query(
      `SELECT CaseNumber FROM Case ORDER BY Priority, CaseNumber DESC`
    );
    // Nulls first ascending; text ordered case-insensitively.
    assert.deepEqual(column(asc, 'CaseNumber'), [
      '00001005',
      '00001004',
      '00001001',
      '00001003',
      '00001002'
    ]);
    const desc = org.query(
      `SELECT CaseNumber FROM Case ORDER BY Score__c DESC`
    );
    assert.deepEqual(column(desc, 'CaseNumber'), [
      '00001004',
      '00001001',
      '00001005',
      '00001002',
      '00001003'
    ]);
    const nullsFirst = org.query(
      `SELECT CaseNumber FROM Case ORDER BY Score__c DESC NULLS FIRST`
    );
    assert.equal(nullsFirst.records[0]?.CaseNumber, '00001003');
    const byParent = org.query(
      `SELECT CaseNumber FROM Case WHERE AccountId != null ORDER BY Account.Name DESC, CaseNumber`
    );
    assert.deepEqual(column(byParent, 'CaseNumber'), [
      '00001004',
      '00001003',
      '00001001',
      '00001002'
    ]);
  });

  void it('applies LIMIT and OFFSET after ordering', () => {
    assert.deepEqual(
      column(
        org.query(
          `SELECT CaseNumber FROM Case ORDER BY CaseNumber LIMIT 2 OFFSET 1`
        ),
        'CaseNumber'
      ),
      ['00001002', '00001003']
    );
    assert.deepEqual(
      column(
        org.query(`SELECT CaseNumber FROM Case ORDER BY CaseNumber OFFSET 4`),
        'CaseNumber'
      ),
      ['00001005']
    );
  });

  void it('expands FIELDS(STANDARD) and FIELDS(CUSTOM)', () => {
    const custom = org.query(
      `SELECT FIELDS(CUSTOM) FROM Case WHERE Id = '${ids.case1}' LIMIT 1`
    );
    assert.deepEqual(Object.keys(custom.records[0] ?? {}), [
      'attributes',
      'Impact_Areas__c',
      'Score__c',
      'Escalated_Incident__c'
    ]);
    const standard = org.query(
      `SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'`
    );
    assert.equal(standard.records[0]?.NumberOfEmployees, 120);
    assert.equal(standard.records[0].AnnualRevenue, 1000.5);
    assert.ok(!('BillingAddress' in standard.records[0]));
  });

  void it('queries custom metadata types like any object', () => {
    const result = org.query(
      `SELECT DeveloperName, Severity__c FROM Incident_Severity_Rule__mdt WHERE Impact__c = 2`
    );
    assert.deepEqual(
      result.records.map((r) => [r.DeveloperName, r.Severity__c]),
      [['U1_I2', 2]]
    );
  });

  void it('accepts WITH SECURITY_ENFORCED and WITH USER_MODE (one user: same rows)', () => {
    assert.equal(
      org.query(`SELECT Id FROM Case WITH SECURITY_ENFORCED`).totalSize,
      5
    );
    assert.equal(org.query(`SELECT Id FROM Case WITH USER_MODE`).totalSize, 5);
  });
});
