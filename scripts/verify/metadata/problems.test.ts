import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ForceAppSourceError } from '../../schema/force-app-source.ts';
import {
  formatProblem,
  readSource,
  reportInto,
  type Problem,
  type Report
} from './problems.ts';
import { readProject } from './project.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const project = readProject(join(here, '__fixtures__', 'clean'));
const fieldFile = join(
  project.root,
  'force-app/main/default/objects/Widget__c/fields/Size__c.field-meta.xml'
);

void describe('reportInto', () => {
  void it('adds problems of its check with paths relative to the project root', () => {
    const problems: Problem[] = [];
    const report = reportInto(problems, project, 'some-check');
    report(fieldFile, 'is wrong');
    assert.deepEqual(problems, [
      {
        check: 'some-check',
        file: 'force-app/main/default/objects/Widget__c/fields/Size__c.field-meta.xml',
        message: 'is wrong'
      }
    ]);
    assert.deepEqual(problems.map(formatProblem), [
      'force-app/main/default/objects/Widget__c/fields/Size__c.field-meta.xml: is wrong [some-check]'
    ]);
  });
});

void describe('readSource', () => {
  const reports: [string, string][] = [];
  const report: Report = (file, message) => {
    reports.push([file, message]);
  };

  void it('gives what the read returns and reports nothing', () => {
    reports.length = 0;
    assert.equal(
      readSource(() => 42, report),
      42
    );
    assert.deepEqual(reports, []);
  });

  void it('reports unreadable source against its file, without repeating the file in the message', () => {
    reports.length = 0;
    const result = readSource<number>(() => {
      throw new ForceAppSourceError(fieldFile, 'field Size__c has no <type>');
    }, report);
    assert.equal(result, undefined);
    assert.deepEqual(reports, [[fieldFile, 'field Size__c has no <type>']]);
  });

  void it('lets other errors through: they are bugs, not problems of the source', () => {
    reports.length = 0;
    assert.throws(
      () =>
        readSource<number>(() => {
          throw new TypeError('boom');
        }, report),
      TypeError
    );
    assert.deepEqual(reports, []);
  });
});
