/**
 * Is the org's incident plan usable right now? For `incident doctor` and the postdeploy hook:
 * the matrix is complete, which severities have an SLA, roster members whose users are missing
 * or inactive, who is on duty now, and any role with nobody on duty in the next 24 hours. Three
 * queries; the rules are incidentRules' (validateRules, validatePolicy, shiftStatus).
 */
import {
  shiftStatus,
  validatePolicy,
  validateRules
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import { OrgClient, type OrgConnection } from '../org-client/index.ts';
import { ROSTER_FIELDS, ROSTER_OBJECT } from './roster.ts';
import { ROLES, type Role } from './plan-schema.ts';

const HOUR_MS = 3_600_000;
/** How far ahead coverage is checked. */
export const COVERAGE_HOURS = 24;
/** The role that must be covered around the clock. */
const ALWAYS_COVERED: Role = 'On-Duty Customer Service Manager';

export interface DutyPeriod {
  from: string;
  to: string;
}

export interface MemberDuty {
  key: string | null;
  name: string;
  role: string;
  /** When the current duty ends; null when always on. */
  endsAt: string | null;
}

export interface RoleCoverage {
  role: Role;
  activeMembers: number;
  onDutyNow: number;
  /** Periods within the next 24 h when no active member of the role is on duty. */
  gaps: DutyPeriod[];
  /** Nobody of this role is on duty at any moment of the next 24 h. */
  nobodyInNext24h: boolean;
}

export interface MemberProblem {
  key: string | null;
  name: string;
  problem: string;
}

export interface Readiness {
  checkedAt: string;
  needsAttention: boolean;
  /** One line per thing that needs attention, in the order of the sections below. */
  attention: string[];
  matrix: { complete: boolean; problems: string[] };
  slaPolicy: { severities: number[]; problems: string[] };
  roster: {
    members: number;
    active: number;
    memberProblems: MemberProblem[];
    onDutyNow: MemberDuty[];
    coverage: RoleCoverage[];
  };
  apiCalls: number;
}

interface MemberRow {
  Id: string;
  External_Id__c: string | null;
  Name: string;
  Role__c: string;
  User__c: string | null;
  Active__c: boolean;
  Shift__c: string | null;
  User__r?: { IsActive: boolean; Username: string } | null;
}

/** Reads the org's plan and reports on it at `now`. */
export async function checkReadiness(
  conn: OrgConnection | OrgClient,
  now: Date = new Date()
): Promise<Readiness> {
  const client = OrgClient.of(conn);
  const startCalls = client.apiCalls;
  const [rules, policy, members] = await Promise.all([
    client.queryAll<Record<string, unknown>>(
      'SELECT Urgency__c, Impact__c, Severity__c, Priority__c FROM Incident_Severity_Rule__mdt'
    ),
    client.queryAll<Record<string, unknown>>(
      'SELECT Severity__c, Response_Minutes__c, Resolution_Minutes__c, Warning_Percent__c, Business_Hours__c FROM Incident_Sla_Policy__mdt'
    ),
    client.queryAll<MemberRow>(
      `SELECT Id, External_Id__c, ${ROSTER_FIELDS.join(', ')}, User__r.IsActive, User__r.Username FROM ${ROSTER_OBJECT}`
    )
  ]);
  const attention: string[] = [];

  const matrixProblems = validateRules(rules).map((p) => p.message);
  if (matrixProblems.length > 0)
    attention.push(`Severity matrix: ${matrixProblems.join('; ')}`);
  const policyProblems = validatePolicy(policy).map((p) => p.message);
  if (policyProblems.length > 0)
    attention.push(`SLA policy: ${policyProblems.join('; ')}`);
  const severities = [
    ...new Set(policy.map((row) => Number(row.Severity__c)))
  ].sort((a, b) => a - b);

  const active = members.filter((m) => m.Active__c);
  const memberProblems: MemberProblem[] = [];
  const onDutyNow: MemberDuty[] = [];
  const horizon = now.getTime() + COVERAGE_HOURS * HOUR_MS;
  const dutyByRole = new Map<string, [number, number][]>();
  for (const member of active) {
    const who = { key: member.External_Id__c, name: member.Name };
    if (member.User__c !== null && !member.User__r)
      memberProblems.push({ ...who, problem: 'its user no longer exists' });
    else if (member.User__r && !member.User__r.IsActive)
      memberProblems.push({
        ...who,
        problem: `its user ${member.User__r.Username} is inactive`
      });
    let periods: [number, number][];
    try {
      periods = dutyPeriods(member.Shift__c, now.getTime(), horizon);
    } catch (error) {
      memberProblems.push({
        ...who,
        problem: `its shift is invalid: ${(error as Error).message}`
      });
      continue;
    }
    const current = periods.find(([from]) => from <= now.getTime());
    if (current)
      onDutyNow.push({
        ...who,
        role: member.Role__c,
        endsAt:
          current[1] >= horizon
            ? (shiftStatus(member.Shift__c, now).endsAt?.toISOString() ?? null)
            : new Date(current[1]).toISOString()
      });
    dutyByRole.set(member.Role__c, [
      ...(dutyByRole.get(member.Role__c) ?? []),
      ...periods
    ]);
  }
  for (const problem of memberProblems)
    attention.push(
      `Roster member ${problem.name}${problem.key ? ` (${problem.key})` : ''}: ${problem.problem}`
    );

  const coverage = ROLES.map((role): RoleCoverage => {
    const periods = dutyByRole.get(role) ?? [];
    const gaps = gapsIn(periods, now.getTime(), horizon);
    return {
      role,
      activeMembers: active.filter((m) => m.Role__c === role).length,
      onDutyNow: onDutyNow.filter((m) => m.role === role).length,
      gaps: gaps.map(([from, to]) => ({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString()
      })),
      nobodyInNext24h: periods.length === 0
    };
  });
  for (const role of coverage) {
    if (role.nobodyInNext24h)
      attention.push(
        `${role.role}: nobody on duty in the next ${COVERAGE_HOURS} hours`
      );
    else if (role.role === ALWAYS_COVERED && role.gaps.length > 0)
      attention.push(
        `${role.role}: nobody on duty ${role.gaps.map((g) => `${g.from} to ${g.to}`).join(', ')}`
      );
  }

  return {
    checkedAt: now.toISOString(),
    needsAttention: attention.length > 0,
    attention,
    matrix: { complete: matrixProblems.length === 0, problems: matrixProblems },
    slaPolicy: { severities, problems: policyProblems },
    roster: {
      members: members.length,
      active: active.length,
      memberProblems,
      onDutyNow,
      coverage
    },
    apiCalls: client.apiCalls - startCalls
  };
}

/**
 * A member's on-duty periods between `from` and `to`, clipped to them, by walking shiftStatus
 * from duty end to next start. Throws for an invalid shift.
 */
export function dutyPeriods(
  shift: string | null,
  from: number,
  to: number
): [number, number][] {
  const periods: [number, number][] = [];
  let at = from;
  while (at < to) {
    const status = shiftStatus(shift, new Date(at));
    if (status.onDuty) {
      const end = Math.min(status.endsAt?.getTime() ?? to, to);
      periods.push([at, end]);
      at = end;
    } else {
      const next = status.nextStartAt?.getTime();
      if (next === undefined || next >= to) break;
      at = next;
    }
  }
  return periods;
}

/** The parts of [from, to) that no period covers. */
export function gapsIn(
  periods: [number, number][],
  from: number,
  to: number
): [number, number][] {
  const gaps: [number, number][] = [];
  let covered = from;
  for (const [start, end] of [...periods].sort((a, b) => a[0] - b[0])) {
    if (start > covered) gaps.push([covered, Math.min(start, to)]);
    covered = Math.max(covered, end);
    if (covered >= to) break;
  }
  if (covered < to) gaps.push([covered, to]);
  return gaps;
}
