/**
 * Conversions between the REST JSON value of a field, its SQLite column value (checkboxes as
 * 0/1, numbers as numbers, dates as 'YYYY-MM-DD', datetimes as UTC ISO text with
 * milliseconds, everything else as text) and the JSON the API returns.
 */
import type { FieldSchema } from '../schema/types.ts';
import { RecordError } from './errors.ts';
import { normalizeId } from './ids.ts';
import { toApiDateTime } from './soql/dates.ts';

export type ColumnValue = string | number | null;

/** Text of a JSON scalar (objects as JSON), for messages and CSV cells. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  )
    return value.toString();
  return JSON.stringify(value);
}

/** Compound fields have no column: their parts (BillingCity, ...) are the stored fields. */
export function isStored(field: FieldSchema): boolean {
  return field.type !== 'address' && field.type !== 'location';
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** 'YYYY-MM-DDTHH:MM:SS.sssZ' or undefined when the text is not a datetime Salesforce accepts. */
export function toStoredDatetime(text: string): string | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const zone = m[8] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}${
    zone === 'Z'
      ? 'Z'
      : zone.length === 5
        ? `${zone.slice(0, 3)}:${zone.slice(3)}`
        : zone
  }`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function typeError(field: FieldSchema, value: unknown): RecordError {
  return new RecordError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${scalarText(value)}`,
    [field.name]
  );
}

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/**
 * The column value for a JSON value sent by a client, or a RecordError naming the field.
 * Picklist membership, lookups and uniqueness are checked elsewhere (they need the schema
 * or the database); this is only the type.
 */
export function toColumn(field: FieldSchema, value: unknown): ColumnValue {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value === 'true' || value === 'false')
        return value === 'true' ? 1 : 0;
      throw typeError(field, value);
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : Number.NaN;
      if (!Number.isFinite(n)) throw typeError(field, value);
      if (
        (field.type === 'int' || field.type === 'long') &&
        !Number.isInteger(n)
      )
        throw typeError(field, value);
      const digits = field.precision - field.scale;
      if (
        field.custom &&
        field.precision > 0 &&
        Math.abs(Math.trunc(n)).toString().length > digits
      ) {
        throw new RecordError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${field.label}: value outside of valid range on numeric field: ${String(n)}`,
          [field.name]
        );
      }
      // Custom number fields round to their declared scale, as the platform stores them.
      return field.custom && field.precision > 0
        ? Number(n.toFixed(field.scale))
        : n;
    }
    case 'date':
      if (
        typeof value === 'string' &&
        validDate(value.slice(0, 10)) &&
        (value.length === 10 || toStoredDatetime(value))
      )
        return value.slice(0, 10);
      throw typeError(field, value);
    case 'datetime': {
      const stored =
        typeof value === 'string' ? toStoredDatetime(value) : undefined;
      if (stored === undefined) throw typeError(field, value);
      return stored;
    }
    case 'time': {
      const m =
        typeof value === 'string'
          ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(value)
          : null;
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
        throw typeError(field, value);
      return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '0').padEnd(3, '0')}Z`;
    }
    case 'id':
    case 'reference': {
      if (typeof value !== 'string') throw typeError(field, value);
      if (value === '') return null;
      const id = normalizeId(value);
      if (!id)
        throw new RecordError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${value}`,
          [field.name]
        );
      return id;
    }
    case 'multipicklist': {
      if (typeof value !== 'string') throw typeError(field, value);
      const parts = value
        .split(';')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return parts.length === 0 ? null : parts.join(';');
    }
    default: {
      if (typeof value === 'object') throw typeError(field, value);
      const text = scalarText(value);
      if (text === '') return null;
      if (field.length > 0 && text.length > field.length) {
        throw new RecordError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.length > 40 ? `${text.slice(0, 40)}...` : text} (max length=${String(field.length)})`,
          [field.name]
        );
      }
      if (field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
        throw new RecordError(
          'INVALID_EMAIL_ADDRESS',
          `${field.label}: invalid email address: ${text}`,
          [field.name]
        );
      }
      return text;
    }
  }
}

/** The JSON value the REST API returns for a stored column value. */
export function fromColumn(field: FieldSchema, value: unknown): unknown {
  if (value === null || value === undefined)
    return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean':
      return value === 1 || value === true;
    case 'datetime':
      return typeof value === 'string' ? toApiDateTime(value) : value;
    default:
      return value;
  }
}
