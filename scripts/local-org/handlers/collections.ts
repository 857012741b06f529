/**
 * sObject Collections (/composite/sobjects): up to 200 records a call. With allOrNone the
 * whole call is one transaction, and a failure rolls every record back (the others report
 * ALL_OR_NONE_OPERATION_ROLLED_BACK); otherwise each record is its own savepoint.
 */
import { inSaveBatch } from '../save-batch.ts';
import type { OrgContext } from '../context.ts';
import {
  createRecord,
  deleteRecord,
  objectOrThrow,
  updateRecord,
  upsertRecord,
  MultipleChoices
} from '../dml.ts';
import { ApiError, RecordError, missingId } from '../errors.ts';
import { normalizeId } from '../ids.ts';
import {
  isObject,
  json,
  jsonObjectBody,
  type ApiRequest,
  type Handler
} from '../http-types.ts';
import { parseFieldList, recordJson } from '../records.ts';
import { commitIf } from '../transaction.ts';
import { inWriteScope, isolated, prefetchLookups } from '../write-scope.ts';

export const MAX_RECORDS = 200;

/** Collections report statusCode (not errorCode), as the platform's SaveResult does. */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

const rolledBack: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: []
};

export function saveError(error: unknown): SaveError {
  if (error instanceof ApiError)
    return {
      statusCode: error.errorCode,
      message: error.message,
      fields: error.fields ?? []
    };
  throw error;
}

/** What the platform reports for a record whose row another transaction holds. */
const lockFailed: SaveError = {
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: 'unable to obtain exclusive access to this record or 1 records',
  fields: []
};

function checkRecordLimit(count: number): void {
  if (count > MAX_RECORDS)
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `Record limit reached. Max of ${String(MAX_RECORDS)} allowed.`
    );
}

/**
 * Runs one write per item with the collection's atomicity; returns the per-record results.
 * Items at `lockedRecords` (injected faults) fail to lock and are not written. `prefetch`
 * reads ahead, once for the call, what the writes will look up (write-scope.ts).
 */
export function runBatch<T>(
  ctx: OrgContext,
  items: T[],
  allOrNone: boolean,
  write: (item: T) => SaveResult,
  lockedRecords: readonly number[] = [],
  prefetch: () => void = () => undefined
): SaveResult[] {
  checkRecordLimit(items.length);
  const results: SaveResult[] = [];
  const savepoint = isolated(ctx, write);
  const one = (item: T, index: number): SaveResult => {
    if (lockedRecords.includes(index))
      return { success: false, errors: [lockFailed] };
    try {
      // Under allOrNone any failure rolls the whole call back, so a record needs no savepoint
      // of its own; otherwise its savepoint undoes a failed record's partial writes alone.
      return allOrNone ? write(item) : savepoint(item);
    } catch (error) {
      return { success: false, errors: [saveError(error)] };
    }
  };
  // Without allOrNone the call is tried first in one savepoint, with none per record (they
  // cost a fifth of a Bulk job's time, and as much here); when a record fails, the try is
  // undone and the call saved again with a savepoint per record, so the bad record fails
  // alone and its neighbours get the same numbers.
  const allTogether = isolated(ctx, (all: readonly T[]): SaveResult[] =>
    inSaveBatch(ctx, () =>
      all.map((item, index) =>
        lockedRecords.includes(index)
          ? { success: false, errors: [lockFailed] }
          : write(item)
      )
    )
  );
  // One call is one write scope and one save: the after-save automation writes what it
  // derives once, at its end.
  const writeAll = (): void => {
    inWriteScope(ctx, () => {
      prefetch();
      if (!allOrNone)
        try {
          results.push(...allTogether(items));
          return;
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
        }
      inSaveBatch(ctx, () => {
        items.forEach((item, index) => results.push(one(item, index)));
      });
    });
  };
  if (!allOrNone) {
    // One transaction for the call, each record a savepoint inside it, as the platform commits
    // a call once: a record as its own transaction paid a commit (and its WAL sync) per record,
    // most of the time of a 200-record upsert.
    ctx.db.transaction(writeAll)();
    return results;
  }
  const committed = commitIf(ctx.db, () => {
    writeAll();
    return results.every((r) => r.success);
  });
  if (committed) return results;
  return results.map((r) =>
    r.success
      ? { id: null, success: false, errors: [rolledBack] }
      : { id: null, ...r }
  );
}

function recordsOf(req: ApiRequest): {
  allOrNone: boolean;
  records: Record<string, unknown>[];
} {
  const body = jsonObjectBody(req);
  const records = body.records;
  if (!Array.isArray(records) || !records.every(isObject)) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'records: expected an array of sObjects'
    );
  }
  checkRecordLimit(records.length);
  return {
    allOrNone: req.allOrNone === true || body.allOrNone === true,
    records
  };
}

