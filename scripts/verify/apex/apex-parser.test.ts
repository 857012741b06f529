import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listApexFiles } from './apex-files.ts';
import { parseApex, parseApexFiles } from './apex-parser.ts';
import { syntaxProblems } from './parse-check.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url).pathname;

void describe('Apex parse check', () => {
  void it('parses a valid class into a class declaration', async () => {
    const parsed = await parseApex(
      'public with sharing class Ok {\n  public Integer one() { return 1; }\n}\n'
    );
    assert.ok(parsed.ok);
    assert.equal(
      parsed.ast['@class'],
      'apex.jorje.data.ast.CompilationUnit$ClassDeclUnit'
    );
  });

  void it('parses a trigger', async () => {
    const parsed = await parseApex(
      'trigger IncidentTrigger on Incident (before insert) {\n  IncidentTriggerHandler.run();\n}\n'
    );
    assert.ok(parsed.ok);
    assert.equal(
      parsed.ast['@class'],
      'apex.jorje.data.ast.CompilationUnit$TriggerDeclUnit'
    );
  });

  void it('reports the broken fixture with file, line, column and message', async () => {
    const files = listApexFiles(`${fixtures}syntax-error`);
    const problems = syntaxProblems(await parseApexFiles(files));
    assert.deepEqual(problems, [
      {
        file: `${fixtures}syntax-error/BrokenIncidentService.cls`,
        line: 3,
        column: 21,
        rule: 'apex-syntax',
        message: "Unexpected token ';'."
      }
    ]);
  });

  void it('finds no syntax problem in the valid fixture', async () => {
    const problems = syntaxProblems(
      await parseApexFiles(listApexFiles(`${fixtures}valid`))
    );
    assert.deepEqual(problems, []);
  });

  void it('reports an unterminated class with a line inside the file', async () => {
    const parsed = await parseApex('public class Open {\n  void m() {\n');
    assert.ok(!parsed.ok, 'an unterminated class must not parse');
    assert.ok(parsed.errors.length > 0);
    for (const error of parsed.errors)
      assert.ok(error.line >= 1 && error.line <= 3, `line ${error.line}`);
  });
});

void describe('listApexFiles', () => {
  void it('lists classes and triggers, not their meta files', () => {
    const files = listApexFiles(fixtures).map((file) =>
      file.slice(fixtures.length)
    );
    assert.ok(files.includes('valid/IncidentFixtureService.cls'));
    assert.ok(
      files.every((file) => file.endsWith('.cls') || file.endsWith('.trigger'))
    );
  });

  void it('rejects a missing folder by name', () => {
    assert.throws(
      () => listApexFiles(`${fixtures}no-such-folder`),
      /no-such-folder: not a directory/
    );
  });
});
