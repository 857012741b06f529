/**
 * The incident timeline's automatic events: what one saved incident adds to its timeline
 * (incidentEvents), the SLA sweep's warnings and breaches (slaEvents), the milestones an
 * incident records once (decideMilestones), and the deterministic event keys every writer
 * upserts on (eventKey). Pure functions, free of platform imports like the rest of
 * incidentRules: the local org's automation runs them, and the Apex twin (IncidentTimeline,
 * IncidentAutomationPolicy.decideMilestones) is held to the same vectors in the static
 * resource `incidentTimelineVectors`.
 *
 * An event: { type, key, occurredAt (ISO), summary, payload (plain object), visibility }.
 *
 * Visibility: everything is Internal except the milestones customers feel, mitigated and
 * resolved (customers were affected, and the end of the impact is what they are told). What
 * customers were sent is written by the communications sender as CommunicationSent.
 */

const MINUTE_MS = 60 * 1000;

/** Incident_Event__c.Type__c API values. */
export const EVENT_TYPES = Object.freeze([
  'Created',
  'Status',
  'Severity',
  'UrgencyImpact',
  'Owner',
  'SlaWarning',
  'SlaBreach',
  'SlaMet',
  'CaseLinked',
  'RelatedItemAdded',
  'ResponderAdded',
  'CommunicationSent',
  'ResponseStep',
  'Note',
  'Milestone'
]);

export const INTERNAL = 'Internal';
export const CUSTOMER_FACING = 'Customer-Facing';

/**
 * The milestones analytics need, each set once on the incident: the field that holds it and
 * the words a timeline shows.
 */
export const MILESTONES = Object.freeze([
  Object.freeze({
    name: 'detected',
    field: 'DetectedDateTime',
    label: 'detected'
  }),
  Object.freeze({
    name: 'acknowledged',
    field: 'Sla_Responded_At__c',
    label: 'acknowledged (first response)'
  }),
  Object.freeze({
    name: 'mitigated',
    field: 'Mitigated_At__c',
    label: 'mitigated'
  }),
  Object.freeze({
    name: 'resolved',
    field: 'ResolutionDateTime',
    label: 'resolved'
  })
]);

/** Milestones customers feel: their events are customer-facing. */
const CUSTOMER_FACING_MILESTONES = new Set(['mitigated', 'resolved']);

/** The two SLA clocks: the milestone that completes each and its due-time field. */
const SLA_CLOCKS = Object.freeze([
  Object.freeze({
    name: 'response',
    label: 'Response',
    due: 'Sla_Response_Due__c',
    completedBy: 'Sla_Responded_At__c'
  }),
  Object.freeze({
    name: 'resolution',
    label: 'Resolution',
    due: 'Sla_Resolution_Due__c',
    completedBy: 'ResolutionDateTime'
  })
]);

/** Statuses after which no SLA clock runs (the sweep skips them). */
const CLOSED_STATUSES = new Set([
  'Resolved',
  'Completed',
  'Closed',
  'Canceled'
]);

/**
 * The key of an event, unique per incident: `<incidentId>:<type>:<discriminator>`. Writers
 * upsert on it, so writing the same event again never duplicates it.
 * @param {string} incidentId
 * @param {string} type one of EVENT_TYPES
 * @param {string} discriminator what makes this event unique within its incident and type.
 * @returns {string}
 * @throws {RangeError} for a blank id or discriminator, or an unknown type.
 */
export function eventKey(incidentId, type, discriminator) {
  if (typeof incidentId !== 'string' || incidentId.trim() === '') {
    throw new RangeError('eventKey: incidentId must be a non-blank string');
  }
  if (!EVENT_TYPES.includes(type)) {
    throw new RangeError(
      `eventKey: type must be one of ${EVENT_TYPES.join(', ')}, got '${String(type)}'`
    );
  }
  if (
    (typeof discriminator !== 'string' && typeof discriminator !== 'number') ||
    String(discriminator).trim() === ''
  ) {
    throw new RangeError('eventKey: discriminator must not be blank');
  }
  return `${incidentId}:${type}:${discriminator}`;
}

/**
 * The milestones of an incident record, as ISO strings (null when not reached).
 * @param {Record<string, unknown>} incident
 * @returns {{ detected: string | null, acknowledged: string | null, mitigated: string | null,
 *   resolved: string | null }}
 */
