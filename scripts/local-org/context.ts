/** What every handler needs: the database, the schema, and who is calling. */
import type { Database } from 'better-sqlite3';
import type { ObjectSchema, SchemaRegistry } from '../schema/types.ts';
import type { Row, Store } from './storage.ts';

export const API_VERSION = '64.0';

export interface OrgContext {
  db: Database;
  store: Store;
  registry: SchemaRegistry;
  orgId: string;
  userId: string;
  username: string;
  /** The instance URL clients use, e.g. http://127.0.0.1:50123 */
  instanceUrl: string;
  /** Time source, replaceable in tests. */
  now(): Date;
  /** Org time zone for SOQL date literals. */
  timeZone: string;
  /** The automation dml.ts runs around writes (after-save.ts), registered when the org is assembled. */
  saveHandlers: SaveHandlers;
}

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

export interface SaveHandlers {
  /** Run in this order after every insert and update. */
  afterSave: readonly AfterSaveHandler[];
  beforeDelete: readonly BeforeDeleteHandler[];
}

/** State a running org keeps in memory only (jobs, query cursors): made on first use, gone with the org. */
export function perOrg<T>(make: () => T): (ctx: OrgContext) => T {
  const byOrg = new WeakMap<OrgContext, T>();
  return (ctx) => {
    let state = byOrg.get(ctx);
    if (state === undefined) {
      state = make();
      byOrg.set(ctx, state);
    }
    return state;
  };
}
