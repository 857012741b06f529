import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { SoqlError } from './errors.ts';
import { toBoolExpr } from './where.ts';
import type { BoolExpr } from './where.ts';

/** The tree as a compact string: fields for conditions, AND/OR/NOT for structure. */
function shape(where: string): string {
  const clause = parseQuery(`SELECT Id FROM Case WHERE ${where}`).where;
  assert.ok(clause);
  const show = (expr: BoolExpr): string => {
    switch (expr.kind) {
      case 'leaf':
        return 'field' in expr.leaf ? expr.leaf.field : '?';
      case 'not':
        return `NOT ${show(expr.item)}`;
      default:
        return `(${expr.items.map(show).join(` ${expr.kind.toUpperCase()} `)})`;
    }
  };
  return show(toBoolExpr(clause));
}

void describe('WHERE tree', () => {
  void it('rebuilds precedence from the parser parentheses', () => {
    assert.equal(shape(`A = 1`), 'A');
    assert.equal(shape(`A = 1 AND B = 2 AND C = 3`), '(A AND B AND C)');
    assert.equal(shape(`(A = 1 OR B = 2) AND C = 3`), '((A OR B) AND C)');
    assert.equal(shape(`A = 1 OR (B = 2 AND C = 3)`), '(A OR (B AND C))');
    assert.equal(
      shape(`((A = 1 AND B = 2) OR (NOT C = 3)) AND D = 4`),
      '(((A AND B) OR NOT C) AND D)'
    );
    assert.equal(
      shape(`NOT (A = 1 OR B = 2) AND C = 3`),
      '(NOT (A OR B) AND C)'
    );
    assert.equal(
      shape(`A = 1 AND (NOT (B = 2 AND C = 3))`),
      '(A AND NOT (B AND C))'
    );
  });

  void it('rejects AND and OR mixed without parentheses', () => {
    assert.throws(() => shape(`A = 1 AND B = 2 OR C = 3`), SoqlError);
    assert.throws(() => shape(`A = 1 OR B = 2 AND C = 3`), SoqlError);
  });
});
