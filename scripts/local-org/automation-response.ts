/**
 * The response plan in the local org: the stand-in for IncidentResponsePlanService (after save)
 * and the IncidentResponseActions Queueable. After an incident is written, the same pure
 * function the Apex runs (dueResponseSteps in incidentRules) decides which steps of the plan
 * (Incident_Response_Step__mdt) are due; each due step is recorded as an
 * Incident_Response_Action__c (Pending, unique Action_Key__c), carried out, marked Done or
 * Failed with the error, and written to the timeline as a ResponseStep event.
 *
 * One difference from the platform, on purpose: the platform carries the actions out in a
 * Queueable, after the save commits, so a failed action never undoes the save and the console
 * shows them a moment later; here they run in the same request, at the end of the save batch
 * (queueForSave), so the preview and the drills show them at once. Each action runs in its own
 * savepoint: a failed action leaves nothing half-written, is marked Failed and the save goes on,
 * as the Queueable does. Everything is still written through the local org's dml, so the
 * platform's rules (required fields, restricted picklists, the unique action key, the
 * append-only timeline) apply to it.
 *
 * The SLA sweep (timeline-core's, contract T7) calls respondToSla with the warning moments it
 * counted in business time; the warning and breach steps then come from the same function.
 */
// Imported from the bundle's own files, not through incidentRules.js: TypeScript's NodeNext
// resolution cannot follow that file's extensionless `export * from './responsePlan'`.
import {
  draftSendKey,
  mergeTemplate
} from '../../force-app/main/default/lwc/incidentRules/communications.js';
import { shiftStatus } from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import { eventKey } from '../../force-app/main/default/lwc/incidentRules/timeline.js';
import {
  dueResponseSteps,
  responseStepSummary,
  type DueStep,
  type ResponseStep,
  type SlaMoments
} from '../../force-app/main/default/lwc/incidentRules/responsePlan.js';
import type { ObjectSchema } from '../schema/types.ts';
import { queueForSave } from './save-batch.ts';
import { automationBypassed } from './automation.ts';
import type { OrgContext } from './context.ts';
import { createRecord, updateRecord } from './dml.ts';
import { RecordError } from './errors.ts';
import { queryInOrg } from './soql/index.ts';
import { quote, type Row } from './storage.ts';

const STEP_OBJECT = 'Incident_Response_Step__mdt';
const ACTION_OBJECT = 'Incident_Response_Action__c';
const EVENT_OBJECT = 'Incident_Event__c';
const TEMPLATE_OBJECT = 'Incident_Comm_Template__mdt';
/** Comms' ledger of customer communications: a draft is a row of it with Status Draft. */
const LEDGER_OBJECT = 'Incident_Communication__c';
const USER_PREFIX = '005';

const ROLE_EXPERT = 'Technical Expert';
const ROLE_SERVICE_LEVEL_MANAGER = 'Service Level Manager';
const ROLE_ON_DUTY_MANAGER = 'On-Duty Customer Service Manager';

/** One due step of one incident, queued until the save batch ends. */
interface QueuedStep {
  incidentId: string;
  due: DueStep;
}

/** The after-save handler (registered in automations.ts): incidents only. */
export function responsePlanAfterSave(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  if (object.name !== 'Incident') return;
  respond(ctx, row, before ?? null, null);
}

/**
 * The SLA sweep's hook: the incident (as stored) whose clocks the sweep checked, with the
 * warning moments it counted. Only the SLA Warning and SLA Breach steps can be due.
 */
export function respondToSla(
  ctx: OrgContext,
  incident: Row,
  sla: SlaMoments
): void {
  respond(ctx, incident, incident, sla);
}

function respond(
  ctx: OrgContext,
  after: Row,
  before: Row | null,
  sla: SlaMoments | null
): void {
  if (!deployed(ctx) || automationBypassed(ctx)) return;
  const incidentId = String(after.Id);
  const plan = readPlan(ctx);
  if (plan.length === 0) return;
  let due: DueStep[];
  try {
    due = dueResponseSteps({
      before: before,
      after: after,
      now: ctx.now(),
      plan,
      done: takenKeys(ctx, incidentId),
      sla
    });
  } catch (error) {
    // An invalid plan refuses the save that needs it, naming the problem, as Apex does.
    throw new RecordError(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      `The incident response plan cannot be used: ${(error as Error).message}`
    );
  }
  queueForSave(
    ctx,
    'responsePlan',
    due.map((step) => ({ incidentId, due: step })),
    (items: QueuedStep[]) => {
      for (const item of items) takeStep(ctx, item);
    }
  );
}

