/**
 * The preview's stand-in for the Apex IncidentConsoleController (getConsole, getRoster,
 * getLinkedCases): the same answers, in the same JSON shape, read from an org's REST API
 * instead of Apex. It follows force-app/main/default/classes/IncidentConsoleController.cls,
 * IncidentRosterService.cls, LinkedCaseSelector.cls, RelatedProductSelector.cls and
 * BusinessCalendarService.cls; staticresources/incidentConsoleContract.json holds both sides to
 * the same records-in, answer-out cases (contract.test.ts here, IncidentConsoleContractTest in
 * Apex).
 *
 * Differences that are the local org's, not the controller's: there is one user, who may read
 * and edit everything, so the access checks (user mode, UserRecordAccess) always pass; and the
 * local org applies every holiday to every business hours, where the Apex confirms each with
 * BusinessHours.isWithin.
 */
import { transientKind, type OrgClient } from '../../org-client/index.ts';
import {
  WEEKDAYS,
  rosterCallOrder,
  severityFor,
  toLevel,
  validateRules
} from '../../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import { holidayDates } from '../../local-org/business-hours.ts';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 200;
const MAX_OFFSET = 2000;
const CALENDAR_DAYS_AHEAD = 60;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTES_PER_DAY = 1440;
const CALENDAR_ERROR =
  'The business hours calendar could not be read, so the SLA timers cannot tell open from closed hours: ';

const ROLE_OWNER = 'Incident Owner';
const ROLE_EXPERT = 'Technical Expert';
const ROLE_SERVICE_LEVEL_MANAGER = 'Service Level Manager';
const ROLE_ON_DUTY_MANAGER = 'On-Duty Customer Service Manager';

/** An AuraHandledException: its message is what the component shows. */
export class ApexError extends Error {
  override name = 'AuraHandledException';
}

type SObjectRow = Record<string, unknown>;
type IssueType = 'Incident' | 'Problem' | 'ChangeRequest';

export interface RuleCell {
  urgency: number | null;
  impact: number | null;
  severity: number | null;
  /** Priority__c: the Incident priority of this severity; null (blank) = the default mapping. */
  priority: string | null;
}

export interface PolicyRow {
  severity: number | null;
  responseMinutes: number | null;
  resolutionMinutes: number | null;
  warningPercent: number | null;
}

export interface ConsoleCalendar {
  timeZone: string;
  weekly: Record<string, { start: string; end: string } | null>;
  holidays: {
    date: string;
    name: string;
    startMinutes?: number;
    endMinutes?: number;
  }[];
}

export interface ConsoleData {
  recordId: string;
  objectApiName: IssueType;
  subject: string | null;
  status: string | null;
  urgency: string | null;
  impact: string | null;
  severity: number | null;
  priority: string | null;
  detectedAt: string | null;
  responseDue: string | null;
  resolutionDue: string | null;
  respondedAt: string | null;
  resolvedAt: string | null;
  canEdit: boolean;
  rules: RuleCell[];
  policy: PolicyRow[];
  calendar: ConsoleCalendar | null;
  /** Why calendar is null although the record has an SLA clock; null when it loaded. */
  calendarError: string | null;
}

export interface CaseRow {
  id: string;
  caseNumber: string | null;
  subject: string | null;
  status: string | null;
  isClosed: boolean;
  priority: string | null;
  accountName: string | null;
  contactName: string | null;
  createdDate: string | null;
}

export interface CasePage {
  total: number;
  openCount: number;
  closedCount: number;
  affectedAccounts: number;
  pageNumber: number;
  pageSize: number;
  cases: CaseRow[];
}

/** IncidentRosterService.RosterEntry, with the on-duty fields of contract C2. */
export interface RosterEntry {
  id: string;
  role: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  expertise: string | null;
  accountName: string | null;
  reason: string;
  onDuty: boolean;
  shiftEndsAt: string | null;
  nextOnDutyAt: string | null;
  timeZone: string | null;
  callOrder: number;
}

