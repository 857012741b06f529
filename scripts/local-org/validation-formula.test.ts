/** The validation formula subset: each function, operators and precedence, blanks as the platform treats them, and refusals. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileFormula,
  type FieldBinding,
  type FormulaType,
  type FormulaValue
} from './validation-formula.ts';

interface TestField extends FieldBinding {
  name: string;
}

const TYPES: Record<string, FormulaType> = {
  Name: 'text',
  Email__c: 'text',
  Role__c: 'picklist',
  Count__c: 'number',
  Score__c: 'number',
  Active__c: 'boolean',
  Due__c: 'date',
  'Account__r.Name': 'text'
};

function resolve(path: string): TestField {
  const type = TYPES[path];
  if (!type) throw new Error(`unknown field ${path}`);
  return { name: path, type };
}

type Values = Record<string, FormulaValue>;

/** Evaluates a formula on an insert (no prior) or an update (prior values given). */
function run(formula: string, now: Values = {}, prior?: Values): FormulaValue {
  return compileFormula(formula, resolve).evaluate({
    isNew: prior === undefined,
    read: (field, isPrior) =>
      (isPrior && prior ? prior : now)[field.name] ?? null
  });
}

const refuses = (formula: string, reason: RegExp): void => {
  assert.throws(() => compileFormula(formula, resolve), reason, formula);
};

describe('validation formula functions', () => {
  it('AND, OR and NOT, with any number of arguments', () => {
    assert.equal(run('AND(TRUE, TRUE, TRUE)'), true);
    assert.equal(run('AND(TRUE, FALSE)'), false);
    assert.equal(run('OR(FALSE, FALSE, TRUE)'), true);
    assert.equal(run('OR(FALSE)'), false);
    assert.equal(run('NOT(FALSE)'), true);
    assert.equal(run('and(true, not(false))'), true, 'names ignore case');
  });

  it('ISBLANK: null and empty text are blank, zero and FALSE are not', () => {
    assert.equal(run('ISBLANK(Name)'), true);
    assert.equal(run('ISBLANK(Name)', { Name: '' }), true);
    assert.equal(run('ISBLANK(Name)', { Name: ' ' }), false);
    assert.equal(run('ISBLANK(Count__c)'), true);
    assert.equal(run('ISBLANK(Count__c)', { Count__c: 0 }), false);
    assert.equal(run('ISBLANK(Active__c)', { Active__c: false }), false);
    assert.equal(run('ISBLANK(Role__c)'), true);
  });

  it('ISNULL: true for a blank number, never for text (text is never null)', () => {
    assert.equal(run('ISNULL(Count__c)'), true);
    assert.equal(run('ISNULL(Count__c)', { Count__c: 0 }), false);
    assert.equal(run('ISNULL(Name)'), false);
  });

  it('ISPICKVAL compares the API value exactly, including through PRIORVALUE', () => {
    const slm = { Role__c: 'Service Level Manager' };
    assert.equal(run("ISPICKVAL(Role__c, 'Service Level Manager')", slm), true);
    assert.equal(
      run("ISPICKVAL(Role__c, 'service level manager')", slm),
      false
    );
    assert.equal(run("ISPICKVAL(Role__c, '')"), true);
    assert.equal(
      run("ISPICKVAL(PRIORVALUE(Role__c), 'Owner')", slm, { Role__c: 'Owner' }),
      true
    );
  });

  it('TEXT of a picklist, a number and a blank', () => {
    assert.equal(run("TEXT(Role__c) = 'Owner'", { Role__c: 'Owner' }), true);
    assert.equal(run("TEXT(Count__c) = '42'", { Count__c: 42 }), true);
    assert.equal(run("TEXT(Count__c) = ''"), true);
  });

  it('ISNEW, ISCHANGED and PRIORVALUE: on insert new, unchanged, prior = current', () => {
    assert.equal(run('ISNEW()'), true);
    assert.equal(run('ISNEW()', {}, {}), false);
    assert.equal(run('ISCHANGED(Name)', { Name: 'b' }), false);
    assert.equal(run('ISCHANGED(Name)', { Name: 'b' }, { Name: 'a' }), true);
    assert.equal(run('ISCHANGED(Name)', { Name: 'a' }, { Name: 'a' }), false);
    // A blank text is '' either way: null to '' is no change.
    assert.equal(run('ISCHANGED(Name)', { Name: '' }, { Name: null }), false);
    assert.equal(run('PRIORVALUE(Count__c) = 3', { Count__c: 3 }), true);
    assert.equal(
      run('PRIORVALUE(Count__c) = 3', { Count__c: 4 }, { Count__c: 3 }),
      true
    );
  });

  it('BLANKVALUE, IF and CASE', () => {
    assert.equal(run("BLANKVALUE(Name, 'x') = 'x'"), true);
    assert.equal(run("BLANKVALUE(Name, 'x') = 'y'", { Name: 'y' }), true);
    assert.equal(run('IF(Active__c, 1, 2) = 1', { Active__c: true }), true);
    assert.equal(run('IF(Active__c, 1, 2) = 2', { Active__c: false }), true);
    const tier = "CASE(Role__c, 'A', 1, 'B', 2, 9)";
    assert.equal(run(`${tier} = 2`, { Role__c: 'B' }), true);
    assert.equal(run(`${tier} = 9`, { Role__c: 'C' }), true);
    assert.equal(run(`${tier} = 9`), true);
  });

  it('one-level parent references read like fields', () => {
    assert.equal(
      run("Account__r.Name = 'Sunny'", { 'Account__r.Name': 'Sunny' }),
      true
    );
  });
});