function deployed(ctx: OrgContext): boolean {
  return (
    ctx.registry.object(STEP_OBJECT) !== undefined &&
    ctx.registry.object(ACTION_OBJECT) !== undefined &&
    ctx.registry.field('Incident', 'Severity__c') !== undefined
  );
}

function readPlan(ctx: OrgContext): ResponseStep[] {
  const object = ctx.registry.object(STEP_OBJECT);
  if (!object) return [];
  // In DeveloperName order, as IncidentResponsePlanService.plan() reads them, so a problem
  // names the same step index on both.
  const rows = ctx.store
    .all(object)
    .sort((a, b) =>
      String(a.DeveloperName) < String(b.DeveloperName) ? -1 : 1
    );
  return rows.map((row) => ({
    DeveloperName: String(row.DeveloperName),
    Severity__c: numberOrNull(row.Severity__c),
    Trigger__c: String(row.Trigger__c),
    Action__c: String(row.Action__c),
    Order__c: numberOrNull(row.Order__c) ?? 0,
    Status_Value__c:
      row.Status_Value__c === null ? null : String(row.Status_Value__c)
  }));
}

function takenKeys(ctx: OrgContext, incidentId: string): Set<string> {
  const rows = ctx.store
    .prepared(
      `SELECT "Action_Key__c" FROM ${quote(ACTION_OBJECT)} WHERE "Incident__c" = ?`
    )
    .all(incidentId) as { Action_Key__c: string }[];
  return new Set(rows.map((r) => r.Action_Key__c));
}

/**
 * Records the step as Pending (a taken key means another save got there first: nothing to do),
 * carries the action out in a savepoint, then marks it Done or Failed and writes the event.
 */
function takeStep(ctx: OrgContext, { incidentId, due }: QueuedStep): void {
  if (takenKeys(ctx, incidentId).has(due.actionKey)) return;
  const actionId = createRecord(ctx, ACTION_OBJECT, {
    Incident__c: incidentId,
    Step__c: due.step,
    Trigger__c: due.trigger,
    Action__c: due.action,
    Status__c: 'Pending',
    Action_Key__c: due.actionKey
  });
  let resultId: string | null = null;
  let error: string | null = null;
  try {
    resultId = ctx.db.transaction(() => perform(ctx, incidentId, due))();
  } catch (failure) {
    error = (failure as Error).message;
  }
  const outcome = error === null ? 'Done' : 'Failed';
  const completedAt = ctx.now().toISOString();
  updateRecord(ctx, ACTION_OBJECT, actionId, {
    Status__c: outcome,
    Error__c: error,
    Result_Id__c: resultId,
    Completed_At__c: completedAt
  });
  writeEvent(ctx, incidentId, due, outcome, { resultId, error, completedAt });
}

/** Carries one action out; returns the id of the record it created (null for Case Process). */
function perform(
  ctx: OrgContext,
  incidentId: string,
  due: DueStep
): string | null {
  const incident = readIncident(ctx, incidentId);
  const title = incidentTitle(incident);
  const ownerId = ownerUser(ctx, incident);
  switch (due.action) {
    case 'Owner Task':
      return createRecord(ctx, 'Task', {
        Subject: clip(
          `Severity ${due.severity ?? '-'} response: ${title}`,
          255
        ),
        Description: `The incident response plan (${due.step}) asks the incident owner to take charge: acknowledge the incident, confirm its severity and lead the response.`,
        OwnerId: ownerId,
        WhatId: incidentId,
        ActivityDate: ctx.now().toISOString().slice(0, 10),
        Priority: 'High',
        Status: 'Not Started'
      });
    case 'Feed Post':
      return createRecord(ctx, 'FeedItem', {
        ParentId: incidentId,
        Type: 'TextPost',
        Body: feedPostBody(ctx, incident, due)
      });
    case 'Start Swarm':
      return createRecord(ctx, 'Swarm', {
        Name: clip(`Swarm: ${title}`, 80),
        RelatedRecordId: incidentId,
        OwnerId: ownerId,
        HelpNeeded: clip(String(incident.Subject ?? title), 32000),
        StartedDateTime: ctx.now().toISOString()
      });
    case 'Draft Customer Alert':
      return draftFirstAlert(ctx, incident, ownerId);
    case 'Escalate To Service Level Manager':
      return escalate(ctx, incident, title, ownerId);
    default:
      // Case Process: nothing beyond the standard case process; the event says so.
      return null;
  }
}

type SoqlRecord = Record<string, unknown>;
const soql = queryInOrg;

function readIncident(ctx: OrgContext, incidentId: string): Row {
  const object = ctx.registry.object('Incident');
  const row = object ? ctx.store.get(object, incidentId) : undefined;
  if (!row) throw new Error(`Incident ${incidentId} no longer exists`);
  return row;
}

