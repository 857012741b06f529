/**
 * Compiles a WHERE/HAVING boolean tree to SQL with bound parameters. Each condition compiles
 * to SQL that is TRUE exactly when Salesforce's condition holds (SOQL treats null as a value:
 * `Status != 'New'` matches a null Status), so NOT can be compiled as NOT IFNULL(x, 0).
 */
import type {
  LiteralType,
  Query,
  ValueQueryCondition
} from '@jetstreamapp/soql-parser-js';
import {
  dateLiteralRange,
  parseDateLiteral,
  parseDateTimeLiteral,
  rangeBounds
} from './dates.ts';
import type { LiteralBounds } from './dates.ts';
import {
  invalidOperator,
  malformed,
  SoqlError,
  unsupported,
  wrongValueType
} from './errors.ts';
import { decodeString, fold, isAscii, toId18 } from './literals.ts';
import { kindOf } from './operand.ts';
import type { Operand, ValueKind } from './operand.ts';
import type { BoolExpr, Leaf } from './where.ts';

type ValueLeaf = Exclude<Leaf, ValueQueryCondition>;

export interface FilterEnv {
  params: unknown[];
  now: Date;
  timeZone: string;
  /** The left-hand side of a condition (a field path in WHERE, also aggregates in HAVING). */
  operandFor(leaf: Leaf): Operand;
  /** SQL `SELECT <id column> FROM ...` for a semi-join or anti-join. */
  semiJoin(query: Query, operand: Operand): string;
}

