/**
 * The preview's stand-in for the Apex IncidentResponseController (getCommunications, getDraft,
 * getUpdateCadence, previewMessage, sendCommunication, getOutreach, updateOutreach,
 * getResponseActions): the same answers and messages, in the same JSON shape, read from and
 * written to an org through its REST API. It follows
 * force-app/main/default/classes/IncidentResponseController.cls; the contract cases in
 * staticresources/incidentConsoleContract.json hold both to the same records-in, answer-out
 * cases (contract.test.ts here, IncidentConsoleContractTest in Apex).
 *
 * Composing and sending are the tooling's (scripts/respond/communications.ts, contract T9), as
 * the Apex controller calls IncidentCommunicationService: the merge, the audience and the
 * writes are one implementation per side, not a third copy here.
 *
 * Differences that are the local org's, not the controller's: there is one user, who may read
 * and edit everything, so the user-mode and sharing checks pass (the permission flags come from
 * the describe, as Apex's Schema checks do); and the local org has no mail server, so a send
 * records its EmailMessages without delivering them and no daily email limit applies.
 */
import {
  draftSendKey,
  draftToSend,
  nextUpdateDue
} from '../../../force-app/main/default/lwc/incidentRules/communications.js';
import type { OrgClient } from '../../org-client/index.ts';
import {
  CommunicationInputError,
  composeCommunication,
  sendCommunication as sendThroughTooling,
  type AudienceMember,
  type CommStage
} from '../../respond/communications.ts';
import {
  ApexError,
  integer,
  iso,
  literal,
  objectTypeOf,
  queryAll,
  relationName,
  restGet,
  stringParameter,
  text,
  type ControllerOptions
} from './incident-console-controller.ts';

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
/** Incident_Comm_Template__mdt.Stage__c's values, in the order a incident moves through them. */
const STAGES: readonly CommStage[] = [
  'First Alert',
  'Update',
  'Webinar Invitation',
  'Service Restored'
];
const OUTREACH_STATUSES = ['Open', 'Contacted', 'Done'];
/** Most communications and steps one incident shows (the Apex's LIMIT). */
const HISTORY_LIMIT = 200;
const SPECIAL_REQUESTS_LENGTH = 32768;

type Row = Record<string, unknown>;

export interface CommTemplate {
  stage: string;
  subject: string;
  body: string;
}

export interface SentCommunication {
  id: string;
  stage: string | null;
  subject: string | null;
  /**
   * The ledger row's (Incident_Communication__c.Status__c): Draft (written, never sent: a plan's
   * draft), Sending (started, not finished: a retry with its key finishes it), Sent, or
   * Partially Sent (some messages refused).
   */
  status: 'Draft' | 'Sending' | 'Sent' | 'Partially Sent';
  sentAt: string | null;
  sentBy: string | null;
  emailCount: number;
  commentCount: number;
}

export interface CommunicationsData {
  recordId: string;
  canSend: boolean;
  nextUpdateAt: string | null;
  templates: CommTemplate[];
  history: SentCommunication[];
}

/** The response plan's open draft of a stage, for the compose to start from. */
export interface DraftMessage {
  id: string;
  stage: string;
  subject: string;
  body: string;
}

export interface CadenceRow {
  severity: number | null;
  updateMinutes: number | null;
  warningPercent: number | null;
}

export interface UpdateCadence {
  recordId: string;
  severity: number | null;
  detectedAt: string | null;
  lastSentAt: string | null;
  closed: boolean;
  policy: CadenceRow[];
}

export interface AudienceSummary {
  contacts: number;
  byEmail: number;
  byComment: number;
  cases: number;
}

export interface MessagePreview {
  subject: string;
  body: string;
  problems: string[];
  missing: string[];
  audience: AudienceSummary;
}

export interface SendResult {
  id: string;
  sentAt: string;
  emailCount: number;
  commentCount: number;
  /** Recipients the org refused, each with why; the others were messaged. */
  failures: string[];
  /**
   * Recipients left for the send's chained jobs (Apex messages 1,000 a transaction); the
   * tooling's send has no transaction limit and messages everyone in the call: always 0.
   */
  pending: number;
}

export interface OutreachRow {
  id: string;
  accountId: string | null;
  accountName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  status: string | null;
  dueAt: string | null;
  specialRequests: string | null;
}

export interface OutreachList {
  canEdit: boolean;
  items: OutreachRow[];
}

export interface ResponseAction {
  id: string;
  stepName: string | null;
  stepLabel: string | null;
  action: string | null;
  triggerName: string | null;
  status: string | null;
  error: string | null;
  createdAt: string | null;
  completedAt: string | null;
}

