/**
 * The subset of Salesforce's formula language that validation rules in this project may use,
 * parsed and type-checked once (when the org deploys the rule) and evaluated on every save.
 *
 * Supported: AND, OR, NOT, ISBLANK, ISNULL, ISPICKVAL, TEXT, ISNEW, ISCHANGED, PRIORVALUE,
 * BLANKVALUE, IF, CASE; the operators && || ! = == != <> < <= > >= + - * / &; text (single or
 * double quotes, backslash escapes), number and TRUE/FALSE/NULL literals; /* comments *\/;
 * field references, resolved by the caller (one-level parent lookups included). Anything else
 * is a FormulaError naming it, so an unsupported rule is refused at deploy, never skipped.
 *
 * The platform's semantics kept here: function names and literals ignore case; a text field is
 * never null (a blank one is '', so ISNULL on text is always false, and ISBLANK is true for ''
 * and null); a picklist may only be read through ISPICKVAL, TEXT, ISBLANK, ISCHANGED,
 * PRIORVALUE and CASE; arithmetic, ordering and equality with a blank number or date are blank
 * (null); text equality is case-sensitive; PRIORVALUE on insert is the new value and ISCHANGED
 * on insert is false. A rule fires only when its formula is TRUE; blank counts as false.
 * Precedence, from loosest: || ; && ; = == != <> ; < <= > >= ; + - & ; * / ; unary ! - .
 */

export type FormulaValue = string | number | boolean | null;

/** The formula types: a field's is given by the caller; 'null' is the NULL literal. */
export type FormulaType =
  'text' | 'picklist' | 'number' | 'boolean' | 'date' | 'datetime' | 'null';

/** A field reference as the caller resolved it: its formula type and whatever it needs to read it. */
export interface FieldBinding {
  type: FormulaType;
}

/** What a save gives the formula: whether it inserts, and each field's new and prior value. */
export interface FormulaEnv<F extends FieldBinding> {
  isNew: boolean;
  read(field: F, prior: boolean): FormulaValue;
}

export class FormulaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormulaError';
  }
}

export const SUPPORTED_FUNCTIONS = [
  'AND',
  'OR',
  'NOT',
  'ISBLANK',
  'ISNULL',
  'ISPICKVAL',
  'TEXT',
  'ISNEW',
  'ISCHANGED',
  'PRIORVALUE',
  'BLANKVALUE',
  'IF',
  'CASE'
] as const;
type FunctionName = (typeof SUPPORTED_FUNCTIONS)[number];

type Node<F extends FieldBinding> =
  | { kind: 'literal'; type: FormulaType; value: FormulaValue }
  | { kind: 'field'; type: FormulaType; field: F; prior: boolean; text: string }
  | { kind: 'call'; type: FormulaType; name: FunctionName; args: Node<F>[] }
  | { kind: 'unary'; type: FormulaType; op: '!' | '-'; arg: Node<F> }
  | {
      kind: 'binary';
      type: FormulaType;
      op: string;
      left: Node<F>;
      right: Node<F>;
    };

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '&',
  '(',
  ')',
  ',',
  '^'
];
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f'
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new FormulaError('unterminated /* comment');
      i = end + 2;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== c; j += 1) {
        if (text.charAt(j) === '\\' && j + 1 < text.length) {
          j += 1;
          value += ESCAPES[text.charAt(j)] ?? text.charAt(j);
        } else value += text.charAt(j);
      }
      if (j >= text.length)
        throw new FormulaError(`unterminated text literal at ${String(i)}`);
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(\d+(\.\d*)?|\.\d+)/.exec(text.slice(i));
      if (!m) throw new FormulaError(`unexpected '.' at ${String(i)}`);
      tokens.push({ kind: 'number', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*/.exec(text.slice(i));
      const value = m?.[0] ?? c;
      tokens.push({ kind: 'name', value, at: i });
      i += value.length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op)
        throw new FormulaError(`unexpected character '${c}' at ${String(i)}`);
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
    }
  }
  return tokens;
}

const TYPE_NAMES: Record<FormulaType, string> = {
  text: 'Text',
  picklist: 'Picklist',
  number: 'Number',
  boolean: 'Checkbox',
  date: 'Date',
  datetime: 'Date/Time',
  null: 'Null'
};

