/**
 * Customer communications from the tooling (contract T9): compose a message from the stage's
 * template (Incident_Comm_Template__mdt) and send it to every contact of the incident's linked
 * cases. Rollout's "service restored" notice and the console preview's controller stand-in use
 * `sendCommunication`; the Apex IncidentCommunicationService does the same on the platform.
 *
 * One send writes, through the shared client's sObject Collections (200 records a call):
 * one BroadcastCommunication (the record of what was said, related to the incident), its
 * BroadcastCommAudience rows for the subscriber groups given (the platform's AudienceId is a
 * Group, ListEmail, Network or CollaborationRoom, never a contact, so the contacts are recorded
 * by the messages themselves), then one message per audience member (communicationAudience in
 * incidentRules: one per contact): an EmailMessage on the case when the contact has an email,
 * a published CaseComment otherwise; then Incident.Last_Customer_Update_At__c and one
 * CommunicationSent event (writeEvents, T8).
 *
 * Idempotent per send key, kept on a ledger row we own (Incident_Communication__c.Send_Key__c,
 * unique): BroadcastCommunication is create-only (no field of it is updateable, per the object
 * reference) and may not take custom fields, so it carries no key and is never updated. The row
 * is upserted by the key (status Sending) before anything goes out, names its broadcast in
 * Broadcast_Id__c, and ends Sent or Partially Sent with its counts. A rerun with the same key
 * (after a dropped connection or a killed process) finds the row, reuses its broadcast (or the
 * one a crash left unrecorded: the incident's, with the row's subject, created after the row),
 * sends the stored subject and body, and skips every member already messaged under it: an email
 * is found by its MessageIdentifier (`<digest of the key>.<contact>@incident-console`), a
 * comment by its case, its text and a creation time not before the row's. So nobody hears twice.
 *
 * What this writes is the record of the messages. Inserting an EmailMessage through the API
 * logs an email; it does not deliver it. On a real org, delivery is the Apex service's
 * Messaging.sendEmail; the local org has no mail server.
 */
import { createHash, randomUUID } from 'node:crypto';
// Imported from the bundle's own file, not through incidentRules.js: TypeScript's NodeNext
// resolution cannot follow that file's extensionless `export * from './communications'` (the
// platform's form), so the names would be missing to the type checker though present at run time.
import {
  COMM_STAGES,
  communicationAudience,
  draftSendKey,
  draftToSend,
  mergeTemplate,
  nextUpdateDue
} from '../../force-app/main/default/lwc/incidentRules/communications.js';
import {
  soqlList,
  soqlString,
  type OrgClient,
  type RecordError
} from '../org-client/index.ts';
import { eventKey } from '../timeline/keys.ts';
import {
  clip,
  writeEvents,
  type TimelineEventSource
} from '../timeline/events.ts';

export type CommStage =
  'First Alert' | 'Update' | 'Webinar Invitation' | 'Service Restored';

export interface SendCommunicationInput {
  incidentId: string;
  stage: CommStage;
  /** Overrides the template's subject (merge fields allowed). */
  subject?: string;
  /** Overrides the template's body (merge fields allowed). */
  body?: string;
  /** The send's time (tests, drills); default the clock. */
  now?: Date;
  /**
   * Names this send, so a retry of it messages nobody twice (e.g. rollout's
   * `<incidentId>:Service Restored:<changeRequestId>`). Default: the open draft of the stage
   * when there is one (incidentRules' draftToSend: the send takes over the response plan's
   * draft), else a new key per call, so two calls are two sends.
   */
  sendKey?: string;
  /**
   * Contacts not to message in this send: they heard already (rollout's restored notice goes
   * once per contact across the incidents a change request fixes).
   */
  excludeContactIds?: readonly string[];
  /** Public groups (subscribers) to record as BroadcastCommAudience rows. */
  subscriberGroupIds?: string[];
  /** Who sent it, for the timeline event. */
  source?: TimelineEventSource;
  actorName?: string;
}

