/** The benchmarks' shared command parts: flags, exit codes, what is written and where errors go. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  benchMain,
  DataError,
  outFlag,
  readFlags,
  UsageError,
  wholeNumberFlag,
  type BenchCommand
} from './cli.ts';

describe('bench cli', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cli-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads known flags and refuses others', () => {
    assert.deepEqual({ ...readFlags(['--n', '5'], ['n', 'out']) }, { n: '5' });
    assert.throws(() => readFlags(['--nope', '1'], ['n']), UsageError);
    assert.throws(() => readFlags(['stray'], ['n']), UsageError);
  });

  it('takes whole numbers in range only, naming the flag', () => {
    assert.equal(wholeNumberFlag(undefined, '--n', { min: 1 }, 7), 7);
    assert.equal(wholeNumberFlag('200', '--n', { min: 1, max: 200 }, 7), 200);
    for (const bad of ['', '0', '201', '1e2', '2.5', 'abc', '0x10'])
      assert.throws(
        () => wholeNumberFlag(bad, '--n', { min: 1, max: 200 }, 7),
        (e: Error) =>
          e instanceof UsageError &&
          e.message ===
            `--n: expected a whole number from 1 to 200, got '${bad}'`
      );
    assert.throws(() => wholeNumberFlag('99', '--cases', { min: 100 }, 1), {
      name: 'Error',
      message: "--cases: expected a whole number of 100 or more, got '99'"
    });
    assert.equal(outFlag(undefined, 'a.json'), 'a.json');
    assert.throws(() => outFlag('', 'a.json'), UsageError);
  });

  const command = (
    run: () => Promise<{ n: number }>
  ): BenchCommand<{ out: string }, { n: number }> => ({
    name: 'demo',
    usage: 'usage: demo [--out FILE]',
    parse: (argv) => ({
      out: outFlag(readFlags(argv, ['out']).out, path.join(dir, 'x.json'))
    }),
    run,
    summary: (result) => [`n=${String(result.n)}`]
  });

  it('writes the JSON and prints the summary: exit 0', async () => {
    const out = path.join(dir, 'nested', 'ok.json');
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await benchMain(
      command(() => Promise.resolve({ n: 3 })),
      ['--out', out],
      (line) => lines.push(line),
      (line) => errors.push(line)
    );
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { n: 3 });
    assert.deepEqual(lines, ['n=3', `written to ${out}`]);
    assert.deepEqual(errors, []);
  });

  it('bad usage: exit 2 with the usage, nothing run or written', async () => {
    const errors: string[] = [];
    let ran = false;
    const code = await benchMain(
      command(() => {
        ran = true;
        return Promise.resolve({ n: 1 });
      }),
      ['--bogus'],
      () => undefined,
      (line) => errors.push(line)
    );
    assert.equal(code, 2);
    assert.equal(ran, false);
    assert.match(errors.join('\n'), /^demo benchmark: .*bogus.*\nusage: demo/s);
  });

  it('wrong data: exit 1, said as such, nothing written', async () => {
    const out = path.join(dir, 'bad.json');
    const errors: string[] = [];
    const code = await benchMain(
      command(() => Promise.reject(new DataError('3 events, expected 4'))),
      ['--out', out],
      () => undefined,
      (line) => errors.push(line)
    );
    assert.equal(code, 1);
    assert.deepEqual(errors, [
      'demo benchmark: wrong data: 3 events, expected 4'
    ]);
    assert.equal(existsSync(out), false);
  });
});