class Parser<F extends FieldBinding> {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly resolve: (path: string) => F
  ) {}

  parse(): Node<F> {
    const node = this.or();
    const extra = this.tokens[this.pos];
    if (extra)
      throw new FormulaError(
        `unexpected '${String(extra.value)}' at ${String(extra.at)}`
      );
    return node;
  }

  private peekOp(...ops: string[]): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' && ops.includes(t.value) ? t.value : undefined;
  }

  private expectOp(op: string): void {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'op' || t.value !== op)
      throw new FormulaError(
        t
          ? `expected '${op}' at ${String(t.at)}, found '${String(t.value)}'`
          : `expected '${op}' at the end of the formula`
      );
    this.pos += 1;
  }

  /** One left-associative level of binary operators. */
  private level(ops: string[], next: () => Node<F>): Node<F> {
    let left = next();
    for (let op = this.peekOp(...ops); op; op = this.peekOp(...ops)) {
      this.pos += 1;
      left = binary(op, left, next());
    }
    return left;
  }

  private or = (): Node<F> => this.level(['||'], this.and);
  private and = (): Node<F> => this.level(['&&'], this.equality);
  private equality = (): Node<F> =>
    this.level(['=', '==', '!=', '<>'], this.relation);
  private relation = (): Node<F> =>
    this.level(['<', '<=', '>', '>='], this.additive);
  private additive = (): Node<F> =>
    this.level(['+', '-', '&'], this.multiplicative);
  private multiplicative = (): Node<F> => this.level(['*', '/'], this.unary);

  private unary = (): Node<F> => {
    const op = this.peekOp('!', '-', '+');
    if (!op) return this.power();
    this.pos += 1;
    const arg = this.unary();
    if (op === '+') return expectType(arg, ['number'], 'unary +');
    return op === '!'
      ? {
          kind: 'unary',
          op: '!',
          arg: expectBoolean(arg, '!'),
          type: 'boolean'
        }
      : {
          kind: 'unary',
          op: '-',
          arg: expectType(arg, ['number'], 'unary -'),
          type: 'number'
        };
  };

  private power(): Node<F> {
    const node = this.primary();
    if (this.peekOp('^'))
      throw new FormulaError(
        "unsupported operator '^' (the local org emulates + - * / only)"
      );
    return node;
  }

  private primary(): Node<F> {
    const t = this.tokens[this.pos];
    if (!t) throw new FormulaError('unexpected end of the formula');
    this.pos += 1;
    if (t.kind === 'number')
      return { kind: 'literal', type: 'number', value: t.value };
    if (t.kind === 'string')
      return { kind: 'literal', type: 'text', value: t.value };
    if (t.kind === 'op') {
      if (t.value !== '(')
        throw new FormulaError(`unexpected '${t.value}' at ${String(t.at)}`);
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    if (this.peekOp('(')) {
      this.pos += 1;
      const args: Node<F>[] = [];
      if (!this.peekOp(')')) {
        args.push(this.or());
        while (this.peekOp(',')) {
          this.pos += 1;
          args.push(this.or());
        }
      }
      this.expectOp(')');
      return call(t.value, args);
    }
    const upper = t.value.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE')
      return { kind: 'literal', type: 'boolean', value: upper === 'TRUE' };
    if (upper === 'NULL') return { kind: 'literal', type: 'null', value: null };
    if (t.value.startsWith('$'))
      throw new FormulaError(
        `unsupported global variable ${t.value} (the local org emulates record fields only)`
      );
    const field = this.resolve(t.value);
    return {
      kind: 'field',
      type: field.type,
      field,
      prior: false,
      text: t.value
    };
  }
}

function expectType<F extends FieldBinding>(
  node: Node<F>,
  types: FormulaType[],
  where: string
): Node<F> {
  if (node.type === 'null' || types.includes(node.type)) return node;
  throw new FormulaError(
    `${where}: expected ${types.map((t) => TYPE_NAMES[t]).join(' or ')}, received ${TYPE_NAMES[node.type]}`
  );
}

const expectBoolean = <F extends FieldBinding>(
  node: Node<F>,
  where: string
): Node<F> => expectType(node, ['boolean'], where);

/** Types two operands must share (NULL goes with any); picklists never compare directly. */
function commonType<F extends FieldBinding>(
  op: string,
  left: Node<F>,
  right: Node<F>
): FormulaType {
  for (const side of [left, right])
    if (side.type === 'picklist')
      throw new FormulaError(
        `operator ${op}: a picklist field can only be used in ISPICKVAL, TEXT, ISBLANK, ISCHANGED, PRIORVALUE or CASE`
      );
  if (left.type === 'null') return right.type;
  if (right.type === 'null' || left.type === right.type) return left.type;
  throw new FormulaError(
    `operator ${op}: incorrect argument type, ${TYPE_NAMES[left.type]} and ${TYPE_NAMES[right.type]}`
  );
}

