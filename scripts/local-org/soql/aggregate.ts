/**
 * Aggregate queries: COUNT(), COUNT(field), COUNT_DISTINCT, SUM, AVG, MIN, MAX, GROUP BY and
 * HAVING, returned as AggregateResult records keyed by alias, field name or exprN.
 */
import type { FunctionExp, Query } from '@jetstreamapp/soql-parser-js';
import type { FieldType } from '../../schema/types.ts';
import { compileFilter } from './conditions.ts';
import {
  limitClause,
  objectNamed,
  orderByList,
  orderTerm,
  whereClause
} from './context.ts';
import type { EngineContext } from './context.ts';
import { malformed, SoqlError, unsupported } from './errors.ts';
import { collated, kindOf } from './operand.ts';
import type { Operand } from './operand.ts';
import { fieldPath } from './records.ts';
import type { QueryResult } from './records.ts';
import { Scope } from './scope.ts';
import type { ResolvedField } from './scope.ts';
import { converterFor } from './shape.ts';
import type { Row, SObjectRecord } from './shape.ts';
import { toBoolExpr } from './where.ts';

const AGGREGATES = new Set([
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX'
]);

function isAggregateFunction(name: string | undefined): boolean {
  return name !== undefined && AGGREGATES.has(name.toUpperCase());
}

export function isAggregateQuery(query: Query): boolean {
  return (
    query.groupBy !== undefined ||
    (query.fields ?? []).some(
      (f) =>
        f.type === 'FieldFunctionExpression' &&
        isAggregateFunction(f.functionName)
    )
  );
}

/** `SELECT COUNT() FROM ...`: only the row count is returned. */
export function isCountQuery(query: Query): boolean {
  const fields = query.fields ?? [];
  const countAll = fields.some(
    (f) =>
      f.type === 'FieldFunctionExpression' &&
      f.functionName.toUpperCase() === 'COUNT' &&
      f.parameters.length === 0
  );
  if (countAll && fields.length > 1)
    throw malformed('COUNT() can not be used with other fields');
  return countAll;
}

export function aggregateOperand(scope: Scope, fn: FunctionExp): Operand {
  const name = (fn.functionName ?? '').toUpperCase();
  if (!isAggregateFunction(name))
    throw unsupported(`The function ${fn.functionName ?? fn.rawValue ?? ''}()`);
  const argument = fn.parameters?.[0];
  if (typeof argument !== 'string' || (fn.parameters?.length ?? 0) !== 1) {
    throw malformed(`${name}() takes exactly one field`);
  }
  const field = scope.resolve(argument);
  const kind = kindOf(field.type);
  let type: FieldType = field.type;
  let sql: string;
  switch (name) {
    case 'COUNT':
      sql = `COUNT(${field.sql})`;
      type = 'int';
      break;
    case 'COUNT_DISTINCT':
      sql = `COUNT(DISTINCT ${collated(field)})`;
      type = 'int';
      break;
    case 'SUM':
    case 'AVG':
      if (kind !== 'number')
        throw malformed(
          `field ${field.label} does not support aggregate operator ${name}`
        );
      sql = `${name}(${field.sql})`;
      type = 'double';
      break;
    default:
      if (kind === 'boolean' || kind === 'multipicklist' || kind === 'other') {
        throw malformed(
          `field ${field.label} does not support aggregate operator ${name}`
        );
      }
      sql = `${name}(${collated(field)})`;
  }
  return { sql, type, label: field.label, field: null };
}

/** All GROUP BY fields, resolved, each checked to be groupable. */
export function groupByFields(scope: Scope, query: Query): ResolvedField[] {
  const clauses =
    query.groupBy === undefined
      ? []
      : Array.isArray(query.groupBy)
        ? query.groupBy
        : [query.groupBy];
  return clauses.map((clause) => {
    if (!('field' in clause))
      throw unsupported(`GROUP BY ${clause.fn.functionName ?? 'a function'}()`);
    const field = scope.resolve(clause.field);
    if (field.field !== null && !field.field.groupable) {
      throw new SoqlError(
        'INVALID_FIELD',
        `field '${field.label}' can not be grouped in a query call`
      );
    }
    return field;
  });
}

/** A plain field in an aggregate query's SELECT, HAVING or ORDER BY must be one it groups by. */
export function requireGrouped(
  groups: readonly Operand[],
  operand: Operand
): Operand {
  if (!groups.some((g) => g.sql === operand.sql))
    throw malformed(`Field must be grouped or aggregated: ${operand.label}`);
  return operand;
}

