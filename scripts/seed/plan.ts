/**
 * Reads and checks an incident plan file: JSON syntax, the zod shape (plan-schema.ts), the
 * matrix, SLA and shift rules of incidentRules, and the roster's own rules. Every problem is
 * reported at once, each naming the file, the JSON path and the rule it breaks.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  validatePolicy,
  validateRules,
  validateShift
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import { mergeTemplate } from '../../force-app/main/default/lwc/incidentRules/communications.js';
import {
  planSchema,
  ROLES,
  type Plan,
  type PlanMember,
  type Role
} from './plan-schema.ts';
import { responsePlanProblems } from '../respond/plan.ts';

/** One problem: `path` is a JSON path into the file, e.g. `roster[4].user`, or `(top level)`. */
export interface PlanProblem {
  path: string;
  message: string;
}

export const TOP_LEVEL = '(top level)';

/** A plan that cannot be used; `problems` holds every problem found. */
export class PlanError extends Error {
  readonly problems: PlanProblem[];

  constructor(
    readonly file: string,
    problems: PlanProblem[]
  ) {
    const sorted = sortByPath(problems);
    super(sorted.map((p) => formatProblem(file, p)).join('\n'));
    this.problems = sorted;
    this.name = 'PlanError';
  }
}

export function formatProblem(file: string, problem: PlanProblem): string {
  return `${file}: ${problem.path}: ${problem.message}`;
}

/** Reads and checks a plan file; throws PlanError listing every problem. */
export function loadPlan(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlanError(file, [
      {
        path: TOP_LEVEL,
        message: `cannot be read: ${(error as Error).message}`
      }
    ]);
  }
  return parsePlan(text, file);
}

/** Checks a plan's text; throws PlanError listing every problem. */
export function parsePlan(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlanError(file, [
      { path: TOP_LEVEL, message: jsonSyntaxMessage(text, error) }
    ]);
  }
  const result = planSchema.safeParse(value);
  const problems = result.success
    ? []
    : result.error.issues.flatMap((issue) => shapeProblems(issue, value));
  const flagged = new Set(problems.map((p) => p.path));
  const ruleProblems = [
    ...matrixProblems(value),
    ...policyProblems(value),
    ...rosterProblems(value),
    ...communicationsProblems(value),
    ...responsePlanProblems(value)
  ].filter((p) => !isFlagged(p.path, flagged));
  problems.push(...ruleProblems);
  if (!result.success || problems.length > 0)
    throw new PlanError(file, problems);
  return result.data;
}

/** A problem at `path` is already covered when zod flagged the path or one that contains it. */
function isFlagged(path: string, flagged: Set<string>): boolean {
  for (const done of flagged)
    if (
      path === done ||
      path.startsWith(`${done}.`) ||
      path.startsWith(`${done}[`)
    )
      return true;
  return false;
}

/** Problems in file order as far as paths tell it, keeping each section's own order. */
function sortByPath(problems: PlanProblem[]): PlanProblem[] {
  const order = [
    TOP_LEVEL,
    'severityMatrix',
    'priorities',
    'slaPolicy',
    'keyAccounts',
    'roster',
    'communications',
    'responsePlan',
    'cases'
  ];
  const rank = (path: string): number => {
    const index = order.findIndex(
      (top) =>
        path === top || path.startsWith(`${top}.`) || path.startsWith(`${top}[`)
    );
    return index === -1 ? order.length : index;
  };
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        rank(a.problem.path) - rank(b.problem.path) ||
        indexOf(a.problem.path) - indexOf(b.problem.path) ||
        a.index - b.index
    )
    .map(({ problem }) => problem);
}

/** The first array index in a path (roster[12].user -> 12), so problems follow record order. */
function indexOf(path: string): number {
  const match = /\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : -1;
}

function jsonSyntaxMessage(text: string, error: unknown): string {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return `is not valid JSON: ${message}`;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? TOP_LEVEL : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A value as the user wrote it, for messages. */
export function asWritten(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object'
};

/** zod's issue in the plan's words: the path, and the rule with the value found. */
function shapeProblems(issue: z.core.$ZodIssue, root: unknown): PlanProblem[] {
  const path = jsonPath(issue.path);
  const found = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined)
        return [
          {
            path,
            message: `is required (${TYPE_NAMES[issue.expected] ?? issue.expected})`
          }
        ];
      return [
        {
          path,
          message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${asWritten(found)}`
        }
      ];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: jsonPath([...issue.path, key]),
        message:
          path === 'priorities'
            ? 'is not a severity: priorities maps severities "1" to "5"'
            : 'is not a field of the plan here (check the spelling)'
      }));
    case 'invalid_value':
      return [
        {
          path,
          message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${asWritten(found)}`
        }
      ];
    case 'too_small':
      return [
        {
          path,
          message: sizeRule('at least', issue.origin, issue.minimum, found)
        }
      ];
    case 'too_big':
      return [
        {
          path,
          message: sizeRule('at most', issue.origin, issue.maximum, found)
        }
      ];
    case 'invalid_format':
      return [
        {
          path,
          message:
            issue.format === 'email'
              ? `must be an email address, got ${asWritten(found)}`
              : `${issue.message}, got ${asWritten(found)}`
        }
      ];
    default:
      return [{ path, message: `${issue.message}, got ${asWritten(found)}` }];
  }
}