/** What the controller needs besides the connection: the clock (tests pin it). */
export interface ControllerOptions {
  now?: () => Date;
}

export const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Key prefixes per connection: one describeGlobal, as Apex knows an Id's type for free. */
const prefixCache = new WeakMap<OrgClient, Promise<Map<string, string>>>();

/** The sObject type of an Id, from its key prefix (the prefix itself when unknown). */
export async function objectTypeOf(
  org: OrgClient,
  recordId: string
): Promise<string> {
  let prefixes = prefixCache.get(org);
  if (!prefixes) {
    prefixes = restGet<{
      sobjects: { name: string; keyPrefix: string | null }[];
    }>(org, 'describeGlobal', '/sobjects').then(
      (global) =>
        new Map(
          global.sobjects.flatMap((sobject) =>
            sobject.keyPrefix ? [[sobject.keyPrefix, sobject.name]] : []
          )
        )
    );
    prefixCache.set(org, prefixes);
    // A failed describe (org down) must not stick: the next call tries again.
    prefixes.catch(() => prefixCache.delete(org));
  }
  return (await prefixes).get(recordId.slice(0, 3)) ?? recordId.slice(0, 3);
}

/** Id.valueOf: Apex refuses a malformed Id before the method runs. */
function checkId(recordId: unknown): string {
  if (recordId === null || recordId === undefined || recordId === '') {
    throw new ApexError('The incident console needs a record Id.');
  }
  if (typeof recordId !== 'string' || !ID_PATTERN.test(recordId)) {
    throw new ApexError(`Invalid id: ${JSON.stringify(recordId)}`);
  }
  return recordId;
}

async function supportedType(
  org: OrgClient,
  recordId: unknown
): Promise<{ id: string; type: IssueType }> {
  const id = checkId(recordId);
  const type = await objectTypeOf(org, id);
  if (type !== 'Incident' && type !== 'Problem' && type !== 'ChangeRequest') {
    throw new ApexError(
      `The incident console works on Incident, Problem and Change Request records, not on ${type} (${id}).`
    );
  }
  return { id, type };
}

/** A GET of the REST API under /services/data/vNN.N, retried as the shared client retries reads. */
export function restGet<T>(
  org: OrgClient,
  what: string,
  path: string
): Promise<T> {
  return org.read(what, () =>
    org.conn.request<T>({
      method: 'GET',
      url: `/services/data/v${org.conn.version}${path}`
    })
  );
}

/** SOQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function inList(ids: Iterable<string>): string {
  return `(${[...ids].map(literal).join(', ')})`;
}

/** Every row of a query, page by page, through the shared client (C7). */
export function queryAll(org: OrgClient, soql: string): Promise<SObjectRow[]> {
  return org.queryAll<SObjectRow>(soql);
}

const RECORD_FIELDS: Record<IssueType, string> = {
  Incident:
    'Id, Subject, Status, Urgency, Impact, Priority, Severity__c, DetectedDateTime, CreatedDate, Sla_Response_Due__c, Sla_Resolution_Due__c, Sla_Responded_At__c, ResolutionDateTime, BusinessHoursId, Category, SubCategory, OwnerId, Owner.Name',
  Problem:
    'Id, Subject, Status, Urgency, Impact, Priority, ResolutionDateTime, CreatedDate, Category, SubCategory, OwnerId, Owner.Name',
  ChangeRequest:
    'Id, Subject, Status, Impact, Priority, CreatedDate, Category, OwnerId, Owner.Name'
};

