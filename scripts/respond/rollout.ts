/**
 * `incident rollout`: after a fix is deployed, completes its change request and everything the
 * change fixes, in an order that a rerun can always finish:
 *
 *   1. reads: the change request, its ChangeRequestRelatedIssue rows, the incidents and problems
 *      related as 'Fixed By', every case linked to them (CaseRelatedIssue) and the rollout's
 *      timeline events already written;
 *   2. resolves the problems and incidents not yet resolved (Status Resolved, the resolution
 *      summary; an update by Id to fixed values, so a repeat changes nothing);
 *   3. sends each incident the "Service Restored" communication (comms' sendCommunication, one
 *      send per incident, idempotent per send key), each contact once per rollout (below);
 *   4. closes every open linked case with a public case comment: the comment and the close of
 *      up to 200 cases go in ONE all-or-none composite request, so a case is never closed
 *      without its comment nor commented twice, and a rerun sees closed cases as done;
 *   5. writes one Status event per incident (`<incidentId>:Status:rollout:<changeRequestId>`,
 *      T2), only once the incident's notice went out and all its cases are closed: the event is
 *      the incident's "done" mark, and a rerun sends nothing for an incident that has it;
 *   6. sets the change request's Status to Closed, last, and only when nothing failed.
 *
 * Which issues: only those related with RelationshipType 'Fixed By'. 'Caused By' (the platform's
 * default) means the change broke them, so rolling it out resolves nothing of theirs; they are
 * reported as not fixed. Incidents of a fixed problem (ProblemIncident) are not resolved unless
 * the change request names them: the change request is the release engineer's statement of
 * what it fixes.
 *
 * One restored notice per contact: a contact with cases on several fixed incidents hears from
 * the first of them in IncidentNumber order only; the later incidents' sends leave that contact
 * out. The assignment depends only on the links (all linked cases, open or closed), so every
 * rerun computes the same one. Cases linked only to a fixed problem get the closing comment
 * and no notice: a BroadcastCommunication belongs to an incident (RelatedRecordId).
 */
import { Messages, SfError } from '@salesforce/core';
import {
  BATCH_SIZE,
  errorText,
  isTransientCode,
  soqlList,
  soqlString,
  type OrgClient,
  type RecordError
} from '../org-client/index.ts';
import {
  EVENT_KEY_FIELD,
  EVENT_OBJECT,
  writeEvents,
  type TimelineEventInput
} from '../timeline/events.ts';
import { eventKey } from '../timeline/keys.ts';
import { chunks } from '../cases/org.ts';
import {
  loadTemplate,
  sendCommunication,
  type CommStage
} from './communications.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.rollout');

/** ChangeRequest.Status values (the object reference's list) that rollout reads. */
export const CHANGE_REQUEST_DONE = 'Closed';
const CHANGE_REQUEST_REFUSED: ReadonlySet<string> = new Set([
  'Canceled',
  'Rejected'
]);
/** Incident.Status values after which an incident is resolved (the automation's own set). */
const INCIDENT_DONE: ReadonlySet<string> = new Set(['Resolved', 'Completed']);
/** Problem.Status values after which a problem is resolved. */
const PROBLEM_DONE: ReadonlySet<string> = new Set(['Resolved', 'Closed']);
const RESOLVED = 'Resolved';
const CASE_CLOSED = 'Closed';
const FIXED_BY = 'Fixed By';
const RESTORED_STAGE: CommStage = 'Service Restored';
/** ResolutionSummary is a textarea of 32,000 characters on Incident and Problem. */
export const SUMMARY_MAX = 32_000;
/** CaseComment.CommentBody holds 4,000 characters. */
export const COMMENT_MAX = 4_000;
/** Ids in one SOQL IN list: keeps a query's URL well within the platform's limits. */
const IDS_PER_QUERY = 200;
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Bad input, refused before anything is written: exit 2, as sf commands report it. */
export class RolloutInputError extends SfError {
  constructor(message: string) {
    super(message, 'RolloutInputError', undefined, 2);
  }
}

/** One incident's Service Restored send, as rollout asks comms' sender for it. */
export interface RestoredRequest {
  incidentId: string;
  sendKey: string;
  now: Date;
  /** Contacts an earlier incident of this rollout notifies: not messaged again. */
  excludeContactIds: readonly string[];
  actorName?: string;
}