/** A bad request: nothing was written. The CLI maps it to exit code 2. */
export class CommunicationInputError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message);
    this.name = 'CommunicationInputError';
  }
}

export interface ComposedCommunication {
  incidentId: string;
  stage: CommStage;
  subject: string;
  body: string;
  /** Merge fields without a value, shown as placeholders. */
  missing: string[];
  audience: AudienceMember[];
  /** When the next update will be due if this is sent now (null: no cadence). */
  nextUpdateAt: string | null;
}

export interface AudienceMember {
  key: string;
  channel: 'email' | 'comment';
  contactId: string | null;
  email: string | null;
  name: string | null;
  caseId: string;
  caseIds: string[];
}

export interface MemberOutcome {
  key: string;
  channel: 'email' | 'comment';
  caseId: string;
  contactId: string | null;
  /** sent: by this call; already: by an earlier attempt under the same key; failed. */
  status: 'sent' | 'already' | 'failed';
  id?: string;
  errors: RecordError[];
}

export interface SendCommunicationResult extends ComposedCommunication {
  sendKey: string;
  broadcastId: string;
  /** The send's ledger row (Incident_Communication__c). */
  communicationId: string;
  /** True when the send had started before (a retried send). */
  resumed: boolean;
  /**
   * True when this call wrote the send's record: Last_Customer_Update_At__c, the
   * CommunicationSent event and the ledger row's outcome. False for a send that had finished
   * before and reached nobody new now: those keep what the send wrote when it went out.
   */
  recorded: boolean;
  audienceRows: number;
  members: MemberOutcome[];
  emailsSent: number;
  commentsPosted: number;
  alreadyMessaged: number;
  failed: MemberOutcome[];
  /**
   * Writes after the messages that the org refused: the ledger row's Sent status, the
   * incident's Last_Customer_Update_At__c or the CommunicationSent event. The messages went out; a rerun with the key writes these.
   */
  afterErrors: {
    object: 'Incident' | 'Incident_Communication__c' | 'Incident_Event__c';
    errors: RecordError[];
  }[];
  eventKey: string;
  apiCalls: number;
}

interface IncidentRow {
  Id: string;
  Subject: string | null;
  IncidentNumber: string | null;
  Status: string | null;
  Severity__c: number | null;
  Workaround__c: string | null;
  ResolutionSummary: string | null;
  DetectedDateTime: string | null;
  CreatedDate: string;
  Last_Customer_Update_At__c: string | null;
}

interface LinkedCaseRow {
  CaseId: string;
  Case: {
    ContactId: string | null;
    AccountId: string | null;
    Contact: { Email: string | null; Name: string | null } | null;
    Account: { Region__c: string | null } | null;
  } | null;
}

/** One send's ledger row (Incident_Communication__c). */
interface LedgerRow {
  Id: string;
  Send_Key__c: string;
  Status__c: 'Draft' | 'Sending' | 'Sent' | 'Partially Sent';
  Subject__c: string | null;
  Body__c: string | null;
  Broadcast_Id__c: string | null;
  CreatedDate: string;
}

const LEDGER_FIELDS =
  'Id, Send_Key__c, Status__c, Subject__c, Body__c, Broadcast_Id__c, CreatedDate';

/** CaseComment.CommentBody holds at most 4,000 bytes. */
const COMMENT_BYTES = 4000;
/** Ids in one IN (...) list: 200 keeps a query URL well within limits. */
const IDS_PER_QUERY = 200;
/**
 * Message identifiers in one IN (...) list: about 80 URL-encoded characters each, so 100 keep
 * the query's URL near 8 KB, well within the platform's 16 KB.
 */
const IDENTIFIERS_PER_QUERY = 100;

const INCIDENT_FIELDS =
  'Id, Subject, IncidentNumber, Status, Severity__c, Workaround__c, ResolutionSummary, DetectedDateTime, CreatedDate, Last_Customer_Update_At__c';

