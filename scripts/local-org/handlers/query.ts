/**
 * /query and /queryAll: the SOQL engine opens a cursor over SQLite and the server reads it
 * 2,000 records a page, each when it is asked for, behind nextRecordsUrl locators
 * (/query/<locator>), as the platform does: the first page of a large result costs one page.
 * Unlike the platform's snapshot, a later page reads the table as it is then.
 * queryAll also returns the records in the recycle bin (IsDeleted = true). Record URLs and
 * nextRecordsUrl carry the API version the request named. With columns=true the query is
 * described, not run (sf data query asks for it to lay out its table).
 */
import {
  describeQueryColumns,
  executeSoql,
  openSoql,
  SoqlError,
  type RecordCursor
} from '../soql/index.ts';
import { API_VERSION, perOrg, type OrgContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { json, type Handler } from '../http-types.ts';

export const PAGE_SIZE = 2000;
/** Cursors kept for queryMore; the oldest is dropped first (the platform expires them too). */
const MAX_CURSORS = 50;

interface Cursor {
  records: RecordCursor;
  apiVersion: string;
}

const cursorsOf = perOrg(() => new Map<string, Cursor>());
let cursorSequence = 0;

/** Maps the SOQL engine's errors to the platform's 400 body. */
export function withApiErrors<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof SoqlError)
      throw new ApiError(400, error.errorCode, error.message);
    throw error;
  }
}

/** Runs SOQL through the engine. */
export function runSoql(
  ctx: OrgContext,
  soql: string,
  options: { apiVersion?: string; includeDeleted?: boolean } = {}
): { totalSize: number; records: Record<string, unknown>[] } {
  return withApiErrors(() =>
    executeSoql(ctx.db, ctx.registry, soql, {
      apiVersion: options.apiVersion ?? API_VERSION,
      now: ctx.now(),
      timeZone: ctx.timeZone,
      includeDeleted: options.includeDeleted === true
    })
  );
}

/** The version a /services/data/vNN.N/... request names (the platform answers in it). */
export function requestVersion(path: string): string {
  return /\/services\/data\/v(\d+\.\d)/.exec(path)?.[1] ?? API_VERSION;
}

function page(
  ctx: OrgContext,
  cursor: Cursor,
  offset: number
): Record<string, unknown> {
  const records = cursor.records.read(offset, PAGE_SIZE);
  const totalSize = cursor.records.totalSize;
  // The next page starts after this one's positions, not its records: a record deleted since
  // the query opened leaves its page short, and the pages after it still follow.
  const next = offset + PAGE_SIZE;
  if (next >= totalSize) return { totalSize, done: true, records };
  const map = cursorsOf(ctx);
  cursorSequence += 1;
  const key = `01g8d0${String(cursorSequence).padStart(9, '0')}`;
  map.set(key, cursor);
  while (map.size > MAX_CURSORS) map.delete(map.keys().next().value ?? '');
  return {
    totalSize,
    done: false,
    nextRecordsUrl: `/services/data/v${cursor.apiVersion}/query/${key}-${String(next)}`,
    records
  };
}

export const query: Handler = (ctx, req) => {
  const soql = req.query.get('q');
  if (soql === null || soql.trim() === '') {
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      'A query string has to be specified'
    );
  }
  if (req.query.get('columns') === 'true') {
    return json(
      200,
      withApiErrors(() => describeQueryColumns(ctx.registry, soql))
    );
  }
  const apiVersion = requestVersion(req.path);
  const records = withApiErrors(() =>
    openSoql(ctx.db, ctx.registry, soql, {
      apiVersion,
      now: ctx.now(),
      timeZone: ctx.timeZone,
      includeDeleted: /\/queryAll\/?$/.test(req.path)
    })
  );
  return json(200, page(ctx, { records, apiVersion }, 0));
};

export const queryMore: Handler = (ctx, _req, [locator = '']) => {
  const match = /^(.+)-(\d+)$/.exec(locator);
  const cursor = match?.[1] ? cursorsOf(ctx).get(match[1]) : undefined;
  if (!match || !cursor)
    throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return json(
    200,
    withApiErrors(() => page(ctx, cursor, Number(match[2])))
  );
};
