/** What every part of one query execution needs, and the compile steps all query kinds share. */
import type { Database } from 'better-sqlite3';
import type {
  OrderByClause,
  Query,
  QueryBase,
  WhereClause
} from '@jetstreamapp/soql-parser-js';
import type { ObjectSchema, SchemaRegistry } from '../../schema/types.ts';
import { compileFilter } from './conditions.ts';
import type { FilterEnv } from './conditions.ts';
import { malformed, SoqlError, unknownObject, unsupported } from './errors.ts';
import { kindOf, collated } from './operand.ts';
import type { Operand } from './operand.ts';
import { rejectUnsupportedClauses } from './parse.ts';
import { AliasSequence, Scope } from './scope.ts';
import { toBoolExpr } from './where.ts';
import type { Leaf } from './where.ts';

export interface EngineContext {
  db: Database;
  registry: SchemaRegistry;
  now: Date;
  timeZone: string;
  /** e.g. /services/data/v64.0/sobjects/ */
  urlBase: string;
  aliases: AliasSequence;
  /** queryAll: deleted records (in the recycle bin) are part of the top-level result. */
  includeDeleted: boolean;
}

export function objectNamed(
  registry: SchemaRegistry,
  name: string | undefined
): ObjectSchema {
  const object = name === undefined ? undefined : registry.object(name);
  if (!object?.queryable) throw unknownObject(name ?? '');
  return object;
}

function fieldOperand(scope: Scope, leaf: Leaf): Operand {
  if ('fn' in leaf)
    throw unsupported(
      `The function ${leaf.fn.functionName ?? leaf.fn.rawValue ?? ''}() in WHERE`
    );
  return scope.resolve(leaf.field);
}

/** A semi-join/anti-join sub-select: `SELECT <id> FROM ... WHERE ...`, ids never null. */
function semiJoinSql(
  ctx: EngineContext,
  query: Query,
  params: unknown[]
): string {
  rejectUnsupportedClauses(query);
  const object = objectNamed(ctx.registry, query.sObject);
  if (query.groupBy !== undefined || query.having !== undefined)
    throw malformed('semi join sub-selects can not use GROUP BY');
  if (
    query.orderBy !== undefined ||
    query.limit !== undefined ||
    query.offset !== undefined
  ) {
    throw malformed(
      'semi join sub-selects can not use ORDER BY, LIMIT or OFFSET'
    );
  }
  const fields = query.fields ?? [];
  const only = fields[0];
  if (
    fields.length !== 1 ||
    only === undefined ||
    (only.type !== 'Field' && only.type !== 'FieldRelationship')
  ) {
    throw malformed(
      'semi join sub-selects must select exactly one Id or reference field'
    );
  }
  const scope = new Scope(
    ctx.registry,
    object,
    ctx.aliases,
    query.sObjectAlias
  );
  const path =
    only.type === 'Field'
      ? only.field
      : [...only.relationships, only.field].join('.');
  const selected = scope.resolve(path);
  if (kindOf(selected.type) !== 'id')
    throw malformed(
      `semi join sub-selects must select an Id or reference field, not ${selected.label}`
    );
  const env: FilterEnv = {
    params,
    now: ctx.now,
    timeZone: ctx.timeZone,
    operandFor: (leaf) => fieldOperand(scope, leaf),
    semiJoin: () => {
      throw malformed('Nesting of semi join sub-selects is not supported');
    }
  };
  const where =
    query.where === undefined
      ? ''
      : ` AND ${compileFilter(toBoolExpr(query.where), env)}`;
  return `SELECT ${selected.sql} ${scope.fromClause()} WHERE ${selected.sql} IS NOT NULL${where}`;
}

export function whereEnv(
  ctx: EngineContext,
  scope: Scope,
  params: unknown[]
): FilterEnv {
  return {
    params,
    now: ctx.now,
    timeZone: ctx.timeZone,
    operandFor: (leaf) => fieldOperand(scope, leaf),
    semiJoin: (query) => semiJoinSql(ctx, query, params)
  };
}

/** The WHERE clause's SQL, ANDed after any conditions the caller adds first. */
export function whereClause(
  ctx: EngineContext,
  scope: Scope,
  where: WhereClause | undefined,
  params: unknown[],
  first: string[] = []
): string {
  const filters = [...first];
  if (where !== undefined)
    filters.push(
      compileFilter(toBoolExpr(where), whereEnv(ctx, scope, params))
    );
  return filters.length === 0 ? '' : ` WHERE ${filters.join(' AND ')}`;
}

export function orderByList(orderBy: QueryBase['orderBy']): OrderByClause[] {
  if (orderBy === undefined) return [];
  return Array.isArray(orderBy) ? orderBy : [orderBy];
}

/** One ORDER BY term. Salesforce's defaults match SQLite's: nulls first ascending, last descending. */
export function orderTerm(operand: Operand, clause: OrderByClause): string {
  if (operand.field !== null && !operand.field.sortable) {
    throw new SoqlError(
      'INVALID_FIELD',
      `field '${operand.label}' can not be sorted in a query call`
    );
  }
  const direction = clause.order === 'DESC' ? 'DESC' : 'ASC';
  const nulls = clause.nulls ?? (direction === 'ASC' ? 'FIRST' : 'LAST');
  return `${collated(operand)} ${direction} NULLS ${nulls}`;
}

const MAX_OFFSET = 2000;

export function limitClause(query: QueryBase, params: unknown[]): string {
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw new SoqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`
    );
  }
  if (query.limit === undefined && query.offset === undefined) return '';
  params.push(query.limit ?? -1, query.offset ?? 0);
  return ' LIMIT ? OFFSET ?';
}
