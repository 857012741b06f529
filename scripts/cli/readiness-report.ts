/**
 * The readiness summary for people, printed the same way by `incident doctor` and by the
 * postdeploy hook: a table of the checks, who is on duty now, and what needs attention.
 */
import { Messages } from '@salesforce/core';
import type { Ux } from '@salesforce/sf-plugins-core';
import type { Readiness } from '../seed/index.ts';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('incident-console', 'incident.doctor');

/** Where the summary goes: an SfCommand (its log and table) or sf-plugins-core's Ux in a hook. */
export type ReportOutput = Pick<Ux, 'log' | 'table'>;

export function printReadiness(
  out: ReportOutput,
  readiness: Readiness,
  username: string
): void {
  const status = (ok: boolean): string =>
    messages.getMessage(ok ? 'report.ok' : 'report.attention');
  const { matrix, slaPolicy, roster } = readiness;
  // The roles checkReadiness named in its attention lines (nobody, or gaps, in the next 24 h).
  const uncovered = roster.coverage
    .map((role) => role.role)
    .filter((role) =>
      readiness.attention.some((line) => line.startsWith(`${role}:`))
    );
  out.log(messages.getMessage('report.title', [username, readiness.checkedAt]));
  out.table({
    data: [
      {
        check: messages.getMessage('report.check.matrix'),
        status: status(matrix.complete),
        detail: matrix.complete
          ? messages.getMessage('report.matrixComplete')
          : matrix.problems.join('; ')
      },
      {
        check: messages.getMessage('report.check.sla'),
        status: status(slaPolicy.problems.length === 0),
        detail: [
          slaPolicy.severities.length > 0
            ? messages.getMessage('report.slaSeverities', [
                slaPolicy.severities.join(', ')
              ])
            : messages.getMessage('report.noSla'),
          ...slaPolicy.problems
        ].join('; ')
      },
      {
        check: messages.getMessage('report.check.roster'),
        status: status(roster.memberProblems.length === 0),
        detail: messages.getMessage('report.rosterCounts', [
          roster.members,
          roster.active,
          roster.memberProblems.length
        ])
      },
      {
        check: messages.getMessage('report.check.coverage'),
        status: status(uncovered.length === 0),
        detail:
          uncovered.length === 0
            ? messages.getMessage('report.covered')
            : messages.getMessage('report.uncovered', [uncovered.join(', ')])
      }
    ],
    columns: [
      { key: 'check', name: 'Check' },
      { key: 'status', name: 'Status' },
      { key: 'detail', name: 'Detail' }
    ]
  });
  if (roster.onDutyNow.length === 0)
    out.log(messages.getMessage('report.nobodyOnDuty'));
  else {
    out.log(messages.getMessage('report.onDutyNow'));
    out.table({
      data: roster.onDutyNow.map((member) => ({
        name: member.name,
        role: member.role,
        until: member.endsAt ?? messages.getMessage('report.alwaysOn')
      })),
      columns: [
        { key: 'name', name: 'Name' },
        { key: 'role', name: 'Role' },
        { key: 'until', name: 'Until' }
      ]
    });
  }
  if (readiness.needsAttention) {
    out.log(messages.getMessage('report.needsAttention'));
    for (const line of readiness.attention) out.log(`- ${line}`);
  } else out.log(messages.getMessage('report.ready'));
}
