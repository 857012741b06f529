/**
 * SQLite storage by the team's contract: one table per object named by its API name, one
 * column per stored field named by its API name, "Id" TEXT PRIMARY KEY. Bookkeeping the API
 * does not expose (id and autonumber sequences, the session token, API usage) lives in
 * "_local_org_meta", which no object name can collide with.
 */
import type { Database, Statement } from 'better-sqlite3';
import type {
  FieldSchema,
  ObjectSchema,
  SchemaRegistry
} from '../schema/types.ts';
import { makeId } from './ids.ts';
import { isStored, type ColumnValue } from './values.ts';

export const META_TABLE = '_local_org_meta';

/**
 * The recycle bin of an object: deleted records (IsDeleted = 1) are moved here, so every read
 * of the object's own table (lookups, uniqueness, SOQL) sees live records only, and queryAll,
 * undelete and /deleted/ read this table. Objects without IsDeleted (GroupMember,
 * PermissionSetAssignment) have no recycle bin on the platform and are deleted outright.
 */
export const binTable = (objectName: string): string => `_bin_${objectName}`;

export function hasRecycleBin(object: ObjectSchema): boolean {
  return (
    !object.customMetadata && object.fields.some((f) => f.name === 'IsDeleted')
  );
}

/** The stored columns of an object, in schema order: both of its tables hold exactly these. */
export function storedColumns(object: ObjectSchema): string[] {
  return object.fields.filter(isStored).map((f) => f.name);
}

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function columnType(field: FieldSchema): string {
  switch (field.type) {
    case 'boolean':
    case 'int':
    case 'long':
      return 'INTEGER';
    case 'double':
    case 'currency':
    case 'percent':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

function needsIndex(field: FieldSchema): boolean {
  return (
    field.unique ||
    field.externalId ||
    field.idLookup ||
    field.type === 'reference'
  );
}

/**
 * Creates missing tables, columns and lookup indexes; never drops data (a restart keeps
 * records). A new table is created whole in one statement; ALTER TABLE only adds the columns
 * an existing database lacks (a field deployed since). One transaction, so a file database
 * commits (and syncs) once rather than once per statement.
 */
export function ensureTables(db: Database, registry: SchemaRegistry): void {
  const tableExists = db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
  );
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${quote(META_TABLE)} ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`
    );
    for (const object of registry.objects()) {
      const table = quote(object.name);
      const fields = object.fields.filter(
        (f) => isStored(f) && f.name !== 'Id'
      );
      const column = (field: FieldSchema): string =>
        `${quote(field.name)} ${columnType(field)}`;
      const ensure = (name: string): void => {
        const quoted = quote(name);
        if (tableExists.get(name) === undefined) {
          db.exec(
            `CREATE TABLE ${quoted} (${['"Id" TEXT PRIMARY KEY', ...fields.map(column)].join(', ')})`
          );
          return;
        }
        const existing = new Set(
          (
            db.prepare(`PRAGMA table_info(${quoted})`).all() as {
              name: string;
            }[]
          ).map((c) => c.name)
        );
        for (const field of fields) {
          if (!existing.has(field.name))
            db.exec(`ALTER TABLE ${quoted} ADD COLUMN ${column(field)}`);
        }
      };
      ensure(object.name);
      if (hasRecycleBin(object)) ensure(binTable(object.name));
      for (const field of fields.filter(needsIndex)) {
        const index = quote(`${object.name}__${field.name}__idx`);
        const collate = field.type === 'reference' ? '' : ' COLLATE NOCASE';
        db.exec(
          `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (${quote(field.name)}${collate})`
        );
      }
    }
  })();
}

export type Row = Record<string, ColumnValue>;

interface MetaStatements {
  get: Statement<[string], { value: string }>;
  set: Statement<[string, string]>;
  next: Statement<[string, string], { value: string }>;
}

/** Prepared once per connection: the id sequences run these for every record written. */
const metaStatements = new WeakMap<Database, MetaStatements>();

function meta(db: Database): MetaStatements {
  let statements = metaStatements.get(db);
  if (!statements) {
    const table = quote(META_TABLE);
    statements = {
      get: db.prepare(`SELECT "value" FROM ${table} WHERE "key" = ?`),
      set: db.prepare(
        `INSERT INTO ${table} ("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value"`
      ),
      next: db.prepare(
        `INSERT INTO ${table} ("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = CAST("value" AS INTEGER) + 1 RETURNING "value"`
      )
    };
    metaStatements.set(db, statements);
  }
  return statements;
}

