/**
 * `incident postmortem`'s library: reads one incident's record, its starred and milestone
 * timeline events, its linked cases and their accounts, and its business hours, and drafts the
 * postmortem as data (`buildPostmortem`) and as Markdown (`renderPostmortem`).
 *
 * The business time comes from the same rules as everywhere else: incidentRules'
 * businessMinutesBetween and slaState over the calendar the console controller's stand-in reads
 * from BusinessHours and Holiday (consoleCalendar), so the draft counts as the SLA timers count.
 * The document's words are in messages/incident.postmortem.md (md.* and question.*).
 */
import { Messages, SfError } from '@salesforce/core';
import {
  businessMinutesBetween,
  slaState
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import {
  durationText,
  milestones as milestonesOf
} from '../../force-app/main/default/lwc/incidentRules/timeline.js';
import { findIncidents } from '../cases/link.ts';
import { isInputError } from '../cases/errors.ts';
import { chunks } from '../cases/org.ts';
import { soqlList, soqlString, type OrgClient } from '../org-client/index.ts';
import {
  consoleCalendar,
  type ConsoleCalendar
} from '../preview/controller/incident-console-controller.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'incident-console',
  'incident.postmortem'
);

const MINUTE_MS = 60_000;
const IDS_PER_QUERY = 200;
/** The SLA policy's default warning threshold, for a severity whose row cannot be read. */
const DEFAULT_WARNING_PERCENT = 75;

export type MilestoneName =
  'detected' | 'acknowledged' | 'mitigated' | 'resolved';
const MILESTONE_NAMES: readonly MilestoneName[] = [
  'detected',
  'acknowledged',
  'mitigated',
  'resolved'
];

export interface Span {
  wallMinutes: number;
  businessMinutes: number;
}

export interface PostmortemMilestone extends Partial<Span> {
  name: MilestoneName;
  /** ISO time, null when not reached. */
  at: string | null;
}

export interface PostmortemEvent {
  occurredAt: string;
  type: string;
  summary: string;
  actor: string;
  source: string | null;
  visibility: string | null;
  starred: boolean;
}

export type SlaOutcomeState =
  'met' | 'missed' | 'breached' | 'warning' | 'on-track' | 'no-sla' | 'no-due';

export interface SlaOutcome {
  state: SlaOutcomeState;
  due: string | null;
  completedAt: string | null;
  /** Business minutes past due (missed, breached), else 0. */
  overdueMinutes: number;
  /** Business minutes left or spare (met, on-track, warning), else 0. */
  remainingMinutes: number;
}

export interface Postmortem {
  generatedAt: string;
  incident: {
    id: string;
    number: string;
    subject: string;
    status: string | null;
    severity: number | null;
    priority: string | null;
    urgency: string | null;
    impact: string | null;
    owner: string | null;
    detectedAt: string;
    resolvedAt: string | null;
  };
  impact: {
    linkedCases: number;
    openCases: number;
    closedCases: number;
    affectedAccounts: number;
    keyAccounts: { id: string; name: string }[];
    /** The first linked case's creation, ISO; null without linked cases. */
    firstCaseAt: string | null;
    duration: Span & { from: string; to: string; ongoing: boolean };
    /** The business hours' time zone; null when they are open around the clock. */
    businessTimeZone: string | null;
  };
  milestones: PostmortemMilestone[];
  timeline: PostmortemEvent[];
  sla: { response: SlaOutcome; resolution: SlaOutcome };
  openQuestions: string[];
}

export interface PostmortemOptions {
  /** An incident number or Id. */
  incident: string;
  /** The draft's moment: what "now" is for an unresolved incident. Default the clock. */
  now?: Date;
}

type Row = Record<string, unknown>;

interface IncidentRow extends Row {
  Id: string;
  IncidentNumber: string;
  Subject: string | null;
  Status: string | null;
  Priority: string | null;
  Severity__c: number | null;
  Urgency: string | null;
  Impact: string | null;
  Owner: { Name?: string | null } | null;
  DetectedDateTime: string | null;
  CreatedDate: string;
  Sla_Response_Due__c: string | null;
  Sla_Resolution_Due__c: string | null;
  Sla_Responded_At__c: string | null;
  Mitigated_At__c: string | null;
  ResolutionDateTime: string | null;
  BusinessHoursId: string | null;
}

