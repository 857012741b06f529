/**
 * The local org's after-save automation: the stand-in for the project's Apex after-insert and
 * after-update triggers. dml.ts calls afterSave once a row is written, inside the request's
 * transaction, so a request that rolls back (allOrNone, a failed record's savepoint) keeps
 * nothing a handler wrote; and beforeDelete before a row is deleted.
 *
 * The handlers themselves are the org's own (ctx.saveHandlers), registered where the org is
 * assembled (server.ts, from automations.ts): a handler writes records through the local org's
 * dml functions, so every platform rule applies to what it writes, as it applies to DML in an
 * Apex trigger, and dml.ts must not import the handlers that import it.
 */
import type { ObjectSchema } from '../schema/types.ts';
import type { OrgContext } from './context.ts';
import { dropQueuedSince, queueMarks } from './save-batch.ts';
import type { Row } from './storage.ts';

/**
 * Runs the after-save handlers for a written row. When one throws, the row's save fails (the
 * caller's savepoint undoes the write), so what the handlers queued for it is dropped too.
 */
export function afterSave(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  const handlers = ctx.saveHandlers.afterSave;
  if (handlers.length === 0) return;
  const marks = queueMarks(ctx);
  try {
    for (const handler of handlers) handler(ctx, object, row, before);
  } catch (error) {
    dropQueuedSince(ctx, marks);
    throw error;
  }
}

/** Runs the before-delete handlers; a throw refuses the delete. */
export function beforeDelete(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row
): void {
  for (const handler of ctx.saveHandlers.beforeDelete)
    handler(ctx, object, row);
}