export function milestones(incident) {
  /** @param {string} field */
  const at = (field) => isoOrNull(isRecord(incident) ? incident[field] : null);
  return {
    detected: at('DetectedDateTime'),
    acknowledged: at('Sla_Responded_At__c'),
    mitigated: at('Mitigated_At__c'),
    resolved: at('ResolutionDateTime')
  };
}

/**
 * What the before-save automation does with the milestones of one incident: on insert a
 * blank DetectedDateTime takes the creation time; when the incident is resolved with no
 * mitigation time, Mitigated_At__c takes the resolution time; a milestone already set may be
 * changed or cleared only by a timeline admin (custom permission Incident_Timeline_Admin).
 * @param {{ record: Record<string, unknown>, old?: Record<string, unknown> | null,
 *   now: Date | string, admin?: boolean }} input record: the incident as it will be saved
 *   (after the severity/SLA decision's changes); old: as it was, null on insert.
 * @returns {{ changes: Record<string, string>, errors: { field: string, message: string }[] }}
 */
export function decideMilestones(input) {
  const { record } = input;
  const old = input.old ?? null;
  const nowIso = toIso(input.now, 'now');
  /** @type {Record<string, string>} */
  const changes = {};
  /** @type {{ field: string, message: string }[]} */
  const errors = [];
  if (old !== null && input.admin !== true) {
    for (const milestone of MILESTONES) {
      const was = isoOrNull(old[milestone.field]);
      const now = isoOrNull(record[milestone.field]);
      if (was !== null && was !== now) {
        errors.push({
          field: milestone.field,
          message: `The ${milestone.name} milestone was recorded at ${was} and is kept as first set: only a user with the custom permission Incident Timeline Admin may change it.`
        });
      }
    }
  }
  if (errors.length > 0) {
    return { changes: {}, errors };
  }
  if (old === null && isoOrNull(record.DetectedDateTime) === null) {
    changes.DetectedDateTime = isoOrNull(record.CreatedDate) ?? nowIso;
  }
  const resolvedAt = isoOrNull(record.ResolutionDateTime);
  if (resolvedAt !== null && isoOrNull(record.Mitigated_At__c) === null) {
    changes.Mitigated_At__c = resolvedAt;
  }
  return { changes, errors };
}

/**
 * The events one saved incident adds to its timeline. On insert (before null): Created, then
 * a Milestone event for each milestone already set, with the SLA outcome of any completed
 * clock. On update: Status, Severity, UrgencyImpact and Owner when they changed, a Milestone
 * event for each milestone first set, and for a completed SLA clock SlaMet (on time) or
 * SlaBreach (late; the same event the SLA sweep writes, so the two never duplicate).
 * @param {Record<string, unknown> | null} before the incident before the save, null on insert.
 * @param {Record<string, unknown>} after the incident as saved (every field the events use:
 *   Id, Status, Urgency, Impact, Severity__c, OwnerId, CreatedDate, the milestones and the
 *   SLA due times).
 * @param {{ now: Date | string, names?: Record<string, string> }} context now: the time of
 *   the save; names: display names by user or queue id, for owner changes.
 * @returns {TimelineEvent[]}
 */
