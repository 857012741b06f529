/** A small org used by the engine tests: accounts, a user and a queue, incidents, cases, links. */
import type { Database } from 'better-sqlite3';
import type { SchemaRegistry } from '../../schema/types.ts';
import { executeSoql } from './index.ts';
import type { QueryResult } from './index.ts';
import { createDb, idFor, insert, testRegistry } from './test-db.ts';

export const ids = {
  acme: idFor('Account', 1),
  globex: idFor('Account', 2),
  unicode: idFor('Account', 3),
  ada: idFor('User', 1),
  queue: idFor('Group', 1),
  outage: idFor('Incident', 1),
  latency: idFor('Incident', 2),
  case1: idFor('Case', 1),
  case2: idFor('Case', 2),
  case3: idFor('Case', 3),
  case4: idFor('Case', 4),
  case5: idFor('Case', 5)
};

/** 2026-03-11 is a Wednesday. */
export const NOW = new Date('2026-03-11T15:30:00.000Z');

export interface Org {
  db: Database;
  registry: SchemaRegistry;
  query(soql: string, timeZone?: string): QueryResult;
}

export function seededOrg(): Org {
  const registry = testRegistry();
  const db = createDb(registry);
  insert(db, 'Account', [
    {
      Id: ids.acme,
      Name: 'Acme',
      Industry: 'Energy',
      NumberOfEmployees: 120,
      AnnualRevenue: 1000.5
    },
    {
      Id: ids.globex,
      Name: 'Globex',
      Industry: 'Retail',
      NumberOfEmployees: 40,
      AnnualRevenue: null
    },
    {
      Id: ids.unicode,
      Name: 'Ünïcode Corp',
      Industry: null,
      NumberOfEmployees: null,
      AnnualRevenue: null
    }
  ]);
  insert(db, 'User', [
    {
      Id: ids.ada,
      Name: 'Ada Lovelace',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      IsActive: 1
    }
  ]);
  insert(db, 'Group', [{ Id: ids.queue, Name: 'Tier 2 Queue', Type: 'Queue' }]);
  insert(db, 'Incident', [
    {
      Id: ids.outage,
      Subject: 'Outage',
      Status: 'New',
      OwnerId: ids.ada,
      IsMajorIncident: 1,
      DetectedDateTime: '2026-03-10T23:30:00.000Z'
    },
    {
      Id: ids.latency,
      Subject: 'Latency',
      Status: 'Resolved',
      OwnerId: ids.queue,
      IsMajorIncident: 0,
      DetectedDateTime: null
    }
  ]);
  insert(db, 'Case', [
    {
      Id: ids.case1,
      CaseNumber: '00001001',
      Subject: 'Login fails',
      Status: 'New',
      Priority: 'High',
      AccountId: ids.acme,
      OwnerId: ids.ada,
      IsEscalated: 1,
      CreatedDate: '2026-03-11T08:00:00.000Z',
      Score__c: 3.5,
      Impact_Areas__c: 'Billing;Login',
      Escalated_Incident__c: ids.outage
    },
    {
      Id: ids.case2,
      CaseNumber: '00001002',
      Subject: 'Invoice 50% off?',
      Status: 'Working',
      Priority: 'Medium',
      AccountId: ids.acme,
      OwnerId: ids.queue,
      IsEscalated: 0,
      CreatedDate: '2026-03-10T12:00:00.000Z',
      Score__c: 1.5,
      Impact_Areas__c: 'Billing',
      Escalated_Incident__c: null
    },
    {
      Id: ids.case3,
      CaseNumber: '00001003',
      Subject: "O'Brien can't log in",
      Status: 'Closed',
      Priority: 'Low',
      AccountId: ids.globex,
      OwnerId: ids.ada,
      IsEscalated: 0,
      CreatedDate: '2026-02-20T12:00:00.000Z',
      Score__c: null,
      Impact_Areas__c: 'Login;Reports',
      Escalated_Incident__c: null
    },
    {
      Id: ids.case4,
      CaseNumber: '00001004',
      Subject: 'Ünïcode subject',
      Status: null,
      Priority: 'High',
      AccountId: ids.unicode,
      OwnerId: ids.ada,
      IsEscalated: 0,
      CreatedDate: '2025-12-31T23:00:00.000Z',
      Score__c: 10,
      Impact_Areas__c: null,
      Escalated_Incident__c: null
    },
    {
      Id: ids.case5,
      CaseNumber: '00001005',
      Subject: null,
      Status: 'New',
      Priority: null,
      AccountId: null,
      OwnerId: ids.queue,
      IsEscalated: 0,
      CreatedDate: '2026-03-12T01:00:00.000Z',
      Score__c: 2,
      Impact_Areas__c: 'Reports',
      Escalated_Incident__c: null
    }
  ]);
  insert(db, 'CaseRelatedIssue', [
    {
      Id: idFor('CaseRelatedIssue', 1),
      CaseId: ids.case1,
      RelatedIssueId: ids.outage,
      Name: 'L1'
    },
    {
      Id: idFor('CaseRelatedIssue', 2),
      CaseId: ids.case2,
      RelatedIssueId: ids.outage,
      Name: 'L2'
    },
    {
      Id: idFor('CaseRelatedIssue', 3),
      CaseId: ids.case3,
      RelatedIssueId: ids.latency,
      Name: 'L3'
    }
  ]);
  insert(db, 'Incident_Severity_Rule__mdt', [
    {
      Id: idFor('Incident_Severity_Rule__mdt', 1),
      DeveloperName: 'U1_I1',
      MasterLabel: 'U1 I1',
      Urgency__c: 1,
      Impact__c: 1,
      Severity__c: 1
    },
    {
      Id: idFor('Incident_Severity_Rule__mdt', 2),
      DeveloperName: 'U1_I2',
      MasterLabel: 'U1 I2',
      Urgency__c: 1,
      Impact__c: 2,
      Severity__c: 2
    }
  ]);
  return {
    db,
    registry,
    query: (soql, timeZone) =>
      executeSoql(db, registry, soql, {
        apiVersion: '64.0',
        now: NOW,
        ...(timeZone ? { timeZone } : {})
      })
  };
}

/** The given field of every record, in result order. */
export function column(result: QueryResult, name: string): unknown[] {
  return result.records.map((r) => r[name]);
}
