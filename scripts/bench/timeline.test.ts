/** The timeline benchmark at a small size: every figure present, the counts checked. No timing assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  afterSaveDmlStatements,
  apexDmlStatements,
  DEFAULT_OUT,
  DEFAULT_RECORDS,
  main,
  parseBenchArgs,
  UsageError,
  type TimelineBenchResult
} from './timeline.ts';

const RECORDS = 4;

describe('timeline benchmark', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-timeline-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`runs at ${String(RECORDS)} records and writes every figure`, async () => {
    const out = path.join(dir, 'nested', 'timeline.json');
    const lines: string[] = [];
    const code = await main(
      ['--records', String(RECORDS), '--out', out],
      (line) => lines.push(line)
    );
    assert.equal(code, 0, lines.join('\n'));
    const result = JSON.parse(readFileSync(out, 'utf8')) as TimelineBenchResult;
    assert.equal(result.records, RECORDS);
    // Status, Severity, UrgencyImpact, Owner, acknowledged, SlaMet; then Severity,
    // UrgencyImpact, Owner; then Status, mitigated, resolved, SlaMet.
    assert.deepEqual(
      result.saves.map((save) => [
        save.events,
        save.eventStatements,
        save.metGoal
      ]),
      [
        [6 * RECORDS, 1, true],
        [3 * RECORDS, 1, true],
        [4 * RECORDS, 1, true]
      ]
    );
    assert.equal(result.perRecordBaseline.calls, RECORDS);
    assert.equal(result.perRecordBaseline.eventStatements, RECORDS);
    assert.equal(result.perRecordBaseline.events, 6 * RECORDS);
    assert.equal(result.apex.dmlStatementsPerSave, 1);
    for (const save of result.saves)
      assert.ok(Number.isFinite(save.wallMs) && save.wallMs >= 0);
  });

  it('follows the after-save path only: a DML of another entry point is not counted', () => {
    const source = [
      'public with sharing class Events {',
      '  public static void recordChanges(List<Incident> rows) {',
      '    List<Incident_Event__c> events = build(rows);',
      '    write(events);',
      '  }',
      '  private static void write(List<Incident_Event__c> events) {',
      '    if (events.isEmpty()) {',
      '      return;',
      '    }',
      '    Database.insert(events, false);',
      '  }',
      '  public static void record(List<Incident_Event__c> events) {',
      '    Database.upsert(events, Incident_Event__c.Event_Key__c, true);',
      '  }',
      '}'
    ].join('\n');
    assert.deepEqual(afterSaveDmlStatements(source), ['Database.insert(']);
    assert.deepEqual(afterSaveDmlStatements(source, 'record'), [
      'Database.upsert('
    ]);
  });

  it('reads the DML statements of Apex source', () => {
    assert.deepEqual(
      apexDmlStatements(
        'Database.upsert(events, F, true);\n    insert as system rows;\n// update x in a comment\nupdate records;'
      ),
      ['Database.upsert(', 'insert as system rows', 'update records']
    );
  });

  it('checks its flags', () => {
    assert.deepEqual(parseBenchArgs([]), {
      records: DEFAULT_RECORDS,
      out: DEFAULT_OUT
    });
    assert.throws(() => parseBenchArgs(['--records', '201']), UsageError);
    assert.throws(() => parseBenchArgs(['--records', 'many']), UsageError);
    assert.throws(() => parseBenchArgs(['--nope']), UsageError);
  });
});
