import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listApexFiles } from './apex-files.ts';
import { readPmdRuleConfig, runPmd } from './pmd-check.ts';
import type { PmdReport } from './pmd-check.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url).pathname;

void describe('PMD check', () => {
  // One engine run over all fixtures: starting PMD costs seconds, the rules are per file.
  let report: PmdReport;
  before(async () => {
    const files = [
      'valid',
      'syntax-error',
      'soql-in-loop',
      'no-sharing'
    ].flatMap((folder) => listApexFiles(`${fixtures}${folder}`));
    report = await runPmd(files, readPmdRuleConfig());
  });
  const problemsIn = (folder: string): string[] =>
    report.problems
      .filter((problem) => problem.file.includes(`/${folder}/`))
      .map((problem) => `${problem.line} ${problem.rule}`);

  void it('runs the project rule selection, including the rules the project relies on', () => {
    for (const rule of [
      'ApexCRUDViolation',
      'ApexSharingViolations',
      'ApexSOQLInjection',
      'OperationWithLimitsInLoop',
      'ApexUnitTestClassShouldHaveAsserts',
      'ApexUnitTestShouldNotUseSeeAllDataTrue',
      'AvoidLogicInTrigger'
    ]) {
      assert.ok(report.ruleNames.includes(rule), `${rule} is selected`);
    }
  });

  void it('fails a query inside a loop', () => {
    assert.deepEqual(problemsIn('soql-in-loop'), [
      '13 OperationWithLimitsInLoop'
    ]);
  });

  void it('fails a class that queries without declaring sharing', () => {
    assert.deepEqual(problemsIn('no-sharing'), ['4 ApexSharingViolations']);
  });

  void it('fails a syntax error, reported by the engine as a processing error', () => {
    assert.deepEqual(problemsIn('syntax-error'), ['3 pmd-engine-error']);
    const problem = report.problems.find((found) =>
      found.file.includes('/syntax-error/')
    );
    assert.match(problem?.message ?? '', /BrokenIncidentService\.cls/);
    assert.match(problem?.message ?? '', /Syntax error at 3:20/);
  });

  void it('passes the valid fixture, whose only findings are below the failing severity', () => {
    assert.deepEqual(problemsIn('valid'), []);
    const findings = report.findings.filter((finding) =>
      finding.file.includes('/valid/')
    );
    assert.ok(findings.every((finding) => finding.severity > 2));
  });
});

void describe('readPmdRuleConfig', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'pmd-rules-'));
  });
  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  const configWith = (data: unknown): string => {
    const file = join(folder, 'rules.json');
    writeFileSync(file, JSON.stringify(data));
    return file;
  };

  void it('reads the project selection', () => {
    const config = readPmdRuleConfig();
    assert.equal(config.failAtSeverity, 2);
    assert.equal(config.severityOverrides.OperationWithLimitsInLoop, 2);
  });

  void it('names the file and the key that is wrong', () => {
    assert.throws(
      () => readPmdRuleConfig(configWith({ selectors: [], failAtSeverity: 2 })),
      /rules\.json: "selectors"/
    );
    assert.throws(
      () =>
        readPmdRuleConfig(
          configWith({ selectors: ['pmd'], failAtSeverity: 9 })
        ),
      /"failAtSeverity" must be 1\.\.5/
    );
    assert.throws(
      () =>
        readPmdRuleConfig(
          configWith({
            selectors: ['pmd'],
            failAtSeverity: 2,
            severityOverrides: { X: 0 }
          })
        ),
      /severityOverrides\.X must be 1\.\.5/
    );
  });

  void it('rejects an override for a rule that is not selected', async () => {
    const config = {
      selectors: ['ApexCRUDViolation'],
      failAtSeverity: 2,
      severityOverrides: { NoSuchRule: 2 }
    };
    await assert.rejects(
      runPmd(listApexFiles(`${fixtures}valid`), config),
      /not selected: NoSuchRule/
    );
  });
});
