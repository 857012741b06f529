/** The seed benchmark at a small size: every figure present, the data verified. No timing assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DEFAULT_MEMBERS,
  DEFAULT_OUT,
  main,
  parseBenchArgs,
  UsageError,
  type SeedBenchResult
} from './seed.ts';

const MEMBERS = 210;

describe('seed benchmark', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-seed-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`runs at ${String(MEMBERS)} members and writes every figure`, async () => {
    const out = path.join(dir, 'nested', 'seed.json');
    const lines: string[] = [];
    const code = await main(
      ['--members', String(MEMBERS), '--out', out],
      (line) => lines.push(line)
    );
    assert.equal(code, 0, lines.join('\n'));
    const result = JSON.parse(readFileSync(out, 'utf8')) as SeedBenchResult;
    assert.equal(result.members, MEMBERS);
    // 2 roster upserts + 1 metadata upsert + 8 reads: the seed spends exactly the floor.
    assert.deepEqual(result.floor, {
      rosterWrites: 2,
      metadataWrites: 1,
      fixedReads: 8,
      total: 11
    });
    assert.equal(result.seed.apiCalls, 11);
    assert.equal(result.seed.metGoal, true);
    assert.equal(result.rerun.writes, 0);
    assert.deepEqual(Object.keys(result.rerun.callsByEndpoint), ['GET query']);
    // One upsert per member beside the baseline's two reads.
    assert.equal(result.baseline.apiCalls, MEMBERS + 2);
    for (const phase of [result.seed, result.rerun, result.baseline])
      for (const key of [
        'wallMs',
        'cpuMs',
        'peakRssMb',
        'membersPerSecond'
      ] as const)
        assert.ok(Number.isFinite(phase[key]) && phase[key] >= 0, key);
    assert.ok(result.speedup > 0);
  });

  it('checks its flags', () => {
    assert.deepEqual(parseBenchArgs([]), {
      members: DEFAULT_MEMBERS,
      out: DEFAULT_OUT
    });
    assert.throws(() => parseBenchArgs(['--members', '0']), UsageError);
    assert.throws(() => parseBenchArgs(['--members', 'many']), UsageError);
    assert.throws(() => parseBenchArgs(['--rows', '5']), UsageError);
  });
});
