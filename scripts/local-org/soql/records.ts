/** Record queries: field lists, parent relationships, child subqueries, filters, order, limits. */
import type {
  FieldType as SoqlFieldType,
  Query,
  QueryBase,
  Subquery
} from '@jetstreamapp/soql-parser-js';
import type {
  FieldSchema,
  ObjectSchema,
  SchemaRegistry
} from '../../schema/types.ts';
import {
  whereClause,
  limitClause,
  objectNamed,
  orderByList,
  orderTerm
} from './context.ts';
import type { EngineContext } from './context.ts';
import { malformed, unknownChildRelationship, unsupported } from './errors.ts';
import { quoteIdent } from './operand.ts';
import { rejectUnsupportedClauses } from './parse.ts';
import { Scope } from './scope.ts';
import type { ResolvedField } from './scope.ts';
import { ColumnList, RecordShape } from './shape.ts';
import type { Row, SObjectRecord } from './shape.ts';

export interface QueryResult {
  totalSize: number;
  done: true;
  records: SObjectRecord[];
}

interface ChildPlan {
  key: string;
  /** SQL whose first parameter is a JSON array of parent ids. */
  sql: string;
  params: unknown[];
  build: (row: Row) => SObjectRecord;
  parentColumn: number;
  limit: number | undefined;
}

interface RecordPlan {
  sql: string;
  params: unknown[];
  /**
   * The same columns read for a list of ids in the list's order (json_each of ?, its only
   * parameter), without the query's filter, order and limit; null where the source is not the
   * table itself (queryAll's union with the recycle bin has no index on Id).
   */
  byIdsSql: string | null;
  build: (row: Row) => SObjectRecord;
  idColumn: number;
  children: ChildPlan[];
}

const MAX_FIELDS_FUNCTION_LIMIT = 200;

/** FIELDS(ALL | STANDARD | CUSTOM) as the list of field names it stands for. */
function expandFieldsFunction(
  object: ObjectSchema,
  argument: string,
  query: QueryBase
): string[] {
  const kind = argument.toUpperCase();
  if (kind !== 'ALL' && kind !== 'STANDARD' && kind !== 'CUSTOM')
    throw malformed(`unexpected FIELDS argument: ${argument}`);
  if (
    kind !== 'STANDARD' &&
    (query.limit === undefined || query.limit > MAX_FIELDS_FUNCTION_LIMIT)
  ) {
    throw malformed(
      `The SOQL FIELDS function must have a LIMIT of at most ${MAX_FIELDS_FUNCTION_LIMIT}`
    );
  }
  // Compound fields are left out: the local org stores only their components.
  return object.fields
    .filter((f) => f.type !== 'address' && f.type !== 'location')
    .filter((f) => kind === 'ALL' || (kind === 'CUSTOM') === f.custom)
    .map((f) => f.name);
}

export function fieldPath(item: SoqlFieldType): string | null {
  if (item.type === 'Field') return item.field;
  if (item.type === 'FieldRelationship')
    return [...item.relationships, item.field].join('.');
  return null;
}

export interface ChildSubquery {
  child: ObjectSchema;
  /** The child's lookup to the parent. */
  field: FieldSchema;
  /** Relationship name in schema casing, the key of the nested result. */
  key: string;
}

/** The child object a subquery's FROM names (a relationship of the parent). */
export function resolveChildSubquery(
  registry: SchemaRegistry,
  parent: ObjectSchema,
  subquery: Subquery
): ChildSubquery {
  const name = subquery.relationshipName;
  const lower = name.toLowerCase();
  const relationship = parent.childRelationships.find(
    (r) => r.relationshipName?.toLowerCase() === lower
  );
  const child =
    relationship === undefined
      ? undefined
      : registry.object(relationship.childSObject);
  const field =
    child === undefined || relationship === undefined
      ? undefined
      : registry.field(child.name, relationship.field);
  if (
    relationship?.relationshipName == null ||
    child === undefined ||
    field === undefined
  )
    throw unknownChildRelationship(name);
  if (subquery.offset !== undefined)
    throw unsupported('OFFSET in a child subquery');
  return { child, field, key: relationship.relationshipName };
}