/** Id.valueOf: Apex refuses a malformed Id before the method runs. */
function idParameter(value: unknown, name: string): string {
  if (value === null || value === undefined || value === '')
    throw new ApexError(`${name} is required.`);
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw new ApexError(`Invalid id: ${JSON.stringify(value)}`);
  return value;
}

/** IncidentResponseController.incidentIdOf: the sections work on incidents only. */
async function incidentId(org: OrgClient, value: unknown): Promise<string> {
  const id = idParameter(value, 'recordId');
  const type = await objectTypeOf(org, id);
  if (type !== 'Incident')
    throw new ApexError(
      `Communications, outreach and response steps belong to incidents, not to ${type} (${id}).`
    );
  return id;
}

interface Describe {
  createable: boolean;
  updateable: boolean;
}

/** One describe per object and connection, as Apex's Schema describes cost no call either. */
const describeCache = new WeakMap<OrgClient, Map<string, Promise<Describe>>>();

function describeOf(org: OrgClient, object: string): Promise<Describe> {
  let byObject = describeCache.get(org);
  if (!byObject) {
    byObject = new Map();
    describeCache.set(org, byObject);
  }
  let describe = byObject.get(object);
  if (!describe) {
    describe = restGet<Describe>(
      org,
      'describe',
      `/sobjects/${object}/describe`
    );
    byObject.set(object, describe);
    const cache = byObject;
    describe.catch(() => cache.delete(object));
  }
  return describe;
}

async function readIncident(org: OrgClient, id: string): Promise<Row> {
  const [record] = await queryAll(
    org,
    `SELECT Id, Severity__c, DetectedDateTime, CreatedDate, ResolutionDateTime, Last_Customer_Update_At__c FROM Incident WHERE Id = ${literal(id)} LIMIT 1`
  );
  if (!record)
    throw new ApexError(
      `The Incident record ${id} does not exist or is not shared with you.`
    );
  return record;
}

async function cadenceRows(org: OrgClient): Promise<CadenceRow[]> {
  const rows = await queryAll(
    org,
    'SELECT Severity__c, Update_Minutes__c, Warning_Percent__c FROM Incident_Sla_Policy__mdt ORDER BY Severity__c'
  );
  return rows.map((row) => ({
    severity: integer(row.Severity__c),
    updateMinutes: integer(row.Update_Minutes__c),
    warningPercent: integer(row.Warning_Percent__c)
  }));
}

function cadenceOf(record: Row, policy: CadenceRow[]): UpdateCadence {
  return {
    recordId: String(record.Id),
    severity: integer(record.Severity__c),
    // IncidentSlaService.clockStart: detected, else created.
    detectedAt: iso(record.DetectedDateTime) ?? iso(record.CreatedDate),
    lastSentAt: iso(record.Last_Customer_Update_At__c),
    // The automation sets ResolutionDateTime when the status becomes Resolved or Completed.
    closed: iso(record.ResolutionDateTime) !== null,
    policy
  };
}

/** The cadence the next-update timer counts down on. */
export async function getUpdateCadence(
  org: OrgClient,
  params: { recordId?: unknown },
  _options: ControllerOptions = {}
): Promise<UpdateCadence> {
  const id = await incidentId(org, params.recordId);
  const [record, policy] = await Promise.all([
    readIncident(org, id),
    cadenceRows(org)
  ]);
  return cadenceOf(record, policy);
}

/** One template per stage: the lowest DeveloperName wins (Stage__c's description). */
async function templates(org: OrgClient): Promise<CommTemplate[]> {
  const rows = await queryAll(
    org,
    'SELECT DeveloperName, Stage__c, Subject__c, Body__c FROM Incident_Comm_Template__mdt ORDER BY DeveloperName'
  );
  const byStage = new Map<string, CommTemplate>();
  for (const row of rows) {
    const stage = text(row.Stage__c);
    if (stage && !byStage.has(stage))
      byStage.set(stage, {
        stage,
        subject: text(row.Subject__c) ?? '',
        body: text(row.Body__c) ?? ''
      });
  }
  return STAGES.flatMap((stage) => {
    const template = byStage.get(stage);
    return template ? [template] : [];
  });
}

/** A CommunicationSent event's payload: what the send recorded about itself. */
interface SentPayload {
  broadcastId?: unknown;
  stage?: unknown;
  emails?: unknown;
  comments?: unknown;
}

