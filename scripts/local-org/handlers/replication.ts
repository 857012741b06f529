/**
 * Data replication (REST API Developer Guide, "Get Deleted Records Within a Given Timeframe"
 * and "Get Updated Records Within a Given Timeframe"): GET /sobjects/X/deleted/?start=&end=
 * answers { deletedRecords: [{ id, deletedDate }], earliestDateAvailable, latestDateCovered }
 * from the recycle bin; /updated/ answers { ids, latestDateCovered } from SystemModstamp. As
 * on the platform the window is read to the minute, and never covers the future.
 */
import { objectOrThrow } from '../dml.ts';
import { ApiError } from '../errors.ts';
import { json, type Handler } from '../http-types.ts';
import { toApiDateTime } from '../soql/dates.ts';
import { binTable, hasRecycleBin, quote } from '../storage.ts';
import { toStoredDatetime } from '../values.ts';

interface Window {
  start: string;
  end: string;
}

/** The start and end parameters as stored datetimes, end capped at now and cut to the minute. */
function windowOf(
  query: URLSearchParams,
  now: Date
): Window & { latestDateCovered: string } {
  const read = (name: 'start' | 'end'): string => {
    const raw = query.get(name);
    if (raw === null || raw.trim() === '')
      throw new ApiError(400, 'MISSING_ARGUMENT', `${name} not specified`);
    const stored = toStoredDatetime(raw.trim());
    if (stored === undefined)
      throw new ApiError(
        400,
        'INVALID_REPLICATION_DATE',
        `${name}: not a valid dateTime: ${raw}`
      );
    return stored;
  };
  const start = read('start');
  const requestedEnd = read('end');
  if (requestedEnd < start)
    throw new ApiError(
      400,
      'INVALID_REPLICATION_DATE',
      'end date cannot be before the start date'
    );
  const capped = Math.min(Date.parse(requestedEnd), now.getTime());
  const minute = new Date(capped - (capped % 60_000)).toISOString();
  return { start, end: requestedEnd, latestDateCovered: minute };
}

export const deletedRecords: Handler = (ctx, req, [type = '']) => {
  const object = objectOrThrow(ctx, type);
  const window = windowOf(req.query, ctx.now());
  const rows = hasRecycleBin(object)
    ? (ctx.store
        .prepared(
          `SELECT "Id", "SystemModstamp" FROM ${quote(binTable(object.name))} WHERE "SystemModstamp" >= ? AND "SystemModstamp" <= ? ORDER BY "SystemModstamp", "Id"`
        )
        .all(window.start, window.latestDateCovered) as {
        Id: string;
        SystemModstamp: string;
      }[])
    : [];
  const earliest = hasRecycleBin(object)
    ? (
        ctx.store
          .prepared(
            `SELECT MIN("SystemModstamp") AS at FROM ${quote(binTable(object.name))}`
          )
          .get() as { at: string | null }
      ).at
    : null;
  return json(200, {
    deletedRecords: rows.map((row) => ({
      id: row.Id,
      deletedDate: toApiDateTime(row.SystemModstamp)
    })),
    earliestDateAvailable: toApiDateTime(earliest ?? window.latestDateCovered),
    latestDateCovered: toApiDateTime(window.latestDateCovered)
  });
};

export const updatedRecords: Handler = (ctx, req, [type = '']) => {
  const object = objectOrThrow(ctx, type);
  const window = windowOf(req.query, ctx.now());
  const ids = (
    ctx.store
      .prepared(
        `SELECT "Id" FROM ${quote(object.name)} WHERE "SystemModstamp" >= ? AND "SystemModstamp" <= ? ORDER BY "SystemModstamp", "Id"`
      )
      .all(window.start, window.latestDateCovered) as { Id: string }[]
  ).map((row) => row.Id);
  return json(200, {
    ids,
    latestDateCovered: toApiDateTime(window.latestDateCovered)
  });
};