interface EventRow {
  Type__c: string;
  Occurred_At__c: string;
  Summary__c: string | null;
  Actor__r: { Name?: string | null } | null;
  Actor_Name__c: string | null;
  Source__c: string | null;
  Visibility__c: string | null;
  Starred__c: boolean;
}

interface LinkRow {
  Case: {
    AccountId: string | null;
    IsClosed: boolean;
    CreatedDate: string;
  } | null;
}

const INCIDENT_FIELDS = [
  'Id',
  'IncidentNumber',
  'Subject',
  'Status',
  'Priority',
  'Severity__c',
  'Urgency',
  'Impact',
  'Owner.Name',
  'DetectedDateTime',
  'CreatedDate',
  'Sla_Response_Due__c',
  'Sla_Resolution_Due__c',
  'Sla_Responded_At__c',
  'Mitigated_At__c',
  'ResolutionDateTime',
  'BusinessHoursId'
].join(', ');

/**
 * Bad input to the postmortem, found before anything is read or written: an unknown incident,
 * an --output that cannot be written. sf-plugins-core prints the message and exits 2.
 */
export class PostmortemInputError extends SfError {
  constructor(message: string) {
    super(message, 'PostmortemInputError', undefined, 2);
  }
}

/** The incident a reference (number or Id) names; unknown is a PostmortemInputError. */
async function findIncident(
  client: OrgClient,
  ref: string
): Promise<{ Id: string }> {
  try {
    // The one lookup of an incident by number or Id (link, detect, rollout use it too); its
    // input error is the cases module's, so it is said again here as the postmortem's.
    const [found] = await findIncidents(client, ref);
    if (found) return found;
  } catch (error) {
    if (!isInputError(error)) throw error;
  }
  throw new PostmortemInputError(
    messages.getMessage('error.noIncident', [ref])
  );
}

/**
 * Reads what the draft needs and decides its content. An unknown incident is bad input
 * (PostmortemInputError, exit 2), found before anything else is read.
 */
export async function buildPostmortem(
  client: OrgClient,
  options: PostmortemOptions
): Promise<Postmortem> {
  const now = options.now ?? new Date();
  const found = await findIncident(client, options.incident);
  const id = soqlString(found.Id);
  const [record] = await client.queryAll<IncidentRow>(
    `SELECT ${INCIDENT_FIELDS} FROM Incident WHERE Id = ${id}`
  );
  if (!record) throw new Error(`incident ${found.Id} could not be read`);
  const detectedAt = record.DetectedDateTime ?? record.CreatedDate;
  const detectedMs = Date.parse(detectedAt);
  const endMs = Date.parse(record.ResolutionDateTime ?? now.toISOString());
  const [events, cases, warningPercent, calendar] = await Promise.all([
    client.queryAll<EventRow>(
      `SELECT Type__c, Occurred_At__c, Summary__c, Actor__r.Name, Actor_Name__c, Source__c, Visibility__c, Starred__c FROM Incident_Event__c WHERE Incident__c = ${id} AND (Starred__c = true OR Type__c = 'Milestone') ORDER BY Occurred_At__c, Id`
    ),
    linkedCases(client, found.Id),
    warningPercentFor(client, record.Severity__c),
    consoleCalendar(
      client,
      record.BusinessHoursId,
      Math.min(detectedMs, endMs),
      Math.max(detectedMs, endMs, now.getTime())
    )
  ]);
  const keyAccounts = await keyAccountsOf(client, cases.accountIds);
  const span = (from: string, to: string): Span => ({
    wallMinutes: Math.floor((Date.parse(to) - Date.parse(from)) / MINUTE_MS),
    businessMinutes: businessMinutesBetween(calendar, from, to)
  });
  const reached = milestonesOf({ ...record, DetectedDateTime: detectedAt });
  const to = record.ResolutionDateTime ?? now.toISOString();
  const sla = {
    response: slaOutcome(
      detectedAt,
      record.Sla_Response_Due__c,
      record.Sla_Responded_At__c,
      warningPercent,
      calendar,
      now
    ),
    resolution: slaOutcome(
      detectedAt,
      record.Sla_Resolution_Due__c,
      record.ResolutionDateTime,
      warningPercent,
      calendar,
      now
    )
  };
  const postmortem: Postmortem = {
    generatedAt: now.toISOString(),
    incident: {
      id: record.Id,
      number: record.IncidentNumber,
      subject: record.Subject ?? '',
      status: record.Status,
      severity: record.Severity__c,
      priority: record.Priority,
      urgency: record.Urgency,
      impact: record.Impact,
      owner: record.Owner?.Name ?? null,
      detectedAt,
      resolvedAt: record.ResolutionDateTime
    },
    impact: {
      linkedCases: cases.total,
      openCases: cases.total - cases.closed,
      closedCases: cases.closed,
      affectedAccounts: cases.accountIds.length,
      keyAccounts,
      firstCaseAt: cases.firstAt,
      duration: {
        from: detectedAt,
        to,
        ongoing: record.ResolutionDateTime === null,
        ...span(detectedAt, to)
      },
      businessTimeZone:
        calendar === null || aroundTheClock(calendar) ? null : calendar.timeZone
    },
    milestones: MILESTONE_NAMES.map((name) => {
      const at = reached[name];
      return at === null ? { name, at } : { name, at, ...span(detectedAt, at) };
    }),
    timeline: events.map(toEvent),
    sla,
    openQuestions: []
  };
  postmortem.openQuestions = openQuestions(postmortem);
  return postmortem;
}

