/**
 * Every picklist literal a formula compares with is a real value of that picklist. The org
 * accepts `ISPICKVAL(Role__c, 'Servce Level Manager')` at deploy time and the formula is then
 * simply never true, so a validation rule or formula field fails silently. Checked forms:
 * - `ISPICKVAL(field, 'value')`;
 * - `TEXT(field) = 'value'` (also `==`, `<>`, `!=`, and with the literal on the left);
 * - `CASE(field, 'value', result, ..., else)` and `CASE(TEXT(field), 'value', ...)`.
 * Formulas are read from validation rules (`errorConditionFormula`) and formula fields
 * (`formula`). Fields resolve on the formula's object, through lookups (`Account__r.Region__c`,
 * `Account.Type`); global variables (`$User.…`) are not checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { findDirectories } from '../../schema/force-app-source.ts';
import type { FieldSchema } from '../../schema/types.ts';
import {
  checkEachPackage,
  type PermissionSchema
} from './permission-schema.ts';
import type { Problem } from './problems.ts';
import type { SfdxProject } from './project.ts';

const CHECK = 'formula-picklists';

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'punct'; value: string };

/** Splits a formula into strings, names (dotted paths, `$` globals), operators and brackets. */
export function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < formula.length) {
    const char = formula.charAt(index);
    if (/\s/.test(char)) {
      index++;
    } else if (char === "'" || char === '"') {
      let value = '';
      index++;
      while (index < formula.length && formula.charAt(index) !== char) {
        // A backslash escapes the next character, as in Salesforce formula strings.
        if (formula.charAt(index) === '\\') index++;
        value += formula.charAt(index);
        index++;
      }
      index++;
      tokens.push({ kind: 'string', value });
    } else if (formula.startsWith('/*', index)) {
      const end = formula.indexOf('*/', index + 2);
      index = end < 0 ? formula.length : end + 2;
    } else {
      const name = /^[$A-Za-z_][\w$.]*/.exec(formula.slice(index));
      const operator = /^(==|<>|!=|<=|>=|&&|\|\|)/.exec(formula.slice(index));
      const value = name?.[0] ?? operator?.[0] ?? char;
      tokens.push({ kind: name ? 'name' : 'punct', value });
      index += value.length;
    }
  }
  return tokens;
}

const isPunct = (token: Token | undefined, value: string): boolean =>
  token?.kind === 'punct' && token.value === value;

function isCall(tokens: Token[], index: number, name: string): boolean {
  const token = tokens[index];
  return (
    token?.kind === 'name' &&
    token.value.toUpperCase() === name &&
    isPunct(tokens[index + 1], '(')
  );
}

/** The arguments of the call whose name is at `index`, each a slice of tokens. */
function callArguments(tokens: Token[], index: number): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let at = index + 2; at < tokens.length; at++) {
    const token = tokens[at];
    if (token === undefined) break;
    if (isPunct(token, '(')) depth++;
    if (isPunct(token, ')')) {
      if (depth === 0) return args;
      depth--;
    }
    if (isPunct(token, ',') && depth === 0) args.push([]);
    else args.at(-1)?.push(token);
  }
  return args;
}

/** `field` or `TEXT(field)`: the field path, else undefined. */
function fieldOf(arg: Token[], allowText: boolean): string | undefined {
  const [first] = arg;
  if (arg.length === 1 && first?.kind === 'name') return first.value;
  if (
    allowText &&
    arg.length === 4 &&
    isCall(arg, 0, 'TEXT') &&
    arg[2]?.kind === 'name' &&
    isPunct(arg[3], ')')
  ) {
    return arg[2].value;
  }
  return undefined;
}

const literal = (arg: Token[] | undefined): string | undefined =>
  arg?.length === 1 && arg[0]?.kind === 'string' ? arg[0].value : undefined;

/** A picklist comparison in a formula: which field, which literal, in which construct. */
export interface PicklistComparison {
  field: string;
  value: string;
  construct: string;
}

const COMPARISON = new Set(['=', '==', '<>', '!=']);

