/**
 * The response plan: which steps of the plan (Incident_Response_Step__mdt records) are due for
 * an incident, given how it was before and after a save (or the SLA sweep), the time, and the
 * steps already taken. Pure and free of platform imports like the rest of incidentRules: the
 * Apex IncidentResponsePlanService and the local org's automation (scripts/local-org/
 * automation-response.ts) decide with it, held to the vectors in the static resource
 * `incidentResponseVectors`.
 *
 * The triggers:
 * - Severity Reached: the incident is created at the step's severity, or moves to it from a
 *   less severe one (a higher number) or from none.
 * - Severity Raised: the same move on an update only (not a creation).
 *   Lowering the severity fires nothing.
 * - SLA Warning: an open SLA clock (response: Sla_Responded_At__c blank; resolution:
 *   ResolutionDateTime blank) whose warning moment has passed. The warning moment is counted in
 *   business time by the SLA sweep (IncidentSlaMonitor in Apex, the local org's sweep) and given
 *   here as `sla`; without it no warning fires.
 * - SLA Breach: an open SLA clock whose due time (Sla_Response_Due__c / Sla_Resolution_Due__c)
 *   is at or before now.
 * - Status Change: the status changes (on an update) to the step's Status_Value__c.
 * Severity-triggered steps name their severity; SLA and status steps may leave it blank to apply
 * to every severity. Each step is taken at most once per incident and trigger: its action key
 * `<incidentId>:<step>:<trigger>` is unique (Incident_Response_Action__c.Action_Key__c), and a
 * key in `done` (whatever its status: Pending, Done or Failed) is never due again. So one SLA
 * Warning step runs once per incident, for whichever clock warns first.
 */

/** Incident_Response_Step__mdt.Trigger__c's values, in the order due steps are listed. */
export const RESPONSE_TRIGGERS = Object.freeze([
  'Severity Reached',
  'Severity Raised',
  'SLA Warning',
  'SLA Breach',
  'Status Change'
]);

/** Incident_Response_Step__mdt.Action__c's values. */
export const RESPONSE_ACTIONS = Object.freeze([
  'Owner Task',
  'Feed Post',
  'Start Swarm',
  'Draft Customer Alert',
  'Escalate To Service Level Manager',
  'Case Process'
]);

const SEVERITY_TRIGGERS = new Set(['Severity Reached', 'Severity Raised']);

/** DeveloperName rules of custom metadata records: a letter first, no double or final _. */
const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
const DEVELOPER_NAME_LENGTH = 40;
/** Status_Value__c is Text(40). */
const STATUS_VALUE_LENGTH = 40;
/** Order__c is Number(3, 0). */
const MAX_ORDER = 999;

/**
 * One Incident_Response_Step__mdt record.
 * @typedef {{ DeveloperName: string, Severity__c?: number | null, Trigger__c: string,
 *   Action__c: string, Order__c: number, Status_Value__c?: string | null }} ResponseStep
 */

/**
 * A step that is due: which step, why, and the key that makes it happen once.
 * @typedef {{ step: string, trigger: string, action: string, order: number,
 *   severity: number | null, status: string | null, actionKey: string }} DueStep
 */

/**
 * The incident fields the plan reads, as REST or Apex gives them (ISO date-times).
 * @typedef {{ Id?: string | null, Severity__c?: number | null, Status?: string | null,
 *   Sla_Response_Due__c?: string | null, Sla_Resolution_Due__c?: string | null,
 *   Sla_Responded_At__c?: string | null, ResolutionDateTime?: string | null }} PlanIncident
 */

/**
 * The SLA clocks' warning moments, counted in business time by the SLA sweep.
 * @typedef {{ responseWarningAt?: string | null, resolutionWarningAt?: string | null }}
 *   SlaMoments
 */

/**
 * @typedef {{ code: string, message: string, record?: number, field?: string }} PlanProblem
 */

/**
 * The action key of a step for an incident: `<incidentId>:<step>:<trigger>`.
 * @param {string} incidentId
 * @param {string} step DeveloperName of the step
 * @param {string} trigger
 * @returns {string}
 */
export function responseActionKey(incidentId, step, trigger) {
  return `${incidentId}:${step}:${trigger}`;
}

/**
 * Checks response plan steps; every problem at once, each naming the record and the field.
 * @param {unknown} steps Incident_Response_Step__mdt records
 * @returns {PlanProblem[]} empty when the plan is usable
 */