/** Clauses a record query (top level or child subquery) can not have. */
export function rejectRecordQueryClauses(query: QueryBase): void {
  rejectUnsupportedClauses(query);
  if (query.groupBy !== undefined || query.having !== undefined)
    throw malformed('GROUP BY is not allowed in a child subquery');
}

export interface SelectVisitor {
  field(field: ResolvedField): void;
  subquery(subquery: Subquery): void;
}

/**
 * Walks a record query's SELECT list in order, resolving each field path and expanding
 * FIELDS(); the query compiler and the columns=true description both read the list this way.
 */
export function visitSelectList(
  scope: Scope,
  query: QueryBase,
  inSubquery: boolean,
  visitor: SelectVisitor
): void {
  for (const item of query.fields ?? []) {
    const path = fieldPath(item);
    if (path !== null) {
      visitor.field(scope.resolve(path, true));
    } else if (item.type === 'FieldFunctionExpression') {
      if (item.functionName.toUpperCase() !== 'FIELDS')
        throw unsupported(`The function ${item.functionName}()`);
      const argument = item.parameters[0];
      if (typeof argument !== 'string')
        throw malformed('FIELDS() takes ALL, STANDARD or CUSTOM');
      for (const name of expandFieldsFunction(scope.object, argument, query))
        visitor.field(scope.resolve(name));
    } else if (item.type === 'FieldSubquery') {
      if (inSubquery)
        throw unsupported('A child subquery nested in a child subquery');
      visitor.subquery(item.subquery);
    } else {
      throw unsupported('TYPEOF');
    }
  }
}

function compileRecordPlan(
  ctx: EngineContext,
  object: ObjectSchema,
  query: QueryBase,
  parentLink: FieldSchema | null
): RecordPlan & { parentColumn: number } {
  rejectRecordQueryClauses(query);
  const scope = new Scope(
    ctx.registry,
    object,
    ctx.aliases,
    query.sObjectAlias,
    parentLink === null && ctx.includeDeleted
  );
  const columns = new ColumnList();
  const idColumn = columns.add(`${scope.alias}."Id"`);
  const parentColumn =
    parentLink === null
      ? -1
      : columns.add(`${scope.alias}.${quoteIdent(parentLink.name)}`);
  const shape = new RecordShape(columns, ctx.urlBase, object.name, idColumn);
  const children: ChildPlan[] = [];

  visitSelectList(scope, query, parentLink !== null, {
    field: (field) => {
      shape.addField(field.join, field.name, field.sql, field.type);
    },
    subquery: (subquery) => {
      const plan = compileChildPlan(ctx, object, subquery);
      shape.addSlot(plan.key);
      children.push(plan);
    }
  });

  const params: unknown[] = [];
  // A child subquery reads the children of all parent rows at once: its first parameter is
  // the JSON array of parent ids.
  const link =
    parentLink === null
      ? []
      : [
          `${scope.alias}.${quoteIdent(parentLink.name)} IN (SELECT value FROM json_each(?))`
        ];
  const where = whereClause(ctx, scope, query.where, params, link);
  const order = orderByList(query.orderBy).map((clause) => {
    if (!('field' in clause))
      throw unsupported(`ORDER BY ${clause.fn.functionName ?? 'a function'}()`);
    return orderTerm(scope.resolve(clause.field), clause);
  });
  const orderSql = order.length === 0 ? '' : ` ORDER BY ${order.join(', ')}`;
  const limit = parentLink === null ? limitClause(query, params) : '';
  const sql = `SELECT ${columns.selectClause()} ${scope.fromClause()}${where}${orderSql}${limit}`;
  const byIdsSql =
    parentLink === null && !ctx.includeDeleted
      ? `SELECT ${columns.selectClause()} FROM json_each(?) AS k CROSS JOIN ${scope.fromClause().replace(/^FROM /, '')} WHERE ${scope.alias}."Id" = k.value ORDER BY k.key`
      : null;
  return {
    sql,
    params,
    byIdsSql,
    build: shape.compile(),
    idColumn,
    children,
    parentColumn
  };
}