async function readRecord(
  org: OrgClient,
  recordId: unknown
): Promise<{ record: SObjectRow; type: IssueType }> {
  const { id, type } = await supportedType(org, recordId);
  const rows = await queryAll(
    org,
    `SELECT ${RECORD_FIELDS[type]} FROM ${type} WHERE Id = ${literal(id)} LIMIT 1`
  );
  const record = rows[0];
  if (!record) {
    throw new ApexError(
      `The ${type} record ${id} does not exist or is not shared with you.`
    );
  }
  return { record, type };
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function integer(value: unknown): number | null {
  return typeof value === 'number' ? Math.trunc(value) : null;
}

/** Apex's formatGmt('yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\''). */
export function iso(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return new Date(value).toISOString();
}

export function relationName(
  record: SObjectRow,
  relationship: string
): string | null {
  const related = record[relationship];
  return related && typeof related === 'object'
    ? text((related as SObjectRow).Name)
    : null;
}

export async function ruleCells(org: OrgClient): Promise<RuleCell[]> {
  const rows = await queryAll(
    org,
    'SELECT Urgency__c, Impact__c, Severity__c, Priority__c FROM Incident_Severity_Rule__mdt ORDER BY Urgency__c, Impact__c'
  );
  return rows.map((row) => {
    const priority = text(row.Priority__c)?.trim();
    return {
      urgency: integer(row.Urgency__c),
      impact: integer(row.Impact__c),
      severity: integer(row.Severity__c),
      priority: priority === undefined || priority === '' ? null : priority
    };
  });
}

export async function policyRows(org: OrgClient): Promise<PolicyRow[]> {
  const rows = await queryAll(
    org,
    'SELECT Severity__c, Response_Minutes__c, Resolution_Minutes__c, Warning_Percent__c FROM Incident_Sla_Policy__mdt ORDER BY Severity__c'
  );
  return rows.map((row) => ({
    severity: integer(row.Severity__c),
    responseMinutes: integer(row.Response_Minutes__c),
    resolutionMinutes: integer(row.Resolution_Minutes__c),
    warningPercent: integer(row.Warning_Percent__c)
  }));
}

/** IncidentConsoleController.derivedSeverity: null unless the matrix and both levels are valid. */
function derivedSeverity(
  rules: RuleCell[],
  urgency: string | null,
  impact: string | null
): number | null {
  const records = rules.map((rule) => ({
    Urgency__c: rule.urgency,
    Impact__c: rule.impact,
    Severity__c: rule.severity
  }));
  if (validateRules(records).length > 0 || urgency === null || impact === null)
    return null;
  try {
    toLevel(urgency);
    toLevel(impact);
  } catch {
    return null;
  }
  // validateRules passed: the records are the nine well-formed cells severityFor expects.
  return severityFor(
    records as Parameters<typeof severityFor>[0],
    urgency,
    impact
  );
}

const BUSINESS_HOURS_FIELDS = [
  'Id',
  'Name',
  'IsDefault',
  'TimeZoneSidKey',
  ...WEEKDAYS.flatMap((day) => {
    const prefix = day.charAt(0).toUpperCase() + day.slice(1);
    return [`${prefix}StartTime`, `${prefix}EndTime`];
  })
].join(', ');

/** BusinessHoursSelector.byIdOrDefault. */
async function businessHours(
  org: OrgClient,
  businessHoursId: string | null
): Promise<SObjectRow | undefined> {
  const where = businessHoursId
    ? `Id = ${literal(businessHoursId)}`
    : 'IsDefault = true';
  const rows = await queryAll(
    org,
    `SELECT ${BUSINESS_HOURS_FIELDS} FROM BusinessHours WHERE ${where} LIMIT 1`
  );
  return rows[0] ?? (businessHoursId ? businessHours(org, null) : undefined);
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function weekdayOf(date: string): string {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  // WEEKDAYS starts on Sunday, as Date.getUTCDay counts.
  return WEEKDAYS[day] ?? 'sunday';
}

/**
 * BusinessCalendarService.calendarFor: the weekly hours, and the holidays between two dates
 * that fall on open hours (the Apex drops the others after asking BusinessHours.isWithin).
 */
async function calendarFor(
  org: OrgClient,
  hours: SObjectRow | undefined,
  fromDate: string,
  toDate: string
): Promise<ConsoleCalendar | null> {
  if (!hours) return null;
  const weekly: ConsoleCalendar['weekly'] = {};
  for (const day of WEEKDAYS) {
    const prefix = day.charAt(0).toUpperCase() + day.slice(1);
    const start = text(hours[`${prefix}StartTime`]);
    const end = text(hours[`${prefix}EndTime`]);
    weekly[day] =
      start && end ? { start: start.slice(0, 5), end: end.slice(0, 5) } : null;
  }
  const candidates = await queryAll(
    org,
    `SELECT Id, Name, ActivityDate, IsAllDay, StartTimeInMinutes, EndTimeInMinutes, IsRecurrence, RecurrenceType, RecurrenceInterval, RecurrenceMonthOfYear, RecurrenceDayOfMonth, RecurrenceStartDate, RecurrenceEndDateOnly FROM Holiday WHERE (IsRecurrence = false AND ActivityDate >= ${fromDate} AND ActivityDate <= ${toDate}) OR (IsRecurrence = true AND RecurrenceType = 'RecursYearly') ORDER BY ActivityDate LIMIT 1000`
  );
  const years = {
    first: Number(fromDate.slice(0, 4)),
    last: Number(toDate.slice(0, 4))
  };
  const holidays: ConsoleCalendar['holidays'] = [];
  for (const holiday of candidates) {
    // holidayDates reads rows as SQLite stores them: checkboxes as 1/0.
    const row = {
      ...holiday,
      IsRecurrence: holiday.IsRecurrence === true ? 1 : 0
    };
    for (const date of holidayDates(row, years)) {
      if (date < fromDate || date > toDate) continue;
      const partial =
        holiday.IsAllDay !== true &&
        typeof holiday.StartTimeInMinutes === 'number' &&
        typeof holiday.EndTimeInMinutes === 'number';
      const window = {
        date,
        name: text(holiday.Name) ?? '',
        ...(partial
          ? {
              startMinutes: holiday.StartTimeInMinutes as number,
              endMinutes: holiday.EndTimeInMinutes as number
            }
          : {})
      };
      if (overlapsOpenHours(weekly[weekdayOf(date)] ?? null, window))
        holidays.push(window);
    }
  }
  return {
    timeZone: text(hours.TimeZoneSidKey) ?? 'UTC',
    weekly,
    holidays
  };
}

/** BusinessCalendarService.appliesTo without the isWithin probe: the holiday closes open hours. */
function overlapsOpenHours(
  day: { start: string; end: string } | null,
  window: { startMinutes?: number; endMinutes?: number }
): boolean {
  if (!day) return false;
  const openFrom = minutesOf(day.start);
  let openTo = minutesOf(day.end);
  if (openTo <= openFrom) openTo = MINUTES_PER_DAY;
  const from = Math.max(openFrom, window.startMinutes ?? 0);
  const to = Math.min(openTo, window.endMinutes ?? MINUTES_PER_DAY);
  return to > from;
}

/**
 * Whether the org answered a query with a refusal of its own (a platform error code such as
 * INSUFFICIENT_ACCESS_OR_READONLY or INVALID_TYPE), what Apex raises as a QueryException. An
 * org that cannot be reached or is overloaded is not one: that fails the whole call.
 */
function isQueryFailure(error: unknown): boolean {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return (
    typeof code === 'string' &&
    !code.startsWith('ERROR_HTTP_5') &&
    transientKind(error) === undefined
  );
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function getConsole(
  org: OrgClient,
  params: { recordId?: unknown },
  options: ControllerOptions = {}
): Promise<ConsoleData> {
  const { record, type } = await readRecord(org, params.recordId);
  const [rules, policy] = await Promise.all([ruleCells(org), policyRows(org)]);
  const now = (options.now ?? (() => new Date()))();
  const data: ConsoleData = {
    recordId: String(record.Id),
    objectApiName: type,
    subject: text(record.Subject),
    status: text(record.Status),
    urgency: null,
    impact: text(record.Impact),
    severity: null,
    priority: text(record.Priority),
    detectedAt: null,
    responseDue: null,
    resolutionDue: null,
    respondedAt: null,
    resolvedAt: null,
    // The local org's one user may edit every record (see the header).
    canEdit: false,
    rules,
    policy,
    calendar: null,
    calendarError: null
  };
  let businessHoursId: string | null = null;
  let calendarFrom = now.getTime();
  let calendarTo = now.getTime();
  if (type === 'Incident') {
    data.urgency = text(record.Urgency);
    data.severity = integer(record.Severity__c);
    // IncidentSlaService.clockStart: detected, else created.
    data.detectedAt = iso(record.DetectedDateTime) ?? iso(record.CreatedDate);
    data.responseDue = iso(record.Sla_Response_Due__c);
    data.resolutionDue = iso(record.Sla_Resolution_Due__c);
    data.respondedAt = iso(record.Sla_Responded_At__c);
    data.resolvedAt = iso(record.ResolutionDateTime);
    data.canEdit = true;
    businessHoursId = text(record.BusinessHoursId);
    if (data.detectedAt)
      calendarFrom = Math.min(calendarFrom, Date.parse(data.detectedAt));
    if (data.resolutionDue)
      calendarTo = Math.max(calendarTo, Date.parse(data.resolutionDue));
  } else if (type === 'Problem') {
    data.urgency = text(record.Urgency);
    data.severity = derivedSeverity(rules, data.urgency, data.impact);
    data.resolvedAt = iso(record.ResolutionDateTime);
    data.canEdit = true;
  }
  // The calendar only refines the SLA timers: when it cannot be read, the record, the matrix
  // and the due times still show, with the reason in calendarError (as the Apex catches a
  // QueryException there).
  try {
    data.calendar = await consoleCalendar(
      org,
      businessHoursId,
      calendarFrom,
      calendarTo
    );
  } catch (error) {
    if (!isQueryFailure(error)) throw error;
    data.calendarError = `${CALENDAR_ERROR}${(error as Error).message}`;
  }
  return data;
}

/**
 * The calendar getConsole sends: the business hours (or the org default) with the holidays
 * from the day before `fromMs` to 60 days after `toMs`.
 */
export async function consoleCalendar(
  org: OrgClient,
  businessHoursId: string | null,
  fromMs: number,
  toMs: number
): Promise<ConsoleCalendar | null> {
  return calendarFor(
    org,
    await businessHours(org, businessHoursId),
    dateOf(fromMs - DAY_MS),
    dateOf(toMs + CALENDAR_DAYS_AHEAD * DAY_MS)
  );
}

/** LinkedCaseSelector.issueIdsFor. */
async function issueIdsFor(
  org: OrgClient,
  id: string,
  type: IssueType
): Promise<string[]> {
  if (type !== 'ChangeRequest') return [id];
  const links = await queryAll(
    org,
    `SELECT RelatedIssueId FROM ChangeRequestRelatedIssue WHERE ChangeRequestId = ${literal(id)} LIMIT 2000`
  );
  return [...new Set(links.map((link) => String(link.RelatedIssueId)))];
}

function linkedCasesWhere(issueIds: string[]): string {
  return `Id IN (SELECT CaseId FROM CaseRelatedIssue WHERE RelatedIssueId IN ${inList(issueIds)})`;
}

async function affectedAccountIds(
  org: OrgClient,
  issueIds: string[]
): Promise<string[]> {
  if (issueIds.length === 0) return [];
  const rows = await queryAll(
    org,
    `SELECT AccountId FROM Case WHERE ${linkedCasesWhere(issueIds)} AND AccountId != null GROUP BY AccountId LIMIT 2000`
  );
  return rows.map((row) => String(row.AccountId));
}

/**
 * What linked cases may be sorted by (LinkedCaseSelector.SORT_FIELDS): the console's keys (the
 * CaseRow property names) to Case fields. A whitelist, so a key never reaches the SOQL unchecked.
 */
export const SORT_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  caseNumber: 'CaseNumber',
  subject: 'Subject',
  status: 'Status',
  priority: 'Priority',
  accountName: 'Account.Name',
  createdDate: 'CreatedDate'
});
// Newest first unless the console asks for another order.
const DEFAULT_SORT = 'createdDate';

/** A String parameter: Apex rejects a non-String argument before the method runs. */
export function stringParameter(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    throw new ApexError(
      `Value provided is invalid for action parameter '${name}' of type 'String'`
    );
  }
  return value;
}

