/**
 * Record automation that mirrors the project's Apex trigger (IncidentTriggerHandler): the same
 * rules, run through the very same incidentRules module the console uses, reading the severity
 * matrix and SLA policy from the custom metadata tables and the calendar from BusinessHours and
 * Holiday records. Also the platform's own behaviour on CaseRelatedIssue (one link per
 * case/issue pair, RelatedEntityType from the issue id), Case.IsClosed and a person's Name.
 */
import {
  addBusinessMinutes,
  decideIncident,
  severityFor,
  slaTargets,
  unknownBusinessHoursMessage
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import {
  businessHoursIdByName,
  computeInBusinessTime,
  defaultBusinessHoursId
} from './business-hours.ts';
import { RecordError } from './errors.ts';
import { quote, type Row, type Store } from './storage.ts';

type SeverityRule = Extract<
  Parameters<typeof severityFor>[0],
  readonly unknown[]
>[number];
type SlaPolicyRow = Extract<
  Parameters<typeof slaTargets>[0],
  readonly unknown[]
>[number];

const RULE_TABLE = 'Incident_Severity_Rule__mdt';
const POLICY_TABLE = 'Incident_Sla_Policy__mdt';

export interface AutomationContext {
  store: Store;
  registry: SchemaRegistry;
  now: Date;
}

/** Runs before a record is written; `before` is undefined on insert. Mutates `row`. */
export function beforeWrite(
  ctx: AutomationContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  personName(ctx, object, row, before);
  switch (object.name) {
    case 'Incident':
      // IsClosed is read-only and follows Status, as Case's does; Resolved and Completed are
      // the standard statuses that end an incident (StatusCode Resolved / Completed).
      if ('Status' in row || !before)
        row.IsClosed = INCIDENT_CLOSED_STATUSES.has(String(row.Status)) ? 1 : 0;
      incident(ctx, row, before);
      break;
    case 'Case':
      if (!before && row.BusinessHoursId === null)
        row.BusinessHoursId = defaultBusinessHoursId(ctx);
      if ('Status' in row || !before)
        row.IsClosed = row.Status === 'Closed' ? 1 : 0;
      break;
    case 'CaseRelatedIssue':
    case 'ChangeRequestRelatedIssue':
    case 'ProblemIncident':
      relatedIssue(ctx, object, row, before);
      break;
    default:
  }
}

const INCIDENT_CLOSED_STATUSES = new Set(['Resolved', 'Completed']);

/** The parts the platform joins, in this order, into a person's Name (User, Contact). */
const NAME_PARTS = ['FirstName', 'MiddleName', 'LastName', 'Suffix'];

/** A person's Name is read-only and derived from its parts; Account's Name is the caller's own. */
function hasDerivedName(
  registry: SchemaRegistry,
  object: ObjectSchema
): boolean {
  const name = registry.field(object.name, 'Name');
  return (
    name !== undefined &&
    !name.createable &&
    registry.field(object.name, 'LastName') !== undefined
  );
}

function personName(
  ctx: AutomationContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  if (!hasDerivedName(ctx.registry, object)) return;
  const parts = NAME_PARTS.filter((part) =>
    ctx.registry.field(object.name, part)
  );
  if (before && !parts.some((part) => part in row)) return;
  const name = parts
    .map((part) => merged(row, before, part))
    .filter((value) => value !== null && value !== '')
    .join(' ');
  row.Name = name === '' ? null : name;
}

/**
 * Derives the Name of people stored without one: a database written before the local org
 * derived names keeps its rows across restarts, and the admin user would stay nameless.
 */
export function fillMissingNames(ctx: AutomationContext): void {
  for (const object of ctx.registry.objects()) {
    if (!hasDerivedName(ctx.registry, object)) continue;
    const nameless = ctx.store
      .prepared(`SELECT * FROM ${quote(object.name)} WHERE "Name" IS NULL`)
      .all() as Row[];
    for (const row of nameless) {
      personName(ctx, object, row, undefined);
      ctx.store.update(object, String(row.Id), { Name: row.Name ?? null });
    }
  }
}

function merged(row: Row, before: Row | undefined, field: string): Row[string] {
  return field in row ? (row[field] ?? null) : (before?.[field] ?? null);
}

/**
 * The Incident automation: decideIncident (incidentRules) decides, this applies it: the
 * decided field changes, the SLA due times counted in the business hours it names, or the
 * refusal as a record error, as the Apex handler does with the same decision.
 */
function incident(
  ctx: AutomationContext,
  row: Row,
  before: Row | undefined
): void {
  const has = (field: string): boolean =>
    ctx.registry.field('Incident', field) !== undefined;
  if (!has('Severity__c')) return; // the project's fields are not deployed: plain platform behaviour
  if (automationBypassed(ctx)) return;
  const decision = decideIncident({
    record: before ? { ...before, ...row } : row,
    old: before ?? null,
    rules: readTable(ctx, RULE_TABLE) as unknown as SeverityRule[],
    policy: readTable(ctx, POLICY_TABLE) as unknown as SlaPolicyRow[],
    now: ctx.now
  });
  if (decision.errors.length > 0) {
    // The platform lists one error per addError; a RecordError holds one, so they are joined.
    throw new RecordError(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      decision.errors.map((error) => error.message).join(' '),
      decision.errors.flatMap((error) => (error.field ? [error.field] : []))
    );
  }
  for (const [field, value] of Object.entries(decision.changes)) {
    if (has(field)) row[field] = value ?? null;
  }
  const { sla } = decision;
  if (!sla || !has('Sla_Response_Due__c')) return;
  const start = new Date(sla.start);
  const due = computeInBusinessTime(
    ctx,
    slaBusinessHoursId(ctx, sla),
    start,
    (calendar) => ({
      response: addBusinessMinutes(calendar, start, sla.responseMinutes),
      resolution: addBusinessMinutes(calendar, start, sla.resolutionMinutes)
    }),
    (targets) => targets.resolution
  );
  row.Sla_Response_Due__c = due.response.toISOString();
  row.Sla_Resolution_Due__c = due.resolution.toISOString();
}

const SETTINGS_OBJECT = 'Incident_Automation_Settings__c';

/**
 * IncidentTriggerHandler.isBypassed: Bypass_Automation__c of the hierarchy custom setting. The
 * local org has one user, so a settings record for it, its profile or the org are the same:
 * any record with the box checked bypasses.
 */
export function automationBypassed(
  ctx: Pick<AutomationContext, 'store' | 'registry'>
): boolean {
  const settings = ctx.registry.object(SETTINGS_OBJECT);
  if (!settings || !ctx.registry.field(SETTINGS_OBJECT, 'Bypass_Automation__c'))
    return false;
  return (
    ctx.store
      .prepared(
        `SELECT 1 FROM ${quote(SETTINGS_OBJECT)} WHERE "Bypass_Automation__c" = 1 LIMIT 1`
      )
      .get() !== undefined
  );
}

type SlaComputation = NonNullable<ReturnType<typeof decideIncident>['sla']>;

/**
 * The business hours the due times count in: the incident's, else the ones the policy row
 * names (refused when no business hours have that name, as the Apex refuses it), else null for
 * the org default.
 */
function slaBusinessHoursId(
  ctx: AutomationContext,
  sla: SlaComputation
): string | null {
  if (sla.businessHoursId !== null) return sla.businessHoursId;
  if (sla.businessHoursName === null) return null;
  const id = businessHoursIdByName(ctx, sla.businessHoursName);
  if (id === null) {
    throw new RecordError(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      unknownBusinessHoursMessage(sla.severity, sla.businessHoursName)
    );
  }
  return id;
}

function readTable(ctx: AutomationContext, name: string): Row[] {
  const object = ctx.registry.object(name);
  return object ? ctx.store.all(object) : [];
}

/** The junctions' issue field and the parent field that, with it, must be unique. */
const JUNCTIONS: Record<string, { parent: string; issue: string }> = {
  CaseRelatedIssue: { parent: 'CaseId', issue: 'RelatedIssueId' },
  ChangeRequestRelatedIssue: {
    parent: 'ChangeRequestId',
    issue: 'RelatedIssueId'
  },
  ProblemIncident: { parent: 'IssueId', issue: 'RelatedIssueId' }
};

/** The name of the index on a junction's (parent, issue) pair. */
export const pairIndexName = (objectName: string): string =>
  `${objectName}__pair__idx`;

/**
 * The duplicate check is one keyed lookup on the (parent, issue) pair. Each column alone is
 * indexed (they are references), but without statistics SQLite searches by the issue, and a
 * storm links thousands of cases to one incident: every new link then scanned all the links
 * of its incident (10,000 links took 92 s). Created on first use, with IF NOT EXISTS, rather
 * than remembered: the first junction write may run in a transaction that rolls back, and a
 * no-op CREATE costs far less than the lookup it keeps fast.
 */
function ensurePairIndex(
  store: Store,
  objectName: string,
  junction: { parent: string; issue: string }
): void {
  store
    .prepared(
      `CREATE INDEX IF NOT EXISTS ${quote(pairIndexName(objectName))} ON ${quote(objectName)} (${quote(junction.parent)}, ${quote(junction.issue)})`
    )
    .run();
}

function relatedIssue(
  ctx: AutomationContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  const junction = JUNCTIONS[object.name];
  if (!junction) return;
  const issueId = merged(row, before, junction.issue);
  const parentId = merged(row, before, junction.parent);
  if (typeof issueId === 'string') {
    const issueType = ctx.registry.objectForId(issueId)?.name;
    if (ctx.registry.field(object.name, 'RelatedEntityType') && issueType)
      row.RelatedEntityType = issueType;
  }
  if (typeof issueId !== 'string' || typeof parentId !== 'string') return;
  // The platform keys the pair itself; callers never set it.
  if (ctx.registry.field(object.name, 'UniqueKeyIndex'))
    row.UniqueKeyIndex = `${parentId}${issueId}`;
  ensurePairIndex(ctx.store, object.name, junction);
  const duplicate = ctx.store
    .prepared(
      `SELECT "Id" FROM ${quote(object.name)} WHERE ${quote(junction.parent)} = ? AND ${quote(junction.issue)} = ? AND "Id" IS NOT ?`
    )
    .get(parentId, issueId, row.Id ?? before?.Id ?? null) as
    { Id: string } | undefined;
  if (duplicate) {
    throw new RecordError(
      'DUPLICATE_VALUE',
      `duplicate value found: ${junction.parent}, ${junction.issue} duplicates value on record with id: ${duplicate.Id}`,
      [junction.parent, junction.issue]
    );
  }
}