function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes;
  const type = isObject(attributes) ? attributes.type : undefined;
  if (typeof type !== 'string')
    throw new RecordError(
      'INVALID_TYPE',
      'sObject type must be specified in attributes'
    );
  return type;
}

/** Reads ahead the lookups of records of any types (a record without a known type is left to its write). */
function prefetchRecords(
  ctx: OrgContext,
  records: readonly Record<string, unknown>[]
): void {
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const record of records) {
    const attributes = record.attributes;
    const type = isObject(attributes) ? attributes.type : undefined;
    if (typeof type === 'string')
      byType.set(type, [...(byType.get(type) ?? []), record]);
  }
  for (const [type, group] of byType) {
    const object = ctx.registry.object(type);
    if (object) prefetchLookups(ctx, object, group);
  }
}

export const createMany: Handler = (ctx, req) => {
  const { allOrNone, records } = recordsOf(req);
  return json(
    200,
    runBatch(
      ctx,
      records,
      allOrNone,
      (record) => ({
        id: createRecord(ctx, typeOf(record), record),
        success: true,
        errors: []
      }),
      req.lockedRecords,
      () => {
        prefetchRecords(ctx, records);
      }
    )
  );
};

export const updateMany: Handler = (ctx, req) => {
  const { allOrNone, records } = recordsOf(req);
  return json(
    200,
    runBatch(
      ctx,
      records,
      allOrNone,
      (record) => {
        // Field names are case-insensitive: jsforce sends the key as "id".
        const id = Object.entries(record).find(
          ([name]) => name.toLowerCase() === 'id'
        )?.[1];
        if (typeof id !== 'string') throw missingId('update');
        updateRecord(ctx, typeOf(record), id, record);
        return { id: normalizeId(id) ?? id, success: true, errors: [] };
      },
      req.lockedRecords,
      () => {
        prefetchRecords(ctx, records);
      }
    )
  );
};

export const upsertMany: Handler = (ctx, req, [type = '', field = '']) => {
  const { allOrNone, records } = recordsOf(req);
  const object = objectOrThrow(ctx, type);
  // Every upsert result says whether it created, failures too (created: false).
  const withCreated = (results: SaveResult[]): SaveResult[] =>
    results.map((result) => ({ ...result, created: result.created ?? false }));
  return json(
    200,
    withCreated(
      runBatch(
        ctx,
        records,
        allOrNone,
        (record) => {
          try {
            const outcome = upsertRecord(
              ctx,
              object.name,
              field,
              record[field],
              record
            );
            return {
              id: outcome.id,
              success: true,
              errors: [],
              created: outcome.created
            };
          } catch (error) {
            if (error instanceof MultipleChoices) {
              throw new RecordError(
                'DUPLICATE_EXTERNAL_ID',
                `${field}: more than one record found for external id field: ${error.urls.join(', ')}`,
                [field]
              );
            }
            throw error;
          }
        },
        req.lockedRecords,
        () => {
          prefetchLookups(ctx, object, records);
        }
      )
    )
  );
};

/** The comma-separated ids query parameter, without empty entries. */
function idsParam(req: ApiRequest): string[] {
  return (req.query.get('ids') ?? '').split(',').filter((id) => id !== '');
}

export const deleteMany: Handler = (ctx, req) => {
  const ids = idsParam(req);
  if (ids.length === 0)
    throw new ApiError(
      400,
      'MISSING_ARGUMENT',
      'ids: required parameter is missing'
    );
  const allOrNone =
    req.allOrNone === true || req.query.get('allOrNone') === 'true';
  return json(
    200,
    runBatch(
      ctx,
      ids,
      allOrNone,
      (id) => {
        deleteRecord(ctx, id);
        return { id: normalizeId(id) ?? id, success: true, errors: [] };
      },
      req.lockedRecords
    )
  );
};

/** GET or POST /composite/sobjects/Type with ids and fields: null for ids that do not exist. */
export const retrieveMany: Handler = (ctx, req, [type = '']) => {
  const object = objectOrThrow(ctx, type);
  let ids: unknown;
  let fields: unknown;
  if (req.method === 'POST') {
    const body = jsonObjectBody(req);
    ids = body.ids;
    fields = body.fields;
  } else {
    ids = idsParam(req);
    fields = parseFieldList(req.query.get('fields'));
  }
  if (!Array.isArray(ids) || !Array.isArray(fields) || fields.length === 0) {
    throw new ApiError(400, 'MISSING_ARGUMENT', 'ids and fields are required');
  }
  if (ids.length > 2000)
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'Record limit reached. Max of 2000 allowed.'
    );
  const names = fields.map(String);
  return json(
    200,
    ids.map((raw) => {
      const id = normalizeId(String(raw));
      const row = id ? ctx.store.get(object, id) : undefined;
      return row ? recordJson(ctx, object, row, names) : null;
    })
  );
};