function parsePayload(value: unknown): SentPayload {
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    // A payload that is not JSON tells nothing more than the event itself.
    return {};
  }
}

const LEDGER_STATUSES: readonly SentCommunication['status'][] = [
  'Draft',
  'Sending',
  'Sent',
  'Partially Sent'
];

/**
 * The incident's communications, newest first, from comms' ledger (Incident_Communication__c:
 * one row per send or draft); who sent and how many emails and comments from the send's
 * CommunicationSent event, found by the broadcast it names.
 */
async function history(
  org: OrgClient,
  id: string
): Promise<SentCommunication[]> {
  const [ledger, events] = await Promise.all([
    queryAll(
      org,
      `SELECT Id, Stage__c, Subject__c, Status__c, Broadcast_Id__c, Sent_At__c, Email_Count__c, Comment_Count__c, CreatedDate, CreatedBy.Name FROM Incident_Communication__c WHERE Incident__c = ${literal(id)} ORDER BY CreatedDate DESC, Id DESC LIMIT ${HISTORY_LIMIT}`
    ),
    queryAll(
      org,
      `SELECT Occurred_At__c, Actor__r.Name, Actor_Name__c, Payload__c FROM Incident_Event__c WHERE Incident__c = ${literal(id)} AND Type__c = 'CommunicationSent' ORDER BY Occurred_At__c DESC LIMIT ${HISTORY_LIMIT}`
    )
  ]);
  const sends = new Map<string, { event: Row; payload: SentPayload }>();
  for (const event of events) {
    const payload = parsePayload(event.Payload__c);
    const broadcastId = text(payload.broadcastId);
    if (broadcastId && !sends.has(broadcastId))
      sends.set(broadcastId, { event, payload });
  }
  return ledger.map((row) => {
    const broadcastId = text(row.Broadcast_Id__c);
    const sent = broadcastId ? sends.get(broadcastId) : undefined;
    const payload = sent?.payload ?? {};
    const status = LEDGER_STATUSES.find((s) => s === row.Status__c) ?? 'Draft';
    return {
      id: String(row.Id),
      stage: text(row.Stage__c) ?? text(payload.stage),
      subject: text(row.Subject__c),
      status,
      sentAt:
        iso(row.Sent_At__c) ??
        (sent ? iso(sent.event.Occurred_At__c) : iso(row.CreatedDate)),
      sentBy: sent
        ? (relationName(sent.event, 'Actor__r') ??
          text(sent.event.Actor_Name__c))
        : relationName(row, 'CreatedBy'),
      // A send still going out has no event yet: its counts so far are on the row.
      emailCount:
        (sent ? integer(payload.emails) : integer(row.Email_Count__c)) ?? 0,
      commentCount:
        (sent ? integer(payload.comments) : integer(row.Comment_Count__c)) ?? 0
    };
  });
}

export async function getCommunications(
  org: OrgClient,
  params: { recordId?: unknown },
  options: ControllerOptions = {}
): Promise<CommunicationsData> {
  const id = await incidentId(org, params.recordId);
  const [record, policy, stageTemplates, sent, describe, ledgerDescribe] =
    await Promise.all([
      readIncident(org, id),
      cadenceRows(org),
      templates(org),
      history(org, id),
      describeOf(org, 'BroadcastCommunication'),
      describeOf(org, 'Incident_Communication__c')
    ]);
  const now = (options.now ?? (() => new Date()))();
  return {
    recordId: id,
    // A send writes its ledger row and its broadcast.
    canSend: describe.createable && ledgerDescribe.createable,
    nextUpdateAt: nextUpdateAt(cadenceOf(record, policy), now),
    templates: stageTemplates,
    history: sent
  };
}

/**
 * The incident's open draft of a stage (the response plan's, under incidentRules'
 * draftSendKey, still Draft), for the compose to start from; null when there is none. A send of
 * that stage takes the draft over (draftToSend), so the draft ends as that send's ledger row.
 */
export async function getDraft(
  org: OrgClient,
  params: { recordId?: unknown; stage?: unknown },
  _options: ControllerOptions = {}
): Promise<DraftMessage | null> {
  const id = await incidentId(org, params.recordId);
  const stage = stageParameter(params.stage);
  const key = draftSendKey(id, stage);
  const [row] = await queryAll(
    org,
    `SELECT Id, Send_Key__c, Status__c, Subject__c, Body__c FROM Incident_Communication__c WHERE Send_Key__c = ${literal(key)} LIMIT 1`
  );
  if (
    !row ||
    draftToSend(id, stage, [
      { Send_Key__c: text(row.Send_Key__c), Status__c: text(row.Status__c) }
    ]) === null
  )
    return null;
  return {
    id: String(row.Id),
    stage,
    subject: text(row.Subject__c) ?? '',
    body: text(row.Body__c) ?? ''
  };
}

