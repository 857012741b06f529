/**
 * The local org's after-save automation: the stand-in for the project's Apex after-insert and
 * after-update triggers (IncidentTriggerHandler's after-save services, the Incident_Event__c
 * trigger). dml.ts calls afterSave once a row is written, inside the request's transaction,
 * so a request that rolls back (allOrNone, a failed record's savepoint) keeps nothing a
 * handler wrote; and beforeDelete before a row is deleted.
 *
 * A handler writes records through the local org's own dml functions, so every platform rule
 * (required fields, restricted picklists, uniqueness, the append-only timeline) applies to
 * what it writes, as it applies to DML in an Apex trigger.
 *
 * One save, one statement: on the platform a trigger sees a whole DML call (up to 200 records)
 * at once and inserts what it derives in one DML statement. The local org writes record by
 * record, so inSaveBatch marks the records of one call as one save: handlers queue their
 * writes with queueForSave, and each queue is flushed once, when the batch ends, inside the
 * caller's transaction. Outside a batch (a single-record call) a queued write runs at once.
 */
import type { ObjectSchema } from '../schema/types.ts';
import { responsePlanAfterSave } from './automation-response.ts';
import { outreachAfterSave } from './automation-outreach.ts';
import {
  timelineAfterSave,
  timelineBeforeDelete
} from './automation-timeline.ts';
import { perOrg, type OrgContext } from './context.ts';
import type { Row } from './storage.ts';

/** What runs after a row of `object` is written; `before` is undefined on insert. */
export type AfterSaveHandler = (
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
) => void;

/** What runs before a row is deleted; throwing refuses the delete. */
export type BeforeDeleteHandler = (
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row
) => void;

/**
 * The after-save handlers, in the order IncidentTriggerHandler calls its after-save services
 * (the timeline first, so later services' own writes are recorded after the save's events).
 */
const AFTER_SAVE_HANDLERS: readonly AfterSaveHandler[] = [
  timelineAfterSave,
  responsePlanAfterSave,
  outreachAfterSave
];

const BEFORE_DELETE_HANDLERS: readonly BeforeDeleteHandler[] = [
  timelineBeforeDelete
];

interface Queue {
  items: unknown[];
  flush: (items: unknown[]) => void;
}

interface BatchState {
  depth: number;
  /** Queued writes by handler key, flushed in the order the keys were first used. */
  queues: Map<string, Queue>;
}

const batchOf = perOrg<BatchState>(() => ({ depth: 0, queues: new Map() }));

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
  const { queues } = batchOf(ctx);
  const marks = new Map(
    [...queues].map(([key, queue]) => [key, queue.items.length])
  );
  try {
    for (const handler of AFTER_SAVE_HANDLERS)
      handler(ctx, object, row, before);
  } catch (error) {
    for (const [key, queue] of queues) queue.items.length = marks.get(key) ?? 0;
    throw error;
  }
}

/** Runs the before-delete handlers; a throw refuses the delete. */
export function beforeDelete(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row
): void {
  for (const handler of BEFORE_DELETE_HANDLERS) handler(ctx, object, row);
}

/**
 * Runs `work` (the writes of one API call) as one save: writes queued with queueForSave are
 * flushed once at the end, in the caller's transaction, before `work`'s result is returned.
 * Nested batches join the outermost one. When `work` throws, the queued writes are dropped.
 */
export function inSaveBatch<T>(ctx: OrgContext, work: () => T): T {
  const batch = batchOf(ctx);
  batch.depth += 1;
  try {
    const result = work();
    if (batch.depth === 1) flushQueues(ctx, batch);
    return result;
  } finally {
    batch.depth -= 1;
    if (batch.depth === 0) batch.queues.clear();
  }
}

/**
 * Queues `items` for `flush` at the end of the current save batch (one flush per key per
 * batch, with every item queued under that key), or flushes them now when no batch is open.
 */
export function queueForSave<T>(
  ctx: OrgContext,
  key: string,
  items: readonly T[],
  flush: (items: T[]) => void
): void {
  if (items.length === 0) return;
  const batch = batchOf(ctx);
  if (batch.depth === 0) {
    flush([...items]);
    return;
  }
  let queue = batch.queues.get(key);
  if (!queue) {
    // The queue holds only items queued under this key, all of type T.
    queue = { items: [], flush: flush as (items: unknown[]) => void };
    batch.queues.set(key, queue);
  }
  queue.items.push(...items);
}

/**
 * Flushes the queues until none has items left (a flush saves records whose handlers may
 * queue more), in one transaction: a savepoint inside the caller's transaction, or its own
 * when the batch's records each committed alone (a collection without allOrNone).
 */
function flushQueues(ctx: OrgContext, batch: BatchState): void {
  ctx.db.transaction(() => {
    for (;;) {
      const next = [...batch.queues.values()].find(
        (queue) => queue.items.length > 0
      );
      if (!next) return;
      const items = next.items.splice(0);
      next.flush(items);
    }
  })();
}
