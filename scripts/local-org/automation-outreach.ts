/**
 * Executive outreach in the local org: the stand-in for IncidentOutreachService.ensureFor (the
 * Incident trigger's after-save) and for the outreach a new case link brings. After an incident
 * is created or its severity changes, and after a CaseRelatedIssue links a case to an incident,
 * the same pure function the Apex runs (outreachFor in incidentRules) decides which key accounts
 * among the linked cases' accounts need an Incident_Outreach__c; each is created once (its
 * Outreach_Key__c is unique), at the end of the save batch, through the local org's dml so the
 * platform's rules apply.
 *
 * On the platform the case-link half is not a trigger (CaseRelatedIssue takes none that this
 * project ships); the tooling (link, detect, sync) and the console call
 * IncidentOutreachService.ensureFor / scripts/respond/outreach.ts after linking. The local org
 * runs it on the link itself, so the preview and the drills show the same records without
 * depending on which client linked the case.
 */
// Imported from the bundle's own file: TypeScript's NodeNext resolution cannot follow
// incidentRules.js's extensionless `export * from './communications'`.
import {
  OUTREACH_SEVERITIES,
  outreachFor,
  outreachKey
} from '../../force-app/main/default/lwc/incidentRules/communications.js';
import type { ObjectSchema } from '../schema/types.ts';
import { queueForSave } from './save-batch.ts';
import { automationBypassed } from './automation.ts';
import { API_VERSION, type OrgContext } from './context.ts';
import { createRecord } from './dml.ts';
import { executeSoql } from './soql/index.ts';
import type { Row } from './storage.ts';

const OUTREACH_OBJECT = 'Incident_Outreach__c';
const ROSTER_OBJECT = 'Incident_Roster_Member__c';
const INCIDENT_PREFIX = '0ny';

/** The after-save handler (registered in automations.ts). */
export function outreachAfterSave(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  let incidentId: string | undefined;
  if (object.name === 'Incident') {
    const severity = Number(row.Severity__c);
    const changed =
      before === undefined || Number(before.Severity__c) !== severity;
    if (changed && OUTREACH_SEVERITIES.includes(severity))
      incidentId = String(row.Id);
  } else if (object.name === 'CaseRelatedIssue' && before === undefined) {
    const issue = String(row.RelatedIssueId ?? '');
    // Cheap checks first, by id: a storm links thousands of cases, and only a key account's
    // case linked to a severity 1-2 incident can need outreach. The last is a keyed read of
    // the (incident, account) outreach: once a key account has its outreach, its further links
    // need none, and queueing the check anyway re-read every key-account link of the incident
    // once per 200-record batch (link at 30,000 cases spent 4.5 s of its 15 s there).
    const accountId =
      issue.startsWith(INCIDENT_PREFIX) && deployed(ctx)
        ? keyAccountOf(ctx, String(row.CaseId ?? ''))
        : undefined;
    if (
      accountId !== undefined &&
      OUTREACH_SEVERITIES.includes(severityOf(ctx, issue)) &&
      !hasOutreach(ctx, issue, accountId)
    )
      incidentId = issue;
  }
  if (incidentId === undefined || !deployed(ctx) || automationBypassed(ctx))
    return;
  queueForSave(ctx, 'outreach', [incidentId], (ids: string[]) => {
    ensureOutreach(ctx, [...new Set(ids)]);
  });
}

function rowOf(ctx: OrgContext, type: string, id: string): Row | undefined {
  const object = ctx.registry.object(type);
  return object && id !== '' ? ctx.store.get(object, id) : undefined;
}

/**
 * The case's account when it is a key account, else undefined. One keyed read of two columns
 * rather than both whole rows: it runs for every link a storm writes, and reading the wide Case
 * and Account rows cost more than the link's own insert. Callers check deployed() first, so the
 * Key_Account__c column exists; it holds a checkbox as 1 or 0 (SQLite has no boolean).
 */