function incidentTitle(incident: Row): string {
  const number = incident.IncidentNumber ?? incident.Id;
  return `${String(number)} ${String(incident.Subject ?? '')}`.trim();
}

/** Tasks and swarms belong to a user: the incident's owner, else (a queue) the running user. */
function ownerUser(ctx: OrgContext, incident: Row): string {
  const owner = incident.OwnerId;
  return typeof owner === 'string' && owner.startsWith(USER_PREFIX)
    ? owner
    : ctx.userId;
}

/**
 * The post names the on-duty customer service managers and the technical experts whose
 * expertise matches the incident's category, sub-category or products, as the roster
 * (IncidentRosterService) matches them: case- and space-insensitively, per ';' entry.
 */
function feedPostBody(ctx: OrgContext, incident: Row, due: DueStep): string {
  const topics = new Set(
    [incident.Category, incident.SubCategory, ...productNames(ctx, incident)]
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .map(normalise)
  );
  const now = ctx.now();
  const members = activeMembers(ctx);
  const name = (m: SoqlRecord): string => {
    const user = m.User__r as SoqlRecord | null | undefined;
    return String(user?.Name ?? m.Name);
  };
  const managers = members
    .filter((m) => m.Role__c === ROLE_ON_DUTY_MANAGER && onDuty(m, now))
    .map(name);
  const experts = members
    .filter(
      (m) =>
        m.Role__c === ROLE_EXPERT &&
        (typeof m.Expertise__c === 'string' ? m.Expertise__c : '')
          .split(';')
          .some((skill) => skill.trim() !== '' && topics.has(normalise(skill)))
    )
    .map(name);
  const lines = [
    `Incident response (${due.trigger === 'SLA Warning' ? 'SLA warning' : `severity ${due.severity ?? '-'}`}): ${incidentTitle(incident)}.`,
    `On-duty customer service manager: ${managers.length > 0 ? managers.join(', ') : 'none on duty now'}.`,
    `Technical experts: ${experts.length > 0 ? experts.join(', ') : 'no matching expert on the roster'}.`
  ];
  return lines.join('\n');
}

function onDuty(member: SoqlRecord, now: Date): boolean {
  try {
    return shiftStatus(member.Shift__c as string | null, now).onDuty;
  } catch {
    // A shift the roster's validation let through but that cannot be read: listed, as the
    // console lists such a member, rather than dropped.
    return true;
  }
}

function activeMembers(ctx: OrgContext): SoqlRecord[] {
  if (!ctx.registry.object('Incident_Roster_Member__c')) return [];
  return soql(
    ctx,
    'SELECT Id, Name, Role__c, User__c, User__r.Name, Expertise__c, Account__c, Shift__c FROM Incident_Roster_Member__c WHERE Active__c = true ORDER BY Role__c, Name LIMIT 1000'
  );
}

function productNames(ctx: OrgContext, incident: Row): string[] {
  const items = soql(
    ctx,
    `SELECT Product2.Name, Asset.Product2.Name, Asset.Name FROM IncidentRelatedItem WHERE IncidentId = '${String(incident.Id)}' LIMIT 500`
  );
  return items.flatMap((item) => {
    const product = item.Product2 as SoqlRecord | null;
    const asset = item.Asset as SoqlRecord | null;
    const assetProduct = asset?.Product2 as SoqlRecord | null | undefined;
    return [product?.Name, assetProduct?.Name ?? asset?.Name].filter(
      (v): v is string => typeof v === 'string'
    );
  });
}

/**
 * A task for each service level manager (with a user) of the accounts of the incident's linked
 * cases; when there is none, a task for the owner saying so, so the escalation is never lost.
 */
function escalate(
  ctx: OrgContext,
  incident: Row,
  title: string,
  ownerId: string
): string {
  const accounts = new Set(
    soql(
      ctx,
      `SELECT Case.AccountId FROM CaseRelatedIssue WHERE RelatedIssueId = '${String(incident.Id)}' LIMIT 2000`
    )
      .map((link) => (link.Case as SoqlRecord | null)?.AccountId)
      .filter((id): id is string => typeof id === 'string')
  );
  const managers = activeMembers(ctx).filter(
    (m) =>
      m.Role__c === ROLE_SERVICE_LEVEL_MANAGER &&
      typeof m.Account__c === 'string' &&
      accounts.has(m.Account__c) &&
      typeof m.User__c === 'string'
  );
  const subject = clip(`SLA breached, escalated to you: ${title}`, 255);
  const today = ctx.now().toISOString().slice(0, 10);
  const ids = managers.map((m) =>
    createRecord(ctx, 'Task', {
      Subject: subject,
      Description: `An SLA of this incident is breached. As service level manager of an affected account, contact the customer and agree the next steps.`,
      OwnerId: m.User__c,
      WhatId: incident.Id,
      ActivityDate: today,
      Priority: 'High',
      Status: 'Not Started'
    })
  );
  if (ids[0] !== undefined) return ids[0];
  return createRecord(ctx, 'Task', {
    Subject: subject,
    Description:
      "An SLA of this incident is breached and no service level manager with a user is on the roster for the accounts of its linked cases: escalate to the customers' service level managers yourself.",
    OwnerId: ownerId,
    WhatId: incident.Id,
    ActivityDate: today,
    Priority: 'High',
    Status: 'Not Started'
  });
}

