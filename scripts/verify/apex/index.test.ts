import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArguments, UsageError } from './index.ts';

const cli = fileURLToPath(new URL('./index.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const fixtureForceApp = `${fixtures}force-app`;

function run(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', cli, ...args],
    { encoding: 'utf8' }
  );
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr
  };
}

void describe('apex checks CLI', () => {
  void it('exits 0 when every check passes', () => {
    const result = run(
      '--apex',
      `${fixtures}valid`,
      '--force-app',
      fixtureForceApp
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /apex parse: ok/);
    assert.match(result.stdout, /apex pmd: ok/);
    assert.match(result.stdout, /apex fields: ok/);
  });

  void it('exits 1 and names file, line and object.field for an unknown field', () => {
    const result = run(
      '--only',
      'fields',
      '--apex',
      `${fixtures}field-typo`,
      '--force-app',
      fixtureForceApp
    );
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /field-typo\/IncidentTypoService\.cls:10 \[apex-field-reference\] unknown field Incident\.Severity_Typo__c \(field token\)/
    );
    assert.match(
      result.stdout,
      /IncidentTypoService\.cls:11 \[apex-field-reference\] unknown field Incident\.Severity_Typo__c \(SOQL\)/
    );
  });

  void it('exits 1 and names file and line for a syntax error', () => {
    const result = run(
      '--only',
      'parse',
      '--apex',
      `${fixtures}syntax-error`,
      '--force-app',
      fixtureForceApp
    );
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /BrokenIncidentService\.cls:3:21 \[apex-syntax\] Unexpected token ';'/
    );
  });

  void it('exits 2 on bad usage or a missing folder', () => {
    assert.equal(run('--only', 'lint').status, 2);
    assert.equal(run('--apex').status, 2);
    const missing = run(
      '--only',
      'parse',
      '--apex',
      `${fixtures}no-such-folder`
    );
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-folder: not a directory/);
  });
});

void describe('parseArguments', () => {
  void it('defaults to all checks over force-app', () => {
    const options = parseArguments([]);
    assert.deepEqual([...options.checks], ['parse', 'pmd', 'fields']);
    assert.equal(options.forceAppDir, 'force-app');
    assert.equal(options.apexDir, 'force-app');
  });

  void it('rejects unknown flags and checks', () => {
    assert.throws(() => parseArguments(['--fast']), UsageError);
    assert.throws(
      () => parseArguments(['--only', 'parse,style']),
      /unknown check style/
    );
  });
});
