/**
 * Customer communications and executive outreach: merging a template, the next customer update
 * on the cadence of the incident's severity, who receives a message, and which key accounts need
 * an outreach record. Pure functions, free of platform imports like the rest of incidentRules:
 * the console, the TypeScript sender, the local org's automation and the Apex services
 * (IncidentCommunicationService, IncidentOutreachService) follow the same rules, held to the
 * vectors in the static resource `incidentCommsVectors`.
 */

const MINUTE_MS = 60 * 1000;

/** The default share of the update interval after which the next update shows a warning. */
export const DEFAULT_UPDATE_WARNING_PERCENT = 75;

/** Communication stages, as Incident_Comm_Template__mdt.Stage__c names them. */
export const COMM_STAGES = Object.freeze([
  'First Alert',
  'Update',
  'Webinar Invitation',
  'Service Restored'
]);

/**
 * The merge fields a template may use, each with the text a customer reads when the value is
 * not known yet: plain words in brackets, never "undefined" or a blank that hides the gap.
 */
export const MERGE_FIELDS = Object.freeze({
  'Incident.Subject': '[subject to be confirmed]',
  'Incident.IncidentNumber': '[reference to follow]',
  'Incident.Status': '[status to be confirmed]',
  AffectedProducts: '[products being confirmed]',
  AffectedRegions: '[regions being confirmed]',
  NextUpdateAt: '[time of the next update to follow]',
  Workaround: '[no workaround is available yet]',
  WebinarDetails: '[webinar details to follow]',
  ResolutionSummary: '[details of the fix to follow]'
});

const MERGE_FIELD = /\{!\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}/g;

/**
 * @typedef {{ code: string, message: string, field?: string }} CommProblem
 * @typedef {{ subject?: string | null, body?: string | null }} CommTemplate
 * @typedef {Record<string, string | number | null | undefined>} MergeContext
 * @typedef {{ subject: string, body: string, problems: CommProblem[], missing: string[] }}
 *   MergedMessage
 */

/**
 * Merges `{!Field}` merge fields into a template's subject and body. A merge field this module
 * does not know is a problem naming it (the text keeps the token so the author sees where); a
 * known field without a value becomes its visible placeholder and is listed in `missing`.
 * @param {CommTemplate} template
 * @param {MergeContext} context values by merge-field name ('Incident.Subject', 'Workaround').
 * @returns {MergedMessage}
 */
export function mergeTemplate(template, context) {
  if (template === null || typeof template !== 'object') {
    throw new TypeError('template must be { subject, body }');
  }
  const values = context && typeof context === 'object' ? context : {};
  /** @type {CommProblem[]} */
  const problems = [];
  /** @type {string[]} */
  const missing = [];
  /** @param {string | null | undefined} text @param {string} part */
  const merge = (text, part) =>
    String(text ?? '').replace(MERGE_FIELD, (token, name) => {
      if (!Object.prototype.hasOwnProperty.call(MERGE_FIELDS, name)) {
        if (!problems.some((p) => p.field === name)) {
          problems.push({
            code: 'unknown-merge-field',
            field: name,
            message: `The ${part} uses the merge field {!${name}}, which is not one of: ${Object.keys(
              MERGE_FIELDS
            )
              .map((f) => `{!${f}}`)
              .join(', ')}.`
          });
        }
        return token;
      }
      const value = values[name];
      if (
        value === null ||
        value === undefined ||
        String(value).trim() === ''
      ) {
        if (!missing.includes(name)) missing.push(name);
        return MERGE_FIELDS[/** @type {keyof typeof MERGE_FIELDS} */ (name)];
      }
      return String(value);
    });
  const subject = merge(template.subject, 'subject');
  const body = merge(template.body, 'body');
  if (body.trim() === '') {
    problems.push({
      code: 'empty-body',
      field: 'body',
      message: 'The message has no body.'
    });
  }
  return { subject, body, problems, missing };
}

/**
 * @typedef {{ Severity__c: number, Update_Minutes__c?: number | null,
 *   Warning_Percent__c?: number | null }} CadenceRow
 * @typedef {{ dueAt: string | null, state: 'none' | 'ok' | 'warning' | 'overdue',
 *   intervalMinutes: number | null, remainingMinutes: number, overdueMinutes: number }}
 *   UpdateDue
 */

/**
 * When the next customer update is due. The cadence is the SLA policy's Update_Minutes__c of
 * the incident's severity (blank or no row = no cadence: state 'none'). It counts in wall-clock
 * time, not business hours: customers wait for news at night too. The interval runs from the
 * last update sent, or from detection when none was sent yet; the state turns to 'warning' once
 * `warningPercent` of the interval has passed (default the row's Warning_Percent__c, else 75)
 * and to 'overdue' at the due time. A closed incident (`closed: true`) has no cadence.
 * @param {{ severity: number | null | undefined, cadence: CadenceRow[],
 *   lastSentAt?: string | Date | null, detectedAt?: string | Date | null,
 *   now: string | Date, warningPercent?: number | null, closed?: boolean }} input
 * @returns {UpdateDue}
 */
