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
import { isStored, type ColumnValue } from './values.ts';

export const META_TABLE = '_local_org_meta';

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

/** Creates missing tables, columns and lookup indexes; never drops data (a restart keeps records). */
export function ensureTables(db: Database, registry: SchemaRegistry): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${quote(META_TABLE)} ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`
  );
  for (const object of registry.objects()) {
    const table = quote(object.name);
    const fields = object.fields.filter((f) => isStored(f) && f.name !== 'Id');
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} ("Id" TEXT PRIMARY KEY)`);
    const existing = new Set(
      (
        db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
      ).map((c) => c.name)
    );
    for (const field of fields) {
      if (!existing.has(field.name))
        db.exec(
          `ALTER TABLE ${table} ADD COLUMN ${quote(field.name)} ${columnType(field)}`
        );
    }
    for (const field of fields) {
      if (
        field.unique ||
        field.externalId ||
        field.idLookup ||
        field.type === 'reference'
      ) {
        const index = quote(`${object.name}__${field.name}__idx`);
        const collate = field.type === 'reference' ? '' : ' COLLATE NOCASE';
        db.exec(
          `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (${quote(field.name)}${collate})`
        );
      }
    }
  }
}

export type Row = Record<string, ColumnValue>;

export function getMeta(db: Database, key: string): string | undefined {
  const row = db
    .prepare(`SELECT "value" FROM ${quote(META_TABLE)} WHERE "key" = ?`)
    .get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  db.prepare(
    `INSERT INTO ${quote(META_TABLE)} ("key", "value") VALUES (?, ?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value"`
  ).run(key, value);
}

/** Next value of a named sequence; runs inside the caller's transaction, so a rollback returns it. */
export function nextSequence(db: Database, name: string, start = 1): number {
  const current = getMeta(db, `seq:${name}`);
  const next = current === undefined ? start : Number(current) + 1;
  setMeta(db, `seq:${name}`, String(next));
  return next;
}

export class Store {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get(object: ObjectSchema, id: string): Row | undefined {
    return this.prepare(
      `SELECT * FROM ${quote(object.name)} WHERE "Id" = ?`
    ).get(id) as Row | undefined;
  }

  exists(object: ObjectSchema, id: string): boolean {
    return (
      this.prepare(`SELECT 1 FROM ${quote(object.name)} WHERE "Id" = ?`).get(
        id
      ) !== undefined
    );
  }

  insert(object: ObjectSchema, row: Row): void {
    const names = Object.keys(row);
    this.prepare(
      `INSERT INTO ${quote(object.name)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
    ).run(...names.map((n) => row[n] ?? null));
  }

  update(object: ObjectSchema, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    this.prepare(
      `UPDATE ${quote(object.name)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE "Id" = ?`
    ).run(...names.map((n) => changes[n] ?? null), id);
  }

  delete(object: ObjectSchema, id: string): void {
    this.prepare(`DELETE FROM ${quote(object.name)} WHERE "Id" = ?`).run(id);
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
    const rows = this.prepare(
      `SELECT "Id" FROM ${quote(object.name)} WHERE ${quote(field.name)} = ?${collate} LIMIT ${String(limit)}`
    ).all(value) as { Id: string }[];
    return rows.map((r) => r.Id);
  }

  all(object: ObjectSchema): Row[] {
    return this.prepare(`SELECT * FROM ${quote(object.name)}`).all() as Row[];
  }
}
