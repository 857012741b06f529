/**
 * One save, one statement: on the platform a trigger sees a whole DML call (up to 200 records)
 * at once and inserts what it derives in one DML statement. The local org writes record by
 * record, so inSaveBatch marks the records of one call as one save: after-save handlers queue
 * their writes with queueForSave, and each queue is flushed once, when the batch ends, inside
 * the caller's transaction. Outside a batch (a single-record call) a queued write runs at once.
 */
import { perOrg, type OrgContext } from './context.ts';

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

/** How many items each queue holds now: what dropQueuedSince cuts the queues back to. */
export type QueueMarks = ReadonlyMap<string, number>;

export function queueMarks(ctx: OrgContext): QueueMarks {
  return new Map(
    [...batchOf(ctx).queues].map(([key, queue]) => [key, queue.items.length])
  );
}

/** Drops what was queued since `marks` were taken (a record whose save failed queues nothing). */
export function dropQueuedSince(ctx: OrgContext, marks: QueueMarks): void {
  for (const [key, queue] of batchOf(ctx).queues)
    queue.items.length = marks.get(key) ?? 0;
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