/**
 * A draft first alert: a Draft row of comms' ledger (Incident_Communication__c) on the incident
 * from the First Alert template, merged with what the incident says (unknown values keep their
 * visible placeholders, for the agent to complete), with no broadcast, audience or message:
 * sending it is the Communications section's job (IncidentCommunicationService.draft does this
 * on the platform, with the same Send_Key__c). BroadcastCommunication has no draft state and is
 * create-only, so a draft is never one. The template is merged here, without comms' composeCommunication: that one
 * reads the org through the REST client, which a save inside the org cannot call.
 */
function draftFirstAlert(
  ctx: OrgContext,
  incident: Row,
  ownerId: string
): string {
  const template = ctx.registry.object(TEMPLATE_OBJECT)
    ? soql(
        ctx,
        `SELECT Subject__c, Body__c FROM ${TEMPLATE_OBJECT} WHERE Stage__c = 'First Alert' ORDER BY DeveloperName LIMIT 1`
      )[0]
    : undefined;
  if (!template)
    throw new Error(
      'No First Alert template (Incident_Comm_Template__mdt with Stage__c First Alert) to draft the customer alert from'
    );
  const merged = mergeTemplate(
    {
      subject: template.Subject__c as string | null,
      body: template.Body__c as string | null
    },
    {
      'Incident.Subject': incident.Subject,
      'Incident.IncidentNumber': incident.IncidentNumber,
      'Incident.Status': incident.Status,
      Workaround: incident.Workaround__c ?? null
    }
  );
  // incidentRules' draftSendKey, as IncidentCommunicationService.draft: asking twice returns
  // the same draft, and a First Alert sent without a key of its own takes it over (draftToSend).
  const sendKey = draftSendKey(String(incident.Id), 'First Alert');
  if (!ctx.registry.object(LEDGER_OBJECT))
    throw new Error(
      `No ${LEDGER_OBJECT} object to record the draft customer alert in`
    );
  const existing = ctx.store
    .prepared(
      `SELECT "Id" FROM "${LEDGER_OBJECT}" WHERE "Send_Key__c" = ? LIMIT 1`
    )
    .get(sendKey) as { Id: string } | undefined;
  if (existing) return existing.Id;
  return createRecord(ctx, LEDGER_OBJECT, {
    Incident__c: incident.Id,
    Stage__c: 'First Alert',
    Subject__c: merged.subject.slice(0, 255),
    Body__c: merged.body,
    Status__c: 'Draft',
    Send_Key__c: sendKey,
    OwnerId: ownerId
  });
}

/** The step's ResponseStep event (contract T2 key), unless the timeline is not deployed. */
function writeEvent(
  ctx: OrgContext,
  incidentId: string,
  due: DueStep,
  outcome: 'Done' | 'Failed',
  detail: { resultId: string | null; error: string | null; completedAt: string }
): void {
  if (!ctx.registry.object(EVENT_OBJECT)) return;
  const key = eventKey(
    incidentId,
    'ResponseStep',
    `${due.step}:${due.trigger}`
  );
  const exists = ctx.store
    .prepared(
      `SELECT 1 FROM ${quote(EVENT_OBJECT)} WHERE "Event_Key__c" = ? LIMIT 1`
    )
    .get(key);
  if (exists) return;
  createRecord(ctx, EVENT_OBJECT, {
    Incident__c: incidentId,
    Type__c: 'ResponseStep',
    Occurred_At__c: detail.completedAt,
    Actor__c: ctx.userId,
    Source__c: 'Automation',
    Visibility__c: 'Internal',
    Summary__c: responseStepSummary(due, outcome),
    Payload__c: JSON.stringify({
      step: due.step,
      trigger: due.trigger,
      action: due.action,
      status: outcome,
      resultId: detail.resultId,
      error: detail.error
    }),
    Event_Key__c: key
  });
}

function normalise(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

function clip(value: string, length: number): string {
  return value.length > length ? value.slice(0, length) : value;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
