import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkFormulaPicklists,
  picklistComparisons
} from './formula-picklists.ts';
import {
  checkMetadataText,
  metadataTextProblems,
  textValueProblem
} from './metadata-text.ts';
import { readProject } from './project.ts';
import { format, resolveConfig } from 'prettier';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = join(here, '__fixtures__', 'text-and-formulas');
const RULES = 'force-app/main/default/objects/Gizmo__c/validationRules';
const FIELDS = 'force-app/main/default/objects/Gizmo__c/fields';
const VALUES = "('Technical Expert', 'Service Level Manager')";

void describe('metadata text values', () => {
  void it('fails every value of the validation rule prettier reflowed, and nothing else', () => {
    const problems = checkMetadataText(readProject(fixture)).map(
      (problem) => `${problem.file}: ${problem.message.split(';')[0]}`
    );
    assert.deepEqual(problems, [
      `${RULES}/Needs_Account_Reflowed.validationRule-meta.xml: <description> at ValidationRule/description starts with whitespace`,
      `${RULES}/Needs_Account_Reflowed.validationRule-meta.xml: <errorConditionFormula> at ValidationRule/errorConditionFormula starts with whitespace`,
      `${RULES}/Needs_Account_Reflowed.validationRule-meta.xml: <errorMessage> at ValidationRule/errorMessage starts with whitespace`
    ]);
  });

  void it('names leading and trailing whitespace and a reflow inside a value', () => {
    assert.equal(textValueProblem(' a'), 'starts with whitespace');
    assert.equal(textValueProblem('a\n'), 'ends with whitespace');
    assert.equal(
      textValueProblem('a long\n    help text'),
      'holds a reflow (a line break followed by indentation)'
    );
    // A formula on several lines without indentation is as the author wrote it.
    assert.equal(textValueProblem('AND(a,\nb)'), undefined);
    assert.equal(textValueProblem('plain value'), undefined);
  });
});

void describe('picklist literals in formulas', () => {
  void it('fails literals that are not values of their field, in ISPICKVAL, CASE and TEXT comparisons', () => {
    assert.deepEqual(
      checkFormulaPicklists(readProject(fixture)).map(
        (problem) => `${problem.file}: ${problem.message}`
      ),
      [
        `${RULES}/Needs_Account_Reflowed.validationRule-meta.xml: <errorConditionFormula>: ISPICKVAL compares Role__c with ' Service Level Manager ', which is not one of its values ${VALUES}; the formula can never match it`,
        `${FIELDS}/Role_Rank__c.field-meta.xml: <formula>: CASE compares Role__c with 'Manager', which is not one of its values ${VALUES}; the formula can never match it`,
        `${FIELDS}/Role_Rank__c.field-meta.xml: <formula>: TEXT(...) comparison compares Role__c with 'Nope', which is not one of its values ${VALUES}; the formula can never match it`
      ]
    );
  });

  void it('finds each comparison form, through lookups and CASE(TEXT(...)), and skips global variables', () => {
    assert.deepEqual(
      picklistComparisons(
        `AND(ISPICKVAL(Role__c, "A"), TEXT(Account__r.Type) <> 'B', 'C' = TEXT(Role__c),
CASE(TEXT(Role__c), 'D', 1, 'E', 2, 0), CASE(Role__c, 'F', 1, 9), IF(Name = 'G', 1, 0))`
      ).map((found) => `${found.construct} ${found.field} ${found.value}`),
      [
        'ISPICKVAL Role__c A',
        'TEXT(...) comparison Account__r.Type B',
        'TEXT(...) comparison Role__c C',
        'CASE Role__c D',
        'CASE Role__c E',
        'CASE Role__c F'
      ]
    );
  });

  void it('passes the restored rule, including a lookup picklist and a $User global', () => {
    const problems = checkFormulaPicklists(readProject(fixture)).filter(
      (problem) =>
        problem.file.endsWith('/Needs_Account.validationRule-meta.xml')
    );
    assert.deepEqual(problems, []);
  });
});

void describe('the project formatter on metadata XML', () => {
  void it('keeps long text values as written instead of reflowing them', async () => {
    const file = join(
      here,
      '../../../force-app/main/default/objects/Incident/fields/Example__c.field-meta.xml'
    );
    const help =
      'A help text long enough that a formatter treating XML whitespace as insignificant would wrap it onto indented lines.';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n<fullName>Example__c</fullName>\n<inlineHelpText>${help}</inlineHelpText>\n</CustomField>\n`;
    const options = (await resolveConfig(file)) ?? {};
    const formatted = await format(xml, { ...options, filepath: file });
    assert.ok(
      formatted.includes(`<inlineHelpText>${help}</inlineHelpText>`),
      formatted
    );
    assert.deepEqual(metadataTextProblems(formatted), []);
  });
});