export function compileFilter(expr: BoolExpr, env: FilterEnv): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.items.map((item) => compileFilter(item, env)).join(expr.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT IFNULL(${compileFilter(expr.item, env)}, 0))`;
    case 'leaf':
      return compileLeaf(expr.leaf, env);
  }
}

/** A literal after coercion to the operand's kind. */
type Value =
  | { kind: 'null' }
  | { kind: 'scalar'; value: string | number }
  | { kind: 'range'; bounds: LiteralBounds };

const SOAP_TYPES: Record<ValueKind, string> = {
  text: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
  multipicklist: 'string',
  other: 'string'
};

function literalTypeAt(leaf: Leaf, index: number): LiteralType | undefined {
  const types = leaf.literalType;
  return Array.isArray(types) ? types[index] : types;
}

function coerce(
  operand: Operand,
  literalType: LiteralType | undefined,
  raw: string,
  env: FilterEnv,
  forLike: boolean
): Value {
  const kind = kindOf(operand.type);
  if (literalType === 'NULL') return { kind: 'null' };
  const quoted = kind === 'text' || kind === 'id' || kind === 'multipicklist';
  const mismatch = (): SoqlError =>
    wrongValueType(
      operand.label,
      operand.type === 'int' ? 'int' : SOAP_TYPES[kind],
      quoted
    );
  switch (kind) {
    case 'text':
    case 'multipicklist': {
      if (literalType !== 'STRING') throw mismatch();
      const text = decodeString(raw, forLike);
      // Salesforce stores an empty text value as null, and filters '' as null.
      return text === '' && !forLike
        ? { kind: 'null' }
        : { kind: 'scalar', value: text };
    }
    case 'id': {
      if (literalType !== 'STRING') throw mismatch();
      const text = decodeString(raw, forLike);
      if (text === '' && !forLike) return { kind: 'null' };
      return { kind: 'scalar', value: forLike ? text : toId18(text) };
    }
    case 'number':
      if (
        literalType === 'INTEGER_WITH_CURRENCY_PREFIX' ||
        literalType === 'DECIMAL_WITH_CURRENCY_PREFIX'
      ) {
        throw unsupported('A currency-prefixed literal (multi-currency)');
      }
      if (literalType !== 'INTEGER' && literalType !== 'DECIMAL')
        throw mismatch();
      return { kind: 'scalar', value: Number(raw) };
    case 'boolean':
      if (literalType !== 'BOOLEAN') throw mismatch();
      return { kind: 'scalar', value: raw.toUpperCase() === 'TRUE' ? 1 : 0 };
    case 'date':
    case 'datetime':
      if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
        return {
          kind: 'range',
          bounds: rangeBounds(
            dateLiteralRange(raw, env.now, env.timeZone),
            kind,
            env.timeZone
          )
        };
      }
      if (kind === 'date' && literalType === 'DATE')
        return { kind: 'scalar', value: parseDateLiteral(raw) };
      if (kind === 'datetime' && literalType === 'DATETIME')
        return { kind: 'scalar', value: parseDateTimeLiteral(raw) };
      throw mismatch();
    case 'other':
      throw unsupported(`Filtering on ${operand.type} field ${operand.label}`);
  }
}

/** Binds a parameter and returns its placeholder. */
function bind(env: FilterEnv, value: unknown): string {
  env.params.push(value);
  return '?';
}

/**
 * The left side and the bound value for a case-insensitive text comparison. SQLite's NOCASE
 * folds ASCII only, so non-ASCII literals compare through the Unicode-aware soql_fold().
 */
function textSides(
  operand: Operand,
  value: string,
  env: FilterEnv
): [string, string] {
  if (isAscii(value))
    return [`${operand.sql} COLLATE NOCASE`, bind(env, value)];
  return [`soql_fold(${operand.sql})`, bind(env, fold(value))];
}

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function compileComparison(
  operand: Operand,
  op: string,
  value: Value,
  env: FilterEnv
): string {
  const kind = kindOf(operand.type);
  const col = operand.sql;
  if (value.kind === 'null') {
    if (op === '=') return `${col} IS NULL`;
    if (op === '!=') return `${col} IS NOT NULL`;
    throw malformed(
      `invalid operator ${op} with null on field ${operand.label}`
    );
  }
  if (value.kind === 'range') {
    const { start, end } = value.bounds;
    switch (op) {
      case '=':
        return `(${col} >= ${bind(env, start)} AND ${col} < ${bind(env, end)})`;
      case '!=':
        return `(${col} IS NULL OR ${col} < ${bind(env, start)} OR ${col} >= ${bind(env, end)})`;
      case '<':
        return `${col} < ${bind(env, start)}`;
      case '<=':
        return `${col} < ${bind(env, end)}`;
      case '>':
        return `${col} >= ${bind(env, end)}`;
      default:
        return `${col} >= ${bind(env, start)}`;
    }
  }
  if (kind === 'boolean' && op !== '=' && op !== '!=')
    throw invalidOperator(
      `invalid operator on boolean field: ${operand.label}`
    );
  if (kind === 'multipicklist') {
    if (op !== '=' && op !== '!=')
      throw invalidOperator(
        `invalid operator on multipicklist field: ${operand.label}`
      );
    const equal = `soql_mps_equals(${col}, ${bind(env, value.value)})`;
    return op === '=' ? `${equal} = 1` : `IFNULL(${equal}, 0) = 0`;
  }
  let [left, right] = [col, bind(env, value.value)];
  if (kind === 'text' && typeof value.value === 'string') {
    env.params.pop();
    [left, right] = textSides(operand, value.value, env);
  }
  if (op === '!=') return `(${col} IS NULL OR ${left} <> ${right})`;
  return `${left} ${op} ${right}`;
}

function compileIn(
  operand: Operand,
  leaf: ValueLeaf,
  negated: boolean,
  env: FilterEnv
): string {
  const raws = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
  const values = raws.map((raw, i) =>
    coerce(operand, literalTypeAt(leaf, i), raw, env, false)
  );
  const kind = kindOf(operand.type);
  if (kind === 'multipicklist')
    throw invalidOperator(
      `invalid operator on multipicklist field: ${operand.label}`
    );
  const hasNull = values.some((v) => v.kind === 'null');
  const parts: string[] = [];
  const scalars: (string | number)[] = [];
  for (const value of values) {
    if (value.kind === 'range')
      parts.push(compileComparison(operand, '=', value, env));
    else if (value.kind === 'scalar') scalars.push(value.value);
  }
  if (scalars.length > 0) {
    const foldAll =
      kind === 'text' &&
      scalars.some((s) => typeof s === 'string' && !isAscii(s));
    const left =
      kind !== 'text'
        ? operand.sql
        : foldAll
          ? `soql_fold(${operand.sql})`
          : `${operand.sql} COLLATE NOCASE`;
    const placeholders = scalars.map((s) =>
      bind(env, foldAll && typeof s === 'string' ? fold(s) : s)
    );
    parts.push(`${left} IN (${placeholders.join(', ')})`);
  }
  if (hasNull) parts.push(`${operand.sql} IS NULL`);
  const positive =
    parts.length === 1 ? (parts[0] ?? '0') : `(${parts.join(' OR ')})`;
  return negated ? `(NOT IFNULL(${positive}, 0))` : positive;
}

function compileSemiJoin(
  operand: Operand,
  leaf: ValueQueryCondition,
  negated: boolean,
  env: FilterEnv
): string {
  if (kindOf(operand.type) !== 'id') {
    throw malformed(
      `semi join sub-selects are only allowed on Id or reference fields, not on ${operand.label}`
    );
  }
  const subquery = env.semiJoin(leaf.valueQuery, operand);
  return negated
    ? `(${operand.sql} IS NULL OR ${operand.sql} NOT IN (${subquery}))`
    : `${operand.sql} IN (${subquery})`;
}

function compileLeaf(leaf: Leaf, env: FilterEnv): string {
  const operand = env.operandFor(leaf);
  if (operand.field !== null && !operand.field.filterable) {
    throw new SoqlError(
      'INVALID_FIELD',
      `field '${operand.label}' can not be filtered in a query call`
    );
  }
  const op = leaf.operator.toUpperCase();
  if ('valueQuery' in leaf) {
    if (op !== 'IN' && op !== 'NOT IN')
      throw malformed(`a sub-select can only follow IN or NOT IN`);
    return compileSemiJoin(operand, leaf, op === 'NOT IN', env);
  }
  if (op === 'IN' || op === 'NOT IN')
    return compileIn(operand, leaf, op === 'NOT IN', env);
  const kind = kindOf(operand.type);
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    if (kind !== 'multipicklist')
      throw invalidOperator(
        'INCLUDES/EXCLUDES operator only valid on multipicklist field'
      );
    const raws = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    const terms = raws.map((raw, i) => {
      if (literalTypeAt(leaf, i) !== 'STRING')
        throw wrongValueType(operand.label, 'string', true);
      return decodeString(raw)
        .split(';')
        .map((v) => fold(v.trim()));
    });
    const test = `soql_includes(${operand.sql}, ${bind(env, JSON.stringify(terms))})`;
    return op === 'INCLUDES' ? `${test} = 1` : `${test} = 0`;
  }
  if (Array.isArray(leaf.value))
    throw malformed(`operator ${op} does not take a list of values`);
  if (op === 'LIKE') {
    if (kind !== 'text' && kind !== 'id')
      throw invalidOperator(`invalid operator on field ${operand.label}: LIKE`);
    const value = coerce(
      operand,
      literalTypeAt(leaf, 0),
      leaf.value,
      env,
      true
    );
    if (value.kind !== 'scalar' || typeof value.value !== 'string')
      throw malformed('LIKE requires a string pattern');
    const pattern = value.value;
    if (isAscii(pattern))
      return `${operand.sql} LIKE ${bind(env, pattern)} ESCAPE '\\'`;
    return `soql_fold(${operand.sql}) LIKE ${bind(env, fold(pattern))} ESCAPE '\\'`;
  }
  if (!COMPARISONS.has(op)) throw unsupported(`The operator ${op}`);
  if (kind === 'multipicklist' && op !== '=' && op !== '!=') {
    throw invalidOperator(
      `invalid operator on multipicklist field: ${operand.label}`
    );
  }
  return compileComparison(
    operand,
    op,
    coerce(operand, literalTypeAt(leaf, 0), leaf.value, env, false),
    env
  );
}