export function getMeta(db: Database, key: string): string | undefined {
  return meta(db).get.get(key)?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  meta(db).set.run(key, value);
}

/**
 * Sequences held in memory for one write scope (withSequencesInMemory): the values read once
 * from the database, and the values handed out since.
 */
interface SequenceScope {
  loaded: Map<string, number>;
  values: Map<string, number>;
}

const sequenceScopes = new WeakMap<Database, SequenceScope>();

/**
 * Next value of a named sequence. The counter lives only in the database and is advanced
 * inside the caller's transaction, so a rollback returns the value and a restart continues
 * from the last committed one. Inside withSequencesInMemory it is advanced in memory and
 * stored once when the scope ends, in the same transaction.
 */
export function nextSequence(db: Database, name: string, start = 1): number {
  const key = `seq:${name}`;
  const scope = sequenceScopes.get(db);
  if (!scope) return Number(meta(db).next.get(key, String(start))?.value);
  let value = scope.values.get(key);
  if (value === undefined) {
    const stored = meta(db).get.get(key)?.value;
    value = stored === undefined ? start - 1 : Number(stored);
    scope.loaded.set(key, value);
  }
  value += 1;
  scope.values.set(key, value);
  return value;
}

/**
 * Runs `work` (inside the caller's transaction) with the sequences advanced in memory and
 * written back once at its end: a Bulk chunk of 2,000 cases took 4,000 statements for its ids
 * and case numbers. When `work` throws nothing is written back, and the caller's transaction
 * rolls back the rest. A nested call joins the outer scope.
 */
export function withSequencesInMemory<T>(db: Database, work: () => T): T {
  if (sequenceScopes.has(db)) return work();
  if (!db.inTransaction)
    throw new Error('withSequencesInMemory must run inside a transaction');
  const scope: SequenceScope = { loaded: new Map(), values: new Map() };
  sequenceScopes.set(db, scope);
  try {
    const result = work();
    for (const [key, value] of scope.values)
      if (scope.loaded.get(key) !== value) meta(db).set.run(key, String(value));
    return result;
  } finally {
    sequenceScopes.delete(db);
  }
}

/** The in-memory sequences' values now (undefined outside a scope), for restoreSequences. */
export type SequenceMark = ReadonlyMap<string, number> | undefined;

export function sequenceMark(db: Database): SequenceMark {
  const scope = sequenceScopes.get(db);
  return scope ? new Map(scope.values) : undefined;
}

/**
 * Hands the values taken since `mark` out again: a record whose savepoint rolled back leaves
 * its id and autonumber to the next record, as a rolled-back stored sequence does.
 */
export function restoreSequences(db: Database, mark: SequenceMark): void {
  const scope = sequenceScopes.get(db);
  if (scope && mark) scope.values = new Map(mark);
}

/** A new record id for the key prefix, from the prefix's own sequence. */
export function nextId(db: Database, keyPrefix: string): string {
  return makeId(keyPrefix, nextSequence(db, `id:${keyPrefix}`));
}

/** Text values of the field compare case-insensitively (external ids, unique names); ids exactly. */
export const isNoCase = (field: FieldSchema): boolean =>
  field.type !== 'reference' && field.type !== 'id';

/** SQLite's default limit on the values one statement binds (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_BOUND_VALUES = 32_766;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** SQLite's NOCASE: ASCII letters folded, nothing else (so 'É' and 'é' stay apart, as there). */
export const foldAscii = (text: string): string =>
  text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/**
 * What one write scope (withReadMemo) remembers of its reads. Entries are only ever taken from
 * the database before the scope writes what they describe, and every write drops the entries
 * it could change, so a savepoint that rolls back can never leave a wrong one: after it the
 * dropped entries are read from the database again.
 */
interface ReadMemo {
  /** Ids known to exist, by object (rememberIds). */
  knownIds: Map<string, Set<string>>;
  /**
   * Ids exists() found in this scope (the owner, the default business hours every record
   * names): a record may find one its own savepoint then rolls back, so they are forgotten
   * when a record fails (forgetFound).
   */
  foundIds: Map<string, Set<string>>;
  /** By object and field: the ids holding each (ASCII-folded) value (rememberKeys). */
  keys: Map<string, Map<string, Map<string, string[]>>>;
  /** Reads of objects not written in this scope (remembered). */
  values: Map<string, unknown>;
  /** Objects written in this scope: their remembered reads no longer hold. */
  written: Set<string>;
}

