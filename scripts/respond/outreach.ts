/**
 * Executive outreach from the tooling (contract T10): after cases are linked (link, detect,
 * sync) or from the console, `ensureOutreach` creates the Incident_Outreach__c records the
 * incidents need, once each. The decision is incidentRules' outreachFor, the one the Apex
 * IncidentOutreachService and the local org's automation use: a key account among the linked
 * cases' accounts of a severity 1-2 incident, owned by the account's service level manager on
 * the roster, else the incident owner.
 *
 * Only missing records are written (the existing keys are read first): an upsert of an existing
 * one would put its status back to Open and its owner back to the default. The writes are
 * upserts on Outreach_Key__c, so a retried call lands on the record it created.
 */
import { outreachFor } from '../../force-app/main/default/lwc/incidentRules/communications.js';
import {
  soqlList,
  type OrgClient,
  type RecordError
} from '../org-client/index.ts';

const OUTREACH_OBJECT = 'Incident_Outreach__c';
/** Ids in one IN (...) list: 200 keeps a query URL well within limits. */
const IDS_PER_QUERY = 200;

export interface OutreachResult {
  /** Keys of the records this call created. */
  created: string[];
  /** Records the org refused, by key. */
  failed: { key: string; errors: RecordError[] }[];
  apiCalls: number;
}

interface IncidentRow {
  Id: string;
  Severity__c: number | null;
  OwnerId: string | null;
  Sla_Response_Due__c: string | null;
}

interface LinkRow {
  RelatedIssueId: string;
  Case: {
    AccountId: string | null;
    Account: { Key_Account__c: boolean | null } | null;
  } | null;
}

interface RosterRow {
  Role__c: string | null;
  Account__c: string | null;
  User__c: string | null;
  Active__c: boolean | null;
}

/** Creates the outreach records the incidents need and do not have. */
export async function ensureOutreach(
  client: OrgClient,
  incidentIds: readonly string[],
  now: Date = new Date()
): Promise<OutreachResult> {
  const callsBefore = client.apiCalls;
  const unique = [...new Set(incidentIds)];
  const records: Record<string, unknown>[] = [];
  let roster: RosterRow[] | undefined;
  for (let at = 0; at < unique.length; at += IDS_PER_QUERY) {
    const ids = soqlList(unique.slice(at, at + IDS_PER_QUERY));
    const incidents = await client.queryAll<IncidentRow>(
      `SELECT Id, Severity__c, OwnerId, Sla_Response_Due__c FROM Incident WHERE Id IN ${ids} AND Severity__c IN (1, 2)`
    );
    if (incidents.length === 0) continue;
    const links = await client.queryAll<LinkRow>(
      `SELECT RelatedIssueId, Case.AccountId, Case.Account.Key_Account__c FROM CaseRelatedIssue WHERE RelatedIssueId IN ${ids} AND Case.Account.Key_Account__c = true`
    );
    if (links.length === 0) continue;
    const existing = await client.queryAll<{ Outreach_Key__c: string }>(
      `SELECT Outreach_Key__c FROM ${OUTREACH_OBJECT} WHERE Incident__c IN ${ids}`
    );
    roster ??= await client.queryAll<RosterRow>(
      "SELECT Role__c, Account__c, User__c, Active__c FROM Incident_Roster_Member__c WHERE Role__c = 'Service Level Manager'"
    );
    for (const incident of incidents) {
      const accounts = links
        .filter((l) => l.RelatedIssueId === incident.Id && l.Case?.AccountId)
        .map((l) => ({
          Id: l.Case?.AccountId ?? '',
          Key_Account__c: l.Case?.Account?.Key_Account__c ?? false
        }));
      for (const record of outreachFor({
        incident,
        accounts,
        roster,
        existingKeys: existing.map((e) => e.Outreach_Key__c),
        now
      })) {
        const { OwnerId, ...fields } = record;
        records.push(OwnerId === null ? fields : { ...fields, OwnerId });
      }
    }
  }
  const outcomes =
    records.length === 0
      ? []
      : await client.upsertRecords(OUTREACH_OBJECT, 'Outreach_Key__c', records);
  const created: string[] = [];
  const failed: OutreachResult['failed'] = [];
  records.forEach((record, index) => {
    const key = String(record.Outreach_Key__c);
    const outcome = outcomes[index];
    if (outcome?.success) created.push(key);
    else
      failed.push({
        key,
        errors: outcome?.errors ?? [
          { statusCode: 'NO_RESULT', message: 'no result for this record' }
        ]
      });
  });
  return { created, failed, apiCalls: client.apiCalls - callsBefore };
}