export function incidentEvents(before, after, context) {
  if (!isRecord(after) || typeof after.Id !== 'string' || after.Id === '') {
    throw new TypeError(
      'incidentEvents: after must be a saved incident with an Id'
    );
  }
  const id = after.Id;
  const nowIso = toIso(context?.now, 'context.now');
  const names = context?.names ?? {};
  /** @type {TimelineEvent[]} */
  const events = [];
  if (before === null || before === undefined) {
    events.push(createdEvent(id, after, nowIso));
  } else {
    const status = changeOf(before, after, 'Status');
    if (status) {
      events.push(
        event(
          id,
          'Status',
          nowIso,
          nowIso,
          `Status ${text(status.old)} -> ${text(status.new)}`,
          status
        )
      );
    }
    const severity = changeOf(before, after, 'Severity__c');
    if (severity) {
      events.push(severityEvent(id, before, after, nowIso));
    }
    const urgency = changeOf(before, after, 'Urgency');
    const impact = changeOf(before, after, 'Impact');
    if (urgency || impact) {
      const parts = [];
      if (urgency)
        parts.push(`urgency ${text(urgency.old)} -> ${text(urgency.new)}`);
      if (impact)
        parts.push(`impact ${text(impact.old)} -> ${text(impact.new)}`);
      const summary = parts.join(', ');
      events.push(
        event(
          id,
          'UrgencyImpact',
          nowIso,
          nowIso,
          summary.charAt(0).toUpperCase() + summary.slice(1),
          {
            urgency: {
              old: valueOrNull(before.Urgency),
              new: valueOrNull(after.Urgency)
            },
            impact: {
              old: valueOrNull(before.Impact),
              new: valueOrNull(after.Impact)
            }
          }
        )
      );
    }
    const owner = changeOf(before, after, 'OwnerId');
    if (owner) {
      const name = typeof owner.new === 'string' ? names[owner.new] : undefined;
      events.push(
        event(
          id,
          'Owner',
          nowIso,
          nowIso,
          name ? `Owner changed to ${name}` : 'Owner changed',
          name ? { ...owner, newName: name } : owner
        )
      );
    }
  }
  const detectedAt = isoOrNull(after.DetectedDateTime);
  for (const milestone of MILESTONES) {
    const at = isoOrNull(after[milestone.field]);
    const was = before ? isoOrNull(before[milestone.field]) : null;
    if (at === null || was !== null) continue;
    events.push(milestoneEvent(id, milestone, at, detectedAt));
  }
  for (const clock of SLA_CLOCKS) {
    const completedAt = isoOrNull(after[clock.completedBy]);
    const was = before ? isoOrNull(before[clock.completedBy]) : null;
    const due = isoOrNull(after[clock.due]);
    if (completedAt === null || was !== null || due === null) continue;
    events.push(
      Date.parse(completedAt) <= Date.parse(due)
        ? slaMetEvent(id, clock, completedAt, due)
        : slaBreachEvent(id, clock, due)
    );
  }
  return events;
}

/**
 * The SLA sweep for one incident at `now`: for each open clock (not yet completed), an
 * SlaWarning event once its warning moment has passed and an SlaBreach event once its due
 * time has passed (both when the sweep first sees it after the due time). Keys are fixed per clock
 * (`<id>:SlaWarning:response`, `<id>:SlaBreach:resolution`, ...), so sweeping again, or a
 * save that completes a clock late, writes nothing new. Closed incidents are skipped.
 * @param {Record<string, unknown>} incident the incident (Id, Status, the due times and the
 *   milestones).
 * @param {{ response?: { warningAt: string | null }, resolution?: { warningAt: string | null } }
 *   | null | undefined} targets the moment each clock enters its warning (see warningMinutes),
 *   null or absent for no warnings.
 * @param {Date | string} now
 * @returns {TimelineEvent[]}
 */
export function slaEvents(incident, targets, now) {
  if (!isRecord(incident) || typeof incident.Id !== 'string') {
    throw new TypeError(
      'slaEvents: incident must be a saved incident with an Id'
    );
  }
  const nowMs = Date.parse(toIso(now, 'now'));
  if (CLOSED_STATUSES.has(String(incident.Status))) {
    return [];
  }
  /** @type {TimelineEvent[]} */
  const events = [];
  for (const clock of SLA_CLOCKS) {
    if (isoOrNull(incident[clock.completedBy]) !== null) continue;
    const due = isoOrNull(incident[clock.due]);
    if (due === null) continue;
    const warningAt = isoOrNull(targets?.[clock.name]?.warningAt ?? null);
    if (
      warningAt !== null &&
      Date.parse(warningAt) <= nowMs &&
      Date.parse(warningAt) < Date.parse(due)
    ) {
      events.push(slaWarningEvent(incident.Id, clock, warningAt, due));
    }
    if (Date.parse(due) < nowMs) {
      events.push(slaBreachEvent(incident.Id, clock, due));
    }
  }
  return events;
}

/**
 * How many business minutes after the clock's start its warning begins: the policy's
 * Warning_Percent__c of the business minutes from start to due, rounded down to the minute.
 * The caller adds them to the start in the incident's business hours.
 * @param {number} allowedMinutes business minutes from the clock's start to its due time.
 * @param {number} warningPercent 1..99
 * @returns {number}
 */
export function warningMinutes(allowedMinutes, warningPercent) {
  if (!Number.isInteger(allowedMinutes) || allowedMinutes < 0) {
    throw new RangeError(
      `allowedMinutes must be a whole number >= 0, got ${String(allowedMinutes)}`
    );
  }
  if (
    typeof warningPercent !== 'number' ||
    !(warningPercent >= 1 && warningPercent <= 99)
  ) {
    throw new RangeError(
      `warningPercent must be from 1 to 99, got ${String(warningPercent)}`
    );
  }
  return Math.floor((allowedMinutes * warningPercent) / 100);
}