/** incidentRules' nextUpdateDue on the incident's cadence; null when there is none. */
function nextUpdateAt(cadence: UpdateCadence, now: Date): string | null {
  return nextUpdateDue({
    severity: cadence.severity,
    cadence: cadence.policy.map((row) => ({
      Severity__c: row.severity ?? 0,
      Update_Minutes__c: row.updateMinutes,
      Warning_Percent__c: row.warningPercent
    })),
    lastSentAt: cadence.lastSentAt,
    detectedAt: cadence.detectedAt,
    closed: cadence.closed,
    now
  }).dueAt;
}

function audienceSummary(audience: AudienceMember[]): AudienceSummary {
  return {
    contacts: audience.length,
    byEmail: audience.filter((member) => member.channel === 'email').length,
    byComment: audience.filter((member) => member.channel === 'comment').length,
    cases: new Set(audience.flatMap((member) => member.caseIds)).size
  };
}

function stageParameter(value: unknown): CommStage {
  const stage = stringParameter(value, 'stage');
  if (stage === null || !(STAGES as readonly string[]).includes(stage))
    throw new ApexError(
      `Choose a template stage: one of ${STAGES.join(', ')} (got ${JSON.stringify(stage)}).`
    );
  return stage as CommStage;
}

interface MessageParams {
  recordId?: unknown;
  stage?: unknown;
  subject?: unknown;
  body?: unknown;
}

async function messageInput(
  org: OrgClient,
  params: MessageParams
): Promise<{
  incidentId: string;
  stage: CommStage;
  subject: string;
  body: string;
}> {
  const id = await incidentId(org, params.recordId);
  const stage = stageParameter(params.stage);
  const subject = stringParameter(params.subject, 'subject') ?? '';
  const body = stringParameter(params.body, 'body') ?? '';
  if (body.trim() === '') throw new ApexError('The message has no body.');
  return { incidentId: id, stage, subject, body };
}

/**
 * The merged text and who would receive it, writing nothing. An unknown merge field is a
 * problem to show (the send refuses it), not a failure of the preview.
 */
export async function previewMessage(
  org: OrgClient,
  params: MessageParams,
  options: ControllerOptions = {}
): Promise<MessagePreview> {
  const input = await messageInput(org, params);
  const now = (options.now ?? (() => new Date()))();
  try {
    const composed = await composeCommunication(org, { ...input, now });
    return {
      subject: composed.subject,
      body: composed.body,
      problems: [],
      missing: composed.missing,
      audience: audienceSummary(composed.audience)
    };
  } catch (error) {
    if (!(error instanceof CommunicationInputError)) throw error;
    // The text cannot be merged; who would receive it does not depend on the text, so it is
    // asked for with a neutral one.
    const unmerged = await composeCommunication(org, {
      ...input,
      subject: '',
      body: '-',
      now
    });
    return {
      subject: input.subject,
      body: input.body,
      problems: [error.message],
      missing: [],
      audience: audienceSummary(unmerged.audience)
    };
  }
}

/** Sends through the tooling's sendCommunication, as the Apex calls IncidentCommunicationService.send. */
export async function sendCommunication(
  org: OrgClient,
  params: MessageParams,
  options: ControllerOptions = {}
): Promise<SendResult> {
  const input = await messageInput(org, params);
  const now = (options.now ?? (() => new Date()))();
  let result;
  try {
    result = await sendThroughTooling(org, {
      ...input,
      now,
      source: 'Console'
    });
  } catch (error) {
    if (error instanceof CommunicationInputError)
      throw new ApexError(error.message);
    throw error;
  }
  return {
    id: result.communicationId,
    sentAt: now.toISOString(),
    emailCount: result.emailsSent,
    commentCount: result.commentsPosted,
    // Partial failure: the others were messaged, so this is reported, not thrown.
    failures: result.failed.map(
      (member) =>
        `Case ${member.caseId}: ${member.errors.map((error) => error.message).join(' ')}`
    ),
    pending: 0
  };
}

const OUTREACH_FIELDS =
  'Id, Account__c, Account__r.Name, OwnerId, Owner.Name, Status__c, Due_At__c, Special_Requests__c';