/** The stage's template: the one with the lowest DeveloperName (several may exist). */
export async function loadTemplate(
  client: OrgClient,
  stage: CommStage
): Promise<{ subject: string; body: string } | undefined> {
  const rows = await client.queryAll<{
    Subject__c: string | null;
    Body__c: string | null;
  }>(
    `SELECT DeveloperName, Subject__c, Body__c FROM Incident_Comm_Template__mdt WHERE Stage__c = ${soqlString(stage)} ORDER BY DeveloperName LIMIT 1`
  );
  const row = rows[0];
  return row
    ? { subject: row.Subject__c ?? '', body: row.Body__c ?? '' }
    : undefined;
}

/**
 * The merged message and its audience, without writing anything: the console's preview, a
 * dry run, and the first half of a send. Throws CommunicationInputError for an unknown stage,
 * a missing incident or template, or a template with an unknown merge field.
 */
export async function composeCommunication(
  client: OrgClient,
  input: Pick<
    SendCommunicationInput,
    'incidentId' | 'stage' | 'subject' | 'body' | 'now'
  >
): Promise<ComposedCommunication> {
  if (!COMM_STAGES.includes(input.stage))
    throw new CommunicationInputError(
      `stage must be one of ${COMM_STAGES.join(', ')}, got '${input.stage}'`,
      'stage'
    );
  if (!/^[a-zA-Z0-9]{15,18}$/.test(input.incidentId))
    throw new CommunicationInputError(
      `incidentId must be a record id, got '${input.incidentId}'`,
      'incidentId'
    );
  const now = input.now ?? new Date();
  const [incident] = await client.queryAll<IncidentRow>(
    `SELECT ${INCIDENT_FIELDS} FROM Incident WHERE Id = ${soqlString(input.incidentId)}`
  );
  if (!incident)
    throw new CommunicationInputError(
      `no incident with id ${input.incidentId}`,
      'incidentId'
    );
  const template =
    input.subject !== undefined && input.body !== undefined
      ? { subject: input.subject, body: input.body }
      : await loadTemplate(client, input.stage);
  if (!template)
    throw new CommunicationInputError(
      `no Incident_Comm_Template__mdt record for the stage '${input.stage}'`,
      'stage'
    );
  const links = await client.queryAll<LinkedCaseRow>(
    `SELECT CaseId, Case.ContactId, Case.AccountId, Case.Contact.Email, Case.Contact.Name, Case.Account.Region__c FROM CaseRelatedIssue WHERE RelatedIssueId = ${soqlString(incident.Id)} ORDER BY CaseId`
  );
  const products = await affectedProducts(client, incident.Id);
  const cadence = await client.queryAll<{
    Severity__c: number;
    Update_Minutes__c: number | null;
    Warning_Percent__c: number | null;
  }>(
    'SELECT Severity__c, Update_Minutes__c, Warning_Percent__c FROM Incident_Sla_Policy__mdt'
  );
  // If this goes out now, the next update is due a cadence interval from now.
  const next =
    input.stage === 'Service Restored'
      ? null
      : nextUpdateDue({
          severity: incident.Severity__c,
          cadence,
          lastSentAt: now,
          now
        }).dueAt;
  const regions = [
    ...new Set(
      links
        .map((l) => l.Case?.Account?.Region__c)
        .filter((r): r is string => typeof r === 'string' && r !== '')
    )
  ].sort();
  const merged = mergeTemplate(
    {
      subject: input.subject ?? template.subject,
      body: input.body ?? template.body
    },
    {
      'Incident.Subject': incident.Subject,
      'Incident.IncidentNumber': incident.IncidentNumber,
      'Incident.Status': incident.Status,
      AffectedProducts: products.join(', '),
      AffectedRegions: regions.join(', '),
      NextUpdateAt: next === null ? null : readableTime(next),
      Workaround: incident.Workaround__c,
      ResolutionSummary: incident.ResolutionSummary
    }
  );
  const [problem] = merged.problems;
  if (problem)
    throw new CommunicationInputError(problem.message, problem.field ?? 'body');
  const audience = communicationAudience(
    links.map((l) => ({
      Id: l.CaseId,
      ContactId: l.Case?.ContactId ?? null,
      AccountId: l.Case?.AccountId ?? null
    })),
    links
      .filter((l) => l.Case?.ContactId)
      .map((l) => ({
        Id: l.Case?.ContactId ?? '',
        Email: l.Case?.Contact?.Email ?? null,
        Name: l.Case?.Contact?.Name ?? null
      }))
  );
  return {
    incidentId: incident.Id,
    stage: input.stage,
    subject: merged.subject,
    body: merged.body,
    missing: merged.missing,
    audience,
    nextUpdateAt: next
  };
}

