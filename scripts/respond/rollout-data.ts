/**
 * A change request ready to roll out, for the rollout tests and `npm run bench:rollout`: one
 * ChangeRequest fixing `incidents` incidents and one problem ('Fixed By'), plus one incident it
 * caused ('Caused By', which rollout must leave alone), with `cases` linked cases spread over
 * them. Contacts are shared so that most of them have cases on several incidents (the
 * one-notice-per-contact rule has work to do); 70 % have an email, every 13th case has no
 * contact, every 17th is closed already, every 50th is linked to two incidents and every 25th
 * to the problem only.
 *
 * Everything is upserted on the project's source keys or created once, through the shared
 * client's collections, 200 records a call.
 */
import { Connection } from 'jsforce';
import type { TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';

export interface RolloutScenarioOptions {
  /** Incidents the change request fixes (IncidentNumber order is creation order). */
  incidents: number;
  /** Linked cases in all. */
  cases: number;
  /** Distinct contacts over all cases; default cases / 4. */
  contacts?: number;
  /** A prefix for the source keys, so two scenarios in one org do not share records. */
  tag?: string;
}

export interface RolloutScenario {
  changeRequestId: string;
  changeRequestNumber: string;
  incidentIds: string[];
  problemId: string;
  /** The incident related as 'Caused By', and its one case. */
  causedIncidentId: string;
  causedCaseId: string;
  caseIds: string[];
  /** Cases open before the rollout. */
  openCaseIds: string[];
  contactIds: string[];
  /** Per case: the contact (or null) and the fixed issues it is linked to. */
  links: { caseId: string; contactId: string | null; issueIds: string[] }[];
}

/**
 * A client on a connection of its own, so its counters hold its own calls only (a client counts
 * every call made through the connection it wraps, other clients' included), retrying without
 * waiting.
 */
export function ownClient(target: TestOrg): OrgClient {
  return new OrgClient(
    new Connection({
      instanceUrl: target.org.instanceUrl,
      accessToken: target.org.accessToken,
      version: '64.0'
    }),
    { sleep: () => Promise.resolve() }
  );
}

function ok(
  what: string,
  outcomes: { success: boolean; id?: string; errors: { message: string }[] }[]
): string[] {
  return outcomes.map((o, i) => {
    if (!o.success || !o.id)
      throw new Error(
        `loading ${what} #${String(i)}: ${o.errors[0]?.message ?? 'no id'}`
      );
    return o.id;
  });
}

/** Test data is created on an org nobody else writes to: no re-read is needed after a failure. */
const noReread = (batch: unknown[]): Promise<undefined[]> =>
  Promise.resolve(batch.map(() => undefined));

export async function loadRolloutScenario(
  client: OrgClient,
  options: RolloutScenarioOptions
): Promise<RolloutScenario> {
  const tag = options.tag ?? 'rollout';
  const contactCount = Math.max(
    1,
    options.contacts ?? Math.ceil(options.cases / 4)
  );
  const [accountId = ''] = ok(
    'Account',
    await client.upsertRecords('Account', 'Source_Account_Key__c', [
      { Source_Account_Key__c: `${tag}:account`, Name: `${tag} customer` }
    ])
  );
  const contactIds = ok(
    'Contact',
    await client.upsertRecords(
      'Contact',
      'Source_Contact_Key__c',
      Array.from({ length: contactCount }, (_, i) => ({
        Source_Contact_Key__c: `${tag}:contact:${String(i)}`,
        LastName: `Customer ${String(i)}`,
        AccountId: accountId,
        Email: i % 10 < 7 ? `customer${String(i)}@example.com` : null
      }))
    )
  );
  const incidentIds = ok(
    'Incident',
    await client.createRecords(
      'Incident',
      Array.from({ length: options.incidents + 1 }, (_, i) => ({
        Subject:
          i < options.incidents
            ? `${tag}: inverters offline, region ${String(i + 1)}`
            : `${tag}: portal slow after the change`,
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'In Progress'
      })),
      noReread
    )
  );
  const causedIncidentId = incidentIds.pop() ?? '';
  const [problemId = ''] = ok(
    'Problem',
    await client.createRecords(
      'Problem',
      [{ Subject: `${tag}: inverter firmware drops the grid connection` }],
      noReread
    )
  );
  const [changeRequestId = ''] = ok(
    'ChangeRequest',
    await client.createRecords(
      'ChangeRequest',
      [
        {
          Subject: `${tag}: firmware 4.2.1 to every inverter`,
          Status: 'Implementing'
        }
      ],
      noReread
    )
  );
  ok(
    'ChangeRequestRelatedIssue',
    await client.createRecords(
      'ChangeRequestRelatedIssue',
      [
        ...incidentIds.map((id) => ({
          RelatedIssueId: id,
          RelationshipType: 'Fixed By'
        })),
        { RelatedIssueId: problemId, RelationshipType: 'Fixed By' },
        { RelatedIssueId: causedIncidentId, RelationshipType: 'Caused By' }
      ].map((r) => ({ ...r, ChangeRequestId: changeRequestId })),
      noReread
    )
  );
  const links: RolloutScenario['links'] = Array.from(
    { length: options.cases },
    (_, i) => {
      const contactId =
        i % 13 === 12
          ? null
          : // Shifted each round through the contacts, so that a contact's cases land on
            // different incidents even when the contact count is a multiple of theirs.
            (contactIds[(i + Math.floor(i / contactCount)) % contactCount] ??
            null);
      const first = incidentIds[i % incidentIds.length] ?? '';
      const issueIds =
        i % 25 === 24
          ? [problemId]
          : i % 50 === 48 && incidentIds.length > 1
            ? [first, incidentIds[(i + 1) % incidentIds.length] ?? '']
            : [first];
      return { caseId: '', contactId, issueIds };
    }
  );
  const caseIds = ok(
    'Case',
    await client.upsertRecords(
      'Case',
      'Source_Case_Key__c',
      links.map((link, i) => ({
        Source_Case_Key__c: `${tag}:case:${String(i)}`,
        Subject: `No power at site ${String(i)}`,
        Origin: 'Phone',
        Status: i % 17 === 16 ? 'Closed' : 'Working',
        AccountId: accountId,
        ContactId: link.contactId
      }))
    )
  );
  links.forEach((link, i) => {
    link.caseId = caseIds[i] ?? '';
  });
  ok(
    'CaseRelatedIssue',
    await client.createRecords(
      'CaseRelatedIssue',
      links.flatMap((link) =>
        link.issueIds.map((RelatedIssueId) => ({
          CaseId: link.caseId,
          RelatedIssueId
        }))
      ),
      noReread
    )
  );
  // A case of the incident the change caused, linked to nothing else: rollout leaves it open.
  const [causedCaseId = ''] = ok(
    'Case',
    await client.upsertRecords('Case', 'Source_Case_Key__c', [
      {
        Source_Case_Key__c: `${tag}:case:caused`,
        Subject: 'Portal slow since the change',
        Origin: 'Web',
        Status: 'Working',
        AccountId: accountId
      }
    ])
  );
  ok(
    'CaseRelatedIssue',
    await client.createRecords(
      'CaseRelatedIssue',
      [{ CaseId: causedCaseId, RelatedIssueId: causedIncidentId }],
      noReread
    )
  );
  const [cr] = await client.queryAll<{ ChangeRequestNumber: string }>(
    `SELECT ChangeRequestNumber FROM ChangeRequest WHERE Id = '${changeRequestId}'`
  );
  return {
    changeRequestId,
    changeRequestNumber: cr?.ChangeRequestNumber ?? '',
    incidentIds,
    problemId,
    causedIncidentId,
    causedCaseId,
    caseIds,
    openCaseIds: caseIds.filter((_, i) => i % 17 !== 16),
    contactIds,
    links
  };
}
