/**
 * The incident timeline in the local org: the stand-in for the Apex IncidentEventService
 * (after an incident's save), IncidentAutomationPolicy.applyMilestones, the
 * Incident_Event__c trigger (append-only) and the scheduled IncidentSlaMonitor, running the
 * same pure functions as the Apex twin (timeline.js in incidentRules), so the preview shows
 * the events an org would write.
 *
 * - After an Incident is saved: its milestones (decideMilestones: a blank DetectedDateTime
 *   takes the creation time, a resolution fills a blank Mitigated_At__c, a set milestone is
 *   refused to non-admins), then its events (incidentEvents), queued for the end of the save
 *   batch and written in one statement through the local org's own upsert, so the platform's
 *   rules apply to them. The Apex does the milestones before save; here they run after the
 *   write inside the same transaction, so a refusal rolls the save back all the same and a
 *   fill is stored before the request ends.
 * - Incident_Event__c: Recorded_At__c takes the time of the save when blank; after insert only
 *   Starred__c may change and no event may be deleted, unless the calling user is a timeline
 *   admin.
 * - The SLA sweep (slaEvents) runs on demand (runSlaSweep) and on a timer (startSlaSweep)
 *   while the org runs.
 *
 * Timeline admin in the local org: the calling user holds a permission set assignment to a
 * permission set named Incident_Timeline_Admin, the custom permission's name. The local org
 * does not model SetupEntityAccess (which grants a custom permission to a permission set on
 * the platform), so that name stands for "a permission set that grants it". The local org's
 * own admin (System Administrator profile) is not a timeline admin by profile: on the
 * platform a custom permission is never implied by a profile name either.
 */