/**
 * A wall-clock duration as a timeline shows it: "14 min", "3 h 5 min", "2 d 4 h".
 * @param {number} minutes whole minutes >= 0
 * @returns {string}
 */
export function durationText(minutes) {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) {
    const rest = m % 60;
    return rest === 0
      ? `${Math.floor(m / 60)} h`
      : `${Math.floor(m / 60)} h ${rest} min`;
  }
  const hours = Math.floor((m % (24 * 60)) / 60);
  return hours === 0
    ? `${Math.floor(m / (24 * 60))} d`
    : `${Math.floor(m / (24 * 60))} d ${hours} h`;
}

/**
 * @typedef {{ type: string, key: string, occurredAt: string, summary: string,
 *   payload: Record<string, unknown>, visibility: 'Internal' | 'Customer-Facing' }}
 *   TimelineEvent
 */

/**
 * @param {string} id
 * @param {string} type
 * @param {string} discriminator
 * @param {string} occurredAt
 * @param {string} summary
 * @param {Record<string, unknown>} payload
 * @param {'Internal' | 'Customer-Facing'} [visibility]
 * @returns {TimelineEvent}
 */
function event(
  id,
  type,
  discriminator,
  occurredAt,
  summary,
  payload,
  visibility = INTERNAL
) {
  return {
    type,
    key: eventKey(id, type, discriminator),
    occurredAt,
    summary: summary.length > 255 ? `${summary.slice(0, 254)}…` : summary,
    payload,
    visibility
  };
}

/**
 * @param {string} id
 * @param {Record<string, unknown>} after
 * @param {string} nowIso
 * @returns {TimelineEvent}
 */
function createdEvent(id, after, nowIso) {
  const severity = numberOrNull(after.Severity__c);
  const where =
    severity === null
      ? 'without a severity (urgency or impact blank)'
      : `at severity ${severity} (urgency ${text(after.Urgency)}, impact ${text(after.Impact)})`;
  return event(
    id,
    'Created',
    'record',
    isoOrNull(after.CreatedDate) ?? nowIso,
    `Incident created ${where}, status ${text(after.Status)}`,
    {
      subject: valueOrNull(after.Subject),
      status: valueOrNull(after.Status),
      severity,
      urgency: valueOrNull(after.Urgency),
      impact: valueOrNull(after.Impact),
      priority: valueOrNull(after.Priority),
      ownerId: valueOrNull(after.OwnerId)
    }
  );
}

/**
 * @param {string} id
 * @param {Record<string, unknown>} before
 * @param {Record<string, unknown>} after
 * @param {string} nowIso
 * @returns {TimelineEvent}
 */
function severityEvent(id, before, after, nowIso) {
  const oldSeverity = numberOrNull(before.Severity__c);
  const newSeverity = numberOrNull(after.Severity__c);
  const drivers = `(urgency ${text(after.Urgency)}, impact ${text(after.Impact)})`;
  let summary;
  if (newSeverity === null) {
    summary = `Severity cleared (was ${text(oldSeverity)}): urgency or impact is blank`;
  } else if (oldSeverity === null) {
    summary = `Severity set to ${newSeverity} ${drivers}`;
  } else {
    // Severity 1 is the most severe: a smaller number is a raise.
    const verb = newSeverity < oldSeverity ? 'raised' : 'lowered';
    summary = `Severity ${verb} ${oldSeverity} -> ${newSeverity} ${drivers}`;
  }
  return event(id, 'Severity', nowIso, nowIso, summary, {
    old: oldSeverity,
    new: newSeverity,
    urgency: valueOrNull(after.Urgency),
    impact: valueOrNull(after.Impact),
    priority: valueOrNull(after.Priority)
  });
}

/**
 * @param {string} id
 * @param {{ name: string, label: string }} milestone
 * @param {string} at
 * @param {string | null} detectedAt
 * @returns {TimelineEvent}
 */
