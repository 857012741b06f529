/**
 * Record automation that mirrors the project's Apex trigger (IncidentTriggerHandler): the same
 * rules, run through the very same incidentRules module the console uses, reading the severity
 * matrix and SLA policy from the custom metadata tables and the calendar from BusinessHours and
 * Holiday records. Also the platform's own behaviour on CaseRelatedIssue (one link per
 * case/issue pair, RelatedEntityType from the issue id) and Case.IsClosed.
 */
import {
  priorityFor,
  severityFor,
  slaTargets
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import { RecordError } from './errors.ts';
import { quote, type Row, type Store } from './storage.ts';

type Calendar = NonNullable<Parameters<typeof slaTargets>[3]>;
type SeverityRule = Parameters<typeof severityFor>[0][number];
type SlaPolicyRow = Parameters<typeof slaTargets>[0][number];

const RULE_TABLE = 'Incident_Severity_Rule__mdt';
const POLICY_TABLE = 'Incident_Sla_Policy__mdt';
const LEVELS: Record<string, number> = { High: 1, Medium: 2, Low: 3 };
const RESOLVED = new Set(['Resolved', 'Completed']);
const DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday'
] as const;

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
    const urgency = LEVELS[String(merged(row, before, 'Urgency'))];
    const impact = LEVELS[String(merged(row, before, 'Impact'))];
    const rules = readTable(ctx, RULE_TABLE) as unknown as SeverityRule[];
    if (urgency !== undefined && impact !== undefined && rules.length > 0) {
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
    const calendar = calendarFor(ctx, merged(row, before, 'BusinessHoursId'));
    const targets =
      typeof severity === 'number' && policy.length > 0
        ? slaTargets(policy, severity, start, calendar)
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

function readTable(ctx: AutomationContext, name: string): Row[] {
  const object = ctx.registry.object(name);
  return object ? ctx.store.all(object) : [];
}

function defaultBusinessHoursId(ctx: AutomationContext): string | null {
  const row = ctx.store.db
    .prepare(
      `SELECT "Id" FROM ${quote('BusinessHours')} WHERE "IsDefault" = 1 LIMIT 1`
    )
    .get() as { Id: string } | undefined;
  return row?.Id ?? null;
}

/** The record's business hours, or the org default; null (24x7) when open around the clock with no holidays. */
export function calendarFor(
  ctx: AutomationContext,
  businessHoursId: Row[string]
): Calendar | null {
  const hoursObject = ctx.registry.object('BusinessHours');
  if (!hoursObject) return null;
  const hours =
    typeof businessHoursId === 'string'
      ? ctx.store.get(hoursObject, businessHoursId)
      : (ctx.store.db
          .prepare(
            `SELECT * FROM ${quote('BusinessHours')} WHERE "IsDefault" = 1 LIMIT 1`
          )
          .get() as Row | undefined);
  if (!hours) return null;
  const weekly: Calendar['weekly'] = {};
  let allDay = true;
  for (const day of DAYS) {
    const prefix = day.charAt(0).toUpperCase() + day.slice(1);
    const start = hours[`${prefix}StartTime`];
    const end = hours[`${prefix}EndTime`];
    if (typeof start === 'string' && typeof end === 'string') {
      weekly[day] = { start: start.slice(0, 5), end: end.slice(0, 5) };
      if (!start.startsWith('00:00') || !end.startsWith('00:00'))
        allDay = false;
    } else {
      weekly[day] = null;
      allDay = false;
    }
  }
  const holidayObject = ctx.registry.object('Holiday');
  const holidays = (holidayObject ? ctx.store.all(holidayObject) : [])
    .filter((h) => typeof h.ActivityDate === 'string')
    .map((h) =>
      h.IsAllDay === 1 || typeof h.StartTimeInMinutes !== 'number'
        ? { date: String(h.ActivityDate) }
        : {
            date: String(h.ActivityDate),
            startMinutes: h.StartTimeInMinutes,
            endMinutes: Number(h.EndTimeInMinutes ?? 1440)
          }
    );
  if (allDay && holidays.length === 0) return null;
  return { timeZone: String(hours.TimeZoneSidKey ?? 'UTC'), weekly, holidays };
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
  const duplicate = ctx.store.db
    .prepare(
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