function binary<F extends FieldBinding>(
  op: string,
  left: Node<F>,
  right: Node<F>
): Node<F> {
  const node = (type: FormulaType): Node<F> => ({
    kind: 'binary',
    op,
    left,
    right,
    type
  });
  switch (op) {
    case '||':
    case '&&':
      expectBoolean(left, op);
      expectBoolean(right, op);
      return node('boolean');
    case '&':
      expectType(left, ['text'], op);
      expectType(right, ['text'], op);
      return node('text');
    case '+': {
      const type = commonType(op, left, right);
      return node(expectType({ ...left, type }, ['number', 'text'], op).type);
    }
    case '-':
    case '*':
    case '/':
      expectType(left, ['number'], op);
      expectType(right, ['number'], op);
      return node('number');
    case '<':
    case '<=':
    case '>':
    case '>=':
      expectType(
        { ...left, type: commonType(op, left, right) },
        ['number', 'text', 'date', 'datetime'],
        op
      );
      return node('boolean');
    default:
      commonType(op, left, right);
      return node('boolean');
  }
}

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new FormulaError(
      `${name} takes ${min === max ? String(min) : max === Infinity ? `at least ${String(min)}` : `${String(min)} to ${String(max)}`} argument${max === 1 ? '' : 's'}, received ${String(args.length)}`
    );
}

function fieldArg<F extends FieldBinding>(
  name: string,
  arg: Node<F> | undefined
): Extract<Node<F>, { kind: 'field' }> {
  if (arg?.kind !== 'field' || arg.prior)
    throw new FormulaError(`${name} takes a field`);
  return arg;
}

function call<F extends FieldBinding>(
  rawName: string,
  args: Node<F>[]
): Node<F> {
  const name = SUPPORTED_FUNCTIONS.find((f) => f === rawName.toUpperCase());
  if (!name)
    throw new FormulaError(
      `unsupported function ${rawName.toUpperCase()} (the local org emulates ${SUPPORTED_FUNCTIONS.join(', ')})`
    );
  const node = (type: FormulaType, list = args): Node<F> => ({
    kind: 'call',
    name,
    args: list,
    type
  });
  switch (name) {
    case 'AND':
    case 'OR':
      arity(name, args, 1, Infinity);
      args.forEach((a) => expectBoolean(a, name));
      return node('boolean');
    case 'NOT':
      arity(name, args, 1);
      args.forEach((a) => expectBoolean(a, name));
      return node('boolean');
    case 'ISBLANK':
    case 'ISNULL':
      arity(name, args, 1);
      return node('boolean');
    case 'ISPICKVAL': {
      arity(name, args, 2);
      const [field, value] = args;
      if (field?.type !== 'picklist')
        throw new FormulaError('ISPICKVAL takes a picklist field first');
      if (value?.kind !== 'literal' || value.type !== 'text')
        throw new FormulaError('ISPICKVAL takes a text literal second');
      return node('boolean');
    }
    case 'TEXT':
      arity(name, args, 1);
      return node('text');
    case 'ISNEW':
      arity(name, args, 0);
      return node('boolean');
    case 'ISCHANGED':
      arity(name, args, 1);
      fieldArg(name, args[0]);
      return node('boolean');
    case 'PRIORVALUE': {
      arity(name, args, 1);
      // The prior value is read as a field, so ISPICKVAL(PRIORVALUE(f), ...) works as on the platform.
      return { ...fieldArg(name, args[0]), prior: true };
    }
    case 'BLANKVALUE': {
      arity(name, args, 2);
      const [value, substitute] = args as [Node<F>, Node<F>];
      return node(commonType(name, value, substitute));
    }
    case 'IF': {
      arity(name, args, 3);
      const [condition, then, otherwise] = args as [Node<F>, Node<F>, Node<F>];
      expectBoolean(condition, name);
      return node(commonType(name, then, otherwise));
    }
    case 'CASE': {
      if (args.length < 4 || args.length % 2 !== 0)
        throw new FormulaError(
          'CASE takes an expression, value and result pairs, and an else result'
        );
      const [subject, ...rest] = args as [Node<F>, ...Node<F>[]];
      // A picklist subject compares by its API value, as TEXT(picklist) would.
      const subjectType = subject.type === 'picklist' ? 'text' : subject.type;
      let resultType: FormulaType = 'null';
      for (const [i, arg] of rest.entries()) {
        const isValue = i % 2 === 0 && i < rest.length - 1;
        const probe: Node<F> = isValue
          ? { kind: 'literal', type: subjectType, value: null }
          : { kind: 'literal', type: resultType, value: null };
        const type: FormulaType = commonType(name, probe, arg);
        if (!isValue) resultType = type;
      }
      return node(resultType);
    }
  }
}

/** A parsed, type-checked formula: evaluate it per save. */
export interface CompiledFormula<F extends FieldBinding> {
  readonly type: FormulaType;
  evaluate(env: FormulaEnv<F>): FormulaValue;
}

/**
 * Parses and type-checks a formula; `resolve` turns a field reference (`Name`,
 * `Account__r.Name`) into the caller's binding or throws a FormulaError naming it.
 */
