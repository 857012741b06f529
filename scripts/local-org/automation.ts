/**
 * Record automation that mirrors the project's Apex trigger (IncidentTriggerHandler): the same
 * rules, run through the very same incidentRules module the console uses, reading the severity
 * matrix and SLA policy from the custom metadata tables and the calendar from BusinessHours and
 * Holiday records. Also the platform's own behaviour on CaseRelatedIssue (one link per
 * case/issue pair, RelatedEntityType from the issue id), Case.IsClosed and a person's Name.
 */
import {
  priorityFor,
  severityFor,
  slaTargets,
  toLevel,
  validatePolicy,
  validateRules
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import {
  computeInBusinessTime,
  defaultBusinessHoursId
} from './business-hours.ts';
import { RecordError } from './errors.ts';
import { quote, type Row, type Store } from './storage.ts';

type SeverityRule = Parameters<typeof severityFor>[0][number];
type SlaPolicyRow = Parameters<typeof slaTargets>[0][number];

const RULE_TABLE = 'Incident_Severity_Rule__mdt';
const POLICY_TABLE = 'Incident_Sla_Policy__mdt';
const RESOLVED = new Set(['Resolved', 'Completed']);

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

function changed(row: Row, before: Row | undefined, field: string): boolean {
  return !before || (field in row && row[field] !== before[field]);
}

function incident(
  ctx: AutomationContext,
  row: Row,
  before: Row | undefined
): void {
  const has = (field: string): boolean =>
    ctx.registry.field('Incident', field) !== undefined;
  if (!has('Severity__c')) return; // the project's fields are not deployed: plain platform behaviour
  const nowIso = ctx.now.toISOString();
  if (changed(row, before, 'Urgency') || changed(row, before, 'Impact')) {
    const urgency = levelOf(merged(row, before, 'Urgency'));
    const impact = levelOf(merged(row, before, 'Impact'));
    const rules = readTable(ctx, RULE_TABLE) as unknown as SeverityRule[];
    if (urgency !== undefined && impact !== undefined && rules.length > 0) {
      invalidMetadata(
        validateRules(rules),
        `The severity matrix (custom metadata ${RULE_TABLE}) is invalid, so severity cannot be computed`
      );
      const severity = severityFor(rules, urgency, impact);
      row.Severity__c = severity;
      row.Priority = priorityFor(severity);
    }
  }
  const severity = merged(row, before, 'Severity__c');
  const startChanged =
    changed(row, before, 'DetectedDateTime') ||
    changed(row, before, 'BusinessHoursId');
  if (
    has('Sla_Response_Due__c') &&
    (changed(row, before, 'Severity__c') || startChanged)
  ) {
    const start = String(
      merged(row, before, 'DetectedDateTime') ??
        merged(row, before, 'CreatedDate') ??
        nowIso
    );
    const policy = readTable(ctx, POLICY_TABLE) as unknown as SlaPolicyRow[];
    if (typeof severity === 'number' && policy.length > 0)
      invalidMetadata(
        validatePolicy(policy),
        `The SLA policy (custom metadata ${POLICY_TABLE}) is invalid, so SLA due times cannot be computed`
      );
    const targets =
      typeof severity === 'number' && policy.length > 0
        ? computeInBusinessTime(
            ctx,
            merged(row, before, 'BusinessHoursId'),
            new Date(start),
            (calendar) => slaTargets(policy, severity, start, calendar),
            (due) => due?.resolutionDue ?? null
          )
        : null;
    row.Sla_Response_Due__c = targets
      ? targets.responseDue.toISOString()
      : null;
    row.Sla_Resolution_Due__c = targets
      ? targets.resolutionDue.toISOString()
      : null;
  }
  const status = merged(row, before, 'Status');
  if (
    has('Sla_Responded_At__c') &&
    status !== 'New' &&
    status !== null &&
    merged(row, before, 'Sla_Responded_At__c') === null
  ) {
    row.Sla_Responded_At__c = nowIso;
  }
  if (
    RESOLVED.has(String(status)) &&
    merged(row, before, 'ResolutionDateTime') === null
  ) {
    row.ResolutionDateTime = nowIso;
  }
}

/** The matrix level of an urgency or impact, or undefined for a value outside the matrix (no severity, as before). */
function levelOf(value: Row[string]): 1 | 2 | 3 | undefined {
  if (value === null) return undefined;
  try {
    return toLevel(value);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** A record error naming the custom metadata to fix, as the Apex services add one to the record. */
function invalidMetadata(
  problems: readonly { message: string }[],
  what: string
): void {
  if (problems.length === 0) return;
  throw new RecordError(
    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    `${what}: ${problems.map((p) => p.message).join('; ')}. Fix the records in Setup > Custom Metadata Types.`
  );
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