export function nextUpdateDue(input) {
  const none = {
    dueAt: null,
    state: /** @type {const} */ ('none'),
    intervalMinutes: null,
    remainingMinutes: 0,
    overdueMinutes: 0
  };
  if (!input || typeof input !== 'object') {
    throw new TypeError(
      'nextUpdateDue takes { severity, cadence, lastSentAt, detectedAt, now }'
    );
  }
  if (!Array.isArray(input.cadence)) {
    throw new TypeError('cadence must be a list of SLA policy rows');
  }
  const now = millisOf(input.now, 'now');
  if (input.closed || input.severity === null || input.severity === undefined) {
    return none;
  }
  const row = input.cadence.find(
    (r) => Number(r.Severity__c) === Number(input.severity)
  );
  const minutes = row ? Number(row.Update_Minutes__c) : NaN;
  if (!row || row.Update_Minutes__c === null || !(minutes > 0)) {
    return none;
  }
  const from =
    input.lastSentAt !== null && input.lastSentAt !== undefined
      ? millisOf(input.lastSentAt, 'lastSentAt')
      : input.detectedAt !== null && input.detectedAt !== undefined
        ? millisOf(input.detectedAt, 'detectedAt')
        : now;
  const warningPercent = Number(
    input.warningPercent ??
      row.Warning_Percent__c ??
      DEFAULT_UPDATE_WARNING_PERCENT
  );
  if (!(warningPercent > 0 && warningPercent < 100)) {
    throw new RangeError(
      `warningPercent must be between 1 and 99, got ${String(warningPercent)}`
    );
  }
  const due = from + minutes * MINUTE_MS;
  const warnAt = from + (minutes * MINUTE_MS * warningPercent) / 100;
  const state = now >= due ? 'overdue' : now >= warnAt ? 'warning' : 'ok';
  return {
    dueAt: new Date(due).toISOString(),
    state,
    intervalMinutes: minutes,
    remainingMinutes: Math.max(0, Math.floor((due - now) / MINUTE_MS)),
    overdueMinutes: Math.max(0, Math.floor((now - due) / MINUTE_MS))
  };
}

/**
 * @typedef {{ Id: string, ContactId?: string | null, AccountId?: string | null }} AudienceCase
 * @typedef {{ Id: string, Email?: string | null, Name?: string | null }} AudienceContact
 * @typedef {{ key: string, channel: 'email' | 'comment', contactId: string | null,
 *   email: string | null, name: string | null, caseId: string, caseIds: string[] }}
 *   AudienceMember
 */

/**
 * Who receives a communication: one member per contact of the linked cases (a contact with
 * several cases hears once, on the case with the smallest Id, so a rerun picks the same one),
 * by email when the contact has an address, else as a published comment on that case; a case
 * without a contact gets a published comment of its own. Members come out sorted by key.
 * @param {AudienceCase[]} cases
 * @param {AudienceContact[]} contacts
 * @returns {AudienceMember[]}
 */
export function communicationAudience(cases, contacts) {
  if (!Array.isArray(cases) || !Array.isArray(contacts)) {
    throw new TypeError('communicationAudience takes (cases, contacts) lists');
  }
  /** @type {Map<string, AudienceContact>} */
  const contactById = new Map(contacts.map((c) => [c.Id, c]));
  /** @type {Map<string, AudienceMember>} */
  const byKey = new Map();
  const sortedCases = [...cases].sort((a, b) => compareIds(a.Id, b.Id));
  for (const c of sortedCases) {
    const contactId = c.ContactId || null;
    const key = contactId ? `contact:${contactId}` : `case:${c.Id}`;
    const known = byKey.get(key);
    if (known) {
      if (!known.caseIds.includes(c.Id)) known.caseIds.push(c.Id);
      continue;
    }
    const contact = contactId ? contactById.get(contactId) : undefined;
    const email =
      contact && typeof contact.Email === 'string' && contact.Email.trim()
        ? contact.Email.trim()
        : null;
    byKey.set(key, {
      key,
      channel: email ? 'email' : 'comment',
      contactId,
      email,
      name: contact?.Name ?? null,
      caseId: c.Id,
      caseIds: [c.Id]
    });
  }
  return [...byKey.values()].sort((a, b) => compareIds(a.key, b.key));
}

/**
 * The send key (Incident_Communication__c.Send_Key__c) of the response plan's draft of a stage:
 * `<incidentId>:<stage>:draft`, one draft per incident and stage, so asking twice finds it.
 * @param {string} incidentId
 * @param {string} stage one of COMM_STAGES
 * @returns {string}
 */
export function draftSendKey(incidentId, stage) {
  if (!incidentId || !COMM_STAGES.includes(stage)) {
    throw new TypeError(
      `draftSendKey takes an incident id and one of ${COMM_STAGES.join(', ')}`
    );
  }
  return `${incidentId}:${stage}:draft`;
}

