/**
 * Rows of the preview's list page: incidents with their SLA state and linked case count, and
 * the problems and change requests whose record pages the preview also shows.
 */
import type { OrgClient } from '../../org-client/index.ts';
import { slaState } from '../../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import {
  consoleCalendar,
  policyRows,
  queryAll,
  type ConsoleCalendar
} from './incident-console-controller.ts';

/** The SLA states of c/slaTimer, worst first: a row shows its worse clock. */
const STATE_ORDER = [
  'breached',
  'missed',
  'warning',
  'on-track',
  'met'
] as const;
type SlaStateName = (typeof STATE_ORDER)[number];

export interface IncidentRow {
  id: string;
  number: string | null;
  subject: string | null;
  severity: number | null;
  priority: string | null;
  status: string | null;
  /** The worse of the response and resolution clocks; null without an incident SLA. */
  slaState: SlaStateName | null;
  linkedCases: number;
}

export interface IssueRow {
  id: string;
  number: string | null;
  subject: string | null;
  status: string | null;
}

export interface PreviewRecords {
  incidents: IncidentRow[];
  problems: IssueRow[];
  changeRequests: IssueRow[];
}

type Row = Record<string, unknown>;

const str = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

const records = queryAll;

export async function incidentRows(
  org: OrgClient,
  now: Date
): Promise<PreviewRecords> {
  const [incidents, counts, policy, problems, changeRequests] =
    await Promise.all([
      records(
        org,
        'SELECT Id, IncidentNumber, Subject, Severity__c, Priority, Status, DetectedDateTime, CreatedDate, Sla_Response_Due__c, Sla_Resolution_Due__c, Sla_Responded_At__c, ResolutionDateTime, BusinessHoursId FROM Incident ORDER BY IncidentNumber'
      ),
      records(
        org,
        'SELECT RelatedIssueId, COUNT(Id) links FROM CaseRelatedIssue GROUP BY RelatedIssueId'
      ),
      policyRows(org),
      records(
        org,
        'SELECT Id, ProblemNumber, Subject, Status FROM Problem ORDER BY ProblemNumber'
      ),
      records(
        org,
        'SELECT Id, ChangeRequestNumber, Subject, Status FROM ChangeRequest ORDER BY ChangeRequestNumber'
      )
    ]);
  const linked = new Map(
    counts.map((row) => [String(row.RelatedIssueId), Number(row.links)])
  );
  const calendars = new Map<string, Promise<ConsoleCalendar | null>>();
  const calendarOf = (
    businessHoursId: string | null,
    start: number,
    due: number
  ) => {
    // One calendar per business hours, wide enough for every incident on the page.
    const key = businessHoursId ?? 'default';
    let calendar = calendars.get(key);
    if (!calendar) {
      const earliest = Math.min(now.getTime(), start) - 366 * 24 * 3600 * 1000;
      calendar = consoleCalendar(
        org,
        businessHoursId,
        earliest,
        Math.max(due, now.getTime())
      );
      calendars.set(key, calendar);
    }
    return calendar;
  };
  const rows = await Promise.all(
    incidents.map(async (incident): Promise<IncidentRow> => {
      const severity =
        typeof incident.Severity__c === 'number' ? incident.Severity__c : null;
      const start = str(incident.DetectedDateTime) ?? str(incident.CreatedDate);
      const warningPercent = policy.find(
        (p) => p.severity === severity
      )?.warningPercent;
      const clocks = [
        [incident.Sla_Response_Due__c, incident.Sla_Responded_At__c],
        [incident.Sla_Resolution_Due__c, incident.ResolutionDateTime]
      ] as const;
      let state: SlaStateName | null = null;
      if (start && warningPercent && clocks.every(([due]) => str(due))) {
        const calendar = await calendarOf(
          str(incident.BusinessHoursId),
          Date.parse(start),
          Date.parse(String(incident.Sla_Resolution_Due__c))
        );
        const states = clocks.map(
          ([due, completedAt]) =>
            slaState(
              {
                start,
                due: String(due),
                completedAt: str(completedAt),
                warningPercent,
                calendar
              },
              now
            ).state
        );
        state = STATE_ORDER.find((name) => states.includes(name)) ?? null;
      }
      return {
        id: String(incident.Id),
        number: str(incident.IncidentNumber),
        subject: str(incident.Subject),
        severity,
        priority: str(incident.Priority),
        status: str(incident.Status),
        slaState: state,
        linkedCases: linked.get(String(incident.Id)) ?? 0
      };
    })
  );
  const issue =
    (numberField: string) =>
    (row: Row): IssueRow => ({
      id: String(row.Id),
      number: str(row[numberField]),
      subject: str(row.Subject),
      status: str(row.Status)
    });
  return {
    incidents: rows,
    problems: problems.map(issue('ProblemNumber')),
    changeRequests: changeRequests.map(issue('ChangeRequestNumber'))
  };
}