export interface AggregateColumn {
  /** The key of the value in each AggregateResult: the alias, the field name or exprN. */
  key: string;
  operand: Operand;
  /** The aggregate function, null for a grouped field. */
  fn: FunctionExp | null;
}

/** The SELECT list of an aggregate query, in order, keyed as AggregateResult records are. */
export function aggregateColumns(
  scope: Scope,
  query: Query,
  groups: readonly Operand[]
): AggregateColumn[] {
  const columns: AggregateColumn[] = [];
  let unnamed = 0;
  for (const item of query.fields ?? []) {
    const path = fieldPath(item);
    let column: AggregateColumn;
    if (path !== null) {
      const operand = requireGrouped(groups, scope.resolve(path));
      column = {
        key:
          'alias' in item && item.alias !== undefined
            ? item.alias
            : operand.label,
        operand,
        fn: null
      };
    } else if (item.type === 'FieldFunctionExpression') {
      column = {
        key: item.alias ?? `expr${unnamed++}`,
        operand: aggregateOperand(scope, item),
        fn: item
      };
    } else {
      throw unsupported(
        item.type === 'FieldSubquery'
          ? 'A child subquery in an aggregate query'
          : 'TYPEOF'
      );
    }
    const key = column.key.toLowerCase();
    if (columns.some((c) => c.key.toLowerCase() === key))
      throw malformed(`duplicate alias: ${column.key}`);
    columns.push(column);
  }
  return columns;
}

export function runAggregateQuery(
  ctx: EngineContext,
  query: Query,
  countOnly: boolean
): QueryResult {
  const object = objectNamed(ctx.registry, query.sObject);
  const scope = new Scope(
    ctx.registry,
    object,
    ctx.aliases,
    query.sObjectAlias,
    ctx.includeDeleted
  );
  const groups = groupByFields(scope, query);
  const grouped = (operand: Operand): Operand =>
    requireGrouped(groups, operand);
  const columns = countOnly ? [] : aggregateColumns(scope, query, groups);
  const expressions = columns.map(
    (column, i) => `${column.operand.sql} AS c${i}`
  );
  const outputs = columns.map((column) => ({
    key: column.key,
    convert: converterFor(column.operand.type)
  }));

  const params: unknown[] = [];
  const where = whereClause(ctx, scope, query.where, params);
  const groupSql =
    groups.length === 0 ? '' : ` GROUP BY ${groups.map(collated).join(', ')}`;
  let having = '';
  if (query.having !== undefined) {
    having = ` HAVING ${compileFilter(toBoolExpr(query.having), {
      params,
      now: ctx.now,
      timeZone: ctx.timeZone,
      operandFor: (leaf) =>
        'fn' in leaf
          ? aggregateOperand(scope, leaf.fn)
          : grouped(scope.resolve(leaf.field)),
      semiJoin: () => {
        throw malformed('semi join sub-selects are not allowed in HAVING');
      }
    })}`;
  }
  const order = orderByList(query.orderBy).map((clause) =>
    'field' in clause
      ? orderTerm(grouped(scope.resolve(clause.field)), clause)
      : orderTerm(aggregateOperand(scope, clause.fn), clause)
  );
  const orderSql = order.length === 0 ? '' : ` ORDER BY ${order.join(', ')}`;
  const limit = limitClause(query, params);
  const from = scope.fromClause();

  if (countOnly) {
    const inner = `SELECT 1 ${from}${where}${groupSql}${having}${limit}`;
    const row = ctx.db
      .prepare(`SELECT COUNT(*) FROM (${inner})`)
      .pluck()
      .get(...params);
    return { totalSize: Number(row), done: true, records: [] };
  }
  const sql = `SELECT ${expressions.join(', ')} ${from}${where}${groupSql}${having}${orderSql}${limit}`;
  const rows = ctx.db
    .prepare(sql)
    .raw(true)
    .all(...params) as Row[];
  const records = rows.map((row) => {
    const record: SObjectRecord = { attributes: { type: 'AggregateResult' } };
    outputs.forEach((output, i) => {
      record[output.key] = output.convert(row[i] ?? null);
    });
    return record;
  });
  return { totalSize: records.length, done: true, records };
}