/** The ORDER BY of a page of linked cases, or the controller's refusal of the sort asked for. */
function caseOrder(sortByParam: unknown, sortDirectionParam: unknown): string {
  const sortBy = stringParameter(sortByParam, 'sortBy');
  const sortDirection = stringParameter(sortDirectionParam, 'sortDirection');
  const blank = sortBy === null || sortBy.trim() === '';
  const sortKey = blank ? DEFAULT_SORT : sortBy;
  const field = Object.hasOwn(SORT_FIELDS, sortKey)
    ? SORT_FIELDS[sortKey]
    : undefined;
  if (field === undefined) {
    // Sorted, as the Apex sorts them, so the message does not depend on an iteration order.
    const allowed = Object.keys(SORT_FIELDS).sort().join(', ');
    throw new ApexError(
      `Linked cases cannot be sorted by "${sortBy}"; sort by one of: ${allowed}.`
    );
  }
  // Apex compares Strings with == ignoring case.
  const direction = sortDirection?.toLowerCase();
  if (sortDirection !== null && direction !== 'asc' && direction !== 'desc') {
    throw new ApexError(
      `sortDirection must be asc or desc (got "${sortDirection}").`
    );
  }
  const order = blank || direction === 'desc' ? 'DESC' : 'ASC';
  // Ties (and blanks) fall back to the Id in the same direction: no case shows on two pages.
  return `${field} ${order}, Id ${order}`;
}

