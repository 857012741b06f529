/** Bulk API 2.0 result files must survive values that jsforce's CSV reader treats as separators. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../test-org.ts';

// csv-stringify quotes a value with a comma or a quote on its own; these have neither.
const AWKWARD = [
  'Outage; call back',
  'Escalate | now ^ `please`',
  'Tab\tseparated'
];

describe('Bulk API 2.0 result CSVs', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg();
  });
  after(async () => {
    await t.dispose();
  });

  it('round-trips separators, quotes and tabs through load results and query jobs', async () => {
    const input = AWKWARD.map((description, i) => ({
      Subject: `Awkward ${String(i)}`,
      Description: description
    }));
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(results.failedResults.length, 0);
    // jsforce types result rows loosely; read them as the CSV's string columns.
    const loaded = results.successfulResults as unknown as Record<
      string,
      string
    >[];
    assert.deepEqual(
      loaded.map((row) => row.Description),
      AWKWARD
    );
    for (const row of loaded) assert.match(row.sf__Id ?? '', /^500/);

    const stream = await t.conn.bulk2.query(
      "SELECT Id, Subject, Description FROM Case WHERE Subject LIKE 'Awkward %' ORDER BY Subject",
      { pollInterval: 20, pollTimeout: 10000 }
    );
    const rows = (await stream.toArray()) as Record<string, string>[];
    assert.deepEqual(
      rows.map((row) => row.Description),
      AWKWARD
    );
  });
});