function milestoneEvent(id, milestone, at, detectedAt) {
  const since =
    detectedAt === null || milestone.name === 'detected'
      ? null
      : Math.floor((Date.parse(at) - Date.parse(detectedAt)) / MINUTE_MS);
  const summary =
    since === null || since < 0
      ? `Milestone: ${milestone.label}`
      : `Milestone: ${milestone.label}, ${durationText(since)} after detection`;
  return event(
    id,
    'Milestone',
    milestone.name,
    at,
    summary,
    {
      milestone: milestone.name,
      at,
      minutesSinceDetected: since !== null && since >= 0 ? since : null
    },
    CUSTOMER_FACING_MILESTONES.has(milestone.name) ? CUSTOMER_FACING : INTERNAL
  );
}

/**
 * @param {string} id
 * @param {{ name: string, label: string }} clock
 * @param {string} completedAt
 * @param {string} due
 * @returns {TimelineEvent}
 */
function slaMetEvent(id, clock, completedAt, due) {
  const early = Math.floor(
    (Date.parse(due) - Date.parse(completedAt)) / MINUTE_MS
  );
  return event(
    id,
    'SlaMet',
    clock.name,
    completedAt,
    `${clock.label} SLA met, ${durationText(early)} before the due time`,
    { clock: clock.name, due, completedAt }
  );
}

/**
 * @param {string} id
 * @param {{ name: string, label: string }} clock
 * @param {string} due
 * @returns {TimelineEvent}
 */
function slaBreachEvent(id, clock, due) {
  return event(
    id,
    'SlaBreach',
    clock.name,
    due,
    `${clock.label} SLA breached: the due time passed`,
    { clock: clock.name, due }
  );
}

/**
 * @param {string} id
 * @param {{ name: string, label: string }} clock
 * @param {string} warningAt
 * @param {string} due
 * @returns {TimelineEvent}
 */
function slaWarningEvent(id, clock, warningAt, due) {
  const left = Math.floor(
    (Date.parse(due) - Date.parse(warningAt)) / MINUTE_MS
  );
  return event(
    id,
    'SlaWarning',
    clock.name,
    warningAt,
    `${clock.label} SLA warning: ${durationText(left)} left before the due time`,
    { clock: clock.name, due, warningAt }
  );
}

/**
 * @param {Record<string, unknown>} before
 * @param {Record<string, unknown>} after
 * @param {string} field
 * @returns {{ old: unknown, new: unknown } | null} the change, null when the value is the same.
 */
function changeOf(before, after, field) {
  const was = valueOrNull(before[field]);
  const now = valueOrNull(after[field]);
  if (was === now) return null;
  if (typeof was === 'number' || typeof now === 'number') {
    if (numberOrNull(was) === numberOrNull(now)) return null;
    return { old: numberOrNull(was), new: numberOrNull(now) };
  }
  return { old: was, new: now };
}

/**
 * @param {unknown} value
 * @returns {string | number | boolean | null} the value, blank text as null.
 */
function valueOrNull(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/**
 * @param {unknown} value
 * @returns {number | null}
 */
function numberOrNull(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * @param {unknown} value
 * @returns {string} the value as a person reads it, "blank" when there is none.
 */
function text(value) {
  const v = valueOrNull(value);
  return v === null ? 'blank' : String(v);
}

/**
 * @param {unknown} value a date-time (ISO text, Salesforce's +0000 form, or a Date) or blank.
 * @returns {string | null} the instant as ISO 8601 UTC with milliseconds, null when blank.
 */
function isoOrNull(value) {
  if (value === null || value === undefined || value === '') return null;
  return toIso(value, 'date-time');
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {string}
 */
function toIso(value, name) {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString();
  }
  if (typeof value === 'string') {
    // Salesforce writes offsets as +0000, which Date.parse does not promise to read.
    const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(normalized);
    if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
      return new Date(ms).toISOString();
    }
  }
  throw new RangeError(
    `${name} must be an ISO 8601 date-time, got ${String(value)}`
  );
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one field anyone who can edit an event may change after it is written. */
export const STARRED_FIELD = 'Starred__c';

/**
 * Why an event change is refused (the append-only rule; IncidentEventTriggerHandler says
 * the same): `fields` would change, or, with none given, the event would be deleted.
 * @param {string[]} [fields] the fields an update would change, sorted.
 * @returns {string}
 */
export function appendOnlyMessage(fields) {
  if (!fields || fields.length === 0) {
    return 'Incident timeline events are append-only: deleting one needs the custom permission Incident Timeline Admin.';
  }
  return `Incident timeline events are append-only: after an event is written only Starred__c may change. Changing ${fields.join(', ')} needs the custom permission Incident Timeline Admin.`;
}
