/** Fault injection: rule validation, and UNABLE_TO_LOCK_ROW per record in collections. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultInjector } from './faults.ts';
import { raw, startTestOrg } from './test-org.ts';

const V = '/services/data/v64.0';

interface SaveResult {
  id: string | null;
  success: boolean;
  errors: { statusCode: string }[];
}

function outcomes(results: SaveResult[]): string[] {
  return results.map((r) =>
    r.success ? 'ok' : (r.errors[0]?.statusCode ?? '?')
  );
}

describe('FaultInjector', () => {
  it('picks per-record lock failures only for collection writes', () => {
    const faults = new FaultInjector({
      rules: [
        {
          endpoint: '*',
          kind: 'UNABLE_TO_LOCK_ROW',
          calls: [1],
          records: [2, 3]
        }
      ]
    });
    assert.deepEqual(faults.pick('collections.update', 1), {
      kind: 'UNABLE_TO_LOCK_ROW',
      lockedRecords: [1, 2]
    });
    assert.deepEqual(faults.pick('sobject.update', 1), {
      kind: 'UNABLE_TO_LOCK_ROW'
    });
    assert.equal(faults.pick('collections.update', 2), undefined);
  });

  it('rejects per-record rules that the platform has no form for', () => {
    assert.throws(
      () =>
        new FaultInjector({
          rules: [
            {
              endpoint: 'collections.create',
              kind: 'SERVER_UNAVAILABLE',
              records: [1]
            }
          ]
        }),
      /rules\[0\]\.records: applies to UNABLE_TO_LOCK_ROW only/
    );
    assert.throws(
      () =>
        new FaultInjector({
          rules: [
            {
              endpoint: 'sobject.create',
              kind: 'UNABLE_TO_LOCK_ROW',
              records: [1]
            }
          ]
        }),
      /rules\[0\]\.records: applies to collection writes only/
    );
    assert.throws(
      () =>
        new FaultInjector({
          rules: [
            {
              endpoint: 'collections.create',
              kind: 'UNABLE_TO_LOCK_ROW',
              records: [0]
            }
          ]
        }),
      /rules\[0\]\.records\[0\]: must be a whole number of 1 or more \(1-based batch positions\)/
    );
  });
});

describe('UNABLE_TO_LOCK_ROW in sObject Collections', () => {
  it('fails only the locked records in a 200 response, or rolls back under allOrNone', async () => {
    const t = await startTestOrg({
      dbPath: ':memory:',
      faults: {
        rules: [
          {
            endpoint: 'collections.create',
            kind: 'UNABLE_TO_LOCK_ROW',
            calls: [1, 2],
            records: [2]
          },
          {
            endpoint: 'collections.update',
            kind: 'UNABLE_TO_LOCK_ROW',
            calls: [1]
          }
        ]
      }
    });
    try {
      const create = (
        names: string[],
        allOrNone: boolean
      ): Promise<SaveResult[]> =>
        t.conn.sobject('Account').create(
          names.map((Name) => ({ Name })),
          { allOrNone }
        ) as Promise<SaveResult[]>;

      const partial = await create(['Lock A', 'Lock B', 'Lock C'], false);
      assert.deepEqual(outcomes(partial), ['ok', 'UNABLE_TO_LOCK_ROW', 'ok']);
      const atomic = await create(['Lock D', 'Lock E'], true);
      assert.deepEqual(outcomes(atomic), [
        'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        'UNABLE_TO_LOCK_ROW'
      ]);
      const clean = await create(['Lock F', 'Lock G'], false);
      assert.deepEqual(outcomes(clean), ['ok', 'ok']);
      const saved = await t.conn.query<{ Name: string }>(
        "SELECT Name FROM Account WHERE Name LIKE 'Lock %' ORDER BY Name"
      );
      assert.deepEqual(
        saved.records.map((r) => r.Name),
        ['Lock A', 'Lock C', 'Lock F', 'Lock G']
      );

      // Without `records` the fault keeps its call-level form: 400 for the whole call.
      const ids = clean.map((r) => r.id ?? '');
      const update = await raw(
        t.org,
        'PATCH',
        `${V}/composite/sobjects`,
        JSON.stringify({
          records: ids.map((Id) => ({
            attributes: { type: 'Account' },
            Id,
            Name: 'Renamed'
          }))
        }),
        { 'content-type': 'application/json' }
      );
      assert.equal(update.status, 400);
      assert.equal(
        (update.body as { errorCode: string }[])[0]?.errorCode,
        'UNABLE_TO_LOCK_ROW'
      );
      assert.equal(t.org.counters.get('collections.create'), 3);
    } finally {
      await t.dispose();
    }
  });
});
