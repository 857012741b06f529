/** The cases benchmark at a small size: every figure present and consistent. No timing assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  DEFAULT_OUT,
  DEFAULT_SIZES,
  main,
  parseBenchArgs,
  UsageError,
  type BenchResult
} from './cases.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bench-cases-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('arguments: default sizes and file, and one clear error for bad sizes', () => {
  assert.deepEqual(parseBenchArgs([]), {
    sizes: DEFAULT_SIZES,
    out: DEFAULT_OUT
  });
  assert.deepEqual(parseBenchArgs(['--sizes', '200, 1000']).sizes, [200, 1000]);
  for (const bad of ['', '10', '1e3', 'abc', '100,-5'])
    assert.throws(
      () => parseBenchArgs(['--sizes', bad]),
      (e: Error) => e instanceof UsageError && e.message.startsWith('--sizes:')
    );
});

test('a run at 300 cases writes every figure, and the data adds up', async () => {
  const out = path.join(dir, 'cases.json');
  const lines: string[] = [];
  assert.equal(
    await main(['--sizes', '300', '--out', out], (line) => lines.push(line)),
    0
  );
  const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
  const [size] = result.sizes;
  assert.ok(size);
  assert.equal(size.cases, 300);
  assert.equal(size.link.linked, 300);
  assert.equal(size.link.floor, 2);
  assert.equal(size.detect.scanned, 300);
  assert.equal(size.detect.storms, 1);
  assert.equal(size.syncCollections.created, 300);
  assert.equal(size.syncCollections.checkpoints.writes, 1);
  // 300 cases: 2 case calls (the floor), then one call of accounts and the watermark.
  assert.equal(size.syncCollections.beyondCases.leastWrites, 2);
  assert.equal(size.syncCollections.beyondCases.writes, 2);
  assert.equal(size.syncBulk.created, 300);
  assert.equal(size.syncBulk.objects, 3);
  // The baseline ingests what the bulk sync wrote: every case and the accounts they need.
  assert.deepEqual(size.ownIngest.byObject, {
    accounts: size.syncCollections.beyondCases.accounts,
    contacts: size.syncCollections.beyondCases.contacts,
    cases: 300
  });
  assert.ok(size.ownIngest.byObject.accounts > 0);
  assert.equal(
    size.ownIngest.rows,
    300 + size.ownIngest.byObject.accounts + size.ownIngest.byObject.contacts
  );
  assert.equal(size.narrowIngest.rows, 300);
  assert.equal(size.syncVsIngest.goal.defaultPath, 'collections');
  assert.equal(size.naive.measuredRecords, 300);
  for (const value of [
    size.detect.msPer10k,
    size.detect.peakRssMb,
    size.syncVsIngest.ratioBulk,
    size.syncVsIngest.cpuRatioCollections,
    size.syncVsIngest.cpuRatioBulk,
    size.syncVsIngest.ratioBulkVsNarrow,
    size.naive.projectedWallMs
  ])
    assert.ok(Number.isFinite(value) && value >= 0);
  assert.ok(lines.some((l) => l.startsWith('300: link')));
});
