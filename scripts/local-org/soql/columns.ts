/**
 * The query resource's columns=true form (`GET /query?q=<soql>&columns=true`): the platform
 * describes the columns a query returns instead of running it. `sf data query` asks for it
 * to lay out its table: parent fields nest as a column named by the relationship, a child
 * subquery is an `aggregate` column holding its fields, an aggregate function a column named
 * by its alias or exprN. The SELECT list is read by the engine's own walkers, so a field the
 * engine rejects is rejected here with the same error.
 */
import type {
  FunctionExp,
  Query,
  QueryBase
} from '@jetstreamapp/soql-parser-js';
import type {
  FieldSchema,
  FieldType,
  SchemaRegistry
} from '../../schema/types.ts';
import {
  aggregateColumns,
  groupByFields,
  isAggregateQuery,
  isCountQuery
} from './aggregate.ts';
import { objectNamed } from './context.ts';
import { kindOf } from './operand.ts';
import { parseSoql } from './parse.ts';
import {
  rejectRecordQueryClauses,
  resolveChildSubquery,
  visitSelectList
} from './records.ts';
import { AliasSequence, Scope } from './scope.ts';
import type { JoinNode, ResolvedField } from './scope.ts';
import { ColumnList, RecordShape } from './shape.ts';

/** One column as the platform describes it; joinColumns nest parent and child fields. */
export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumnsDescription {
  columnMetadata: QueryColumn[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string | null;
}

/** The Apex type a field's values have (Schema.DisplayType to Apex primitive). */
function apexTypeOf(type: FieldType): string {
  switch (type) {
    case 'id':
    case 'reference':
      return 'Id';
    case 'boolean':
      return 'Boolean';
    case 'int':
      return 'Integer';
    case 'long':
      return 'Long';
    case 'double':
    case 'currency':
    case 'percent':
      return 'Decimal';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'time':
      return 'Time';
    case 'base64':
      return 'Blob';
    case 'address':
      return 'Address';
    case 'location':
      return 'Location';
    case 'anyType':
      return 'Object';
    default:
      return 'String';
  }
}

function column(
  name: string,
  overrides: Partial<QueryColumn> = {}
): QueryColumn {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
    ...overrides
  };
}

/** A field's column; the polymorphic Name.Type has no field behind it. */
function fieldColumn(
  name: string,
  type: FieldType,
  field: FieldSchema | null
): QueryColumn {
  const apexType = apexTypeOf(type);
  return column(name, {
    apexType,
    booleanType: type === 'boolean',
    custom: field?.custom ?? false,
    insertable: field?.createable ?? false,
    numberType: kindOf(type) === 'number',
    textType: apexType === 'String',
    updatable: field?.updateable ?? false
  });
}

function relationshipColumn(join: JoinNode): QueryColumn {
  return column(join.relationshipName, {
    custom: join.via.custom,
    foreignKeyName: join.via.name
  });
}

/** The columns of a record query (or child subquery), parents nested in SELECT order. */
function recordColumns(
  registry: SchemaRegistry,
  scope: Scope,
  query: QueryBase,
  inSubquery: boolean
): QueryColumn[] {
  rejectRecordQueryClauses(query);
  const columns: QueryColumn[] = [];
  const joinColumns = new Map<JoinNode, QueryColumn[]>();
  const siblingsOf = (join: JoinNode | null): QueryColumn[] => {
    if (join === null) return columns;
    let siblings = joinColumns.get(join);
    if (siblings === undefined) {
      const parent = relationshipColumn(join);
      siblingsOf(join.parent).push(parent);
      siblings = parent.joinColumns;
      joinColumns.set(join, siblings);
    }
    return siblings;
  };
  // The record shape owns the rule against selecting a name twice; laying the same fields
  // out in one raises the engine's own error.
  const shape = new RecordShape(new ColumnList(), '', scope.object.name, 0);
  visitSelectList(scope, query, inSubquery, {
    field: (field: ResolvedField) => {
      shape.addField(field.join, field.name, field.sql, field.type);
      siblingsOf(field.join).push(
        fieldColumn(field.name, field.type, field.field)
      );
    },
    subquery: (subquery) => {
      const { child, key } = resolveChildSubquery(
        registry,
        scope.object,
        subquery
      );
      shape.addSlot(key);
      const childScope = new Scope(
        registry,
        child,
        scope.aliases,
        subquery.sObjectAlias
      );
      columns.push(
        column(key, {
          aggregate: true,
          joinColumns: recordColumns(registry, childScope, subquery, true)
        })
      );
    }
  });
  return columns;
}

/** `avg(Amount)`: the platform names an unaliased function column in lower case. */
function functionDisplayName(fn: FunctionExp): string {
  const argument = fn.parameters?.[0];
  return `${(fn.functionName ?? '').toLowerCase()}(${typeof argument === 'string' ? argument : ''})`;
}

function aggregateQueryColumns(
  scope: Scope,
  query: Query,
  countOnly: boolean
): QueryColumn[] {
  const groups = groupByFields(scope, query);
  // COUNT() answers with totalSize alone: its rows have no columns.
  if (countOnly) return [];
  return aggregateColumns(scope, query, groups).map(({ key, operand, fn }) => {
    if (fn === null) {
      return {
        ...fieldColumn(key, operand.type, operand.field),
        displayName: operand.label
      };
    }
    const kind = kindOf(operand.type);
    return column(key, {
      aggregate: true,
      displayName: functionDisplayName(fn),
      numberType: kind === 'number',
      textType: kind === 'text'
    });
  });
}

export function describeQueryColumns(
  registry: SchemaRegistry,
  soql: string
): QueryColumnsDescription {
  const query = parseSoql(soql);
  const object = objectNamed(registry, query.sObject);
  const scope = new Scope(
    registry,
    object,
    new AliasSequence(),
    query.sObjectAlias
  );
  const countOnly = isCountQuery(query);
  const columnMetadata =
    countOnly || isAggregateQuery(query)
      ? aggregateQueryColumns(scope, query, countOnly)
      : recordColumns(registry, scope, query, false);
  return {
    columnMetadata,
    entityName: object.name,
    groupBy: query.groupBy !== undefined,
    idSelected: columnMetadata.some(
      (c) => c.columnName === 'Id' && c.joinColumns.length === 0 && !c.aggregate
    ),
    keyPrefix: object.keyPrefix === '' ? null : object.keyPrefix
  };
}
