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
 * Next value of a named sequence. The counter lives only in the database and is advanced
 * inside the caller's transaction, so a rollback returns the value and a restart continues
 * from the last committed one.
 */
export function nextSequence(db: Database, name: string, start = 1): number {
  const row = meta(db).next.get(`seq:${name}`, String(start));
  return Number(row?.value);
}

/** A new record id for the key prefix, from the prefix's own sequence. */
export function nextId(db: Database, keyPrefix: string): string {
  return makeId(keyPrefix, nextSequence(db, `id:${keyPrefix}`));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
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

  constructor(readonly db: Database) {}

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
    return (
      this.forObject(
        object,
        'exists',
        () => `SELECT 1 FROM ${quote(object.name)} WHERE "Id" = ?`
      ).get(id) !== undefined
    );
  }

  insert(object: ObjectSchema, row: Row): void {
    const names = Object.keys(row);
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

  update(object: ObjectSchema, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    this.prepared(
      `UPDATE ${quote(object.name)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE "Id" = ?`
    ).run(...names.map((n) => changes[n] ?? null), id);
  }

  delete(object: ObjectSchema, id: string): void {
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
    const collate =
      field.type === 'reference' ||
      field.type === 'id' ||
      typeof value === 'number'
        ? ''
        : ' COLLATE NOCASE';
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