function pageParameter(value: unknown, fallback: number, name: string): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    // Apex rejects a non-Integer argument before the method runs.
    throw new ApexError(
      `Value provided is invalid for action parameter '${name}' of type 'Integer'`
    );
  }
  return value;
}

export async function getLinkedCases(
  org: OrgClient,
  params: {
    recordId?: unknown;
    pageSize?: unknown;
    pageNumber?: unknown;
    sortBy?: unknown;
    sortDirection?: unknown;
  },
  _options: ControllerOptions = {}
): Promise<CasePage> {
  const { id, type } = await supportedType(org, params.recordId);
  const size = pageParameter(params.pageSize, DEFAULT_PAGE_SIZE, 'pageSize');
  const pageIndex = pageParameter(params.pageNumber, 1, 'pageNumber');
  const orderBy = caseOrder(params.sortBy, params.sortDirection);
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw new ApexError(
      `pageSize must be between 1 and ${MAX_PAGE_SIZE} (got ${size}).`
    );
  }
  if (pageIndex < 1) {
    throw new ApexError(`pageNumber must be 1 or more (got ${pageIndex}).`);
  }
  const rowsToSkip = (pageIndex - 1) * size;
  if (rowsToSkip > MAX_OFFSET) {
    throw new ApexError(
      `Page ${pageIndex} starts after case ${MAX_OFFSET}, the most that can be paged; use a larger page size or a report.`
    );
  }
  const issueIds = await issueIdsFor(org, id, type);
  const page: CasePage = {
    total: 0,
    openCount: 0,
    closedCount: 0,
    affectedAccounts: 0,
    pageNumber: pageIndex,
    pageSize: size,
    cases: []
  };
  if (issueIds.length === 0) return page;
  const where = linkedCasesWhere(issueIds);
  const [counts, accounts, rows] = await Promise.all([
    queryAll(
      org,
      `SELECT IsClosed, COUNT(Id) caseCount FROM Case WHERE ${where} GROUP BY IsClosed`
    ),
    affectedAccountIds(org, issueIds),
    queryAll(
      org,
      `SELECT Id, CaseNumber, Subject, Status, IsClosed, Priority, Account.Name, Contact.Name, CreatedDate FROM Case WHERE ${where} ORDER BY ${orderBy} LIMIT ${size} OFFSET ${rowsToSkip}`
    )
  ]);
  for (const row of counts) {
    const count = integer(row.caseCount) ?? 0;
    if (row.IsClosed === true) page.closedCount = count;
    else page.openCount = count;
  }
  page.total = page.openCount + page.closedCount;
  page.affectedAccounts = accounts.length;
  page.cases = rows.map((row) => ({
    id: String(row.Id),
    caseNumber: text(row.CaseNumber),
    subject: text(row.Subject),
    status: text(row.Status),
    isClosed: row.IsClosed === true,
    priority: text(row.Priority),
    accountName: relationName(row, 'Account'),
    contactName: relationName(row, 'Contact'),
    createdDate: iso(row.CreatedDate)
  }));
  return page;
}

