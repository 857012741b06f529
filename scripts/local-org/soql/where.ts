/**
 * Turns the parser's WHERE/HAVING representation (a right-leaning chain of conditions with
 * open/close parenthesis counts) back into a boolean tree. Salesforce requires parentheses
 * when AND and OR are mixed at one level; such a filter is rejected, not guessed at.
 */
import type {
  Condition,
  HavingClause,
  NegationCondition,
  ValueQueryCondition,
  WhereClause
} from '@jetstreamapp/soql-parser-js';
import { malformed } from './errors.ts';

/** A condition with an operator (the parser also puts bare `NOT (` markers in condition slots). */
export type Leaf = Exclude<Condition, NegationCondition> | ValueQueryCondition;

export type BoolExpr =
  | { kind: 'and' | 'or'; items: BoolExpr[] }
  | { kind: 'not'; item: BoolExpr }
  | { kind: 'leaf'; leaf: Leaf };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { leaf: Leaf };

function isLeaf(value: object): value is Leaf {
  return 'operator' in value;
}

function tokenize(clause: WhereClause | HavingClause, tokens: Token[]): void {
  let node: WhereClause | HavingClause | undefined = clause;
  while (node !== undefined) {
    const left = node.left as Leaf | { openParen?: number } | null;
    const operator = 'operator' in node ? node.operator : undefined;
    if (left === null || !isLeaf(left)) {
      for (let i = 0; i < (left?.openParen ?? 0); i++) tokens.push('(');
      if (operator !== 'NOT')
        throw malformed('unexpected token in WHERE clause');
      tokens.push('NOT');
    } else {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
      tokens.push({ leaf: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
      if (operator !== undefined) tokens.push(operator);
    }
    node = 'right' in node ? node.right : undefined;
  }
}

class TreeBuilder {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  build(): BoolExpr {
    const expr = this.expression();
    if (this.position !== this.tokens.length)
      throw malformed(`unexpected token: '${this.describe(this.peek())}'`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private describe(token: Token | undefined): string {
    if (token === undefined) return 'end of filter';
    return typeof token === 'string' ? token : 'condition';
  }

  private expression(): BoolExpr {
    const first = this.unary();
    const next = this.peek();
    if (next !== 'AND' && next !== 'OR') return first;
    const items = [first];
    while (this.peek() === 'AND' || this.peek() === 'OR') {
      if (this.peek() !== next)
        throw malformed(
          `unexpected token: '${this.describe(this.peek())}' (use parentheses when mixing AND and OR)`
        );
      this.position++;
      items.push(this.unary());
    }
    return { kind: next === 'AND' ? 'and' : 'or', items };
  }

  private unary(): BoolExpr {
    const token = this.peek();
    this.position++;
    if (token === 'NOT') return { kind: 'not', item: this.unary() };
    if (token === '(') {
      const inner = this.expression();
      if (this.peek() !== ')')
        throw malformed(
          `unexpected token: '${this.describe(this.peek())}', expected ')'`
        );
      this.position++;
      return inner;
    }
    if (token !== undefined && typeof token !== 'string')
      return { kind: 'leaf', leaf: token.leaf };
    throw malformed(`unexpected token: '${this.describe(token)}'`);
  }
}

export function toBoolExpr(clause: WhereClause | HavingClause): BoolExpr {
  const tokens: Token[] = [];
  tokenize(clause, tokens);
  return new TreeBuilder(tokens).build();
}