export interface RestoredOutcome {
  /** Audience members reached, by this call or by an earlier attempt under the same key. */
  recipients: number;
  /** Whether this call created the BroadcastCommunication (false: a resumed send). */
  created: boolean;
  /**
   * Whether this call stamped Last_Customer_Update_At__c and wrote the CommunicationSent event
   * (false: a rerun of a finished send that reached nobody new, which leaves them alone).
   */
  recorded: boolean;
  /** Messages this call wrote. */
  emails: number;
  comments: number;
  failures: Omit<RolloutFailure, 'number'>[];
}

/**
 * Sends an incident's Service Restored communication through comms' sendCommunication (T9),
 * under the rollout's send key, without the contacts an earlier incident notifies.
 */
export async function sendRestoredNotice(
  client: OrgClient,
  request: RestoredRequest
): Promise<RestoredOutcome> {
  const result = await sendCommunication(client, {
    incidentId: request.incidentId,
    stage: RESTORED_STAGE,
    sendKey: request.sendKey,
    now: request.now,
    excludeContactIds: request.excludeContactIds,
    source: 'CLI',
    ...(request.actorName === undefined ? {} : { actorName: request.actorName })
  });
  return {
    recipients: result.members.filter((m) => m.status !== 'failed').length,
    created: !result.resumed,
    recorded: result.recorded,
    emails: result.emailsSent,
    comments: result.commentsPosted,
    failures: [
      ...result.failed.map((m) => ({
        object:
          m.channel === 'email'
            ? ('EmailMessage' as const)
            : ('CaseComment' as const),
        id: m.caseId,
        ...firstError(m.errors)
      })),
      // The messages went out but the stamp or the event did not land: not done, so a rerun
      // resumes the send (messaging nobody again) and writes them.
      ...result.afterErrors.map((e) => ({
        object: e.object,
        id: request.incidentId,
        ...firstError(e.errors)
      }))
    ]
  };
}