function sizeRule(
  bound: string,
  origin: string,
  limit: number | bigint,
  found: unknown
): string {
  const n = Number(limit);
  if (origin === 'string')
    return n === 1 && bound === 'at least'
      ? 'must not be empty'
      : `must have ${bound} ${n} characters, got ${String((found as string).length)}`;
  if (origin === 'array') return `must have ${bound} ${n} items`;
  return `must be ${bound} ${n}, got ${asWritten(found)}`;
}

/** Plan key of each custom metadata field, to put incidentRules' messages in the plan's words. */
const PLAN_KEYS: Record<string, string> = {
  Urgency__c: 'urgency',
  Impact__c: 'impact',
  Severity__c: 'severity',
  Priority__c: 'priority',
  Response_Minutes__c: 'responseMinutes',
  Resolution_Minutes__c: 'resolutionMinutes',
  Warning_Percent__c: 'warningPercent',
  Business_Hours__c: 'businessHours'
};

function inPlanWords(message: string, list: string): string {
  return message
    .replace(/^(Severity rules|SLA policy): /, '')
    .replace(/^(Severity rule|SLA policy row) \d+: /, '')
    .replace(/\b[A-Z][A-Za-z_]*__c\b/g, (name) => PLAN_KEYS[name] ?? name)
    .replace(
      /\b(?:rule|row) (\d+)/g,
      (_, index: string) => `${list}[${index}]`
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plan priority of a severity, if the plan maps it and the severity is a number. */
function priorityOf(
  value: Record<string, unknown>,
  severity: unknown
): unknown {
  const priorities = value.priorities;
  return isRecord(priorities) && typeof severity === 'number'
    ? priorities[String(severity)]
    : undefined;
}

/** The plan's severity matrix as Incident_Severity_Rule__mdt field values (unchecked). */
function matrixRecords(value: Record<string, unknown>): unknown {
  const cells = value.severityMatrix;
  if (!Array.isArray(cells)) return cells;
  return cells.map((cell: unknown) => {
    if (!isRecord(cell)) return cell;
    const priority = priorityOf(value, cell.severity);
    return {
      Urgency__c: cell.urgency,
      Impact__c: cell.impact,
      Severity__c: cell.severity,
      ...(typeof priority === 'string' ? { Priority__c: priority } : {})
    };
  });
}

function matrixProblems(value: unknown): PlanProblem[] {
  if (!isRecord(value) || !Array.isArray(value.severityMatrix)) return [];
  const cells = value.severityMatrix as unknown[];
  return validateRules(matrixRecords(value)).map((problem) => {
    const cell =
      problem.record === undefined ? undefined : cells[problem.record];
    if (problem.field === 'Priority__c' && isRecord(cell))
      return {
        path: `priorities.${String(cell.severity)}`,
        message: inPlanWords(problem.message, 'severityMatrix')
      };
    if (problem.code === 'missing-cell') {
      const [, urgency, impact] =
        /urgency (\d).*impact (\d)/.exec(problem.message) ?? [];
      return {
        path: 'severityMatrix',
        message: `cell urgency ${String(urgency)} / impact ${String(impact)} is missing`
      };
    }
    return {
      path: recordPath('severityMatrix', problem.record, problem.field),
      message: inPlanWords(problem.message, 'severityMatrix')
    };
  });
}

function policyProblems(value: unknown): PlanProblem[] {
  if (!isRecord(value) || !isRecord(value.slaPolicy)) return [];
  const { targets, businessHours } = value.slaPolicy;
  if (!Array.isArray(targets)) return [];
  const rows = targets.map((target: unknown) =>
    isRecord(target)
      ? {
          Severity__c: target.severity,
          Response_Minutes__c: target.responseMinutes,
          Resolution_Minutes__c: target.resolutionMinutes,
          Warning_Percent__c: target.warningPercent,
          Business_Hours__c: target.businessHours ?? businessHours ?? null
        }
      : target
  );
  return validatePolicy(rows).map((problem) => {
    const target: unknown =
      problem.record === undefined ? undefined : targets[problem.record];
    // A business hours name that is too long is the global one unless the row overrides it.
    const path =
      problem.field === 'Business_Hours__c' &&
      !(isRecord(target) && target.businessHours !== undefined)
        ? 'slaPolicy.businessHours'
        : recordPath('slaPolicy.targets', problem.record, problem.field);
    return { path, message: inPlanWords(problem.message, 'slaPolicy.targets') };
  });
}

/**
 * The communications section's value rules: a cadence lives on an SLA policy row, so each
 * severity must be one with targets, once, with a positive whole number of minutes (or null); a
 * template's merge fields must be known (incidentRules' mergeTemplate) and its name unique.
 */
function communicationsProblems(value: unknown): PlanProblem[] {
  if (!isRecord(value) || !isRecord(value.communications)) return [];
  const { cadence, templates } = value.communications;
  const problems: PlanProblem[] = [];
  const targets =
    isRecord(value.slaPolicy) && Array.isArray(value.slaPolicy.targets)
      ? value.slaPolicy.targets
      : [];
  const withTargets = new Set(
    targets.map((t: unknown) => (isRecord(t) ? t.severity : undefined))
  );
  const seen = new Set<unknown>();
  (Array.isArray(cadence) ? cadence : []).forEach((row: unknown, i) => {
    if (!isRecord(row)) return;
    const at = `communications.cadence[${i}]`;
    if (seen.has(row.severity))
      problems.push({
        path: `${at}.severity`,
        message: `severity ${asWritten(row.severity)} is listed twice`
      });
    seen.add(row.severity);
    if (!withTargets.has(row.severity))
      problems.push({
        path: `${at}.severity`,
        message: `severity ${asWritten(row.severity)} has no slaPolicy.targets entry; the cadence is kept on that severity's SLA policy record, so add its targets first`
      });
    const minutes = row.updateMinutes;
    if (
      minutes !== null &&
      !(typeof minutes === 'number' && Number.isInteger(minutes) && minutes > 0)
    )
      problems.push({
        path: `${at}.updateMinutes`,
        message: `must be a whole number of minutes above 0, or null for no cadence, not ${asWritten(minutes)}`
      });
  });
  const stages = new Set<unknown>();
  (Array.isArray(templates) ? templates : []).forEach((t: unknown, i) => {
    if (!isRecord(t)) return;
    const at = `communications.templates[${i}]`;
    if (stages.has(t.stage))
      problems.push({
        path: `${at}.stage`,
        message: `the stage ${asWritten(t.stage)} has two templates; give each stage one`
      });
    stages.add(t.stage);
    for (const part of ['subject', 'body'] as const) {
      const text = typeof t[part] === 'string' ? t[part] : '';
      // Merged alone (the other part blank), so each problem names the part that has it.
      const merged = mergeTemplate({ subject: '', body: '', [part]: text }, {});
      for (const problem of merged.problems)
        if (problem.code === 'unknown-merge-field')
          problems.push({ path: `${at}.${part}`, message: problem.message });
    }
  });
  return problems;
}

/** The SLA policy's Update_Minutes__c per severity from the plan's cadence (absent: unset). */
export function updateMinutesBySeverity(
  plan: Plan
): Map<number, number | null> {
  return new Map(
    (plan.communications?.cadence ?? []).map((row) => [
      row.severity,
      row.updateMinutes
    ])
  );
}

/** The plan's communication templates as custom metadata values, one per stage. */
export function commTemplateValues(plan: Plan): {
  Stage__c: string;
  Subject__c: string;
  Body__c: string;
}[] {
  return (plan.communications?.templates ?? []).map((t) => ({
    Stage__c: t.stage,
    Subject__c: t.subject,
    Body__c: t.body
  }));
}

function recordPath(
  list: string,
  record: number | undefined,
  field: string | undefined
): string {
  if (record === undefined) return list;
  const key = field === undefined ? undefined : PLAN_KEYS[field];
  return `${list}[${record}]${key === undefined ? '' : `.${key}`}`;
}

/** Expertise__c: the member's categories, sub-categories and products, semicolon-separated. */
export function expertiseText(expertise: PlanMember['expertise']): string {
  if (!expertise) return '';
  return [
    ...new Set([
      ...expertise.categories,
      ...expertise.subCategories,
      ...expertise.products
    ])
  ].join(';');
}

/** Expertise__c is Text(255). */
const EXPERTISE_LENGTH = 255;

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The roster's own rules, on whatever parts of each member have the right type. */
function rosterProblems(value: unknown): PlanProblem[] {
  if (!isRecord(value)) return [];
  const problems: PlanProblem[] = [];
  const keyAccounts = Array.isArray(value.keyAccounts) ? value.keyAccounts : [];
  const accountNames = new Map<string, number>();
  keyAccounts.forEach((account: unknown, index) => {
    if (!isRecord(account) || typeof account.name !== 'string') return;
    const name = account.name.toLowerCase();
    const first = accountNames.get(name);
    if (first === undefined) accountNames.set(name, index);
    else
      problems.push({
        path: `keyAccounts[${index}].name`,
        message: `${JSON.stringify(account.name)} is already listed at keyAccounts[${first}]`
      });
  });
  if (!Array.isArray(value.roster)) return problems;
  const keys = new Map<string, number>();
  value.roster.forEach((member: unknown, index) => {
    if (!isRecord(member)) return;
    const at = `roster[${index}]`;
    if (typeof member.key === 'string') {
      // External_Id__c is case-insensitive: "Owner-1" and "owner-1" are one record.
      const key = member.key.toLowerCase();
      const first = keys.get(key);
      if (first === undefined) keys.set(key, index);
      else
        problems.push({
          path: `${at}.key`,
          message: `${JSON.stringify(member.key)} is already the key of roster[${first}] (keys ignore case)`
        });
    }
    if (member.user === undefined && member.email === undefined)
      problems.push({
        path: at,
        message:
          'needs a user (username or email of a Salesforce user) or an email'
      });
    // Role-specific rules need a known role; an unknown one is already a shape problem.
    const role = (ROLES as readonly unknown[]).includes(member.role)
      ? (member.role as Role)
      : undefined;
    if (role === 'Service Level Manager' && member.account === undefined)
      problems.push({
        path: `${at}.account`,
        message:
          'is required for a Service Level Manager (the account they watch)'
      });
    if (
      role !== undefined &&
      role !== 'Service Level Manager' &&
      member.account !== undefined
    )
      problems.push({
        path: `${at}.account`,
        message: `applies to a Service Level Manager only, not to a ${role}`
      });
    const expertise = isRecord(member.expertise) ? member.expertise : {};
    const items = [
      ...strings(expertise.categories),
      ...strings(expertise.subCategories),
      ...strings(expertise.products)
    ];
    if (role === 'Technical Expert' && items.length === 0)
      problems.push({
        path: `${at}.expertise`,
        message:
          'is required for a Technical Expert: at least one category, sub-category or product'
      });
    const text = [...new Set(items)].join(';');
    if (text.length > EXPERTISE_LENGTH)
      problems.push({
        path: `${at}.expertise`,
        message: `joins to ${text.length} characters; Expertise__c holds ${EXPERTISE_LENGTH}`
      });
    for (const item of items)
      if (item.includes(';'))
        problems.push({
          path: `${at}.expertise`,
          message: `${JSON.stringify(item)} contains ';', which separates entries in Expertise__c`
        });
    if (member.shift !== undefined)
      for (const problem of validateShift(member.shift))
        problems.push({ path: `${at}.shift`, message: problem.message });
  });
  return problems;
}

/** The plan's severity matrix as custom metadata values, priorities applied. */
export function severityRuleValues(plan: Plan): {
  Urgency__c: number;
  Impact__c: number;
  Severity__c: number;
  Priority__c: string | null;
}[] {
  return plan.severityMatrix.map((cell) => ({
    Urgency__c: cell.urgency,
    Impact__c: cell.impact,
    Severity__c: cell.severity,
    Priority__c:
      plan.priorities?.[String(cell.severity) as '1' | '2' | '3' | '4' | '5'] ??
      null
  }));
}

/** The plan's SLA targets as custom metadata values, the business hours name resolved. */
export function slaPolicyValues(plan: Plan): {
  Severity__c: number;
  Response_Minutes__c: number;
  Resolution_Minutes__c: number;
  Warning_Percent__c: number;
  Business_Hours__c: string | null;
}[] {
  return plan.slaPolicy.targets.map((target) => ({
    Severity__c: target.severity,
    Response_Minutes__c: target.responseMinutes,
    Resolution_Minutes__c: target.resolutionMinutes,
    Warning_Percent__c: target.warningPercent,
    Business_Hours__c:
      target.businessHours ?? plan.slaPolicy.businessHours ?? null
  }));
}
