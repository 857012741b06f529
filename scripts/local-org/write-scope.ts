/**
 * Many records written as one: the records of a Bulk API 2.0 chunk or of an sObject
 * Collections call. What every record would read or write on its own is done once for all of
 * them, with the records' results, errors and order unchanged:
 *
 * - ids and autonumbers are handed out in memory and stored once (storage.ts,
 *   withSequencesInMemory), and a record that fails hands its values on to the next one;
 * - the records its lookups name and the holders of its external ids are read ahead in one
 *   query per object and field (prefetchLookups), so checking a lookup or matching an upsert
 *   key costs no statement (Store.rememberIds, rememberKeys);
 * - per-scope constants such as the default business hours are read once (Store.remembered).
 *
 * Each record is still its own savepoint where it was one before (isolated), so a bad record
 * fails alone with the same error.
 */
import type { ObjectSchema } from '../schema/types.ts';
import type { OrgContext } from './context.ts';
import { normalizeId } from './ids.ts';
import {
  restoreSequences,
  sequenceMark,
  withSequencesInMemory
} from './storage.ts';

/** Runs `work` (inside the caller's transaction) as one write scope. */
export function inWriteScope<T>(ctx: OrgContext, work: () => T): T {
  return ctx.store.withReadMemo(() => withSequencesInMemory(ctx.db, work));
}

/**
 * `write` in a savepoint of its own: when it throws, its writes are undone, the ids and
 * autonumbers it took go to the next record (as they did when each was a stored sequence), and
 * the records it found to exist are looked up again.
 */
export function isolated<A, R>(
  ctx: OrgContext,
  write: (arg: A) => R
): (arg: A) => R {
  // Made once: better-sqlite3 builds a new wrapper for every transaction() call.
  const savepoint = ctx.db.transaction(write);
  return (arg: A): R => {
    const mark = sequenceMark(ctx.db);
    try {
      return savepoint(arg);
    } catch (error) {
      restoreSequences(ctx.db, mark);
      ctx.store.forgetFound();
      throw error;
    }
  };
}

/**
 * Reads ahead what writing `records` to `object` will look up (in a write scope; a no-op
 * outside one): the records their lookup fields name, by target object, and the records that
 * already hold their external id and unique values, by field. A value that is not an id (or
 * not text) is left to the write, which reports it as before.
 */
export function prefetchLookups(
  ctx: OrgContext,
  object: ObjectSchema,
  records: readonly Record<string, unknown>[]
): void {
  const names = new Set<string>();
  for (const record of records) for (const name in record) names.add(name);
  for (const name of names) {
    const field = ctx.registry.field(object.name, name);
    if (!field) continue;
    const values = new Set<string>();
    for (const record of records) {
      const value = record[name];
      if (typeof value === 'string' && value !== '') values.add(value);
    }
    if (field.type === 'reference') {
      const byTarget = new Map<ObjectSchema, string[]>();
      for (const value of values) {
        const id = normalizeId(value);
        const target = id ? ctx.registry.objectForId(id) : undefined;
        if (!id || !target) continue;
        byTarget.set(target, [...(byTarget.get(target) ?? []), id]);
      }
      for (const [target, ids] of byTarget) ctx.store.rememberIds(target, ids);
    } else if (field.externalId || field.unique) {
      ctx.store.rememberKeys(object, field, [...values]);
    }
  }
}