describe('validation formula operators', () => {
  it('comparisons, both spellings of equal and not equal; text equality is case-sensitive', () => {
    const n = { Count__c: 5, Name: 'Abc' };
    for (const [formula, expected] of [
      ['Count__c = 5', true],
      ['Count__c == 5', true],
      ['Count__c != 5', false],
      ['Count__c <> 4', true],
      ['Count__c < 6', true],
      ['Count__c <= 5', true],
      ['Count__c > 5', false],
      ['Count__c >= 5', true],
      ["Name = 'abc'", false],
      ["Name = 'Abc'", true]
    ] as const)
      assert.equal(run(formula, n), expected, formula);
  });

  it('arithmetic, concatenation and literals', () => {
    assert.equal(run('2 + 3 * 4 = 14'), true, '* binds tighter than +');
    assert.equal(run('(2 + 3) * 4 = 20'), true);
    assert.equal(run('10 / 4 = 2.5'), true);
    assert.equal(run('-Count__c = -3', { Count__c: 3 }), true);
    assert.equal(run('7 - 2 - 1 = 4'), true, 'left-associative');
    assert.equal(run(`'a' & "b" & 'c\\'d' = "abc'd"`), true);
    assert.equal(
      run("Name & 'x' = 'x'"),
      true,
      '& reads a blank text as empty'
    );
    assert.equal(run("'a' + 'b' = 'ab'"), true, '+ joins text too');
    assert.equal(run('/* why */ TRUE'), true);
  });

  it('precedence: ! over comparison over && over ||', () => {
    assert.equal(run('TRUE || FALSE && FALSE'), true);
    assert.equal(run('(TRUE || FALSE) && FALSE'), false);
    assert.equal(
      run('!Active__c && Count__c > 1', { Active__c: false, Count__c: 2 }),
      true
    );
    assert.equal(run('1 + 1 = 2 && 2 > 1'), true);
  });

  it('a blank number or date makes arithmetic and comparisons blank, so the rule does not fire', () => {
    assert.equal(run('Count__c > 1'), null);
    assert.equal(run('Count__c + 1 = 1'), null);
    assert.equal(run('Due__c < Due__c'), null);
    assert.equal(run('NOT(Count__c > 1)'), null);
    assert.equal(run('AND(TRUE, Count__c > 1)'), null);
    assert.equal(run('AND(FALSE, Count__c > 1)'), false);
    assert.equal(run('OR(TRUE, Count__c > 1)'), true);
    assert.equal(run('Count__c / 0 > 1', { Count__c: 1 }), null);
    assert.equal(
      run('IF(Count__c > 1, TRUE, FALSE)'),
      false,
      'a blank condition takes the else branch'
    );
  });
});

describe('validation formulas outside the subset', () => {
  it('names the unsupported function, operator or global variable', () => {
    refuses("REGEX(Name, 'x')", /unsupported function REGEX/);
    refuses("INCLUDES(Role__c, 'x')", /unsupported function INCLUDES/);
    refuses('TODAY() > Due__c', /unsupported function TODAY/);
    refuses('Count__c ^ 2 > 1', /unsupported operator '\^'/);
    refuses('$User.Id = Name', /unsupported global variable \$User\.Id/);
  });

  it('refuses type errors and wrong arguments at compile time', () => {
    refuses('Name = 1', /Text and Number/);
    refuses("Role__c = 'x'", /picklist field can only be used/);
    refuses("ISPICKVAL(Name, 'x')", /ISPICKVAL takes a picklist field/);
    refuses('ISPICKVAL(Role__c, Name)', /text literal second/);
    refuses('AND(Count__c, TRUE)', /AND: expected Checkbox, received Number/);
    refuses('NOT(TRUE, FALSE)', /NOT takes 1 argument/);
    refuses("ISCHANGED('x')", /ISCHANGED takes a field/);
    refuses("CASE(Count__c, 1, 'a')", /CASE takes/);
    refuses('Unknown__c', /unknown field Unknown__c/);
  });

  it('refuses malformed text', () => {
    refuses('AND(TRUE', /expected '\)'/);
    refuses("Name = 'open", /unterminated text literal/);
    refuses('TRUE FALSE', /unexpected 'FALSE'/);
    refuses('Name # 1', /unexpected character '#'/);
  });
});