/**
 * The key a new send of `stage` goes out under when the sender names none: the open draft of
 * that stage (its ledger row under draftSendKey, still Draft), so sending turns the draft into
 * the send (one ledger row, Sending then Sent, idempotent by that key) instead of leaving an
 * unsent Draft beside it. A draft already sent (any other status) is a send of its own: null,
 * and the new send gets a fresh key, so a second alert is never taken for a retry of the first.
 * @param {string} incidentId
 * @param {string} stage
 * @param {{ Send_Key__c?: string | null, Status__c?: string | null }[]} ledgerRows the
 *   incident's ledger rows (any subset that holds the draft's, if there is one)
 * @returns {string | null}
 */
export function draftToSend(incidentId, stage, ledgerRows) {
  const key = draftSendKey(incidentId, stage);
  const draft = (ledgerRows ?? []).find((row) => row?.Send_Key__c === key);
  return draft?.Status__c === 'Draft' ? key : null;
}

/**
 * @typedef {{ Id: string, Severity__c?: number | null, OwnerId?: string | null,
 *   Sla_Response_Due__c?: string | null }} OutreachIncident
 * @typedef {{ Id: string, Key_Account__c?: boolean | null }} OutreachAccount
 * @typedef {{ Role__c?: string | null, Account__c?: string | null, User__c?: string | null,
 *   Active__c?: boolean | null }} OutreachRosterMember
 * @typedef {{ Outreach_Key__c: string, Incident__c: string, Account__c: string,
 *   OwnerId: string | null, Status__c: 'Open', Due_At__c: string }} OutreachRecord
 */

/** Severities whose key accounts get executive outreach. */
export const OUTREACH_SEVERITIES = Object.freeze([1, 2]);

/** Minutes to reach a key account when the incident has no response target. */
export const OUTREACH_DEFAULT_MINUTES = 60;

/** `<incidentId>:<accountId>`, unique per incident and account (T10). */
export function outreachKey(incidentId, accountId) {
  return `${incidentId}:${accountId}`;
}

/**
 * The outreach records an incident needs: one per key account among the accounts of its linked
 * cases, at severity 1-2, not already in `existingKeys`. Owner: the account's active Service
 * Level Manager on the roster with a user, else the incident owner when it is a user (null when
 * a queue owns the incident: the saving user then owns it). Due: the incident's response
 * target (reach the customer before the SLA says we must have responded), else now + 60 min.
 * @param {{ incident: OutreachIncident, accounts: OutreachAccount[],
 *   roster: OutreachRosterMember[], existingKeys?: Iterable<string>, now: string | Date }} input
 * @returns {OutreachRecord[]}
 */
export function outreachFor(input) {
  const { incident, accounts, roster } = input;
  if (!incident || !Array.isArray(accounts) || !Array.isArray(roster)) {
    throw new TypeError(
      'outreachFor takes { incident, accounts, roster, existingKeys, now }'
    );
  }
  const now = millisOf(input.now, 'now');
  if (!OUTREACH_SEVERITIES.includes(Number(incident.Severity__c))) return [];
  const existing = new Set(input.existingKeys ?? []);
  const dueAt = incident.Sla_Response_Due__c
    ? new Date(millisOf(incident.Sla_Response_Due__c, 'Sla_Response_Due__c'))
    : new Date(now + OUTREACH_DEFAULT_MINUTES * MINUTE_MS);
  /** @type {OutreachRecord[]} */
  const out = [];
  const seen = new Set();
  for (const account of [...accounts].sort((a, b) => compareIds(a.Id, b.Id))) {
    if (account.Key_Account__c !== true || seen.has(account.Id)) continue;
    seen.add(account.Id);
    const key = outreachKey(incident.Id, account.Id);
    if (existing.has(key)) continue;
    const manager = roster.find(
      (m) =>
        m.Role__c === 'Service Level Manager' &&
        m.Account__c === account.Id &&
        m.Active__c !== false &&
        m.User__c
    );
    out.push({
      Outreach_Key__c: key,
      Incident__c: incident.Id,
      Account__c: account.Id,
      // An incident owned by a queue leaves the owner to the platform's default (the user
      // whose save created the record): an outreach needs a person.
      OwnerId:
        manager?.User__c ??
        (String(incident.OwnerId ?? '').startsWith('005')
          ? incident.OwnerId
          : null),
      Status__c: 'Open',
      Due_At__c: dueAt.toISOString()
    });
  }
  return out;
}

/** Plain code-unit order, the same in every runtime (localeCompare is not). */
function compareIds(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * @param {unknown} value a Date or an ISO 8601 date-time string.
 * @param {string} name
 * @returns {number}
 */
function millisOf(value, name) {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
        : NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `${name} must be a date-time (e.g. 2025-03-10T14:00:00Z), got ${String(value)}`
    );
  }
  return ms;
}
