/**
 * BusinessHours and Holiday records as incidentRules calendars: a record's business hours, or
 * the org default, with the org's holidays, expanded as the Apex BusinessCalendarService
 * expands them. One-off holidays and yearly recurring holidays on a fixed month and day
 * (RecurrenceType 'RecursYearly') count; other recurrence patterns (RecursDaily, RecursWeekly,
 * RecursMonthly, RecursMonthlyNth, RecursYearlyNth, ...) are ignored on both sides.
 * Every holiday applies to every business hours: the local org does not model which business
 * hours a holiday belongs to (the Apex confirms that with BusinessHours.isWithin).
 */
import {
  WEEKDAYS,
  type slaTargets
} from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import { quote, type Row, type Store } from './storage.ts';

export type Calendar = NonNullable<Parameters<typeof slaTargets>[3]>;
type Weekday = (typeof WEEKDAYS)[number];
type CalendarHoliday = NonNullable<Calendar['holidays']>[number];

export interface RecordSource {
  store: Store;
  registry: SchemaRegistry;
}

const DEFAULT_HOURS_SQL = `SELECT * FROM ${quote('BusinessHours')} WHERE "IsDefault" = 1 LIMIT 1`;
/** Only the id: every new Case asks for it, and reading the whole row costs four times as much. */
const DEFAULT_HOURS_ID_SQL = `SELECT "Id" FROM ${quote('BusinessHours')} WHERE "IsDefault" = 1 LIMIT 1`;

function defaultBusinessHours(ctx: RecordSource): Row | undefined {
  if (!ctx.registry.object('BusinessHours')) return undefined;
  return ctx.store.prepared(DEFAULT_HOURS_SQL).get() as Row | undefined;
}

export function defaultBusinessHoursId(ctx: RecordSource): string | null {
  if (!ctx.registry.object('BusinessHours')) return null;
  // Once per write scope (a Bulk chunk, a collection call) unless the scope writes business hours.
  return ctx.store.remembered('BusinessHours', 'defaultId', () => {
    const row = ctx.store.prepared(DEFAULT_HOURS_ID_SQL).get() as
      { Id: string } | undefined;
    return row?.Id ?? null;
  });
}

const HOURS_BY_NAME_SQL = `SELECT "Id" FROM ${quote('BusinessHours')} WHERE "Name" = ? AND "IsActive" = 1 LIMIT 1`;

/**
 * The id of the active business hours with this Name (an SLA policy row's Business_Hours__c),
 * or null when there are none, as BusinessHoursSelector.activeIdsByName finds them.
 */
export function businessHoursIdByName(
  ctx: RecordSource,
  name: string
): string | null {
  if (!ctx.registry.object('BusinessHours')) return null;
  const row = ctx.store.prepared(HOURS_BY_NAME_SQL).get(name) as
    { Id: string } | undefined;
  return row?.Id ?? null;
}

/**
 * Calendars by content. Handing incidentRules the same object for the same business hours
 * lets it reuse the calendar it compiled (and the day windows it worked out) for every record.
 */
const calendarsByContent = new Map<string, Calendar>();
const MAX_CALENDARS = 64;

function sharedCalendar(calendar: Calendar): Calendar {
  const key = JSON.stringify(calendar);
  const known = calendarsByContent.get(key);
  if (known) return known;
  if (calendarsByContent.size >= MAX_CALENDARS) calendarsByContent.clear();
  calendarsByContent.set(key, calendar);
  return calendar;
}

/** BusinessHours' day fields of each incidentRules weekday (monday → MondayStartTime) the schema has. */
export function weekdayFields(
  hoursObject: ObjectSchema
): { day: Weekday; start: string; end: string }[] {
  return WEEKDAYS.flatMap((day) => {
    const prefix = day.charAt(0).toUpperCase() + day.slice(1);
    const start = `${prefix}StartTime`;
    return hoursObject.fields.some((field) => field.name === start)
      ? [{ day, start, end: `${prefix}EndTime` }]
      : [];
  });
}

/** Calendar years whose holidays a calendar lists, both inclusive. */
export interface HolidayYears {
  first: number;
  last: number;
}

/** Holiday.RecurrenceMonthOfYear values, in month order. */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The dates ('YYYY-MM-DD') a Holiday row falls on in the given years, by the rules of
 * BusinessCalendarService.occurrences: a one-off holiday on its ActivityDate; a yearly one on
 * its month and day from RecurrenceStartDate (else ActivityDate) to RecurrenceEndDateOnly,
 * every RecurrenceInterval years, skipped in years without that day (29 February); nothing for
 * other recurrence patterns.
 */