function normalise(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** RelatedProductSelector.productNamesFor: an asset stands for its product. */
async function productNamesFor(
  org: OrgClient,
  id: string,
  type: IssueType
): Promise<string[]> {
  const source = {
    Incident: {
      object: 'IncidentRelatedItem',
      key: 'IncidentId',
      product: true
    },
    Problem: { object: 'ProblemRelatedItem', key: 'ProblemId', product: false },
    ChangeRequest: {
      object: 'ChangeRequestRelatedItem',
      key: 'ChangeRequestId',
      product: false
    }
  }[type];
  const fields = `${source.product ? 'Product2.Name, ' : ''}Asset.Name, Asset.Product2.Name`;
  const items = await queryAll(
    org,
    `SELECT ${fields} FROM ${source.object} WHERE ${source.key} = ${literal(id)} LIMIT 500`
  );
  const names = new Set<string>();
  for (const item of items) {
    const product = relationName(item, 'Product2');
    if (product) names.add(product);
    const asset = item.Asset as SObjectRow | null | undefined;
    const assetName = asset
      ? (relationName(asset, 'Product2') ?? text(asset.Name))
      : null;
    if (assetName) names.add(assetName);
  }
  return [...names];
}

type RosterMember = SObjectRow & {
  Id: string;
  Name: string | null;
  Role__c: string | null;
  User__c: string | null;
  User__r?: SObjectRow | null;
  Email__c: string | null;
  Phone__c: string | null;
  Expertise__c: string | null;
  Account__c: string | null;
  Account__r?: SObjectRow | null;
  Shift__c: string | null;
};

function firstNonBlank(preferred: unknown, fallback: unknown): string | null {
  const first = text(preferred);
  return first && first.trim() !== '' ? first : text(fallback);
}

export async function getRoster(
  org: OrgClient,
  params: { recordId?: unknown },
  options: ControllerOptions = {}
): Promise<RosterEntry[]> {
  const { record, type } = await readRecord(org, params.recordId);
  const id = String(record.Id);
  const now = (options.now ?? (() => new Date()))();
  const topics = new Map<string, string>();
  const addTopic = (value: unknown, label: string): void => {
    const name = text(value);
    if (name && name.trim() !== '' && !topics.has(normalise(name)))
      topics.set(normalise(name), `${label} "${name.trim()}"`);
  };
  addTopic(record.Category, 'category');
  if (type !== 'ChangeRequest') addTopic(record.SubCategory, 'sub-category');
  for (const name of await productNamesFor(org, id, type))
    addTopic(name, 'affected product');
  const affected = new Set(
    await affectedAccountIds(org, await issueIdsFor(org, id, type))
  );
  const members = (await queryAll(
    org,
    'SELECT Id, Name, Role__c, User__c, User__r.Name, User__r.Email, User__r.Phone, Email__c, Phone__c, Expertise__c, Account__c, Account__r.Name, Shift__c FROM Incident_Roster_Member__c WHERE Active__c = true ORDER BY Role__c, Name LIMIT 1000'
  )) as unknown as RosterMember[];

  // Duty and call order come from rosterCallOrder, which reads each entry's shift.
  type Entry = Omit<
    RosterEntry,
    'callOrder' | 'onDuty' | 'shiftEndsAt' | 'nextOnDutyAt' | 'timeZone'
  > & { shift: string | null };
  const entryFor = (member: RosterMember, reason: string): Entry => ({
    id: member.Id,
    role: member.Role__c ?? '',
    name:
      member.User__c && relationName(member, 'User__r')
        ? relationName(member, 'User__r')
        : member.Name,
    email: firstNonBlank(member.Email__c, member.User__r?.Email),
    phone: firstNonBlank(member.Phone__c, member.User__r?.Phone),
    expertise: member.Expertise__c,
    accountName: member.Account__c ? relationName(member, 'Account__r') : null,
    reason,
    shift: member.Shift__c
  });

  const owners: Entry[] = [];
  const experts: Entry[] = [];
  const levelManagers: Entry[] = [];
  const onDuty: Entry[] = [];
  let ownerRow: Entry | null = null;
  const ownerId = text(record.OwnerId);
  if (ownerId) {
    const isUser = ownerId.startsWith('005');
    ownerRow = {
      id: ownerId,
      role: ROLE_OWNER,
      name: relationName(record, 'Owner'),
      email: null,
      phone: null,
      expertise: null,
      accountName: null,
      reason: isUser ? 'Owner of this record' : 'Queue that owns this record',
      shift: null
    };
    if (isUser) {
      const [owner] = await queryAll(
        org,
        `SELECT Name, Email, Phone FROM User WHERE Id = ${literal(ownerId)} LIMIT 1`
      );
      if (owner) {
        ownerRow.name = text(owner.Name);
        ownerRow.email = text(owner.Email);
        ownerRow.phone = text(owner.Phone);
      }
    }
    owners.push(ownerRow);
  }
  for (const member of members) {
    if (member.Role__c === ROLE_OWNER) {
      if (ownerRow && member.User__c && member.User__c === ownerRow.id) {
        // The owner is also on the roster: the roster's contact details win.
        ownerRow.email = firstNonBlank(member.Email__c, ownerRow.email);
        ownerRow.phone = firstNonBlank(member.Phone__c, ownerRow.phone);
        // The owner's roster entry brings its shift along.
        ownerRow.shift = member.Shift__c;
      } else {
        owners.push(entryFor(member, 'Incident manager on the roster'));
      }
    } else if (member.Role__c === ROLE_EXPERT) {
      const matches: string[] = [];
      for (const skill of (member.Expertise__c ?? '').split(';')) {
        const description = topics.get(normalise(skill));
        if (description && !matches.includes(description))
          matches.push(description);
      }
      if (matches.length > 0)
        experts.push(
          entryFor(member, `Technical expert for ${matches.join(', ')}`)
        );
    } else if (member.Role__c === ROLE_SERVICE_LEVEL_MANAGER) {
      if (member.Account__c && affected.has(member.Account__c)) {
        const accountName =
          relationName(member, 'Account__r') ?? member.Account__c;
        levelManagers.push(
          entryFor(
            member,
            `Service level manager of affected account ${accountName}`
          )
        );
      }
    } else if (member.Role__c === ROLE_ON_DUTY_MANAGER) {
      onDuty.push(entryFor(member, 'On-duty customer service manager'));
    }
  }
  // IncidentRosterService.inCallOrder: by role, on duty before off duty, numbered from 1.
  return rosterCallOrder(
    [...owners, ...experts, ...levelManagers, ...onDuty],
    now
  );
}

/** The controller's methods by name, as the preview server's /apex route calls them. */
export const CONTROLLER_METHODS = {
  getConsole,
  getRoster,
  getLinkedCases
} as const;
