/** Durations and time windows, the one place link, detect and sync read them. */
import { CasesInputError } from './errors.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Reads a duration such as 90m, 24h or 2d into milliseconds. `what` names the flag or plan key in
 * the error, so a bad value is reported where the user wrote it.
 */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(text.trim());
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (!unit || !Number.isFinite(amount) || amount <= 0) {
    throw new CasesInputError(
      `${what}: "${text}" is not a duration; write a positive number with m, h or d, such as 90m, 24h or 2d.`
    );
  }
  return Math.round(amount * UNIT_MS[unit]);
}

/**
 * The API's datetime literal for SOQL (UTC, no milliseconds): the form the SOQL reference
 * documents (YYYY-MM-DDThh:mm:ssZ); it names no fraction of a second, so none is written.
 */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SECOND_MS = 1000;

/**
 * A SOQL filter for the records whose `field` lies between `fromMs` and `untilMs`, both
 * included, for a scan that ends now. The end is written as "before the next whole second":
 * a literal holds whole seconds only, so `<= untilMs` would have to round `untilMs` down and
 * leave out whatever was saved after that whole second (a case from the current second would
 * wait for the next run). The platform stores datetimes to the second (it drops the
 * milliseconds), where both forms select the same records; a store that keeps milliseconds
 * (the local org) gets the whole current second too.
 */
export function soqlTimeRange(
  field: string,
  fromMs: number,
  untilMs: number
): string {
  const nextSecond = (Math.floor(untilMs / SECOND_MS) + 1) * SECOND_MS;
  return `${field} >= ${soqlDateTime(fromMs)} AND ${field} < ${soqlDateTime(nextSecond)}`;
}

/** Milliseconds of an API datetime value; NaN when it is not one. */
export function apiTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
