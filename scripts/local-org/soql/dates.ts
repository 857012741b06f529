/**
 * Date and datetime literals. Storage keeps dates as 'YYYY-MM-DD' and datetimes as UTC
 * 'YYYY-MM-DDTHH:MM:SS.sssZ', so every literal becomes strings of those shapes that compare
 * correctly as text. Relative literals (TODAY, LAST_N_DAYS:n, ...) denote a range of whole
 * days [start, end) in the org time zone, as Salesforce evaluates them.
 */
import {
  wallClockMillis,
  wallTimeToMillis
} from '../../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import { malformed, unsupported } from './errors.ts';

/** A calendar day, independent of any time zone. */
export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number;
}

export interface DayRange {
  start: CivilDate;
  /** Exclusive. */
  end: CivilDate;
}

const DAY_MS = 86_400_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export function formatCivil(date: CivilDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

function fromUtcMillis(ms: number): CivilDate {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate()
  };
}

function civilMillis(date: CivilDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

function addDays(date: CivilDate, days: number): CivilDate {
  return fromUtcMillis(civilMillis(date) + days * DAY_MS);
}

/** Date.UTC normalises month overflow, so month arithmetic is a plain addition. */
function addMonths(date: CivilDate, months: number): CivilDate {
  return fromUtcMillis(Date.UTC(date.year, date.month - 1 + months, date.day));
}

export function civilDateIn(instant: Date, timeZone: string): CivilDate {
  return fromUtcMillis(wallClockMillis(timeZone, instant.getTime()));
}

/**
 * The UTC instant at which the given day starts in the time zone: local midnight, or where a
 * DST change skips midnight (America/Santiago in September), the first wall time after the gap,
 * as business-hours calendars count days.
 */
export function startOfDayUtc(date: CivilDate, timeZone: string): Date {
  return new Date(wallTimeToMillis(timeZone, civilMillis(date) / DAY_MS, 0));
}

function startOfWeek(date: CivilDate): CivilDate {
  // Weeks start on Sunday (the en_US locale the local org uses).
  return addDays(date, -new Date(civilMillis(date)).getUTCDay());
}

function startOfMonth(date: CivilDate): CivilDate {
  return { year: date.year, month: date.month, day: 1 };
}

function startOfQuarter(date: CivilDate): CivilDate {
  return {
    year: date.year,
    month: date.month - ((date.month - 1) % 3),
    day: 1
  };
}

function startOfYear(date: CivilDate): CivilDate {
  return { year: date.year, month: 1, day: 1 };
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

function unitStart(unit: Unit, date: CivilDate): CivilDate {
  switch (unit) {
    case 'DAY':
      return date;
    case 'WEEK':
      return startOfWeek(date);
    case 'MONTH':
      return startOfMonth(date);
    case 'QUARTER':
      return startOfQuarter(date);
    case 'YEAR':
      return startOfYear(date);
  }
}

function shift(unit: Unit, date: CivilDate, count: number): CivilDate {
  switch (unit) {
    case 'DAY':
      return addDays(date, count);
    case 'WEEK':
      return addDays(date, 7 * count);
    case 'MONTH':
      return addMonths(date, count);
    case 'QUARTER':
      return addMonths(date, 3 * count);
    case 'YEAR':
      return addMonths(date, 12 * count);
  }
}

/** The n-th unit relative to the current one (0 = this, -1 = last, 1 = next). */
function unitRange(
  unit: Unit,
  today: CivilDate,
  offset: number,
  count = 1
): DayRange {
  const start = shift(unit, unitStart(unit, today), offset);
  return { start, end: shift(unit, start, count) };
}

const FIXED: Record<string, [Unit, number, number?]> = {
  YESTERDAY: ['DAY', -1],
  TODAY: ['DAY', 0],
  TOMORROW: ['DAY', 1],
  LAST_WEEK: ['WEEK', -1],
  THIS_WEEK: ['WEEK', 0],
  NEXT_WEEK: ['WEEK', 1],
  LAST_MONTH: ['MONTH', -1],
  THIS_MONTH: ['MONTH', 0],
  NEXT_MONTH: ['MONTH', 1],
  LAST_QUARTER: ['QUARTER', -1],
  THIS_QUARTER: ['QUARTER', 0],
  NEXT_QUARTER: ['QUARTER', 1],
  LAST_YEAR: ['YEAR', -1],
  THIS_YEAR: ['YEAR', 0],
  NEXT_YEAR: ['YEAR', 1],
  // The local org's fiscal year is the calendar year (the Salesforce default, January start).
  LAST_FISCAL_QUARTER: ['QUARTER', -1],
  THIS_FISCAL_QUARTER: ['QUARTER', 0],
  NEXT_FISCAL_QUARTER: ['QUARTER', 1],
  LAST_FISCAL_YEAR: ['YEAR', -1],
  THIS_FISCAL_YEAR: ['YEAR', 0],
  NEXT_FISCAL_YEAR: ['YEAR', 1]
};

const N_UNITS: Record<string, Unit> = {
  DAYS: 'DAY',
  WEEKS: 'WEEK',
  MONTHS: 'MONTH',
  QUARTERS: 'QUARTER',
  YEARS: 'YEAR',
  FISCAL_QUARTERS: 'QUARTER',
  FISCAL_YEARS: 'YEAR'
};

/**
 * The day range a relative date literal denotes. `literal` is e.g. 'TODAY' or
 * 'LAST_N_DAYS:7'.
 */
export function dateLiteralRange(
  literal: string,
  now: Date,
  timeZone: string
): DayRange {
  const today = civilDateIn(now, timeZone);
  const upper = literal.toUpperCase();
  const fixed = FIXED[upper];
  if (fixed !== undefined) return unitRange(fixed[0], today, fixed[1]);
  if (upper === 'LAST_90_DAYS')
    return { start: addDays(today, -90), end: addDays(today, 1) };
  if (upper === 'NEXT_90_DAYS')
    return { start: addDays(today, 1), end: addDays(today, 91) };

  const match = /^(LAST_N|NEXT_N|N)_([A-Z_]+?)(?:_AGO)?:(\d+)$/.exec(upper);
  const unit = match?.[2] === undefined ? undefined : N_UNITS[match[2]];
  if (match === null || unit === undefined)
    throw unsupported(`The date literal ${literal}`);
  const kind = match[1];
  const n = Number(match[3]);
  const agoForm = upper.includes('_AGO:');
  if (kind === 'N' && agoForm) return unitRange(unit, today, -n);
  if (kind === 'NEXT_N' && !agoForm) return unitRange(unit, today, 1, n);
  if (kind === 'LAST_N' && !agoForm) {
    // LAST_N_DAYS includes today; the longer units end with the previous unit.
    if (unit === 'DAY')
      return { start: addDays(today, -n), end: addDays(today, 1) };
    return unitRange(unit, today, -n, n);
  }
  throw unsupported(`The date literal ${literal}`);
}

export interface LiteralBounds {
  start: string;
  end: string;
}

/** A day range as comparable storage strings for a date or datetime column. */
export function rangeBounds(
  range: DayRange,
  fieldType: 'date' | 'datetime',
  timeZone: string
): LiteralBounds {
  if (fieldType === 'date')
    return { start: formatCivil(range.start), end: formatCivil(range.end) };
  return {
    start: startOfDayUtc(range.start, timeZone).toISOString(),
    end: startOfDayUtc(range.end, timeZone).toISOString()
  };
}

function validCivil(year: number, month: number, day: number): boolean {
  const back = fromUtcMillis(Date.UTC(year, month - 1, day));
  return back.year === year && back.month === month && back.day === day;
}

/** A SOQL date literal (YYYY-MM-DD) checked for a real calendar day. */
export function parseDateLiteral(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (
    match === null ||
    !validCivil(Number(match[1]), Number(match[2]), Number(match[3]))
  ) {
    throw malformed(`invalid date: ${text}`);
  }
  return text;
}

/** A SOQL datetime literal with Z or a ±hh:mm offset, as the stored UTC form. */
export function parseDateTimeLiteral(text: string): string {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/i.exec(
      text
    );
  if (match === null) throw malformed(`invalid datetime: ${text}`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) =>
    Number(match[i])
  );
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined ||
    !validCivil(year, month, day) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw malformed(`invalid datetime: ${text}`);
  }
  const millis = Math.round(Number(`0${match[7] ?? ''}`) * 1000);
  const zone = (match[8] ?? 'Z').toUpperCase();
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes =
      (digits.startsWith('-') ? -1 : 1) *
      (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const utc =
    Date.UTC(year, month - 1, day, hour, minute, second, millis) -
    offsetMinutes * 60_000;
  return new Date(utc).toISOString();
}

/** Stored UTC datetime to the REST API's form, e.g. 2026-01-01T00:00:00.000+0000. */
export function toApiDateTime(stored: string): string {
  return stored.endsWith('Z') ? `${stored.slice(0, -1)}+0000` : stored;
}