function compileChildPlan(
  ctx: EngineContext,
  parent: ObjectSchema,
  subquery: Subquery
): ChildPlan {
  const { child, field, key } = resolveChildSubquery(
    ctx.registry,
    parent,
    subquery
  );
  const plan = compileRecordPlan(ctx, child, subquery, field);
  return {
    key,
    sql: plan.sql,
    params: plan.params,
    build: plan.build,
    parentColumn: plan.parentColumn,
    limit: subquery.limit
  };
}

function fillChildren(
  ctx: EngineContext,
  plan: ChildPlan,
  parents: { id: string; record: SObjectRecord }[]
): void {
  if (parents.length === 0) return;
  const rows = ctx.db
    .prepare(plan.sql)
    .raw(true)
    .all(JSON.stringify(parents.map((p) => p.id)), ...plan.params) as Row[];
  const byParent = new Map<string, SObjectRecord[]>();
  for (const row of rows) {
    const parentId = String(row[plan.parentColumn]);
    let list = byParent.get(parentId);
    if (list === undefined) {
      list = [];
      byParent.set(parentId, list);
    }
    if (plan.limit === undefined || list.length < plan.limit)
      list.push(plan.build(row));
  }
  for (const parent of parents) {
    const records = byParent.get(parent.id);
    parent.record[plan.key] =
      records === undefined
        ? null
        : { totalSize: records.length, done: true, records };
  }
}

/** Shapes rows into records, with their child subqueries read for these parents at once. */
function shapeRows(
  ctx: EngineContext,
  plan: RecordPlan,
  rows: Row[]
): SObjectRecord[] {
  const records = rows.map(plan.build);
  if (plan.children.length > 0) {
    const parents = rows.map((row, i) => ({
      id: String(row[plan.idColumn]),
      record: records[i] ?? {}
    }));
    for (const child of plan.children) fillChildren(ctx, child, parents);
  }
  return records;
}

export function runRecordQuery(ctx: EngineContext, query: Query): QueryResult {
  const object = objectNamed(ctx.registry, query.sObject);
  const plan = compileRecordPlan(ctx, object, query, null);
  const rows = ctx.db
    .prepare(plan.sql)
    .raw(true)
    .all(...plan.params) as Row[];
  const records = shapeRows(ctx, plan, rows);
  return { totalSize: records.length, done: true, records };
}

/**
 * A record query read page by page. The matching ids are read once, in the query's order, when
 * the cursor opens, and each page reads its records by those ids, so the set and order are the
 * query's at open time, as the platform's cursor (a record changed meanwhile does not move
 * between pages), and a page costs its own rows: paging by LIMIT/OFFSET re-ran the whole
 * filtered, sorted query for every page (50 pages of 100,000 cases, each sorting them all).
 * The cursor holds only the ids (about 60 bytes each); a record deleted since is left out of
 * its page. queryAll (which reads the recycle bin too) pages by OFFSET as before.
 */
export interface RecordCursor {
  totalSize: number;
  read(offset: number, count: number): SObjectRecord[];
}

export function openRecordQuery(
  ctx: EngineContext,
  query: Query
): RecordCursor {
  const object = objectNamed(ctx.registry, query.sObject);
  const plan = compileRecordPlan(ctx, object, query, null);
  if (plan.byIdsSql !== null) {
    const ids = ctx.db
      .prepare(`SELECT c${String(plan.idColumn)} FROM (${plan.sql})`)
      .pluck(true)
      .all(...plan.params) as string[];
    const page = ctx.db.prepare(plan.byIdsSql).raw(true);
    return {
      totalSize: ids.length,
      read: (offset, count) =>
        shapeRows(
          ctx,
          plan,
          page.all(JSON.stringify(ids.slice(offset, offset + count))) as Row[]
        )
    };
  }
  const counted = ctx.db
    .prepare(`SELECT COUNT(*) FROM (${plan.sql})`)
    .pluck(true)
    .get(...plan.params) as number;
  const page = ctx.db
    .prepare(`SELECT * FROM (${plan.sql}) LIMIT ? OFFSET ?`)
    .raw(true);
  return {
    totalSize: counted,
    read: (offset, count) =>
      shapeRows(ctx, plan, page.all(...plan.params, count, offset) as Row[])
  };
}