/** Open all day every day with no holiday: business time is wall time (the org default here). */
function aroundTheClock(calendar: ConsoleCalendar | null): calendar is null {
  if (calendar === null) return true;
  return (
    calendar.holidays.length === 0 &&
    Object.values(calendar.weekly).every(
      (day) => day !== null && day.start === '00:00' && day.end === '00:00'
    )
  );
}

async function linkedCases(
  client: OrgClient,
  incidentId: string
): Promise<{
  total: number;
  closed: number;
  accountIds: string[];
  firstAt: string | null;
}> {
  let total = 0;
  let closed = 0;
  let firstAt: string | null = null;
  const accounts = new Set<string>();
  for await (const page of client.queryPages<LinkRow>(
    `SELECT Case.AccountId, Case.IsClosed, Case.CreatedDate FROM CaseRelatedIssue WHERE RelatedIssueId = ${soqlString(incidentId)}`
  )) {
    for (const link of page) {
      const c = link.Case;
      if (!c) continue;
      total++;
      if (c.IsClosed) closed++;
      if (c.AccountId) accounts.add(c.AccountId);
      if (firstAt === null || Date.parse(c.CreatedDate) < Date.parse(firstAt))
        firstAt = c.CreatedDate;
    }
  }
  return { total, closed, accountIds: [...accounts], firstAt };
}

