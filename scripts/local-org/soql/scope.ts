/**
 * Resolves field paths (`Subject`, `Account.Name`, `Owner.Name`, `Parent__r.Field__c`) against
 * the schema and turns each parent relationship into LEFT JOINs. A polymorphic relationship
 * (a lookup to several objects, e.g. Case.Owner → User or Group) joins every target table:
 * ids are unique across tables, so at most one join matches a row.
 */
import type {
  FieldSchema,
  ObjectSchema,
  SchemaRegistry
} from '../../schema/types.ts';
import { noSuchColumn, unknownRelationship, unsupported } from './errors.ts';
import { quoteIdent } from './operand.ts';
import type { Operand } from './operand.ts';
import { binTable, hasRecycleBin, storedColumns } from '../storage.ts';
import { addressPart, ADDRESS_PARTS } from '../records.ts';

export interface JoinTarget {
  object: ObjectSchema;
  alias: string;
}

export interface JoinNode {
  /** Relationship name in schema casing, the key of the nested output object. */
  relationshipName: string;
  /** The lookup field the relationship follows, e.g. Case.AccountId for Account. */
  via: FieldSchema;
  polymorphic: boolean;
  targets: JoinTarget[];
  parent: JoinNode | null;
  /** Lower-case relationship path from the queried object, e.g. '.account.owner'. */
  key: string;
}

export interface ResolvedField extends Operand {
  /** The relationship the field is read through; null for the queried object's own fields. */
  join: JoinNode | null;
  /** Field name in schema casing. */
  name: string;
}

export class AliasSequence {
  private next = 0;

  take(): string {
    return `t${this.next++}`;
  }
}

/** The relationship name a lookup field is traversed by. */
function relationshipNameOf(field: FieldSchema): string | null {
  if (field.relationshipName !== null) return field.relationshipName;
  if (field.name.endsWith('__c')) return `${field.name.slice(0, -3)}__r`;
  return null;
}

function findRelationship(
  object: ObjectSchema,
  name: string
): FieldSchema | undefined {
  const lower = name.toLowerCase();
  return object.fields.find(
    (field) =>
      field.type === 'reference' &&
      relationshipNameOf(field)?.toLowerCase() === lower
  );
}

function rejectCompound(field: FieldSchema): FieldSchema {
  if (field.type === 'address' || field.type === 'location') {
    throw unsupported(
      `The compound field ${field.name} outside the SELECT list of the queried object (use its component fields)`
    );
  }
  return field;
}

export class Scope {
  readonly alias: string;
  private readonly joins = new Map<string, JoinNode>();
  private readonly joinSql: string[] = [];

  constructor(
    readonly registry: SchemaRegistry,
    readonly object: ObjectSchema,
    readonly aliases: AliasSequence,
    /** The FROM clause alias (`FROM Case c`), stripped from field paths. */
    private readonly sObjectAlias?: string,
    /** queryAll: the records in the recycle bin too (the top-level object only). */
    private readonly includeDeleted = false
  ) {
    this.alias = aliases.take();
  }

  /** `FROM "Case" AS t0 LEFT JOIN ...` for the joins resolved so far. */
  fromClause(): string {
    return [`FROM ${this.source()} AS ${this.alias}`, ...this.joinSql].join(
      ' '
    );
  }

  private source(): string {
    const table = quoteIdent(this.object.name);
    if (!this.includeDeleted || !hasRecycleBin(this.object)) return table;
    const columns = storedColumns(this.object).map(quoteIdent).join(', ');
    return `(SELECT ${columns} FROM ${table} UNION ALL SELECT ${columns} FROM ${quoteIdent(binTable(this.object.name))})`;
  }

  splitPath(path: string): string[] {
    const segments = path.split('.');
    if (
      segments.length > 1 &&
      this.sObjectAlias !== undefined &&
      segments[0]?.toLowerCase() === this.sObjectAlias.toLowerCase()
    ) {
      segments.shift();
    }
    return segments;
  }

