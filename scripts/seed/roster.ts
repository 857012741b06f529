/** The roster object as the seed and the readiness check read it. */
import type { OrgClient } from '../org-client/index.ts';

export const ROSTER_OBJECT = 'Incident_Roster_Member__c';

export interface RosterRow {
  Id: string;
  Name: string;
  External_Id__c: string | null;
  Role__c: string;
  User__c: string | null;
  Email__c: string | null;
  Phone__c: string | null;
  Expertise__c: string | null;
  Account__c: string | null;
  Active__c: boolean;
  Shift__c: string | null;
}

export const ROSTER_FIELDS = [
  'Name',
  'Role__c',
  'User__c',
  'Email__c',
  'Phone__c',
  'Expertise__c',
  'Account__c',
  'Active__c',
  'Shift__c'
] as const;

export type RosterField = (typeof ROSTER_FIELDS)[number];

export async function readRoster(client: OrgClient): Promise<RosterRow[]> {
  return client.queryAll<RosterRow>(
    `SELECT Id, External_Id__c, ${ROSTER_FIELDS.join(', ')} FROM ${ROSTER_OBJECT}`
  );
}