/** Every picklist literal comparison the formula makes. */
export function picklistComparisons(formula: string): PicklistComparison[] {
  const tokens = tokenize(formula);
  const found: PicklistComparison[] = [];
  tokens.forEach((token, index) => {
    if (isCall(tokens, index, 'ISPICKVAL')) {
      const [fieldArg, valueArg] = callArguments(tokens, index);
      const field = fieldArg && fieldOf(fieldArg, false);
      const value = literal(valueArg);
      if (field !== undefined && value !== undefined) {
        found.push({ field, value, construct: 'ISPICKVAL' });
      }
    } else if (isCall(tokens, index, 'CASE')) {
      const args = callArguments(tokens, index);
      const field = args[0] && fieldOf(args[0], true);
      if (field === undefined) return;
      // CASE(expr, value1, result1, ..., else): values sit at odd positions before the else.
      for (let at = 1; at < args.length - 1; at += 2) {
        const value = literal(args[at]);
        if (value !== undefined)
          found.push({ field, value, construct: 'CASE' });
      }
    } else if (isCall(tokens, index, 'TEXT')) {
      const call = tokens.slice(index, index + 4);
      const field = fieldOf(call, true);
      if (field === undefined) return;
      const after = tokens[index + 4];
      const before = tokens[index - 1];
      const value =
        after && COMPARISON.has(after.value)
          ? literal(tokens.slice(index + 5, index + 6))
          : before && COMPARISON.has(before.value)
            ? literal(tokens.slice(index - 2, index - 1))
            : undefined;
      if (value !== undefined) {
        found.push({ field, value, construct: 'TEXT(...) comparison' });
      }
    }
  });
  return found;
}

/** Follows `Rel__r.Other__c` / `Account.Type` from `objectName` to the field. */
function resolveField(
  schema: PermissionSchema,
  objectName: string,
  path: string
): FieldSchema | string {
  const parts = path.split('.');
  let current = objectName;
  for (const part of parts.slice(0, -1)) {
    const object = schema.object(current);
    if ('problem' in object) return object.problem;
    const lookup = [...object.found.fields.values()].find(
      (field) => field.relationshipName?.toLowerCase() === part.toLowerCase()
    );
    const target = lookup?.referenceTo[0];
    if (target === undefined) {
      return `${current}.${part} is not a relationship`;
    }
    current = target;
  }
  const lookup = schema.field(`${current}.${parts.at(-1) ?? ''}`);
  return 'problem' in lookup ? lookup.problem : lookup.found;
}

/** Problems of one formula on `objectName`. */
export function formulaProblems(
  formula: string,
  objectName: string,
  schema: PermissionSchema
): string[] {
  const problems: string[] = [];
  for (const { field, value, construct } of picklistComparisons(formula)) {
    if (field.startsWith('$')) continue;
    const resolved = resolveField(schema, objectName, field);
    if (typeof resolved === 'string') {
      problems.push(`${construct} names ${field}: ${resolved}`);
      continue;
    }
    if (resolved.type !== 'picklist' && resolved.type !== 'multipicklist') {
      if (construct !== 'TEXT(...) comparison') {
        problems.push(
          `${construct} needs a picklist, but ${field} is a ${resolved.type}`
        );
      }
      continue;
    }
    const values = resolved.picklistValues.map((entry) => entry.value);
    if (!values.includes(value)) {
      problems.push(
        `${construct} compares ${field} with '${value}', which is not one of its values (${values.map((entry) => `'${entry}'`).join(', ')}); the formula can never match it`
      );
    }
  }
  return problems;
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false });

/** The formulas of a validation rule or field file: [element, formula] pairs. */
function formulasIn(file: string): [string, string][] {
  const document = parser.parse(readFileSync(file, 'utf8')) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const root = document.ValidationRule ?? document.CustomField ?? {};
  return ['errorConditionFormula', 'formula'].flatMap((element) => {
    const value = root[element];
    return typeof value === 'string'
      ? [[element, value] as [string, string]]
      : [];
  });
}

export function checkFormulaPicklists(project: SfdxProject): Problem[] {
  return checkEachPackage(project, CHECK, (packageDir, schema, report) => {
    for (const objectsDir of findDirectories(packageDir, 'objects')) {
      for (const objectName of readdirSync(objectsDir).sort()) {
        for (const folder of ['validationRules', 'fields']) {
          const dir = join(objectsDir, objectName, folder);
          if (!existsSync(dir)) continue;
          const names = readdirSync(dir).filter((name) =>
            name.endsWith('-meta.xml')
          );
          for (const name of names.sort()) {
            const file = join(dir, name);
            for (const [element, formula] of formulasIn(file)) {
              for (const message of formulaProblems(
                formula,
                objectName,
                schema
              )) {
                report(file, `<${element}>: ${message}`);
              }
            }
          }
        }
      }
    }
  });
}