  /**
   * A field path as SQL. `selected`: the path is in a REST query's SELECT list, where a
   * compound address of the queried object is returned as one structured value (built from
   * its parts); anywhere else (WHERE, ORDER BY, parents' fields) compound fields are refused.
   */
  resolve(path: string, selected = false): ResolvedField {
    const segments = this.splitPath(path);
    const fieldName = segments.pop() ?? '';
    let join: JoinNode | null = null;
    for (const segment of segments) join = this.joinFor(join, segment);
    if (join === null) {
      const field = this.registry.field(this.object.name, fieldName);
      if (field === undefined) throw noSuchColumn(fieldName, this.object.name);
      if (selected && field.type === 'address')
        return {
          sql: this.addressSql(field),
          type: field.type,
          label: field.name,
          field,
          join,
          name: field.name
        };
      rejectCompound(field);
      return {
        sql: `${this.alias}.${quoteIdent(field.name)}`,
        type: field.type,
        label: field.name,
        field,
        join,
        name: field.name
      };
    }
    return this.resolveOnJoin(join, fieldName);
  }

  /** The address as the platform returns it: an object of its parts, null when all are null. */
  private addressSql(address: FieldSchema): string {
    const parts = Object.entries(ADDRESS_PARTS).flatMap(([suffix, key]) => {
      const part = this.registry.field(
        this.object.name,
        addressPart(address, suffix)
      );
      return part
        ? [{ key, sql: `${this.alias}.${quoteIdent(part.name)}` }]
        : [];
    });
    const object = parts.map((p) => `'${p.key}', ${p.sql}`).join(', ');
    const all = parts.map((p) => p.sql).join(', ');
    return `(CASE WHEN COALESCE(${all}, NULL) IS NULL THEN NULL ELSE json_object(${object}) END)`;
  }

  private resolveOnJoin(join: JoinNode, fieldName: string): ResolvedField {
    if (join.polymorphic && fieldName.toLowerCase() === 'type') {
      // The Name object's Type: the object the id belongs to.
      const cases = join.targets.map(
        (t) =>
          `WHEN ${t.alias}."Id" IS NOT NULL THEN '${t.object.name.replaceAll("'", "''")}'`
      );
      return {
        sql: `(CASE ${cases.join(' ')} END)`,
        type: 'picklist',
        label: 'Type',
        field: null,
        join,
        name: 'Type'
      };
    }
    const found = join.targets
      .map((target) => ({
        target,
        field: this.registry.field(target.object.name, fieldName)
      }))
      .filter(
        (entry): entry is { target: JoinTarget; field: FieldSchema } =>
          entry.field !== undefined
      );
    const first = found[0];
    if (first === undefined) {
      throw noSuchColumn(
        fieldName,
        join.polymorphic ? 'Name' : (join.targets[0]?.object.name ?? 'Name')
      );
    }
    const field = rejectCompound(first.field);
    const columns = found.map(
      (entry) => `${entry.target.alias}.${quoteIdent(entry.field.name)}`
    );
    const sql =
      columns.length === 1
        ? (columns[0] ?? '')
        : `COALESCE(${columns.join(', ')})`;
    return {
      sql,
      type: field.type,
      label: field.name,
      field,
      join,
      name: field.name
    };
  }

  private joinFor(parent: JoinNode | null, segment: string): JoinNode {
    if (parent?.polymorphic === true) throw unknownRelationship(segment);
    const owner = parent === null ? this.object : parent.targets[0]?.object;
    const ownerAlias =
      parent === null ? this.alias : (parent.targets[0]?.alias ?? this.alias);
    const field =
      owner === undefined ? undefined : findRelationship(owner, segment);
    if (field === undefined) throw unknownRelationship(segment);
    const relationshipName = relationshipNameOf(field) ?? segment;
    const key = `${parent?.key ?? ''}.${relationshipName.toLowerCase()}`;
    const existing = this.joins.get(key);
    if (existing !== undefined) return existing;

    const targets: JoinTarget[] = [];
    for (const name of field.referenceTo) {
      const object = this.registry.object(name);
      if (object === undefined) continue;
      const alias = this.aliases.take();
      targets.push({ object, alias });
      this.joinSql.push(
        `LEFT JOIN ${quoteIdent(object.name)} AS ${alias} ON ${alias}."Id" = ${ownerAlias}.${quoteIdent(field.name)}`
      );
    }
    if (targets.length === 0) throw unknownRelationship(segment);
    const node: JoinNode = {
      relationshipName,
      via: field,
      polymorphic: field.referenceTo.length > 1,
      targets,
      parent,
      key
    };
    this.joins.set(key, node);
    return node;
  }
}
