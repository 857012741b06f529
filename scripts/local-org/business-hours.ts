/**
 * BusinessHours and Holiday records as incidentRules calendars: a record's business hours, or
 * the org default, with the org's holidays.
 */
import type { slaTargets } from '../../force-app/main/default/lwc/incidentRules/incidentRules.js';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import { quote, type Row, type Store } from './storage.ts';

export type Calendar = NonNullable<Parameters<typeof slaTargets>[3]>;
type Weekday = keyof Calendar['weekly'];

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
  const row = ctx.store.prepared(DEFAULT_HOURS_ID_SQL).get() as
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

/**
 * The calendar's weekday keys are BusinessHours' day field prefixes in lower case
 * (MondayStartTime → monday); incidentRules rejects a key it does not know.
 */
export function weekdayFields(
  hoursObject: ObjectSchema
): { day: Weekday; start: string; end: string }[] {
  return hoursObject.fields.flatMap((field) => {
    const prefix = /^(\w+)StartTime$/.exec(field.name)?.[1];
    return prefix
      ? [
          {
            day: prefix.toLowerCase() as Weekday,
            start: field.name,
            end: `${prefix}EndTime`
          }
        ]
      : [];
  });
}

/** The record's business hours, or the org default; null (24x7) when open around the clock with no holidays. */
export function calendarFor(
  ctx: RecordSource,
  businessHoursId: Row[string]
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
    .filter((h) => typeof h.ActivityDate === 'string')
    .map((h) =>
      h.IsAllDay === 1 || typeof h.StartTimeInMinutes !== 'number'
        ? { date: String(h.ActivityDate) }
        : {
            date: String(h.ActivityDate),
            startMinutes: h.StartTimeInMinutes,
            endMinutes: Number(h.EndTimeInMinutes ?? 1440)
          }
    );
  if (allDay && holidays.length === 0) return null;
  return sharedCalendar({
    timeZone: String(hours.TimeZoneSidKey ?? 'UTC'),
    weekly,
    holidays
  });
}