export class Store {
  private readonly statements = new Map<string, Statement>();
  /**
   * Statements by object and purpose, found without building their SQL text: on a bulk load
   * the text (and hashing it for the lookup) cost as much as running the statement.
   */
  private readonly byObject = new Map<string, Map<string, Statement>>();
  /** The last INSERT per object: every insert of a record writes the same columns. */
  private readonly inserts = new Map<
    string,
    { names: string[]; statement: Statement }
  >();

  /** The current write scope's memo; none outside one. */
  private memo: ReadMemo | undefined;

  constructor(readonly db: Database) {}

  /**
   * Runs `work` (the writes of one Bulk chunk or collection call) with reads remembered:
   * lookups and external ids read ahead for the whole chunk (rememberIds, rememberKeys) and
   * per-scope constants (remembered). A nested call joins the outer scope.
   */
  withReadMemo<T>(work: () => T): T {
    if (this.memo) return work();
    this.memo = {
      knownIds: new Map(),
      foundIds: new Map(),
      keys: new Map(),
      values: new Map(),
      written: new Set()
    };
    try {
      return work();
    } finally {
      this.memo = undefined;
    }
  }

  /** Reads which of these ids exist, in one query, for exists() to answer from (in a memo scope). */
  rememberIds(object: ObjectSchema, ids: readonly string[]): void {
    const memo = this.memo;
    if (!memo || ids.length === 0) return;
    let known = memo.knownIds.get(object.name);
    if (!known) {
      known = new Set();
      memo.knownIds.set(object.name, known);
    }
    const found = this.forObject(
      object,
      'rememberIds',
      () =>
        `SELECT "Id" FROM ${quote(object.name)} WHERE "Id" IN (SELECT "value" FROM json_each(?))`
    )
      .pluck(true)
      .all(JSON.stringify(ids)) as string[];
    for (const id of found) known.add(id);
  }

  /**
   * Reads which records hold each of these text values of `field` (case-insensitive, as
   * findBy compares them), in one query, for findBy to answer from (in a memo scope).
   */
  rememberKeys(
    object: ObjectSchema,
    field: FieldSchema,
    values: readonly string[]
  ): void {
    const memo = this.memo;
    if (!memo || values.length === 0 || !isNoCase(field)) return;
    let byField = memo.keys.get(object.name);
    if (!byField) {
      byField = new Map();
      memo.keys.set(object.name, byField);
    }
    let byKey = byField.get(field.name);
    if (!byKey) {
      byKey = new Map();
      byField.set(field.name, byKey);
    }
    const rows = this.forObject(
      object,
      `rememberKeys ${field.name}`,
      () =>
        `SELECT "Id" AS "id", ${quote(field.name)} AS "value" FROM ${quote(object.name)} WHERE ${quote(field.name)} COLLATE NOCASE IN (SELECT "value" FROM json_each(?))`
    ).all(JSON.stringify(values)) as { id: string; value: string }[];
    const holders = new Map<string, string[]>();
    for (const row of rows) {
      const key = foldAscii(row.value);
      holders.set(key, [...(holders.get(key) ?? []), row.id]);
    }
    for (const value of values) {
      const key = foldAscii(value);
      byKey.set(key, holders.get(key) ?? []);
    }
  }

  /**
   * `read()` once per memo scope while `objectName` is not written in it (a per-job constant
   * such as the default business hours); outside a scope, or once written, read every time.
   */
  remembered<T>(objectName: string, key: string, read: () => T): T {
    const memo = this.memo;
    if (!memo || memo.written.has(objectName)) return read();
    const name = `${objectName}\u0000${key}`;
    if (memo.values.has(name)) return memo.values.get(name) as T;
    const value = read();
    memo.values.set(name, value);
    return value;
  }