export function validateResponsePlan(steps) {
  /** @type {PlanProblem[]} */
  const problems = [];
  if (!Array.isArray(steps)) {
    return [
      {
        code: 'not-a-list',
        message: 'Response plan: must be a list of steps'
      }
    ];
  }
  /** @type {Map<string, number>} */
  const names = new Map();
  steps.forEach((step, record) => {
    /**
     * @param {string} field
     * @param {string} code
     * @param {string} message
     */
    const problem = (field, code, message) =>
      problems.push({
        code,
        message: `Response step ${record}: ${field} ${message}`,
        record,
        field
      });
    if (step === null || typeof step !== 'object' || Array.isArray(step)) {
      problems.push({
        code: 'not-a-record',
        message: `Response step ${record}: must be a record`,
        record
      });
      return;
    }
    const name = step.DeveloperName;
    if (
      typeof name !== 'string' ||
      name.length > DEVELOPER_NAME_LENGTH ||
      !DEVELOPER_NAME.test(name) ||
      name.endsWith('_')
    ) {
      problem(
        'DeveloperName',
        'bad-name',
        `must be up to ${DEVELOPER_NAME_LENGTH} letters, digits and single underscores, starting with a letter and not ending with _, got ${show(name)}`
      );
    } else {
      const key = name.toLowerCase();
      const first = names.get(key);
      if (first === undefined) {
        names.set(key, record);
      } else {
        problem(
          'DeveloperName',
          'duplicate-name',
          `${show(name)} is already the name of step ${first} (names ignore case)`
        );
      }
    }
    const trigger = step.Trigger__c;
    if (!RESPONSE_TRIGGERS.includes(trigger)) {
      problem(
        'Trigger__c',
        'unknown-trigger',
        `must be one of ${RESPONSE_TRIGGERS.join(', ')}, got ${show(trigger)}`
      );
    }
    if (!RESPONSE_ACTIONS.includes(step.Action__c)) {
      problem(
        'Action__c',
        'unknown-action',
        `must be one of ${RESPONSE_ACTIONS.join(', ')}, got ${show(step.Action__c)}`
      );
    }
    const severity = step.Severity__c ?? null;
    if (severity === null) {
      if (SEVERITY_TRIGGERS.has(trigger)) {
        problem(
          'Severity__c',
          'severity-required',
          `is required for the ${trigger} trigger`
        );
      }
    } else if (
      !Number.isInteger(severity) ||
      /** @type {number} */ (severity) < 1 ||
      /** @type {number} */ (severity) > 5
    ) {
      problem(
        'Severity__c',
        'bad-severity',
        `must be a whole number from 1 to 5, got ${show(severity)}`
      );
    }
    const order = step.Order__c;
    if (!Number.isInteger(order) || order < 0 || order > MAX_ORDER) {
      problem(
        'Order__c',
        'bad-order',
        `must be a whole number from 0 to ${MAX_ORDER}, got ${show(order)}`
      );
    }
    const statusValue = step.Status_Value__c ?? null;
    if (trigger === 'Status Change') {
      if (typeof statusValue !== 'string' || statusValue.trim() === '') {
        problem(
          'Status_Value__c',
          'status-required',
          'is required for the Status Change trigger (the status that fires the step)'
        );
      } else if (statusValue.length > STATUS_VALUE_LENGTH) {
        problem(
          'Status_Value__c',
          'status-too-long',
          `must have at most ${STATUS_VALUE_LENGTH} characters, got ${statusValue.length}`
        );
      }
    } else if (statusValue !== null && statusValue !== '') {
      problem(
        'Status_Value__c',
        'status-not-used',
        `applies to the Status Change trigger only, not to ${show(trigger)}`
      );
    }
  });
  return problems;
}

/**
 * The steps due for one incident, in trigger order (RESPONSE_TRIGGERS), then Order__c, then
 * DeveloperName. Steps whose action key is in `done` are left out.
 * @param {{ before?: PlanIncident | null, after: PlanIncident, now: Date | string,
 *   plan: ResponseStep[], done?: Iterable<string> | null, sla?: SlaMoments | null }} input
 *   before: the incident before the save (null on creation; the same record as `after` for the
 *   SLA sweep, so only time triggers fire); after: the incident as saved (with its Id).
 * @returns {DueStep[]}
 * @throws {Error} when the plan is invalid (validateResponsePlan's first problem).
 */