async function keyAccountsOf(
  client: OrgClient,
  accountIds: readonly string[]
): Promise<{ id: string; name: string }[]> {
  const found: { id: string; name: string }[] = [];
  for (const ids of chunks(accountIds, IDS_PER_QUERY)) {
    const rows = await client.queryAll<{ Id: string; Name: string }>(
      `SELECT Id, Name FROM Account WHERE Key_Account__c = true AND Id IN ${soqlList(ids)} ORDER BY Name`
    );
    found.push(...rows.map((r) => ({ id: r.Id, name: r.Name })));
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The severity's warning threshold from the SLA policy; null when the severity has no SLA. */
async function warningPercentFor(
  client: OrgClient,
  severity: number | null
): Promise<number | null> {
  if (severity === null) return null;
  const rows = await client.queryAll<{ Warning_Percent__c: number | null }>(
    `SELECT Warning_Percent__c FROM Incident_Sla_Policy__mdt WHERE Severity__c = ${String(severity)}`
  );
  const [row] = rows;
  return row === undefined
    ? null
    : (row.Warning_Percent__c ?? DEFAULT_WARNING_PERCENT);
}

function toEvent(row: EventRow): PostmortemEvent {
  return {
    occurredAt: row.Occurred_At__c,
    type: row.Type__c,
    summary: row.Summary__c ?? '',
    // A user of this org by name; else who the writer named (another org, the CLI's user);
    // else what wrote it (the automation).
    actor:
      row.Actor__r?.Name ?? row.Actor_Name__c ?? row.Source__c ?? 'unknown',
    source: row.Source__c,
    visibility: row.Visibility__c,
    starred: row.Starred__c
  };
}

/**
 * One SLA clock's outcome through incidentRules' slaState: completed clocks are met or missed
 * (by how much business time), open ones on track, in warning or breached so far.
 */
export function slaOutcome(
  start: string,
  due: string | null,
  completedAt: string | null,
  /** The policy's warning threshold for the severity; null when it has no SLA. */
  warningPercent: number | null,
  calendar: ConsoleCalendar | null,
  now: Date
): SlaOutcome {
  const none = (state: SlaOutcomeState): SlaOutcome => ({
    state,
    due,
    completedAt,
    overdueMinutes: 0,
    remainingMinutes: 0
  });
  if (due === null) return none(warningPercent === null ? 'no-sla' : 'no-due');
  // A due time before the start (hand-edited data) has no clock to show.
  if (Date.parse(due) < Date.parse(start)) return none('no-due');
  const state = slaState(
    {
      start,
      due,
      completedAt,
      warningPercent: warningPercent ?? DEFAULT_WARNING_PERCENT,
      calendar
    },
    now
  );
  return {
    state: state.state,
    due,
    completedAt,
    overdueMinutes: state.overdueMinutes,
    remainingMinutes: state.remainingMinutes
  };
}

function openQuestions(p: Postmortem): string[] {
  const questions = [
    messages.getMessage('question.rootCause'),
    messages.getMessage('question.fix')
  ];
  if (
    p.impact.firstCaseAt !== null &&
    Date.parse(p.impact.firstCaseAt) < Date.parse(p.incident.detectedAt)
  )
    questions.push(
      messages.getMessage('question.detection', [
        durationText(
          (Date.parse(p.incident.detectedAt) -
            Date.parse(p.impact.firstCaseAt)) /
            MINUTE_MS
        )
      ])
    );
  for (const [clock, key] of [
    [p.sla.response, 'question.responseBreached'],
    [p.sla.resolution, 'question.resolutionBreached']
  ] as const)
    if (clock.state === 'missed' || clock.state === 'breached')
      questions.push(
        messages.getMessage(key, [businessText(clock.overdueMinutes)])
      );
  if (p.incident.resolvedAt === null)
    questions.push(messages.getMessage('question.unresolved'));
  else if (p.milestones.find((m) => m.name === 'mitigated')?.at === null)
    questions.push(messages.getMessage('question.noMitigation'));
  if (p.impact.keyAccounts.length > 0)
    questions.push(
      messages.getMessage('question.keyAccounts', [p.impact.keyAccounts.length])
    );
  questions.push(messages.getMessage('question.followUps'));
  return questions;
}

/**
 * Business time in hours and minutes ("27 h 30 min"): business days are shorter than 24
 * hours, so durationText's days would mislead here.
 */
export function businessText(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} min`;
  const rest = m % 60;
  return rest === 0
    ? `${Math.floor(m / 60)} h`
    : `${Math.floor(m / 60)} h ${rest} min`;
}

/** An ISO time as the draft prints it: "2026-03-01 08:05 UTC". */
export function utcText(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)
  ];
}

function slaText(outcome: SlaOutcome, severity: number | null): string {
  const due = outcome.due === null ? '' : utcText(outcome.due);
  switch (outcome.state) {
    case 'no-sla':
      return severity === null
        ? messages.getMessage('md.sla.noDue')
        : messages.getMessage('md.sla.noSla', [severity]);
    case 'no-due':
      return messages.getMessage('md.sla.noDue');
    case 'met':
      return messages.getMessage('md.sla.met', [
        utcText(outcome.completedAt ?? ''),
        due,
        businessText(outcome.remainingMinutes)
      ]);
    case 'missed':
      return messages.getMessage('md.sla.missed', [
        businessText(outcome.overdueMinutes),
        utcText(outcome.completedAt ?? ''),
        due
      ]);
    case 'breached':
      return messages.getMessage('md.sla.breached', [
        businessText(outcome.overdueMinutes),
        due
      ]);
    case 'warning':
      return messages.getMessage('md.sla.warning', [
        businessText(outcome.remainingMinutes),
        due
      ]);
    case 'on-track':
      return messages.getMessage('md.sla.open', [
        businessText(outcome.remainingMinutes),
        due
      ]);
  }
}

/** The draft as Markdown: summary, impact, milestones, timeline, SLA outcome, open questions. */
export function renderPostmortem(p: Postmortem): string {
  const m = (key: string, tokens: (string | number)[] = []): string =>
    messages.getMessage(key, tokens);
  const none = m('md.none');
  const unknown = m('md.unknown');
  const i = p.incident;
  const d = p.impact.duration;
  const milestoneEvents = p.timeline.filter((e) => e.type === 'Milestone');
  const lines: string[] = [
    `# ${m('md.title', [i.number, i.subject])}`,
    '',
    `_${m('md.generated', [utcText(p.generatedAt)])}_`,
    '',
    `## ${m('md.summary')}`,
    '',
    ...table(
      ['', ''],
      [
        [m('md.field.incident'), i.number],
        [m('md.field.subject'), i.subject],
        [
          m('md.field.severity'),
          i.severity === null ? unknown : String(i.severity)
        ],
        [m('md.field.priority'), i.priority ?? unknown],
        [
          m('md.field.urgencyImpact'),
          `${i.urgency ?? unknown} / ${i.impact ?? unknown}`
        ],
        [m('md.field.status'), i.status ?? unknown],
        [m('md.field.owner'), i.owner ?? unknown],
        [m('md.field.detected'), utcText(i.detectedAt)],
        [
          m('md.field.resolved'),
          i.resolvedAt === null
            ? m('md.milestone.notReached')
            : utcText(i.resolvedAt)
        ]
      ]
    ),
    '',
    `## ${m('md.impact')}`,
    '',
    `- ${m('md.impact.cases', [p.impact.linkedCases, p.impact.openCases, p.impact.closedCases])}`,
    `- ${m('md.impact.accounts', [p.impact.affectedAccounts])}`,
    `- ${m('md.impact.keyAccounts', [
      p.impact.keyAccounts.length === 0
        ? none
        : p.impact.keyAccounts.map((a) => a.name).join(', ')
    ])}`,
    `- ${m('md.impact.duration', [
      durationText(d.wallMinutes),
      businessText(d.businessMinutes),
      [
        p.impact.businessTimeZone === null
          ? m('md.impact.allHours')
          : m('md.impact.hoursIn', [p.impact.businessTimeZone]),
        ...(d.ongoing ? [m('md.impact.ongoing', [utcText(d.to)])] : [])
      ].join('; ')
    ])}`,
    '',
    `## ${m('md.milestones')}`,
    '',
    ...table(
      [
        m('md.milestone.column'),
        m('md.milestone.time'),
        m('md.milestone.wall'),
        m('md.milestone.business')
      ],
      p.milestones.map((ms) => [
        m(`md.milestone.${ms.name}`),
        ms.at === null ? m('md.milestone.notReached') : utcText(ms.at),
        ms.wallMinutes === undefined ? '' : durationText(ms.wallMinutes),
        ms.businessMinutes === undefined ? '' : businessText(ms.businessMinutes)
      ])
    ),
    '',
    `## ${m('md.timeline')}`,
    ''
  ];
  if (p.timeline.length === 0) lines.push(m('md.timeline.empty'));
  else
    lines.push(
      m('md.timeline.starredNote', [
        p.timeline.filter((e) => e.starred).length,
        milestoneEvents.length
      ]),
      '',
      ...table(
        [
          m('md.timeline.time'),
          m('md.timeline.type'),
          m('md.timeline.summary'),
          m('md.timeline.actor')
        ],
        p.timeline.map((e) => [
          utcText(e.occurredAt),
          e.starred ? `★ ${e.type}` : e.type,
          e.summary,
          e.actor
        ])
      )
    );
  lines.push(
    '',
    `## ${m('md.sla')}`,
    '',
    `- ${m('md.sla.response')}: ${slaText(p.sla.response, i.severity)}`,
    `- ${m('md.sla.resolution')}: ${slaText(p.sla.resolution, i.severity)}`,
    '',
    `## ${m('md.questions')}`,
    '',
    ...p.openQuestions.map((q) => `- [ ] ${q}`),
    ''
  );
  return lines.join('\n');
}