import {
  addBusinessMinutes,
  businessMinutesBetween,
  compilePolicy
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
// Imported from the bundle's own file: TypeScript's NodeNext resolution cannot follow
// incidentRules.js's extensionless `export * from './timeline'`.
import {
  appendOnlyMessage,
  decideMilestones,
  incidentEvents,
  slaEvents,
  STARRED_FIELD,
  warningMinutes
} from '../../force-app/main/default/lwc/incidentRules/timeline.js';
import type { ObjectSchema } from '../schema/types.ts';
import { inSaveBatch, queueForSave } from './save-batch.ts';
import { automationBypassed } from './automation.ts';
import { respondToSla } from './automation-response.ts';
import {
  businessHoursIdByName,
  computeInBusinessTime,
  defaultBusinessHoursId
} from './business-hours.ts';
import { perOrg, type OrgContext } from './context.ts';
import { createRecords, objectOrThrow } from './dml.ts';
import { RecordError } from './errors.ts';
import { foldAscii, quote, type Row } from './storage.ts';
import { toColumn } from './values.ts';
import { inWriteScope, prefetchLookups } from './write-scope.ts';

export const EVENT_OBJECT = 'Incident_Event__c';
export const ADMIN_PERMISSION = 'Incident_Timeline_Admin';
const SOURCE_AUTOMATION = 'Automation';

type TimelineEvent = ReturnType<typeof incidentEvents>[number];

interface QueuedEvent {
  incidentId: string;
  event: TimelineEvent;
}

/** What the automation wrote, per org: the benchmark and tests read it. */
export interface TimelineWrites {
  /** Upsert statements of Incident_Event__c (one per save batch that had events). */
  statements: number;
  /** Events written by those statements. */
  events: number;
}

export const timelineWrites = perOrg<TimelineWrites>(() => ({
  statements: 0,
  events: 0
}));

/** The after-save handler (registered in automations.ts). */
export function timelineAfterSave(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  if (!deployed(ctx)) return;
  if (object.name === 'Incident') incidentSaved(ctx, object, row, before);
  else if (object.name === EVENT_OBJECT) eventSaved(ctx, object, row, before);
}

/**
 * The before-delete handler (registered in automations.ts): events are append-only, and an
 * incident with a timeline is kept (Incident_Event__c.Incident__c is a required lookup, so its
 * delete constraint is Restrict: the platform refuses the incident's delete with DELETE_FAILED).
 */
export function timelineBeforeDelete(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row
): void {
  if (!deployed(ctx)) return;
  if (object.name === 'Incident') {
    const events = ctx.store
      .prepared(
        `SELECT "Name" FROM ${quote(EVENT_OBJECT)} WHERE "Incident__c" = ? ORDER BY "Name" LIMIT 3`
      )
      .all(row.Id) as { Name: string }[];
    if (events.length > 0)
      throw new RecordError(
        'DELETE_FAILED',
        `Your attempt to delete ${String(row.IncidentNumber ?? row.Id)} could not be completed because it is associated with the following incident events.: ${events.map((e) => e.Name).join(', ')}`
      );
    return;
  }
  if (object.name !== EVENT_OBJECT || isTimelineAdmin(ctx)) return;
  throw new RecordError(
    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    appendOnlyMessage()
  );
}

function deployed(ctx: OrgContext): boolean {
  return (
    ctx.registry.object(EVENT_OBJECT) !== undefined &&
    ctx.registry.field('Incident', 'Mitigated_At__c') !== undefined
  );
}

/**
 * Whether the calling user holds the custom permission Incident_Timeline_Admin: an
 * assignment to a permission set of that name (see the file's comment).
 */
export function isTimelineAdmin(ctx: OrgContext): boolean {
  if (!ctx.registry.object('PermissionSetAssignment')) return false;
  return (
    ctx.store
      .prepared(
        `SELECT 1 FROM ${quote('PermissionSetAssignment')} a JOIN ${quote('PermissionSet')} p ON p."Id" = a."PermissionSetId" WHERE a."AssigneeId" = ? AND p."Name" = ? LIMIT 1`
      )
      .get(ctx.userId, ADMIN_PERMISSION) !== undefined
  );
}

function incidentSaved(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  if (automationBypassed(ctx)) return;
  const now = ctx.now();
  const decision = decideMilestones({
    record: row,
    old: before ?? null,
    now,
    admin: isTimelineAdmin(ctx)
  });
  const [refusal] = decision.errors;
  if (refusal) {
    throw new RecordError(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      decision.errors.map((error) => error.message).join(' '),
      [refusal.field]
    );
  }
  const fills: Row = {};
  for (const [name, value] of Object.entries(decision.changes)) {
    const field = ctx.registry.field('Incident', name);
    if (field) fills[name] = toColumn(field, value);
  }
  if (Object.keys(fills).length > 0) {
    // The platform's before-save assignment: part of the same save, not a second one.
    ctx.store.update(object, String(row.Id), fills);
    Object.assign(row, fills);
  }
  const events = incidentEvents(before ?? null, row, {
    now,
    names: ownerNames(ctx, row, before)
  });
  const incidentId = String(row.Id);
  queueEvents(
    ctx,
    events.map((event) => ({ incidentId, event }))
  );
}

/** The new owner's name when the owner changed (a user or a queue), for the Owner event. */
function ownerNames(
  ctx: OrgContext,
  row: Row,
  before: Row | undefined
): Record<string, string> {
  const ownerId = row.OwnerId;
  if (!before || typeof ownerId !== 'string' || before.OwnerId === ownerId)
    return {};
  const owner = ctx.registry.objectForId(ownerId);
  const name = owner ? ctx.store.get(owner, ownerId)?.Name : undefined;
  return typeof name === 'string' ? { [ownerId]: name } : {};
}

/**
 * Queues events for the end of the save batch: one statement for all of them. A key already
 * recorded, or repeated in the batch (a second save of the same incident in the same
 * millisecond makes the same key), is skipped, never updated: the event is append-only, and
 * updating it would refuse the save.
 */
function queueEvents(ctx: OrgContext, events: QueuedEvent[]): void {
  queueForSave(ctx, 'timeline', events, (items: QueuedEvent[]) => {
    writeEvents(ctx, items);
  });
}

/**
 * Writes the events of a save batch as one DML statement (createRecords: one multi-row
 * INSERT), in a write scope: the recorded keys and the incidents are read in one query each,
 * the ids and numbers handed out in memory.
 */
function writeEvents(ctx: OrgContext, items: QueuedEvent[]): void {
  const writes = timelineWrites(ctx);
  writes.statements += 1;
  const object = objectOrThrow(ctx, EVENT_OBJECT);
  const keyField = ctx.registry.field(EVENT_OBJECT, 'Event_Key__c');
  const recordedAt = ctx.registry.field(EVENT_OBJECT, 'Recorded_At__c');
  // A savepoint: the write scope's sequences are stored inside a transaction.
  ctx.db.transaction(() => {
    inWriteScope(ctx, () => {
      const records = items.map(({ incidentId, event }) => ({
        Event_Key__c: event.key,
        Incident__c: incidentId,
        Type__c: event.type,
        Occurred_At__c: event.occurredAt,
        Summary__c: event.summary,
        Payload__c: JSON.stringify(event.payload),
        Visibility__c: event.visibility,
        Source__c: SOURCE_AUTOMATION,
        Actor__c: ctx.userId,
        // The time of the save, which eventSaved would otherwise set with an update per event.
        ...(recordedAt ? { Recorded_At__c: ctx.now().toISOString() } : {})
      }));
      prefetchLookups(ctx, object, records);
      const seen = new Set<string>();
      const fresh = records.filter((record) => {
        const key = foldAscii(record.Event_Key__c);
        if (seen.has(key)) return false;
        seen.add(key);
        return !(
          keyField &&
          ctx.store.findBy(object, keyField, record.Event_Key__c, 1).length
        );
      });
      writes.events += fresh.length;
      createRecords(ctx, EVENT_OBJECT, fresh);
    });
  })();
}

function eventSaved(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  if (!before) {
    if (row.Recorded_At__c === null || row.Recorded_At__c === undefined) {
      const field = ctx.registry.field(EVENT_OBJECT, 'Recorded_At__c');
      if (!field) return;
      const stamp = toColumn(field, ctx.now().toISOString());
      ctx.store.update(object, String(row.Id), { Recorded_At__c: stamp });
      row.Recorded_At__c = stamp;
    }
    return;
  }
  const changed = object.fields
    .filter(
      (field) =>
        field.custom &&
        field.name !== STARRED_FIELD &&
        (row[field.name] ?? null) !== (before[field.name] ?? null)
    )
    .map((field) => field.name)
    .sort();
  if (changed.length > 0 && !isTimelineAdmin(ctx)) {
    throw new RecordError(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      appendOnlyMessage(changed),
      changed
    );
  }
}

const CLOSED_STATUSES = ['Resolved', 'Completed', 'Closed', 'Canceled'];

/**
 * The SLA sweep (IncidentSlaMonitor's twin): SlaWarning and SlaBreach events for the open
 * incidents whose warning or due time has passed, each written once (events already written
 * are skipped), in one save batch. Returns the number of events written.
 */
export function runSlaSweep(ctx: OrgContext, now: Date = ctx.now()): number {
  const incidentObject = ctx.registry.object('Incident');
  if (!deployed(ctx) || !incidentObject || automationBypassed(ctx)) return 0;
  const open = ctx.store
    .prepared(
      `SELECT * FROM ${quote('Incident')} WHERE ("Status" IS NULL OR "Status" NOT IN (${CLOSED_STATUSES.map(() => '?').join(', ')})) AND (("Sla_Responded_At__c" IS NULL AND "Sla_Response_Due__c" IS NOT NULL) OR ("ResolutionDateTime" IS NULL AND "Sla_Resolution_Due__c" IS NOT NULL))`
    )
    .all(...CLOSED_STATUSES) as Row[];
  const policy = compilePolicy(readTable(ctx, 'Incident_Sla_Policy__mdt'));
  const eventObject = ctx.registry.object(EVENT_OBJECT);
  const keyField = ctx.registry.field(EVENT_OBJECT, 'Event_Key__c');
  if (!eventObject || !keyField) return 0;
  const fresh: QueuedEvent[] = [];
  const reached: { incident: Row; targets: WarningTargets | null }[] = [];
  for (const incident of open) {
    const targets =
      policy.problems.length === 0
        ? warningTargets(ctx, incident, policy)
        : null;
    const before = fresh.length;
    for (const event of slaEvents(incident, targets, now)) {
      if (ctx.store.findBy(eventObject, keyField, event.key, 1).length > 0)
        continue;
      fresh.push({ incidentId: String(incident.Id), event });
    }
    if (fresh.length > before) reached.push({ incident, targets });
  }
  if (fresh.length === 0) return 0;
  ctx.db.transaction(() => {
    inSaveBatch(ctx, () => {
      queueEvents(ctx, fresh);
      // The response plan's SLA Warning / SLA Breach steps, for the incidents that reached one.
      for (const { incident, targets } of reached)
        respondToSla(ctx, incident, {
          responseWarningAt: targets?.response.warningAt ?? null,
          resolutionWarningAt: targets?.resolution.warningAt ?? null
        });
    });
  })();
  return fresh.length;
}

interface WarningTargets {
  response: { warningAt: string | null };
  resolution: { warningAt: string | null };
}

type CompiledPolicy = ReturnType<typeof compilePolicy>;

/**
 * When each clock of an incident enters its warning: the policy's Warning_Percent__c of the
 * business minutes from the clock's start to its due time, counted in the incident's business
 * hours, else the policy row's, else the org default (as the due times were counted).
 */
function warningTargets(
  ctx: OrgContext,
  incident: Row,
  policy: CompiledPolicy
): WarningTargets | null {
  const severity = Number(incident.Severity__c);
  const row = policy.rowBySeverity.get(severity);
  if (!row) return null;
  const startText = incident.DetectedDateTime ?? incident.CreatedDate;
  if (typeof startText !== 'string') return null;
  const start = new Date(
    Date.parse(startText.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  );
  const named =
    typeof row.Business_Hours__c === 'string' && row.Business_Hours__c !== ''
      ? businessHoursIdByName(ctx, row.Business_Hours__c)
      : null;
  const hoursId =
    typeof incident.BusinessHoursId === 'string' &&
    incident.BusinessHoursId !== ''
      ? incident.BusinessHoursId
      : (named ?? defaultBusinessHoursId(ctx));
  const warnAt = (
    calendar: Parameters<typeof addBusinessMinutes>[0],
    due: Row[string] | undefined
  ): string | null => {
    if (typeof due !== 'string') return null;
    const allowed = businessMinutesBetween(calendar, start, due);
    return addBusinessMinutes(
      calendar,
      start,
      warningMinutes(allowed, row.Warning_Percent__c)
    ).toISOString();
  };
  return computeInBusinessTime(
    ctx,
    hoursId,
    start,
    (calendar) => ({
      response: { warningAt: warnAt(calendar, incident.Sla_Response_Due__c) },
      resolution: {
        warningAt: warnAt(calendar, incident.Sla_Resolution_Due__c)
      }
    }),
    (targets) => {
      const at = targets.resolution.warningAt;
      return at === null ? null : new Date(at);
    }
  );
}

function readTable(ctx: OrgContext, name: string): Row[] {
  const object = ctx.registry.object(name);
  return object ? ctx.store.all(object) : [];
}

/**
 * Runs the SLA sweep every `intervalMs` while the org runs (the scheduled IncidentSlaMonitor's
 * stand-in); returns the function that stops it. A failing sweep is reported and retried at
 * the next tick rather than stopping the org.
 */
export function startSlaSweep(
  ctx: OrgContext,
  intervalMs: number,
  report: (error: unknown) => void = (error) => {
    console.error('local org: SLA sweep failed:', error);
  }
): () => void {
  const timer = setInterval(() => {
    try {
      runSlaSweep(ctx);
    } catch (error) {
      report(error);
    }
  }, intervalMs);
  // The sweep must not keep a process alive that has nothing else to do.
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