export function holidayDates(holiday: Row, years: HolidayYears): string[] {
  const inYears = (date: string): boolean => {
    const year = Number(date.slice(0, 4));
    return year >= years.first && year <= years.last;
  };
  if (holiday.IsRecurrence !== 1) {
    const date = holiday.ActivityDate;
    return typeof date === 'string' && inYears(date) ? [date] : [];
  }
  const month = MONTHS.indexOf(String(holiday.RecurrenceMonthOfYear)) + 1;
  const day = holiday.RecurrenceDayOfMonth;
  if (
    holiday.RecurrenceType !== 'RecursYearly' ||
    month === 0 ||
    typeof day !== 'number' ||
    day < 1
  )
    return [];
  const interval =
    typeof holiday.RecurrenceInterval === 'number' &&
    holiday.RecurrenceInterval >= 1
      ? holiday.RecurrenceInterval
      : 1;
  const firstDate =
    typeof holiday.RecurrenceStartDate === 'string'
      ? holiday.RecurrenceStartDate
      : typeof holiday.ActivityDate === 'string'
        ? holiday.ActivityDate
        : null;
  const endDate =
    typeof holiday.RecurrenceEndDateOnly === 'string'
      ? holiday.RecurrenceEndDateOnly
      : null;
  const dates: string[] = [];
  for (let year = years.first; year <= years.last; year++) {
    if (day > daysInMonth(year, month)) continue;
    const date = isoDate(year, month, day);
    const started = firstDate === null || date >= firstDate;
    const notEnded = endDate === null || date <= endDate;
    const onInterval =
      firstDate === null ||
      (year - Number(firstDate.slice(0, 4))) % interval === 0;
    if (started && notEnded && onInterval) dates.push(date);
  }
  return dates;
}

/**
 * A holiday closes its whole day unless it is not all-day and has both a start and an end
 * time, as BusinessCalendarService.windowOn reads it.
 */
function holidayOn(holiday: Row, date: string): CalendarHoliday {
  const { IsAllDay, StartTimeInMinutes, EndTimeInMinutes } = holiday;
  return IsAllDay !== 1 &&
    typeof StartTimeInMinutes === 'number' &&
    typeof EndTimeInMinutes === 'number'
    ? { date, startMinutes: StartTimeInMinutes, endMinutes: EndTimeInMinutes }
    : { date };
}

/**
 * The record's business hours, or the org default, with the holidays of the given years; null
 * (24x7) when open around the clock with no holidays.
 */
export function calendarFor(
  ctx: RecordSource,
  businessHoursId: Row[string],
  years: HolidayYears
): Calendar | null {
  const hoursObject = ctx.registry.object('BusinessHours');
  if (!hoursObject) return null;
  const hours =
    typeof businessHoursId === 'string'
      ? ctx.store.get(hoursObject, businessHoursId)
      : defaultBusinessHours(ctx);
  if (!hours) return null;
  const weekly: Calendar['weekly'] = {};
  let allDay = true;
  for (const { day, start: startField, end: endField } of weekdayFields(
    hoursObject
  )) {
    const start = hours[startField];
    const end = hours[endField];
    if (typeof start === 'string' && typeof end === 'string') {
      weekly[day] = { start: start.slice(0, 5), end: end.slice(0, 5) };
      if (!start.startsWith('00:00') || !end.startsWith('00:00'))
        allDay = false;
    } else {
      weekly[day] = null;
      allDay = false;
    }
  }
  const holidayObject = ctx.registry.object('Holiday');
  const holidays = (holidayObject ? ctx.store.all(holidayObject) : [])
    .flatMap((holiday) =>
      holidayDates(holiday, years).map((date) => holidayOn(holiday, date))
    )
    // By date, so the calendar's content (its cache key) does not depend on row order.
    .sort((a, b) => a.date.localeCompare(b.date));
  if (allDay && holidays.length === 0) return null;
  return sharedCalendar({
    timeZone: String(hours.TimeZoneSidKey ?? 'UTC'),
    weekly,
    holidays
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Computes an instant counted in business time from `start`, e.g. SLA due times.
 * BusinessHours.addGmt knows every occurrence of a recurring holiday, while a calendar lists
 * holidays of finitely many years: from the year of the day before `start` (as the Apex console
 * starts its calendar a day early) through the next year, and then through the year after the
 * computed instant until that instant lies inside the listed years. Whole years keep the
 * calendar's content, and so the shared calendar, the same for every record of a year.
 * `reach` names the latest instant of the result (null when it has none).
 */
export function computeInBusinessTime<T>(
  ctx: RecordSource,
  businessHoursId: Row[string],
  start: Date,
  compute: (calendar: Calendar | null) => T,
  reach: (result: T) => Date | null
): T {
  const first = new Date(start.getTime() - DAY_MS).getUTCFullYear();
  let last = start.getUTCFullYear() + 1;
  for (;;) {
    const result = compute(calendarFor(ctx, businessHoursId, { first, last }));
    const latest = reach(result)?.getTime() ?? NaN;
    // A day's margin: no time zone is a day away from UTC, so the local date is within `last`.
    // No instant (or an invalid one) has nothing more to cover.
    if (!Number.isFinite(latest) || latest < Date.UTC(last, 11, 31))
      return result;
    last = new Date(latest).getUTCFullYear() + 1;
  }
}