export function dueResponseSteps(input) {
  const { after, plan } = input;
  if (after === null || typeof after !== 'object') {
    throw new TypeError('after must be the incident as saved');
  }
  const incidentId = after.Id;
  if (typeof incidentId !== 'string' || incidentId === '') {
    throw new TypeError(
      'after.Id is required: the action keys name the incident'
    );
  }
  const problems = validateResponsePlan(plan);
  if (problems.length > 0) {
    throw new Error(problems[0].message);
  }
  const before = input.before ?? null;
  const nowMs = millis(input.now, 'now');
  const done = new Set(input.done ?? []);
  const sla = input.sla ?? {};
  const severity = numberOrNull(after.Severity__c);
  const oldSeverity = before ? numberOrNull(before.Severity__c) : null;
  const raisedOrNew =
    severity !== null && (oldSeverity === null || severity < oldSeverity);
  const raised =
    before !== null &&
    severity !== null &&
    oldSeverity !== null &&
    severity < oldSeverity;
  const statusChanged =
    before !== null && (before.Status ?? null) !== (after.Status ?? null);
  const responseOpen = isBlank(after.Sla_Responded_At__c);
  const resolutionOpen = isBlank(after.ResolutionDateTime);
  /** @param {unknown} at */
  const passed = (at) => !isBlank(at) && millis(at, 'a due time') <= nowMs;
  const warning =
    (responseOpen && passed(sla.responseWarningAt)) ||
    (resolutionOpen && passed(sla.resolutionWarningAt));
  const breach =
    (responseOpen && passed(after.Sla_Response_Due__c)) ||
    (resolutionOpen && passed(after.Sla_Resolution_Due__c));

  /** @type {DueStep[]} */
  const due = [];
  for (const step of plan) {
    const stepSeverity = numberOrNull(step.Severity__c);
    const severityMatches = stepSeverity === null || stepSeverity === severity;
    let fires;
    switch (step.Trigger__c) {
      case 'Severity Reached':
        fires = raisedOrNew && stepSeverity === severity;
        break;
      case 'Severity Raised':
        fires = raised && stepSeverity === severity;
        break;
      case 'SLA Warning':
        fires = warning && severityMatches;
        break;
      case 'SLA Breach':
        fires = breach && severityMatches;
        break;
      default:
        fires =
          statusChanged &&
          severityMatches &&
          (after.Status ?? null) === step.Status_Value__c;
    }
    if (!fires) {
      continue;
    }
    const actionKey = responseActionKey(
      incidentId,
      step.DeveloperName,
      step.Trigger__c
    );
    if (done.has(actionKey)) {
      continue;
    }
    due.push({
      step: step.DeveloperName,
      trigger: step.Trigger__c,
      action: step.Action__c,
      order: step.Order__c,
      severity,
      status: after.Status ?? null,
      actionKey
    });
  }
  return due.sort(
    (a, b) =>
      RESPONSE_TRIGGERS.indexOf(a.trigger) -
        RESPONSE_TRIGGERS.indexOf(b.trigger) ||
      a.order - b.order ||
      (a.step < b.step ? -1 : a.step > b.step ? 1 : 0)
  );
}

/**
 * Why a step ran, in words for the timeline: "severity 1 reached", "SLA breach".
 * @param {{ trigger: string, severity: number | null, status: string | null }} due
 * @returns {string}
 */
export function responseTriggerPhrase(due) {
  switch (due.trigger) {
    case 'Severity Reached':
      return `severity ${due.severity} reached`;
    case 'Severity Raised':
      return `severity raised to ${due.severity}`;
    case 'SLA Warning':
      return 'SLA warning';
    case 'SLA Breach':
      return 'SLA breach';
    default:
      return `status changed to ${due.status}`;
  }
}

/**
 * The timeline's one-line summary of a step taken (Incident_Event__c.Summary__c, Text 255).
 * @param {{ action: string, trigger: string, severity: number | null, status: string | null }}
 *   due
 * @param {'Done' | 'Failed'} outcome
 * @returns {string}
 */
export function responseStepSummary(due, outcome) {
  const why = responseTriggerPhrase(due);
  if (due.action === 'Case Process' && outcome === 'Done') {
    return `Response plan: standard case process only, no incident response steps (${why})`;
  }
  // At most 53 + 40 characters of status value: well within Summary__c's 255.
  return `Response plan: ${due.action} ${outcome === 'Done' ? 'done' : 'failed'} (${why})`;
}

/**
 * @param {unknown} value
 * @returns {number | null}
 */
function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isBlank(value) {
  return value === null || value === undefined || value === '';
}

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {number}
 */
function millis(value, what) {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(value)
        : NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(`${what} must be a date-time, got ${show(value)}`);
  }
  return ms;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function show(value) {
  if (value === undefined) {
    return 'nothing';
  }
  return JSON.stringify(value) ?? String(value);
}