export interface RolloutOptions {
  /** A ChangeRequestNumber (such as 00000007) or a ChangeRequest Id. */
  changeRequest: string;
  dryRun?: boolean;
  /** Written to the resolved incidents and problems; default names the change request. */
  resolutionSummary?: string;
  /** The public comment on each closed case; default from messages (caseComment). */
  caseComment?: string;
  /** Occurred-at of the events and the problems' resolution time; default the clock. */
  now?: Date;
  /** Who ran it, for the events' Actor_Name__c (the CLI passes the org user's name). */
  actorName?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface RolloutFailure {
  object:
    | 'ChangeRequest'
    | 'Problem'
    | 'Incident'
    | 'Case'
    | 'Incident_Event__c'
    | 'BroadcastCommunication'
    | 'EmailMessage'
    | 'CaseComment'
    // The sender's ledger row (comms' Incident_Communication__c), when its final status is refused.
    | 'Incident_Communication__c';
  id: string;
  /** The record's number (IncidentNumber, CaseNumber...) when known. */
  number: string;
  statusCode: string;
  message: string;
}

export interface IssueReport {
  id: string;
  number: string;
  subject: string;
  /** Status before the run. */
  status: string;
  /** What this run did: resolved it, found it resolved, would resolve it (dry run), or failed. */
  outcome: 'resolved' | 'already' | 'would' | 'failed';
}

export interface IncidentReport extends IssueReport {
  /** Linked cases in all, and the open ones this run closed (dry run: would close). */
  linkedCases: number;
  casesClosed: number;
  /** The restored notice: sent by this run, done by an earlier run, would be sent, failed, or not sent because the incident is not resolved. */
  notice: 'sent' | 'done' | 'would' | 'failed' | 'blocked';
  /** Who this incident's notice is for: its contacts not notified by an earlier incident, and each of its cases without a contact (after a send: those reached). */
  recipients: number;
  /** Contacts of its cases an earlier incident of the rollout notifies: left out here. */
  contactsNotifiedEarlier: string[];
}

export interface RolloutResult {
  dryRun: boolean;
  changeRequest: {
    id: string;
    number: string;
    subject: string;
    /** Status before the run. */
    status: string;
    /** Closed by this run (dry run: would be). */
    completed: boolean;
    /** It was Closed before the run: the run only finished what was left. */
    alreadyCompleted: boolean;
  };
  problems: IssueReport[];
  incidents: IncidentReport[];
  /** Related issues that are not 'Fixed By': left alone. */
  notFixed: {
    id: string;
    type: string;
    relationshipType: string;
  }[];
  cases: {
    linked: number;
    /** Closed by this run (dry run: would close). */
    closed: number;
    alreadyClosed: number;
  };
  /** Incidents whose notice this run sent (dry run: would send), and to how many recipients. */
  notices: { sent: number; recipients: number };
  events: { written: number; existing: number };
  failures: RolloutFailure[];
  /** Records written (or, in a dry run, that would be), per object. */
  writes: Record<string, number>;
}

interface ChangeRequestRow {
  Id: string;
  ChangeRequestNumber: string;
  Subject: string | null;
  Status: string;
}

interface RelatedIssueRow {
  RelatedIssueId: string;
  RelatedEntityType: string | null;
  RelationshipType: string | null;
}

/** An incident or a problem, as a run reads it. */
type Issue = Omit<IssueReport, 'outcome'>;

interface LinkRow {
  CaseId: string;
  RelatedIssueId: string;
  Case: {
    CaseNumber: string;
    ContactId: string | null;
    IsClosed: boolean;
  } | null;
}

interface LinkedCase {
  id: string;
  number: string;
  contactId: string | null;
  open: boolean;
  issueIds: string[];
}

/** A change request reference: an Id (15 or 18 characters, not all digits) or its number. */
function changeRequestFilter(ref: string): string {
  const trimmed = ref.trim();
  return ID_SHAPE.test(trimmed) && !/^\d+$/.test(trimmed)
    ? `Id = ${soqlString(trimmed)}`
    : `ChangeRequestNumber = ${soqlString(trimmed)}`;
}

/** The public comment on each case a rollout closes, unless the caller gives one. */
export function defaultCaseComment(changeRequestNumber: string): string {
  return messages.getMessage('defaults.caseComment', [changeRequestNumber]);
}

/** The timeline event key of an incident's rollout (T2). */
export function rolloutEventKey(
  incidentId: string,
  changeRequestId: string
): string {
  return eventKey(incidentId, 'Status', `rollout:${changeRequestId}`);
}

/** Every record of `soql` with `{ids}` replaced by each run of at most 200 quoted ids. */
async function queryByIds<T>(
  client: OrgClient,
  ids: readonly string[],
  soql: (inList: string) => string
): Promise<T[]> {
  const rows: T[] = [];
  for (const batch of chunks(ids, IDS_PER_QUERY))
    rows.push(...(await client.queryAll<T>(soql(soqlList(batch)))));
  return rows;
}

function checkOptions(options: RolloutOptions): void {
  if (options.changeRequest.trim() === '')
    throw new RolloutInputError(messages.getMessage('error.noChangeRequest'));
  if (
    options.resolutionSummary !== undefined &&
    (options.resolutionSummary.trim() === '' ||
      options.resolutionSummary.length > SUMMARY_MAX)
  )
    throw new RolloutInputError(
      messages.getMessage('error.resolutionSummary', [SUMMARY_MAX])
    );
  if (
    options.caseComment !== undefined &&
    (options.caseComment.trim() === '' ||
      options.caseComment.length > COMMENT_MAX)
  )
    throw new RolloutInputError(
      messages.getMessage('error.caseComment', [COMMENT_MAX])
    );
}

/** Everything a run decides from, read before anything is written. */
interface RolloutState {
  changeRequest: ChangeRequestRow;
  /** In IncidentNumber order: the order of the notices. */
  incidents: Issue[];
  problems: Issue[];
  notFixed: RolloutResult['notFixed'];
  cases: LinkedCase[];
  /** Incident ids whose rollout event exists: done by an earlier run. */
  done: Set<string>;
}

async function readState(
  client: OrgClient,
  ref: string
): Promise<RolloutState> {
  const [changeRequest, ...more] = await client.queryAll<ChangeRequestRow>(
    `SELECT Id, ChangeRequestNumber, Subject, Status FROM ChangeRequest WHERE ${changeRequestFilter(ref)}`
  );
  if (changeRequest === undefined || more.length > 0)
    throw new RolloutInputError(
      messages.getMessage('error.unknownChangeRequest', [ref])
    );
  if (CHANGE_REQUEST_REFUSED.has(changeRequest.Status))
    throw new RolloutInputError(
      messages.getMessage('error.refusedStatus', [
        changeRequest.ChangeRequestNumber,
        changeRequest.Status
      ])
    );
  const related = await client.queryAll<RelatedIssueRow>(
    `SELECT RelatedIssueId, RelatedEntityType, RelationshipType FROM ChangeRequestRelatedIssue WHERE ChangeRequestId = ${soqlString(changeRequest.Id)} ORDER BY Id`
  );
  const fixed = related.filter((r) => r.RelationshipType === FIXED_BY);
  const notFixed = related
    .filter((r) => r.RelationshipType !== FIXED_BY)
    .map((r) => ({
      id: r.RelatedIssueId,
      type: r.RelatedEntityType ?? '',
      relationshipType: r.RelationshipType ?? ''
    }));
  if (fixed.length === 0)
    throw new RolloutInputError(
      messages.getMessage('error.nothingFixed', [
        changeRequest.ChangeRequestNumber,
        notFixed.length
      ])
    );
  const idsOf = (type: string): string[] => [
    ...new Set(
      fixed
        .filter((r) => r.RelatedEntityType === type)
        .map((r) => r.RelatedIssueId)
    )
  ];
  const incidents = await readIssues(client, 'Incident', idsOf('Incident'));
  const problems = await readIssues(client, 'Problem', idsOf('Problem'));
  const issueIds = [...incidents, ...problems].map((i) => i.id);
  const byCase = new Map<string, LinkedCase>();
  for (const batch of chunks(issueIds, IDS_PER_QUERY)) {
    for await (const page of client.queryPages<LinkRow>(
      `SELECT CaseId, RelatedIssueId, Case.CaseNumber, Case.ContactId, Case.IsClosed FROM CaseRelatedIssue WHERE RelatedIssueId IN ${soqlList(batch)} ORDER BY Id`
    )) {
      for (const link of page) {
        const known = byCase.get(link.CaseId);
        if (known) {
          known.issueIds.push(link.RelatedIssueId);
          continue;
        }
        byCase.set(link.CaseId, {
          id: link.CaseId,
          number: link.Case?.CaseNumber ?? '',
          contactId: link.Case?.ContactId ?? null,
          open: link.Case?.IsClosed === false,
          issueIds: [link.RelatedIssueId]
        });
      }
    }
  }
  let events: { Event_Key__c: string }[];
  try {
    events = await queryByIds<{ Event_Key__c: string }>(
      client,
      incidents.map((i) => rolloutEventKey(i.id, changeRequest.Id)),
      (keys) =>
        `SELECT ${EVENT_KEY_FIELD} FROM ${EVENT_OBJECT} WHERE ${EVENT_KEY_FIELD} IN ${keys}`
    );
  } catch (error) {
    // An org without the package's timeline object: say so before writing anything.
    if (/INVALID_TYPE|INVALID_FIELD/.test(errorText(error)))
      throw new RolloutInputError(
        messages.getMessage('error.noPackage', [errorText(error)])
      );
    throw error;
  }
  const keys = new Set(events.map((e) => e.Event_Key__c));
  const done = new Set(
    incidents
      .filter((i) => keys.has(rolloutEventKey(i.id, changeRequest.Id)))
      .map((i) => i.id)
  );
  // A notice still to send needs the stage's template: refuse before writing anything.
  if (
    incidents.some((i) => !done.has(i.id)) &&
    (await loadTemplate(client, RESTORED_STAGE)) === undefined
  )
    throw new RolloutInputError(messages.getMessage('error.noTemplate'));
  return {
    changeRequest,
    incidents,
    problems,
    notFixed,
    cases: [...byCase.values()],
    done
  };
}

/** The incidents or problems with these ids, in number order. */
async function readIssues(
  client: OrgClient,
  object: 'Incident' | 'Problem',
  ids: readonly string[]
): Promise<Issue[]> {
  const numberField = `${object}Number`;
  const rows = await queryByIds<Record<string, string | null>>(
    client,
    ids,
    (inList) =>
      `SELECT Id, ${numberField}, Subject, Status FROM ${object} WHERE Id IN ${inList}`
  );
  return rows
    .map((r) => ({
      id: r.Id ?? '',
      number: r[numberField] ?? '',
      subject: r.Subject ?? '',
      status: r.Status ?? ''
    }))
    .sort((a, b) => a.number.localeCompare(b.number));
}

/**
 * Each contact's notice comes with the first incident (in IncidentNumber order) that has a
 * linked case of theirs: per incident, the contacts it notifies and those it leaves out.
 */
export function assignContacts(
  incidentIds: readonly string[],
  cases: readonly Pick<LinkedCase, 'contactId' | 'issueIds'>[]
): Map<string, { notifies: Set<string>; excluded: Set<string> }> {
  const contactsOf = new Map<string, Set<string>>(
    incidentIds.map((id) => [id, new Set<string>()])
  );
  for (const c of cases) {
    if (c.contactId === null) continue;
    for (const issue of c.issueIds) contactsOf.get(issue)?.add(c.contactId);
  }
  const claimed = new Set<string>();
  const out = new Map<
    string,
    { notifies: Set<string>; excluded: Set<string> }
  >();
  for (const id of incidentIds) {
    const notifies = new Set<string>();
    const excluded = new Set<string>();
    for (const contact of contactsOf.get(id) ?? []) {
      if (claimed.has(contact)) excluded.add(contact);
      else {
        notifies.add(contact);
        claimed.add(contact);
      }
    }
    out.set(id, { notifies, excluded });
  }
  return out;
}

export async function rolloutChangeRequest(
  client: OrgClient,
  options: RolloutOptions
): Promise<RolloutResult> {
  checkOptions(options);
  const state = await readState(client, options.changeRequest);
  const cr = state.changeRequest;
  const run: Run = {
    client,
    options,
    state,
    now: options.now ?? new Date(),
    dryRun: options.dryRun === true,
    summary:
      options.resolutionSummary ??
      messages.getMessage('defaults.resolutionSummary', [
        cr.ChangeRequestNumber,
        cr.Subject ?? ''
      ]),
    comment: options.caseComment ?? defaultCaseComment(cr.ChangeRequestNumber),
    failures: [],
    writes: {}
  };
  const { problems, incidents, resolved } = await resolvePhase(run);
  const notices = await noticePhase(run, incidents);
  const closed = await closePhase(run, resolved);
  for (const report of incidents)
    report.casesClosed = state.cases.filter(
      (c) => c.issueIds.includes(report.id) && closed.has(c.id)
    ).length;
  const events = await eventPhase(run, incidents);
  const completed = await completePhase(run);
  return {
    dryRun: run.dryRun,
    changeRequest: {
      id: cr.Id,
      number: cr.ChangeRequestNumber,
      subject: cr.Subject ?? '',
      status: cr.Status,
      completed,
      alreadyCompleted: cr.Status === CHANGE_REQUEST_DONE
    },
    problems,
    incidents,
    notFixed: state.notFixed,
    cases: {
      linked: state.cases.length,
      closed: closed.size,
      alreadyClosed: state.cases.filter((c) => !c.open).length
    },
    notices,
    events,
    failures: run.failures,
    writes: run.writes
  };
}

/** One run's inputs, decisions and tallies, shared by its phases. */
interface Run {
  client: OrgClient;
  options: RolloutOptions;
  state: RolloutState;
  now: Date;
  dryRun: boolean;
  summary: string;
  comment: string;
  failures: RolloutFailure[];
  writes: Record<string, number>;
}

/** Counts records written (a dry run: that would be) per object. */
function count(run: Run, object: string, n: number): void {
  if (n > 0) run.writes[object] = (run.writes[object] ?? 0) + n;
}

/** Step 2: problems and incidents not resolved yet get Status Resolved and the summary. */
async function resolvePhase(run: Run): Promise<{
  problems: IssueReport[];
  incidents: IncidentReport[];
  resolved: Set<string>;
}> {
  const { state, summary } = run;
  const problems = await resolveIssues(
    run,
    'Problem',
    state.problems,
    PROBLEM_DONE,
    (id) => ({
      Id: id,
      Status: RESOLVED,
      ResolutionSummary: summary,
      ResolutionDateTime: run.now.toISOString()
    })
  );
  // The Incident automation stamps ResolutionDateTime (and the mitigation milestone) itself.
  const incidentIssues = await resolveIssues(
    run,
    'Incident',
    state.incidents,
    INCIDENT_DONE,
    (id) => ({ Id: id, Status: RESOLVED, ResolutionSummary: summary })
  );
  const resolved = new Set(
    [...problems, ...incidentIssues]
      .filter((i) => i.outcome !== 'failed')
      .map((i) => i.id)
  );
  const contacts = assignContacts(
    state.incidents.map((i) => i.id),
    state.cases
  );
  const incidents = incidentIssues.map((issue): IncidentReport => {
    const linked = state.cases.filter((c) => c.issueIds.includes(issue.id));
    const assigned = contacts.get(issue.id);
    return {
      ...issue,
      linkedCases: linked.length,
      casesClosed: 0,
      notice: state.done.has(issue.id)
        ? 'done'
        : !resolved.has(issue.id)
          ? 'blocked'
          : run.dryRun
            ? 'would'
            : 'sent',
      // The sender's audience: each contact assigned here, and each case without a contact.
      recipients:
        (assigned?.notifies.size ?? 0) +
        linked.filter((c) => c.contactId === null).length,
      contactsNotifiedEarlier: [...(assigned?.excluded ?? [])]
    };
  });
  return { problems, incidents, resolved };
}

/** The Service Restored send key of an incident's rollout: a rerun resumes the same send. */
export function restoredSendKey(
  incidentId: string,
  changeRequestId: string
): string {
  return `${incidentId}:Service Restored:${changeRequestId}`;
}

/** Step 3: each incident not done yet hears Service Restored, each contact once. */
async function noticePhase(
  run: Run,
  incidents: IncidentReport[]
): Promise<RolloutResult['notices']> {
  let sent = 0;
  let recipients = 0;
  for (const report of incidents) {
    if (report.notice === 'would') {
      sent++;
      recipients += report.recipients;
    }
    if (report.notice !== 'sent') continue;
    try {
      const outcome = await sendRestoredNotice(run.client, {
        incidentId: report.id,
        sendKey: restoredSendKey(report.id, run.state.changeRequest.Id),
        now: run.now,
        excludeContactIds: report.contactsNotifiedEarlier,
        ...(run.options.actorName === undefined
          ? {}
          : { actorName: run.options.actorName })
      });
      report.recipients = outcome.recipients;
      for (const f of outcome.failures)
        run.failures.push({ ...f, number: report.number });
      if (outcome.failures.length > 0) report.notice = 'failed';
      else {
        sent++;
        recipients += outcome.recipients;
      }
      count(run, 'BroadcastCommunication', outcome.created ? 1 : 0);
      count(run, 'EmailMessage', outcome.emails);
      count(run, 'CaseComment', outcome.comments);
      // A send that reached someone (or had not finished) also stamps Last_Customer_Update_At__c
      // and records its CommunicationSent event; a rerun with nobody new writes neither.
      count(run, 'Incident', outcome.recorded ? 1 : 0);
      count(run, EVENT_OBJECT, outcome.recorded ? 1 : 0);
    } catch (error) {
      report.notice = 'failed';
      run.failures.push({
        object: 'BroadcastCommunication',
        id: report.id,
        number: report.number,
        statusCode: 'SEND_FAILED',
        message: errorText(error)
      });
    }
  }
  return { sent, recipients };
}

/** Step 4: the open cases of resolved issues, commented on and closed together. */
async function closePhase(
  run: Run,
  resolved: ReadonlySet<string>
): Promise<Set<string>> {
  const toClose = run.state.cases.filter(
    (c) => c.open && c.issueIds.some((id) => resolved.has(id))
  );
  const closed = new Set<string>();
  if (run.dryRun) for (const c of toClose) closed.add(c.id);
  else {
    let done = 0;
    for (const batch of chunks(toClose, BATCH_SIZE)) {
      const outcome = await closeCases(run.client, batch, run.comment);
      for (const id of outcome.closed) closed.add(id);
      run.failures.push(...outcome.failures);
      done += batch.length;
      run.options.onProgress?.(done, toClose.length);
    }
  }
  count(run, 'Case', closed.size);
  count(run, 'CaseComment', closed.size);
  return closed;
}

/** Step 5: the rollout event of each incident whose notice went out and whose cases all closed. */
async function eventPhase(
  run: Run,
  incidents: readonly IncidentReport[]
): Promise<RolloutResult['events']> {
  const cr = run.state.changeRequest;
  const failedCases = new Set(
    run.failures.filter((f) => f.object === 'Case').map((f) => f.id)
  );
  const events: TimelineEventInput[] = incidents
    .filter(
      (r) =>
        (r.notice === 'sent' || r.notice === 'would') &&
        !run.state.cases.some(
          (c) => c.issueIds.includes(r.id) && failedCases.has(c.id)
        )
    )
    .map((r) => ({
      incidentId: r.id,
      type: 'Status',
      key: rolloutEventKey(r.id, cr.Id),
      occurredAt: run.now.toISOString(),
      summary: messages.getMessage('event.summary', [
        cr.ChangeRequestNumber,
        r.casesClosed
      ]),
      payload: {
        changeRequestId: cr.Id,
        changeRequestNumber: cr.ChangeRequestNumber,
        status: RESOLVED,
        resolutionSummary: run.summary,
        casesClosed: r.casesClosed,
        linkedCases: r.linkedCases,
        recipients: r.recipients
      },
      visibility: 'Internal',
      source: 'CLI',
      ...(run.options.actorName === undefined
        ? {}
        : { actorName: run.options.actorName })
    }));
  if (run.dryRun || events.length === 0) {
    count(run, EVENT_OBJECT, events.length);
    return { written: events.length, existing: 0 };
  }
  const written = await writeEvents(run.client, events);
  count(run, EVENT_OBJECT, written.created);
  for (const f of written.failed) {
    const incident = incidents.find(
      (r) => rolloutEventKey(r.id, cr.Id) === f.key
    );
    run.failures.push({
      object: EVENT_OBJECT,
      id: incident?.id ?? f.key,
      number: incident?.number ?? '',
      ...firstError(f.errors)
    });
  }
  return { written: written.created, existing: written.existing };
}

/** Step 6, last: Closed says the whole rollout is done, so only when nothing failed. */
async function completePhase(run: Run): Promise<boolean> {
  const cr = run.state.changeRequest;
  if (cr.Status === CHANGE_REQUEST_DONE || run.failures.length > 0)
    return false;
  const [outcome] = run.dryRun
    ? [{ success: true, errors: [] }]
    : await run.client.updateRecords('ChangeRequest', [
        { Id: cr.Id, Status: CHANGE_REQUEST_DONE }
      ]);
  if (outcome?.success) {
    count(run, 'ChangeRequest', 1);
    return true;
  }
  run.failures.push({
    object: 'ChangeRequest',
    id: cr.Id,
    number: cr.ChangeRequestNumber,
    ...firstError(outcome?.errors)
  });
  return false;
}

function firstError(errors: readonly RecordError[] | undefined): {
  statusCode: string;
  message: string;
} {
  const error = errors?.[0];
  return {
    statusCode: error?.statusCode ?? 'NO_RESULT',
    message: error?.message ?? 'the org gave no result for this record'
  };
}

/** Resolves the issues not in `done` statuses, 200 a call; per-record failures are listed. */
async function resolveIssues(
  run: Run,
  object: 'Incident' | 'Problem',
  issues: readonly Issue[],
  done: ReadonlySet<string>,
  update: (id: string) => Record<string, unknown> & { Id: string }
): Promise<IssueReport[]> {
  const reports: IssueReport[] = issues.map((issue) => ({
    ...issue,
    outcome: done.has(issue.status)
      ? 'already'
      : run.dryRun
        ? 'would'
        : 'resolved'
  }));
  const pending = reports.filter((r) => r.outcome === 'resolved');
  if (pending.length > 0) {
    const outcomes = await run.client.updateRecords(
      object,
      pending.map((r) => update(r.id))
    );
    pending.forEach((report, index) => {
      const outcome = outcomes[index];
      if (outcome?.success) return;
      report.outcome = 'failed';
      run.failures.push({
        object,
        id: report.id,
        number: report.number,
        ...firstError(outcome?.errors)
      });
    });
  }
  count(
    run,
    object,
    reports.filter((r) => r.outcome === 'resolved' || r.outcome === 'would')
      .length
  );
  return reports;
}

interface CompositeAnswer {
  compositeResponse: {
    referenceId: string;
    httpStatusCode: number;
    body: unknown;
  }[];
}

interface SaveResult {
  success?: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

/** Codes of records that failed only because another record of the request did. */
const ROLLED_BACK: ReadonlySet<string> = new Set([
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'PROCESSING_HALTED'
]);

/** A transient record error inside a composite answer, thrown so the client retries the call. */
class TransientRecordError extends Error {
  readonly errorCode: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.errorCode = code;
  }
}

/** A re-read found every case of the request closed: the call landed after all. */
const LANDED = 'landed';

/**
 * Comments on and closes up to 200 cases in one all-or-none composite request (a CaseComment
 * collection, then a Case collection): either both land for every case or nothing does. A
 * record the org refuses for good (a validation rule, a deleted case) is taken out and the
 * others are sent again; a transient failure retries the call, after a re-read of whether the
 * cases are closed, since a create is not idempotent. A call that still fails after the
 * client's retries fails its cases (listed), and the run goes on with the next batch.
 */
async function closeCases(
  client: OrgClient,
  batch: readonly LinkedCase[],
  comment: string
): Promise<{ closed: string[]; failures: RolloutFailure[] }> {
  const failures: RolloutFailure[] = [];
  const fail = (cases: readonly LinkedCase[], error: RecordError): void => {
    for (const c of cases)
      failures.push({
        object: 'Case',
        id: c.id,
        number: c.number,
        statusCode: error.statusCode,
        message: error.message
      });
  };
  let pending = [...batch];
  // Each round either lands or takes out at least one refused case, so it ends.
  while (pending.length > 0) {
    const sent = pending;
    let answer: CompositeAnswer | typeof LANDED;
    try {
      answer = await client.write<CompositeAnswer | typeof LANDED>(
        `close ${String(sent.length)} case(s)`,
        () => sendClose(client, sent, comment),
        {
          reread: async () => {
            const closed = await client.queryAll<{ Id: string }>(
              `SELECT Id FROM Case WHERE IsClosed = true AND Id IN ${soqlList(sent.map((c) => c.id))}`
            );
            return closed.length === sent.length ? LANDED : undefined;
          }
        }
      );
    } catch (error) {
      fail(sent, { statusCode: 'CALL_FAILED', message: errorText(error) });
      return { closed: [], failures };
    }
    if (answer === LANDED || landed(answer))
      return { closed: sent.map((c) => c.id), failures };
    const refused = refusedRecords(answer, sent.length);
    if (refused.size === 0) {
      // Refused without naming a record: every case of the request fails with the first error.
      fail(
        sent,
        recordErrors(answer)[0] ?? {
          statusCode: 'UNKNOWN',
          message: 'the org refused the request without a reason'
        }
      );
      return { closed: [], failures };
    }
    for (const [index, error] of refused) {
      const c = sent[index];
      if (c !== undefined) fail([c], error);
    }
    pending = sent.filter((_, index) => !refused.has(index));
  }
  return { closed: [], failures };
}

/** One composite call; a transient record error in its answer is thrown so the client retries. */
async function sendClose(
  client: OrgClient,
  cases: readonly LinkedCase[],
  comment: string
): Promise<CompositeAnswer> {
  const reply = await client.conn.request<CompositeAnswer>({
    method: 'POST',
    url: `/services/data/v${client.conn.version}/composite`,
    body: JSON.stringify(closeRequest(client.conn.version, cases, comment)),
    headers: { 'content-type': 'application/json' }
  });
  const transient = recordErrors(reply).find((e) =>
    isTransientCode(e.statusCode)
  );
  if (transient)
    throw new TransientRecordError(transient.statusCode, transient.message);
  return reply;
}

/** Every subrequest succeeded, and every record of each. */
function landed(answer: CompositeAnswer): boolean {
  return answer.compositeResponse.every(
    (sub) =>
      sub.httpStatusCode < 400 &&
      (!Array.isArray(sub.body) ||
        (sub.body as SaveResult[]).every((r) => r.success !== false))
  );
}

function closeRequest(
  version: string,
  cases: readonly LinkedCase[],
  comment: string
): object {
  const url = `/services/data/v${version}/composite/sobjects`;
  return {
    allOrNone: true,
    collateSubrequests: false,
    compositeRequest: [
      {
        method: 'POST',
        url,
        referenceId: 'comments',
        body: {
          allOrNone: true,
          records: cases.map((c) => ({
            attributes: { type: 'CaseComment' },
            ParentId: c.id,
            IsPublished: true,
            CommentBody: comment
          }))
        }
      },
      {
        method: 'PATCH',
        url,
        referenceId: 'cases',
        body: {
          allOrNone: true,
          records: cases.map((c) => ({
            attributes: { type: 'Case' },
            id: c.id,
            Status: CASE_CLOSED
          }))
        }
      }
    ]
  };
}

/** Every record-level or call-level error of a composite answer, in order. */
function recordErrors(
  answer: CompositeAnswer
): { statusCode: string; message: string }[] {
  const out: { statusCode: string; message: string }[] = [];
  for (const sub of answer.compositeResponse) {
    if (!Array.isArray(sub.body)) continue;
    for (const item of sub.body as (SaveResult & {
      errorCode?: string;
      message?: string;
    })[]) {
      if (item.errorCode !== undefined)
        out.push({ statusCode: item.errorCode, message: item.message ?? '' });
      for (const e of item.errors ?? [])
        out.push({
          statusCode: e.statusCode ?? 'UNKNOWN',
          message: e.message ?? ''
        });
    }
  }
  return out;
}

/**
 * The cases (by position in the request) the org refused for a reason of their own, not
 * because the all-or-none request rolled back around another record.
 */
function refusedRecords(
  answer: CompositeAnswer,
  size: number
): Map<number, { statusCode: string; message: string }> {
  const refused = new Map<number, { statusCode: string; message: string }>();
  for (const sub of answer.compositeResponse) {
    if (!Array.isArray(sub.body)) continue;
    const items = sub.body as (SaveResult & {
      errorCode?: string;
      message?: string;
    })[];
    if (sub.httpStatusCode >= 400) {
      // A whole subrequest refused (not a per-record answer): every case of it fails with it.
      const [first] = items;
      if (first?.errorCode !== undefined && !ROLLED_BACK.has(first.errorCode))
        for (let index = 0; index < size; index++)
          refused.set(index, {
            statusCode: first.errorCode ?? 'UNKNOWN',
            message: first.message ?? ''
          });
      continue;
    }
    items.forEach((item, index) => {
      const error = (item.errors ?? []).find(
        (e) => !ROLLED_BACK.has(e.statusCode ?? '')
      );
      if (item.success === false && error && !refused.has(index))
        refused.set(index, {
          statusCode: error.statusCode ?? 'UNKNOWN',
          message: error.message ?? ''
        });
    });
  }
  return refused;
}
