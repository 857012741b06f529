/** The local-org benchmark at a tiny size: every measurement present and the data verified. No timing assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { caseRecord, caseRows } from './case-rows.ts';
import {
  DEFAULT_OUT,
  DEFAULT_RECORDS,
  DEFAULT_SCALE_SIZES,
  main,
  parseBenchArgs,
  UsageError,
  type BenchResult
} from './local-org.ts';

const RECORDS = 500;

function assertNumber(value: unknown, what: string): void {
  assert.equal(typeof value, 'number', `${what} is not a number`);
  assert.ok(
    Number.isFinite(value) && (value as number) >= 0,
    `${what} is ${String(value)}`
  );
}

function assertPhase(
  phase: {
    wallMs: number;
    rowsPerSecond: number;
    peakRssMb: number;
    maxRssMb: number;
  },
  what: string
): void {
  for (const key of [
    'wallMs',
    'rowsPerSecond',
    'peakRssMb',
    'maxRssMb'
  ] as const)
    assertNumber(phase[key], `${what}.${key}`);
  assert.ok(phase.peakRssMb > 0, `${what}.peakRssMb`);
}

describe('local-org benchmark', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`runs at ${String(RECORDS)} records and writes every measurement`, async () => {
    const out = path.join(dir, 'nested', 'local-org.json');
    const lines: string[] = [];
    const code = await main(
      // The scale cases at their smallest (a page is 2,000 records): correctness, not speed.
      [
        '--records',
        String(RECORDS),
        '--out',
        out,
        '--scale-sizes',
        '2000,2500'
      ],
      (line) => lines.push(line)
    );
    assert.equal(code, 0, lines.join('\n'));
    const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;

    assert.equal(result.benchmark, 'local-org');
    assert.equal(result.records, RECORDS);
    assert.ok(!Number.isNaN(Date.parse(result.date)));
    assert.equal(result.environment.node, process.version);
    assert.ok(result.environment.cpus >= 1);

    const scale = result.scale;
    assert.ok(scale, 'the scale cases ran');
    assert.deepEqual(
      scale.firstPage.map((c) => c.rows),
      [2000, 2500]
    );
    for (const c of [...scale.firstPage, ...scale.ingest]) {
      assert.ok(c.ms > 0, `scale case ${String(c.rows)} timed`);
      // Each case ran in its own org process, which at least holds the idle org.
      assert.ok(c.peakRssMb >= scale.idlePeakRssMb * 0.5);
    }
    assert.equal(typeof scale.goals.firstPageWithin2x, 'boolean');
    assert.equal(typeof scale.goals.queryMemoryRatio, 'number');

    assertPhase(result.raw, 'raw');
    assert.equal(result.raw.records, RECORDS);

    for (const [name, ingest] of [
      ['collections', result.collections],
      ['bulk2', result.bulk2]
    ] as const) {
      assertPhase(ingest, name);
      assert.equal(ingest.records, RECORDS);
      assert.equal(ingest.failures, 0);
      assertNumber(ingest.overheadVsRaw, `${name}.overheadVsRaw`);
      assert.equal(ingest.goal.maxOverhead, 10);
      assert.equal(ingest.goal.met, ingest.overheadVsRaw <= 10);
    }
    // 500 records are three collection calls of up to 200, counted by the org itself.
    assert.deepEqual(result.collections.httpCalls, {
      'collections.create': Math.ceil(RECORDS / 200)
    });
    assert.equal(result.collections.totalHttpCalls, 3);
    assert.equal(result.bulk2.httpCalls['bulk2.ingest.create'], 1);
    assert.ok(
      (result.bulk2.httpCalls['bulk2.ingest.upload'] ?? 0) >= 1,
      JSON.stringify(result.bulk2.httpCalls)
    );

    const query = result.query;
    assert.equal(query.rows, RECORDS);
    assert.equal(query.pageSize, 2000);
    assert.equal(query.jsforce.pages, 1);
    assert.equal(query.raw.pages, 1);
    for (const key of [
      'avgPageMs',
      'firstPageMs',
      'minPageMs',
      'maxPageMs',
      'totalMs'
    ] as const) {
      assertNumber(query.jsforce[key], `query.jsforce.${key}`);
      assertNumber(query.raw[key], `query.raw.${key}`);
    }
    assertNumber(query.overheadVsRaw, 'query.overheadVsRaw');
    assert.equal(query.goal.met, query.overheadVsRaw <= 10);

    const table = lines.join('\n');
    for (const label of [
      'raw better-sqlite3',
      'collections (jsforce)',
      'bulk 2.0 (jsforce)',
      'query page of 2000'
    ])
      assert.ok(table.includes(label), `table lacks ${label}`);
  });

  it('reads its flags and rejects bad ones with a usage error', () => {
    assert.deepEqual(parseBenchArgs([]), {
      records: DEFAULT_RECORDS,
      out: DEFAULT_OUT,
      scaleSizes: DEFAULT_SCALE_SIZES
    });
    assert.deepEqual(
      parseBenchArgs([
        '--records',
        '2000',
        '--out',
        'x.json',
        '--scale-sizes',
        '5000,20000'
      ]),
      { records: 2000, out: 'x.json', scaleSizes: [5000, 20000] }
    );
    for (const bad of [
      ['--records', '0'],
      ['--records', '1.5'],
      ['--records', 'many'],
      ['--records', '-3'],
      ['--bogus'],
      ['extra'],
      ['--out', ''],
      ['--scale-sizes', '1000'],
      ['--scale-sizes', '10000,lots']
    ])
      assert.throws(() => parseBenchArgs(bad), UsageError, bad.join(' '));
  });

  it('exits 2 on bad usage without running anything', async () => {
    assert.equal(await main(['--records', 'lots'], () => undefined), 2);
  });
});

describe('benchmark case rows', () => {
  it('are reproducible, realistic and uniquely keyed', () => {
    const rows = caseRows(300);
    assert.deepEqual(caseRows(300), rows);
    assert.equal(new Set(rows.map((r) => r.Source_Case_Key__c)).size, 300);
    for (const row of rows) {
      assert.ok(['New', 'Working', 'Escalated', 'Closed'].includes(row.Status));
      assert.ok(['High', 'Medium', 'Low'].includes(row.Priority));
      assert.ok(['Phone', 'Email', 'Web'].includes(row.Origin));
      assert.ok(
        row.Description.length >= 150 && row.Description.length <= 32000,
        String(row.Description.length)
      );
    }
    assert.equal(
      caseRecord(rows[0] ?? assert.fail('no row'), [
        '001A',
        '001B',
        '001C',
        '001D',
        '001E'
      ]).AccountId.startsWith('001'),
      true
    );
    assert.throws(
      () =>
        caseRecord({ ...(rows[0] ?? assert.fail('no row')), accountIndex: 9 }, [
          '001A'
        ]),
      RangeError
    );
  });
});