  /** Drops what a write to `object` could change: every remembered key of the object's `fields` (all when undefined). */
  private wrote(
    object: ObjectSchema,
    removedId?: string,
    fields?: readonly string[]
  ): void {
    const memo = this.memo;
    if (!memo) return;
    memo.written.add(object.name);
    if (removedId !== undefined) {
      memo.knownIds.get(object.name)?.delete(removedId);
      memo.foundIds.get(object.name)?.delete(removedId);
    }
    const byField = memo.keys.get(object.name);
    if (!byField) return;
    if (fields === undefined) byField.clear();
    else for (const name of fields) byField.delete(name);
  }

  /** The statement for this SQL, prepared on first use: preparing costs more than most runs. */
  prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private forObject(
    object: ObjectSchema,
    purpose: string,
    sql: () => string
  ): Statement {
    let statements = this.byObject.get(object.name);
    if (!statements) {
      statements = new Map();
      this.byObject.set(object.name, statements);
    }
    let statement = statements.get(purpose);
    if (!statement) {
      statement = this.prepared(sql());
      statements.set(purpose, statement);
    }
    return statement;
  }

  get(object: ObjectSchema, id: string): Row | undefined {
    return this.forObject(
      object,
      'get',
      () => `SELECT * FROM ${quote(object.name)} WHERE "Id" = ?`
    ).get(id) as Row | undefined;
  }

  exists(object: ObjectSchema, id: string): boolean {
    const memo = this.memo;
    if (
      memo?.knownIds.get(object.name)?.has(id) ||
      memo?.foundIds.get(object.name)?.has(id)
    )
      return true;
    const found =
      this.forObject(
        object,
        'exists',
        () => `SELECT 1 FROM ${quote(object.name)} WHERE "Id" = ?`
      ).get(id) !== undefined;
    if (found && memo) {
      let ids = memo.foundIds.get(object.name);
      if (!ids) {
        ids = new Set();
        memo.foundIds.set(object.name, ids);
      }
      ids.add(id);
    }
    return found;
  }

  /** A record of the scope failed: what exists() found while it was written may be rolled back. */
  forgetFound(): void {
    this.memo?.foundIds.clear();
  }

  /** Drops what the memo holds that an inserted row changes: the values it now holds. */
  private noteInsert(object: ObjectSchema, row: Row): void {
    const byField = this.memo?.keys.get(object.name);
    if (this.memo) this.memo.written.add(object.name);
    if (byField)
      for (const [name, byKey] of byField) {
        const value = row[name];
        if (typeof value === 'string') byKey.delete(foldAscii(value));
        else if (value !== null && value !== undefined) byField.delete(name);
      }
  }

