/**
 * The baseline sync is held to: the local org ingesting, by its own Bulk API 2.0, exactly the
 * rows a sync wrote into a hub (its accounts, contacts and cases, with the same columns and
 * values), one upsert job per object, parents first. What sync does beyond this (reading the
 * source, building rows, parsing results, the watermark) is its overhead against the goal.
 */
import { bulkCell, bulkUpsert, type BulkOptions } from '../cases/bulk.ts';
import { queryEvery } from '../cases/org.ts';
import { SYNC_COLUMNS } from '../cases/sync.ts';
import type { OrgClient } from '../org-client/index.ts';

type Row = Record<string, string | null>;
type SyncedObject = keyof typeof SYNC_COLUMNS;

/** The external id field each synced object is upserted on (its first column). */
const KEY: Record<SyncedObject, string> = {
  Account: SYNC_COLUMNS.Account[0],
  Contact: SYNC_COLUMNS.Contact[0],
  Case: SYNC_COLUMNS.Case[0]
};

/** Rows of one object as the hub holds them after a sync, read with their hub ids. */
export interface SyncedRows {
  Account: Row[];
  Contact: Row[];
  Case: Row[];
}

/** Reads back what a sync wrote into `hub`: every row that has a source key, in the synced columns. */
export async function readSyncedRows(hub: OrgClient): Promise<SyncedRows> {
  const read = async (object: SyncedObject): Promise<Row[]> => {
    const columns = ['Id', ...SYNC_COLUMNS[object]];
    const records = await queryEvery<Record<string, unknown>>(
      hub,
      `SELECT ${columns.join(', ')} FROM ${object} WHERE ${KEY[object]} != null`
    );
    return records.map((r) =>
      Object.fromEntries(columns.map((c) => [c, bulkCell(r[c])]))
    );
  };
  return {
    Account: await read('Account'),
    Contact: await read('Contact'),
    Case: await read('Case')
  };
}

export interface IngestFigures {
  rows: number;
  /** Bulk requests other than status polls, all jobs together. */
  calls: number;
}

/**
 * Ingests `rows` into `target` with one Bulk upsert job per object. The lookups a row carries
 * (AccountId, ContactId) are ids of the hub it was read from: they are turned into the target's
 * ids of the same source keys, as sync turns source ids into hub ids. Lookups to rows that were
 * not synced (AssetId: the hub owns its assets) are ingested as they are.
 */
export async function ingestSyncedRows(
  target: OrgClient,
  rows: SyncedRows,
  options: BulkOptions = {}
): Promise<IngestFigures> {
  // Old hub id -> new hub id, per parent object.
  const moved: Record<'Account' | 'Contact', Map<string, string>> = {
    Account: new Map(),
    Contact: new Map()
  };
  const lookups: Record<string, 'Account' | 'Contact'> = {
    AccountId: 'Account',
    ContactId: 'Contact'
  };
  let calls = 0;
  for (const object of ['Account', 'Contact', 'Case'] as const) {
    const columns = SYNC_COLUMNS[object];
    const oldIdOf = new Map<string, string>();
    const out = rows[object].map((row) => {
      const copy: Row = {};
      for (const column of columns) {
        const parent = lookups[column];
        const value = row[column] ?? null;
        copy[column] =
          parent && value !== null ? (moved[parent].get(value) ?? null) : value;
      }
      oldIdOf.set(String(row[KEY[object]]), String(row.Id));
      return copy;
    });
    if (out.length === 0) continue;
    const answer = await bulkUpsert(
      target,
      object,
      KEY[object],
      columns,
      out,
      options
    );
    calls += answer.calls;
    // A baseline that dropped rows would be cheaper than the work it stands for.
    const failed = answer.rows.find((r) => r.error !== null);
    if (failed)
      throw new Error(
        `baseline ingest of ${object} failed on ${failed.key}: ${failed.error}`
      );
    if (object === 'Case') continue;
    for (const result of answer.rows) {
      const old = oldIdOf.get(result.key);
      if (old && result.id) moved[object].set(old, result.id);
    }
  }
  return {
    rows: rows.Account.length + rows.Contact.length + rows.Case.length,
    calls
  };
}