function keyAccountOf(ctx: OrgContext, caseId: string): string | undefined {
  const row = ctx.store
    .prepared(
      'SELECT c."AccountId" AS accountId FROM "Case" AS c JOIN "Account" AS a ON a."Id" = c."AccountId" WHERE c."Id" = ? AND a."Key_Account__c" = 1'
    )
    .get(caseId) as { accountId: string } | undefined;
  return row?.accountId;
}

/** Whether the incident's outreach to the account exists (Outreach_Key__c is unique, indexed). */
function hasOutreach(
  ctx: OrgContext,
  incidentId: string,
  accountId: string
): boolean {
  const object = ctx.registry.object(OUTREACH_OBJECT);
  const field = ctx.registry.field(OUTREACH_OBJECT, 'Outreach_Key__c');
  if (!object || !field) return false;
  return (
    ctx.store.findBy(object, field, outreachKey(incidentId, accountId), 1)
      .length > 0
  );
}

function severityOf(ctx: OrgContext, incidentId: string): number {
  return Number(rowOf(ctx, 'Incident', incidentId)?.Severity__c);
}

function deployed(ctx: OrgContext): boolean {
  return (
    ctx.registry.object(OUTREACH_OBJECT) !== undefined &&
    ctx.registry.field('Account', 'Key_Account__c') !== undefined &&
    ctx.registry.field('Incident', 'Severity__c') !== undefined
  );
}

type SoqlRecord = Record<string, unknown>;

function soql(ctx: OrgContext, query: string): SoqlRecord[] {
  return executeSoql(ctx.db, ctx.registry, query, {
    apiVersion: API_VERSION,
    now: ctx.now(),
    timeZone: ctx.timeZone
  }).records;
}

function idList(ids: readonly string[]): string {
  return `(${ids.map((id) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`).join(', ')})`;
}

/** Creates the missing outreach of these incidents, one query per input kind for all of them. */
export function ensureOutreach(
  ctx: OrgContext,
  incidentIds: readonly string[]
): string[] {
  if (incidentIds.length === 0) return [];
  const ids = idList(incidentIds);
  const incidents = soql(
    ctx,
    `SELECT Id, Severity__c, OwnerId, Sla_Response_Due__c FROM Incident WHERE Id IN ${ids}`
  );
  const links = soql(
    ctx,
    `SELECT RelatedIssueId, Case.AccountId, Case.Account.Key_Account__c FROM CaseRelatedIssue WHERE RelatedIssueId IN ${ids} AND Case.Account.Key_Account__c = true`
  );
  const existing = soql(
    ctx,
    `SELECT Outreach_Key__c FROM ${OUTREACH_OBJECT} WHERE Incident__c IN ${ids}`
  ).map((r) => String(r.Outreach_Key__c));
  const roster = ctx.registry.object(ROSTER_OBJECT)
    ? soql(
        ctx,
        `SELECT Role__c, Account__c, User__c, Active__c FROM ${ROSTER_OBJECT} WHERE Role__c = 'Service Level Manager'`
      )
    : [];
  const created: string[] = [];
  for (const incident of incidents) {
    const accounts = links
      .filter((l) => l.RelatedIssueId === incident.Id)
      .map((l) => {
        const c = l.Case as {
          AccountId?: string | null;
          Account?: { Key_Account__c?: boolean | null } | null;
        } | null;
        return {
          Id: c?.AccountId ?? '',
          Key_Account__c: c?.Account?.Key_Account__c ?? false
        };
      })
      .filter((a) => a.Id !== '');
    const records = outreachFor({
      incident: {
        Id: String(incident.Id),
        Severity__c: incident.Severity__c as number | null,
        OwnerId: incident.OwnerId as string | null,
        Sla_Response_Due__c: incident.Sla_Response_Due__c as string | null
      },
      accounts,
      roster: roster,
      existingKeys: existing,
      now: ctx.now()
    });
    for (const record of records) {
      const { OwnerId, ...fields } = record;
      created.push(
        createRecord(ctx, OUTREACH_OBJECT, {
          ...fields,
          ...(OwnerId === null ? {} : { OwnerId })
        })
      );
    }
  }
  return created;
}