  insert(object: ObjectSchema, row: Row): void {
    const names = Object.keys(row);
    this.noteInsert(object, row);
    let last = this.inserts.get(object.name);
    if (!last || !sameNames(last.names, names)) {
      last = {
        names,
        statement: this.prepared(
          `INSERT INTO ${quote(object.name)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
        )
      };
      this.inserts.set(object.name, last);
    }
    last.statement.run(...names.map((n) => row[n] ?? null));
  }

  /**
   * Inserts rows of one object in as few statements as SQLite's limit on bound values allows
   * (one for a save's timeline events), each statement for rows with the same columns.
   */
  insertMany(object: ObjectSchema, rows: readonly Row[]): void {
    let start = 0;
    while (start < rows.length) {
      const first = rows[start] ?? {};
      const names = Object.keys(first);
      const most = Math.max(1, Math.floor(MAX_BOUND_VALUES / names.length));
      let end = start + 1;
      while (
        end < rows.length &&
        end - start < most &&
        sameNames(names, Object.keys(rows[end] ?? {}))
      )
        end++;
      const batch = rows.slice(start, end);
      for (const row of batch) this.noteInsert(object, row);
      const tuple = `(${names.map(() => '?').join(', ')})`;
      this.prepared(
        `INSERT INTO ${quote(object.name)} (${names.map(quote).join(', ')}) VALUES ${batch.map(() => tuple).join(', ')}`
      ).run(...batch.flatMap((row) => names.map((n) => row[n] ?? null)));
      start = end;
    }
  }

  update(object: ObjectSchema, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    this.wrote(object, undefined, names);
    this.prepared(
      `UPDATE ${quote(object.name)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE "Id" = ?`
    ).run(...names.map((n) => changes[n] ?? null), id);
  }

  delete(object: ObjectSchema, id: string): void {
    this.wrote(object, id);
    this.forObject(
      object,
      'delete',
      () => `DELETE FROM ${quote(object.name)} WHERE "Id" = ?`
    ).run(id);
  }

  /** Ids of records whose field equals the value (case-insensitive for text, like external ids). */
  findBy(
    object: ObjectSchema,
    field: FieldSchema,
    value: ColumnValue,
    limit = 2
  ): string[] {
    if (typeof value === 'string' && isNoCase(field)) {
      const holders = this.memo?.keys
        .get(object.name)
        ?.get(field.name)
        ?.get(foldAscii(value));
      // Several holders come from the database, in its order, as the error listing them shows.
      if (holders && holders.length <= 1) return holders.slice(0, limit);
    }
    const collate =
      !isNoCase(field) || typeof value === 'number' ? '' : ' COLLATE NOCASE';
    const rows = this.forObject(
      object,
      `findBy ${field.name}${collate} ${String(limit)}`,
      () =>
        `SELECT "Id" FROM ${quote(object.name)} WHERE ${quote(field.name)} = ?${collate} LIMIT ${String(limit)}`
    ).all(value) as { Id: string }[];
    return rows.map((r) => r.Id);
  }

  /** A record in the recycle bin, or undefined. */
  getDeleted(object: ObjectSchema, id: string): Row | undefined {
    if (!hasRecycleBin(object)) return undefined;
    return this.forObject(
      object,
      'getDeleted',
      () => `SELECT * FROM ${quote(binTable(object.name))} WHERE "Id" = ?`
    ).get(id) as Row | undefined;
  }

  /** Moves a record between the object's table and its recycle bin, with the changes given. */
  private move(
    object: ObjectSchema,
    id: string,
    toBin: boolean,
    changes: Row
  ): void {
    this.wrote(object, id);
    const columns = storedColumns(object).map(quote).join(', ');
    const [from, to] = toBin
      ? [object.name, binTable(object.name)]
      : [binTable(object.name), object.name];
    this.forObject(
      object,
      toBin ? 'toBin' : 'fromBin',
      () =>
        `INSERT INTO ${quote(to)} (${columns}) SELECT ${columns} FROM ${quote(from)} WHERE "Id" = ?`
    ).run(id);
    this.forObject(
      object,
      toBin ? 'deleteLive' : 'deleteBinned',
      () => `DELETE FROM ${quote(from)} WHERE "Id" = ?`
    ).run(id);
    const names = Object.keys(changes);
    if (names.length > 0)
      this.prepared(
        `UPDATE ${quote(to)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE "Id" = ?`
      ).run(...names.map((n) => changes[n] ?? null), id);
  }

  /** Delete to the recycle bin (the changes mark it: IsDeleted, the deleting user and time). */
  recycle(object: ObjectSchema, id: string, changes: Row): void {
    this.move(object, id, true, changes);
  }

  undelete(object: ObjectSchema, id: string, changes: Row): void {
    this.move(object, id, false, changes);
  }

  /** Removes a record from the recycle bin for good (emptyRecycleBin). */
  purge(object: ObjectSchema, id: string): void {
    this.wrote(object, id);
    this.forObject(
      object,
      'purge',
      () => `DELETE FROM ${quote(binTable(object.name))} WHERE "Id" = ?`
    ).run(id);
  }

  /** Ids of live records whose `field` equals the value (children of a parent). */
  idsWhere(object: ObjectSchema, field: string, value: string): string[] {
    return (
      this.forObject(
        object,
        `idsWhere ${field}`,
        () => `SELECT "Id" FROM ${quote(object.name)} WHERE ${quote(field)} = ?`
      ).all(value) as { Id: string }[]
    ).map((r) => r.Id);
  }

  /** Binned records whose `field` equals the value, deleted at `stamp` (with their parent). */
  deletedWhere(
    object: ObjectSchema,
    field: string,
    value: string,
    stamp: string
  ): Row[] {
    return this.forObject(
      object,
      `deletedWhere ${field}`,
      () =>
        `SELECT * FROM ${quote(binTable(object.name))} WHERE ${quote(field)} = ? AND "SystemModstamp" = ?`
    ).all(value, stamp) as Row[];
  }

  all(object: ObjectSchema): Row[] {
    return this.forObject(
      object,
      'all',
      () => `SELECT * FROM ${quote(object.name)}`
    ).all() as Row[];
  }
}