/** Names of the products the incident affects (its related items' products and assets'). */
async function affectedProducts(
  client: OrgClient,
  incidentId: string
): Promise<string[]> {
  const rows = await client.queryAll<{
    Product2: { Name: string | null } | null;
    Asset: { Product2: { Name: string | null } | null } | null;
  }>(
    `SELECT Product2.Name, Asset.Product2.Name FROM IncidentRelatedItem WHERE IncidentId = ${soqlString(incidentId)}`
  );
  const names = rows.flatMap((r) => [
    r.Product2?.Name,
    r.Asset?.Product2?.Name
  ]);
  return [
    ...new Set(names.filter((n): n is string => typeof n === 'string'))
  ].sort();
}

/** 'YYYY-MM-DD HH:MM UTC': one unambiguous form for every reader, whatever their zone. */
export function readableTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The EmailMessage.MessageIdentifier of one contact's email under one send key. */
export function messageIdentifier(sendKey: string, contactId: string): string {
  const digest = createHash('sha256')
    .update(sendKey)
    .digest('hex')
    .slice(0, 32);
  return `<${digest}.${contactId}@incident-console>`;
}

/** A published comment's text: the subject, then the body, within 4,000 bytes. */
export function commentText(subject: string, body: string): string {
  const text = `${subject}\n\n${body}`;
  if (Buffer.byteLength(text, 'utf8') <= COMMENT_BYTES) return text;
  let cut = text.slice(0, COMMENT_BYTES - 1);
  while (Buffer.byteLength(`${cut}…`, 'utf8') > COMMENT_BYTES)
    cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Sends one communication (see the file comment). Bad input throws CommunicationInputError
 * before anything is written; a member whose message the org refuses is reported in `failed`
 * while the others are sent (the caller exits 1); a rerun with the same sendKey sends only what
 * is missing.
 */
export async function sendCommunication(
  client: OrgClient,
  input: SendCommunicationInput
): Promise<SendCommunicationResult> {
  const callsBefore = client.apiCalls;
  const now = input.now ?? new Date();
  const composed = await composeCommunication(client, { ...input, now });
  const sendKey = input.sendKey ?? (await newSendKey(client, composed));
  const { ledger, broadcastId, resumed, finishedBefore } = await openLedger(
    client,
    composed,
    sendKey
  );
  // A retried send says what the first attempt said, whatever changed since.
  const subject = ledger.Subject__c ?? composed.subject;
  const body = ledger.Body__c ?? composed.body;
  const audienceRows = await ensureAudienceRows(
    client,
    broadcastId,
    input.subscriberGroupIds ?? []
  );
  const excluded = new Set(input.excludeContactIds ?? []);
  const audience = composed.audience.filter(
    (m) => m.contactId === null || !excluded.has(m.contactId)
  );
  const members = await messageMembers(client, {
    audience,
    sendKey,
    since: ledger.CreatedDate,
    resumed,
    subject,
    body,
    now
  });
  const afterErrors: SendCommunicationResult['afterErrors'] = [];
  const emailsSent = members.filter(
    (m) => m.status === 'sent' && m.channel === 'email'
  ).length;
  const commentsPosted = members.filter(
    (m) => m.status === 'sent' && m.channel === 'comment'
  ).length;
  const reached = members.filter((m) => m.status !== 'failed').length;
  const failedCount = members.length - reached;
  const key = eventKey(composed.incidentId, 'CommunicationSent', broadcastId);
  const result = {
    ...composed,
    audience,
    subject,
    body,
    sendKey,
    broadcastId,
    communicationId: ledger.Id,
    resumed,
    audienceRows,
    members,
    emailsSent,
    commentsPosted,
    alreadyMessaged: members.filter((m) => m.status === 'already').length,
    failed: members.filter((m) => m.status === 'failed'),
    afterErrors,
    eventKey: key
  };
  // A send that had finished (its ledger row Sent or Partially Sent) and reaches nobody new now
  // is a rerun with nothing left to say (rollout's rerun after its cases failed): customers heard
  // nothing now, so the incident's last update time, the event and the ledger row keep what the
  // send wrote when it went out. A send that reaches someone, or had not finished, writes them.
  if (finishedBefore && emailsSent + commentsPosted === 0)
    return {
      ...result,
      recorded: false,
      apiCalls: client.apiCalls - callsBefore
    };
  const [stamped] = await client.updateRecords('Incident', [
    { Id: composed.incidentId, Last_Customer_Update_At__c: now.toISOString() }
  ]);
  if (stamped && !stamped.success)
    afterErrors.push({ object: 'Incident', errors: stamped.errors });
  const recorded = await writeEvents(client, [
    {
      incidentId: composed.incidentId,
      type: 'CommunicationSent',
      key,
      occurredAt: now.toISOString(),
      summary: clip(
        `${composed.stage} sent to ${reached} contact(s): ${subject}`,
        255
      ),
      payload: {
        broadcastId,
        communicationId: ledger.Id,
        stage: composed.stage,
        subject,
        sendKey,
        emails: members.filter((m) => m.channel === 'email').length,
        comments: members.filter((m) => m.channel === 'comment').length,
        failed: members.filter((m) => m.status === 'failed').length
      },
      visibility: 'Customer-Facing',
      source: input.source ?? 'CLI',
      ...(input.actorName === undefined ? {} : { actorName: input.actorName })
    }
  ]);
  for (const failure of recorded.failed)
    afterErrors.push({ object: 'Incident_Event__c', errors: failure.errors });
  // The ledger row is closed last, and only once the stamp and the event landed: a row still
  // Sending tells a rerun with the key to write them, and a Sent row tells it that they are
  // written (see above), so the ledger says what happened.
  const [closed] = await client.updateRecords('Incident_Communication__c', [
    {
      Id: ledger.Id,
      Status__c:
        afterErrors.length > 0
          ? 'Sending'
          : failedCount > 0
            ? 'Partially Sent'
            : 'Sent',
      Sent_At__c: now.toISOString(),
      Recipient_Count__c: reached,
      Failed_Count__c: failedCount,
      // The Apex send's counts on the row, summed over its transactions: here one call.
      Email_Count__c: members.filter((m) => m.channel === 'email').length,
      Comment_Count__c: members.filter((m) => m.channel === 'comment').length
    }
  ]);
  if (closed && !closed.success)
    afterErrors.push({
      object: 'Incident_Communication__c',
      errors: closed.errors
    });
  return {
    ...result,
    recorded: true,
    apiCalls: client.apiCalls - callsBefore
  };
}

/**
 * The key of a send the caller named none for: the stage's open draft, which the send takes over
 * (so the history shows the draft as sent, not an unsent Draft beside the send), else a new one.
 */
async function newSendKey(
  client: OrgClient,
  composed: ComposedCommunication
): Promise<string> {
  const draft = await ledgerByKey(
    client,
    draftSendKey(composed.incidentId, composed.stage)
  );
  return (
    draftToSend(composed.incidentId, composed.stage, draft ? [draft] : []) ??
    `${composed.incidentId}:${composed.stage}:${randomUUID()}`
  );
}

/** The ledger row of one send (Incident_Communication__c), found by its key. */
async function ledgerByKey(
  client: OrgClient,
  sendKey: string
): Promise<LedgerRow | undefined> {
  const [row] = await client.queryAll<LedgerRow>(
    `SELECT ${LEDGER_FIELDS} FROM Incident_Communication__c WHERE Send_Key__c = ${soqlString(sendKey)}`
  );
  return row;
}

/** A SOQL datetime literal from a REST datetime ('...000+0000' to '...Z'). */
function soqlDateTime(value: string): string {
  return value.replace(/\.\d+/, '').replace(/\+0000$/, 'Z');
}

/**
 * The broadcast a crashed attempt created before it could record its id on the ledger row:
 * the incident's, created at or after the row, with the row's subject. Subject is a textarea,
 * which SOQL cannot filter on (the reference gives it no Filter), so it is compared here.
 */
async function orphanBroadcast(
  client: OrgClient,
  incidentId: string,
  ledger: LedgerRow
): Promise<string | undefined> {
  const rows = await client.queryAll<{ Id: string; Subject: string | null }>(
    `SELECT Id, Subject FROM BroadcastCommunication WHERE RelatedRecordId = ${soqlString(incidentId)} AND CreatedDate >= ${soqlDateTime(ledger.CreatedDate)} ORDER BY CreatedDate, Id`
  );
  return rows.find((r) => (r.Subject ?? '') === (ledger.Subject__c ?? ''))?.Id;
}

/**
 * Opens (or resumes) the send's ledger row, then makes sure it has its broadcast. A new send's
 * row (or a draft's, which the send takes over) is upserted by Send_Key__c with status Sending;
 * a row that was already past Draft is a retried send and is kept as it is, with its stored
 * subject, body and status. The BroadcastCommunication is created
 * only when the row names none and no orphan of a crashed attempt exists; it is never updated
 * or upserted (every field of it is create-only), and its id goes on the row at once.
 */
async function openLedger(
  client: OrgClient,
  composed: ComposedCommunication,
  sendKey: string
): Promise<{
  ledger: LedgerRow;
  broadcastId: string;
  resumed: boolean;
  finishedBefore: boolean;
}> {
  const before = await ledgerByKey(client, sendKey);
  const resumed = before !== undefined && before.Status__c !== 'Draft';
  const finishedBefore =
    before?.Status__c === 'Sent' || before?.Status__c === 'Partially Sent';
  // A retried send keeps its row as it is (its text is what the first attempt said, whatever
  // changed since; a finished row stays finished unless this call reaches someone new). A new
  // send, or a draft being sent, is upserted Sending with the text the sender chose now.
  const ledger = resumed
    ? before
    : await upsertLedger(client, composed, sendKey);
  if (ledger.Broadcast_Id__c)
    return {
      ledger,
      broadcastId: ledger.Broadcast_Id__c,
      resumed,
      finishedBefore
    };
  let broadcastId = resumed
    ? await orphanBroadcast(client, composed.incidentId, ledger)
    : undefined;
  if (!broadcastId) {
    // BroadcastCommunication supports create, not upsert: a failed call is re-read as an orphan.
    const [outcome] = await client.createRecords(
      'BroadcastCommunication',
      [
        {
          RelatedRecordId: composed.incidentId,
          BroadcastType: 'Email',
          Subject: ledger.Subject__c ?? composed.subject,
          Body: ledger.Body__c ?? composed.body
        }
      ],
      async () => [await orphanBroadcast(client, composed.incidentId, ledger)]
    );
    if (!outcome?.success || !outcome.id)
      throw new Error(
        `BroadcastCommunication for ${composed.incidentId} refused: ${(outcome?.errors ?? []).map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
      );
    broadcastId = outcome.id;
  }
  const [linked] = await client.updateRecords('Incident_Communication__c', [
    { Id: ledger.Id, Broadcast_Id__c: broadcastId }
  ]);
  if (!linked?.success)
    throw new Error(
      `Incident_Communication__c ${sendKey}: broadcast ${broadcastId} not recorded: ${(linked?.errors ?? []).map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
    );
  return {
    ledger: { ...ledger, Broadcast_Id__c: broadcastId },
    broadcastId,
    resumed,
    finishedBefore
  };
}

/** Upserts a send's ledger row by its key, status Sending, and reads it back. */
async function upsertLedger(
  client: OrgClient,
  composed: ComposedCommunication,
  sendKey: string
): Promise<LedgerRow> {
  const [opened] = await client.upsertRecords(
    'Incident_Communication__c',
    'Send_Key__c',
    [
      {
        Send_Key__c: sendKey,
        Incident__c: composed.incidentId,
        Stage__c: composed.stage,
        Subject__c: clip(composed.subject, 255),
        Body__c: composed.body,
        Status__c: 'Sending'
      }
    ]
  );
  if (!opened?.success)
    throw new Error(
      `Incident_Communication__c ${sendKey} refused: ${(opened?.errors ?? []).map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
    );
  const ledger = await ledgerByKey(client, sendKey);
  if (!ledger)
    throw new Error(
      `Incident_Communication__c ${sendKey} vanished after upsert`
    );
  return ledger;
}

/** One Alert audience row per subscriber group not yet recorded for this broadcast. */
async function ensureAudienceRows(
  client: OrgClient,
  broadcastId: string,
  groupIds: string[]
): Promise<number> {
  if (groupIds.length === 0) return 0;
  const recorded = async (): Promise<Map<string, string>> =>
    new Map(
      (
        await client.queryAll<{ Id: string; AudienceId: string }>(
          `SELECT Id, AudienceId FROM BroadcastCommAudience WHERE BroadcastCommunicationId = ${soqlString(broadcastId)}`
        )
      ).map((r) => [r.AudienceId, r.Id])
    );
  const have = await recorded();
  const missing = [...new Set(groupIds)].filter((id) => !have.has(id));
  if (missing.length > 0) {
    const outcomes = await client.createRecords(
      'BroadcastCommAudience',
      missing.map((id) => ({
        BroadcastCommunicationId: broadcastId,
        AudienceId: id,
        BroadcastType: 'Alert',
        Status: 'Sent'
      })),
      async (batch) => {
        const now = await recorded();
        return batch.map((r) => now.get(String(r.AudienceId)));
      }
    );
    const refused = outcomes.find((o) => !o.success);
    if (refused)
      throw new Error(
        `BroadcastCommAudience refused: ${refused.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
      );
  }
  return new Set(groupIds).size;
}

async function messageMembers(
  client: OrgClient,
  send: {
    audience: AudienceMember[];
    sendKey: string;
    /** The ledger row's CreatedDate: no message of this send is older. */
    since: string;
    /** The send had started before this call (a retried send). */
    resumed: boolean;
    subject: string;
    body: string;
    now: Date;
  }
): Promise<MemberOutcome[]> {
  const emails = send.audience.filter((m) => m.channel === 'email');
  const comments = send.audience.filter((m) => m.channel === 'comment');
  const text = commentText(send.subject, send.body);

  const identifierOf = (m: AudienceMember): string =>
    messageIdentifier(send.sendKey, m.contactId ?? m.caseId);
  const emailsSentBefore = async (
    members: AudienceMember[]
  ): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    const ids = members.map(identifierOf);
    for (let at = 0; at < ids.length; at += IDENTIFIERS_PER_QUERY) {
      const rows = await client.queryAll<{
        Id: string;
        MessageIdentifier: string;
      }>(
        `SELECT Id, MessageIdentifier FROM EmailMessage WHERE MessageIdentifier IN ${soqlList(ids.slice(at, at + IDENTIFIERS_PER_QUERY))}`
      );
      for (const r of rows) found.set(r.MessageIdentifier, r.Id);
    }
    return found;
  };
  const commentsPostedBefore = async (
    members: AudienceMember[]
  ): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    const caseIds = members.map((m) => m.caseId);
    for (let at = 0; at < caseIds.length; at += IDS_PER_QUERY) {
      const rows = await client.queryAll<{
        Id: string;
        ParentId: string;
        CommentBody: string | null;
      }>(
        `SELECT Id, ParentId, CommentBody FROM CaseComment WHERE ParentId IN ${soqlList(caseIds.slice(at, at + IDS_PER_QUERY))} AND IsPublished = true AND CreatedDate >= ${soqlDateTime(send.since)}`
      );
      for (const r of rows)
        if (r.CommentBody === text) found.set(r.ParentId, r.Id);
    }
    return found;
  };

  const outcomes: MemberOutcome[] = [];
  const base = (m: AudienceMember) => ({
    key: m.key,
    channel: m.channel,
    caseId: m.caseId,
    contactId: m.contactId
  });

  // Emails: skip those an earlier attempt under this key recorded, send the rest.
  // A broadcast this call created has no messages yet: only a resumed send looks them up, so
  // a first send costs no reads beyond its audience.
  const emailedBefore = send.resumed
    ? await emailsSentBefore(emails)
    : new Map<string, string>();
  const toEmail = emails.filter((m) => !emailedBefore.has(identifierOf(m)));
  for (const m of emails) {
    const id = emailedBefore.get(identifierOf(m));
    if (id) outcomes.push({ ...base(m), status: 'already', id, errors: [] });
  }
  const emailOutcomes = await client.createRecords(
    'EmailMessage',
    toEmail.map((m) => ({
      ParentId: m.caseId,
      RelatedToId: m.caseId,
      Subject: send.subject,
      TextBody: send.body,
      ToAddress: m.email,
      Incoming: false,
      Status: '3',
      MessageDate: send.now.toISOString(),
      MessageIdentifier: identifierOf(m)
    })),
    async (batch) => {
      const found = await emailsSentBefore(
        toEmail.filter((m) =>
          batch.some((r) => r.MessageIdentifier === identifierOf(m))
        )
      );
      return batch.map((r) => found.get(String(r.MessageIdentifier)));
    }
  );
  toEmail.forEach((m, i) =>
    outcomes.push(outcomeOf(base(m), emailOutcomes[i]))
  );

  // Comments: the same, recognised by case, text and time.
  const commentedBefore = send.resumed
    ? await commentsPostedBefore(comments)
    : new Map<string, string>();
  const toComment = comments.filter((m) => !commentedBefore.has(m.caseId));
  for (const m of comments) {
    const id = commentedBefore.get(m.caseId);
    if (id) outcomes.push({ ...base(m), status: 'already', id, errors: [] });
  }
  const commentOutcomes = await client.createRecords(
    'CaseComment',
    toComment.map((m) => ({
      ParentId: m.caseId,
      CommentBody: text,
      IsPublished: true
    })),
    async (batch) => {
      const found = await commentsPostedBefore(
        toComment.filter((m) => batch.some((r) => r.ParentId === m.caseId))
      );
      return batch.map((r) => found.get(String(r.ParentId)));
    }
  );
  toComment.forEach((m, i) =>
    outcomes.push(outcomeOf(base(m), commentOutcomes[i]))
  );
  return outcomes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function outcomeOf(
  base: Omit<MemberOutcome, 'status' | 'errors' | 'id'>,
  outcome: { success: boolean; id?: string; errors: RecordError[] } | undefined
): MemberOutcome {
  if (outcome?.success)
    return {
      ...base,
      status: 'sent',
      ...(outcome.id ? { id: outcome.id } : {}),
      errors: []
    };
  return {
    ...base,
    status: 'failed',
    errors: outcome?.errors ?? [
      { statusCode: 'NO_RESULT', message: 'no result for this message' }
    ]
  };
}
