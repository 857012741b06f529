/** The rollout benchmark at a small size: every figure present and consistent. No timing assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  DEFAULT_CASES,
  DEFAULT_INCIDENTS,
  DEFAULT_OUT,
  main,
  parseBenchArgs,
  UsageError,
  type BenchResult
} from './rollout.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bench-rollout-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('arguments: defaults, and one clear error per bad flag', () => {
  assert.deepEqual(parseBenchArgs([]), {
    cases: DEFAULT_CASES,
    incidents: DEFAULT_INCIDENTS,
    out: DEFAULT_OUT
  });
  assert.equal(parseBenchArgs(['--cases', '2500']).cases, 2500);
  for (const bad of ['', '99', '1e4', 'abc', '2.5'])
    assert.throws(
      () => parseBenchArgs(['--cases', bad]),
      (e: Error) => e instanceof UsageError && e.message.startsWith('--cases:')
    );
  assert.throws(
    () => parseBenchArgs(['--incidents', '0']),
    (e: Error) =>
      e instanceof UsageError && e.message.startsWith('--incidents:')
  );
  assert.throws(
    () => parseBenchArgs(['--sizes', '100']),
    (e: Error) => e instanceof UsageError
  );
});

test('a run at 300 cases writes every figure, and the counts add up', async () => {
  const out = path.join(dir, 'rollout.json');
  const lines: string[] = [];
  assert.equal(
    await main(['--cases', '300', '--incidents', '2', '--out', out], (line) =>
      lines.push(line)
    ),
    0
  );
  const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
  const r = result.rollout;
  assert.equal(result.cases, 300);
  assert.equal(r.failures, 0);
  // The scenario closes every case but each 17th (closed before the rollout).
  const open = 300 - Math.floor(300 / 17);
  assert.equal(r.casesClosed, open);
  assert.equal(r.records.Case, open);
  assert.equal(r.records.ChangeRequest, 1);
  assert.equal(r.records.BroadcastCommunication, 2);
  assert.equal(
    r.floor,
    Object.values(r.records).reduce((sum, n) => sum + Math.ceil(n / 200), 0)
  );
  assert.equal(r.byEndpoint['POST composite'], Math.ceil(open / 200));
  assert.equal(
    r.writeRatio,
    Math.round((r.writeCalls / r.floor) * 1000) / 1000
  );
  assert.equal(result.rerun.writeCalls, 0);
  assert.equal(result.naive.calls, result.naive.measuredCases * 2);
  assert.equal(
    result.naive.projectedCalls,
    Object.values(r.records).reduce((a, b) => a + b, 0)
  );
  for (const value of [
    r.wallMs,
    r.readCalls,
    result.naive.projectedWallMs,
    result.speedup
  ])
    assert.ok(Number.isFinite(value) && value >= 0);
  assert.ok(lines.some((l) => l.startsWith('300 cases, 2 incidents:')));
});