export function compileFormula<F extends FieldBinding>(
  text: string,
  resolve: (path: string) => F
): CompiledFormula<F> {
  const root = new Parser<F>(tokenize(text), resolve).parse();
  return {
    type: root.type,
    evaluate: (env) => evaluate(root, env)
  };
}

const isBlank = (value: FormulaValue): boolean =>
  value === null || value === '';

function evaluate<F extends FieldBinding>(
  node: Node<F>,
  env: FormulaEnv<F>
): FormulaValue {
  const ev = (n: Node<F>): FormulaValue => evaluate(n, env);
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field':
      return readField(node.field, node.prior && !env.isNew, env);
    case 'unary': {
      const value = ev(node.arg);
      if (value === null) return null;
      return node.op === '!' ? !(value as boolean) : -(value as number);
    }
    case 'binary':
      return evaluateBinary(node.op, node, env);
    case 'call':
      return evaluateCall(node.name, node.args, env);
  }
}

/** Text and picklist fields are never null on the platform: a blank one reads as ''. */
function readField<F extends FieldBinding>(
  field: F,
  prior: boolean,
  env: FormulaEnv<F>
): FormulaValue {
  const value = env.read(field, prior);
  return value === null && (field.type === 'text' || field.type === 'picklist')
    ? ''
    : value;
}

function evaluateBinary<F extends FieldBinding>(
  op: string,
  node: { left: Node<F>; right: Node<F> },
  env: FormulaEnv<F>
): FormulaValue {
  const left = evaluate(node.left, env);
  // && and || short-circuit as the platform's AND/OR do.
  if (op === '&&')
    return left === false ? false : and(left, evaluate(node.right, env));
  if (op === '||')
    return left === true ? true : or(left, evaluate(node.right, env));
  const right = evaluate(node.right, env);
  if (op === '&') return String(left ?? '') + String(right ?? '');
  if (left === null || right === null) return null;
  switch (op) {
    case '+':
      return typeof left === 'number' && typeof right === 'number'
        ? left + right
        : String(left) + String(right);
    case '-':
      return (left as number) - (right as number);
    case '*':
      return (left as number) * (right as number);
    case '/':
      // The platform answers #Error! for a division by zero; a blank keeps the rule from firing.
      return right === 0 ? null : (left as number) / (right as number);
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '!=':
    case '<>':
      return left !== right;
    default:
      return left === right;
  }
}

/** Three-valued AND: false wins, then blank. */
function and(a: FormulaValue, b: FormulaValue): FormulaValue {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function or(a: FormulaValue, b: FormulaValue): FormulaValue {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

function evaluateCall<F extends FieldBinding>(
  name: FunctionName,
  args: Node<F>[],
  env: FormulaEnv<F>
): FormulaValue {
  const ev = (n: Node<F> | undefined): FormulaValue =>
    n ? evaluate(n, env) : null;
  switch (name) {
    case 'AND': {
      let result: FormulaValue = true;
      for (const arg of args) {
        result = and(result, ev(arg));
        if (result === false) return false;
      }
      return result;
    }
    case 'OR': {
      let result: FormulaValue = false;
      for (const arg of args) {
        result = or(result, ev(arg));
        if (result === true) return true;
      }
      return result;
    }
    case 'NOT': {
      const value = ev(args[0]);
      return value === null ? null : !value;
    }
    case 'ISBLANK':
      return isBlank(ev(args[0]));
    case 'ISNULL': {
      // Text is never null on the platform, so ISNULL of text is always false.
      const arg = args[0];
      return arg?.type === 'text' || arg?.type === 'picklist'
        ? false
        : ev(arg) === null;
    }
    case 'ISPICKVAL':
      return ev(args[0]) === ev(args[1]);
    case 'TEXT': {
      const value = ev(args[0]);
      return value === null ? '' : String(value);
    }
    case 'ISNEW':
      return env.isNew;
    case 'ISCHANGED': {
      if (env.isNew) return false;
      const field = fieldArg(name, args[0]).field;
      return readField(field, true, env) !== readField(field, false, env);
    }
    case 'PRIORVALUE':
      // Compiled into a prior field read; never evaluated as a call.
      return ev(args[0]);
    case 'BLANKVALUE': {
      const value = ev(args[0]);
      return isBlank(value) ? ev(args[1]) : value;
    }
    case 'IF':
      return ev(args[0]) === true ? ev(args[1]) : ev(args[2]);
    case 'CASE': {
      const [subject, ...rest] = args;
      const value = ev(subject);
      for (let i = 0; i + 1 < rest.length; i += 2)
        if (ev(rest[i]) === value) return ev(rest[i + 1]);
      return ev(rest[rest.length - 1]);
    }
  }
}
