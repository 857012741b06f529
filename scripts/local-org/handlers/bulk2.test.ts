/** Bulk API 2.0 result files must survive values that jsforce's CSV reader treats as separators. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../test-org.ts';

const AWKWARD = 'Outage; call back, then | escalate ^ `now`\tplease "twice"';

describe('Bulk API 2.0 result CSVs', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg();
  });
  after(async () => {
    await t.dispose();
  });

  it('round-trips separators, quotes and tabs through load results and query jobs', async () => {
    const input = Array.from({ length: 3 }, (_, i) => ({
      Subject: `Awkward ${String(i)}`,
      Description: AWKWARD
    }));
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(results.successfulResults.length, 3);
    assert.equal(results.failedResults.length, 0);
    for (const row of results.successfulResults) {
      assert.equal(row.Description, AWKWARD);
      assert.match(String(row.sf__Id), /^500/);
    }

    const stream = await t.conn.bulk2.query(
      "SELECT Id, Subject, Description FROM Case WHERE Subject LIKE 'Awkward %'",
      { pollInterval: 20, pollTimeout: 10000 }
    );
    const rows = (await stream.toArray()) as Record<string, string>[];
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal(row.Description, AWKWARD);
  });
});