function outreachRow(row: Row): OutreachRow {
  return {
    id: String(row.Id),
    accountId: text(row.Account__c),
    accountName: relationName(row, 'Account__r'),
    ownerId: text(row.OwnerId),
    ownerName: relationName(row, 'Owner'),
    status: text(row.Status__c),
    dueAt: iso(row.Due_At__c),
    specialRequests: text(row.Special_Requests__c)
  };
}

export async function getOutreach(
  org: OrgClient,
  params: { recordId?: unknown },
  _options: ControllerOptions = {}
): Promise<OutreachList> {
  const id = await incidentId(org, params.recordId);
  const [rows, describe] = await Promise.all([
    queryAll(
      org,
      `SELECT ${OUTREACH_FIELDS} FROM Incident_Outreach__c WHERE Incident__c = ${literal(id)} ORDER BY Due_At__c ASC NULLS LAST, Account__r.Name, Id LIMIT ${HISTORY_LIMIT}`
    ),
    describeOf(org, 'Incident_Outreach__c')
  ]);
  return { canEdit: describe.updateable, items: rows.map(outreachRow) };
}

export async function updateOutreach(
  org: OrgClient,
  params: { id?: unknown; status?: unknown; specialRequests?: unknown },
  _options: ControllerOptions = {}
): Promise<OutreachRow> {
  const id = idParameter(params.id, 'id');
  if ((await objectTypeOf(org, id)) !== 'Incident_Outreach__c')
    throw new ApexError(`${id} is not an executive outreach record.`);
  const status = stringParameter(params.status, 'status');
  if (status === null || !OUTREACH_STATUSES.includes(status))
    throw new ApexError(
      `Status must be one of ${OUTREACH_STATUSES.join(', ')} (got ${JSON.stringify(status)}).`
    );
  const specialRequests = stringParameter(
    params.specialRequests,
    'specialRequests'
  );
  if (
    specialRequests !== null &&
    specialRequests.length > SPECIAL_REQUESTS_LENGTH
  )
    throw new ApexError(
      `Special requests may be at most ${SPECIAL_REQUESTS_LENGTH} characters (got ${specialRequests.length}).`
    );
  const [outcome] = await org.updateRecords('Incident_Outreach__c', [
    {
      Id: id,
      Status__c: status,
      Special_Requests__c:
        specialRequests === null || specialRequests.trim() === ''
          ? null
          : specialRequests
    }
  ]);
  if (!outcome?.success)
    throw new ApexError(
      `The outreach could not be saved: ${(outcome?.errors ?? []).map((error) => error.message).join(' ')}`
    );
  const [row] = await queryAll(
    org,
    `SELECT ${OUTREACH_FIELDS} FROM Incident_Outreach__c WHERE Id = ${literal(id)} LIMIT 1`
  );
  if (!row)
    throw new ApexError(
      `The outreach record ${id} does not exist or is not shared with you.`
    );
  return outreachRow(row);
}

export async function getResponseActions(
  org: OrgClient,
  params: { recordId?: unknown },
  _options: ControllerOptions = {}
): Promise<ResponseAction[]> {
  const id = await incidentId(org, params.recordId);
  const [rows, steps] = await Promise.all([
    queryAll(
      org,
      `SELECT Id, Step__c, Action__c, Trigger__c, Status__c, Error__c, CreatedDate, Completed_At__c FROM Incident_Response_Action__c WHERE Incident__c = ${literal(id)} ORDER BY CreatedDate DESC, Id DESC LIMIT ${HISTORY_LIMIT}`
    ),
    queryAll(
      org,
      'SELECT DeveloperName, MasterLabel FROM Incident_Response_Step__mdt'
    )
  ]);
  const labels = new Map(
    steps.map((step) => [String(step.DeveloperName), text(step.MasterLabel)])
  );
  return rows.map((row) => {
    const stepName = text(row.Step__c);
    return {
      id: String(row.Id),
      stepName,
      // A step deleted from the plan since keeps its DeveloperName as its label.
      stepLabel: (stepName && labels.get(stepName)) ?? stepName,
      action: text(row.Action__c),
      triggerName: text(row.Trigger__c),
      status: text(row.Status__c),
      error: text(row.Error__c),
      createdAt: iso(row.CreatedDate),
      completedAt: iso(row.Completed_At__c)
    };
  });
}

/** The controller's methods by name, as the preview server's /apex route calls them. */
export const RESPONSE_CONTROLLER_METHODS = {
  getCommunications,
  getDraft,
  getUpdateCadence,
  previewMessage,
  sendCommunication,
  getOutreach,
  updateOutreach,
  getResponseActions
} as const;
