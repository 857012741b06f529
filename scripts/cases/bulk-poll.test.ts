/**
 * The Bulk API 2.0 status-poll schedule of bulkUpsert (bulk.ts): the first wait is FIRST_POLL_MS
 * and each next one doubles up to pollMs. The waits are observed, never timed: setTimeout is
 * wrapped for the test, records the delay when the frame calling it is bulk.ts's, and fires at
 * once, so the test neither waits nor depends on the machine's speed. bulk.ts needs no seam.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient, type OrgConnection } from '../org-client/index.ts';
import { bulkUpsert, FIRST_POLL_MS } from './bulk.ts';
import { clientOf } from './test-orgs.ts';

const realSetTimeout = globalThis.setTimeout;

/** Records the waits bulk.ts starts during the test; they fire at once. Others run as asked. */
function observeBulkWaits(t: TestContext): number[] {
  const waits: number[] = [];
  t.mock.method(
    globalThis,
    'setTimeout',
    (
      callback: (...args: unknown[]) => void,
      ms?: number,
      ...args: unknown[]
    ): ReturnType<typeof setTimeout> => {
      // The frame that called setTimeout (after 'Error', this function and the mock's own
      // node:internal frame): bulk.ts's sleep, not a timer of jsforce or the local org started
      // further down a call bulk.ts made.
      const caller = (new Error().stack ?? '')
        .split('\n')
        .slice(2)
        .find((frame) => !frame.includes('node:internal'));
      if (!/[\\/]cases[\\/]bulk\.ts:/.test(caller ?? ''))
        return realSetTimeout(callback, ms, ...args);
      waits.push(ms ?? 0);
      return realSetTimeout(callback, 0, ...args);
    }
  );
  return waits;
}

interface Request {
  method: string;
  url: string;
}

/**
 * A connection whose Bulk API answers are scripted: the job stays InProgress for `busyPolls`
 * status reads, then completes (or never, with Infinity). Requests go through `_transport`, as
 * jsforce's do, so the client counts them.
 */
function scriptedConnection(busyPolls: number): {
  conn: OrgConnection;
  requests: Request[];
} {
  const requests: Request[] = [];
  let statusReads = 0;
  const answer = (req: Request): unknown => {
    requests.push(req);
    if (req.method === 'GET' && req.url.endsWith('/jobs/ingest/750x')) {
      statusReads++;
      return {
        id: '750x',
        state: statusReads > busyPolls ? 'JobComplete' : 'InProgress'
      };
    }
    if (req.url.endsWith('/successfulResults'))
      return [{ sf__Id: '500x', sf__Created: 'true', Key__c: 'k1' }];
    if (req.url.endsWith('/failedResults')) return '';
    if (req.method === 'PATCH') return { id: '750x', state: 'UploadComplete' };
    return { id: '750x', state: 'Open' };
  };
  const conn: OrgConnection = {
    version: '64.0',
    _transport: {
      httpRequest: (req: { method?: string; url?: string }) =>
        Promise.resolve(
          answer({ method: req.method ?? 'GET', url: req.url ?? '' })
        )
    },
    request<R>(req: { method: string; url: string }): PromiseLike<R> {
      return conn._transport.httpRequest(req) as PromiseLike<R>;
    },
    metadata: {
      upsert: () => Promise.reject(new Error('not used'))
    }
  };
  return { conn, requests };
}

const upsertOne = (
  client: OrgClient,
  options: { pollMs?: number; timeoutMs?: number } = {}
) =>
  bulkUpsert(
    client,
    'Case',
    'Key__c',
    ['Key__c', 'Subject'],
    [{ Key__c: 'k1', Subject: 'One' }],
    options
  );

test('a job busy for five polls: waits of 25, 50, 100, then 200 ms (the default pollMs)', async (t) => {
  const waits = observeBulkWaits(t);
  const { conn, requests } = scriptedConnection(5);
  const result = await upsertOne(new OrgClient(conn));
  assert.deepEqual(waits, [FIRST_POLL_MS, 50, 100, 200, 200, 200]);
  assert.equal(result.polls, 6);
  const statusReads = requests.filter(
    (r) => r.method === 'GET' && r.url.endsWith('/750x')
  ).length;
  assert.equal(statusReads, 6, 'one status read after each wait');
  // create, upload, close and the two result reads; the polls are counted apart.
  assert.equal(result.calls, 5);
  assert.deepEqual(result.rows, [
    { key: 'k1', id: '500x', created: true, error: null }
  ]);
});

test('pollMs caps the doubling, and a cap below the first wait is the first wait too', async (t) => {
  const waits = observeBulkWaits(t);
  await upsertOne(new OrgClient(scriptedConnection(3).conn), { pollMs: 60 });
  assert.deepEqual(waits, [25, 50, 60, 60]);
  waits.length = 0;
  await upsertOne(new OrgClient(scriptedConnection(2).conn), { pollMs: 10 });
  assert.deepEqual(waits, [10, 10, 10]);
});

test('a job that never finishes is given up after timeoutMs, naming the job and its state', async (t) => {
  const waits = observeBulkWaits(t);
  await assert.rejects(
    upsertOne(new OrgClient(scriptedConnection(Infinity).conn), {
      timeoutMs: 5
    }),
    /Bulk job 750x for Case did not finish in time \(state InProgress\)/
  );
  assert.ok(waits.length >= 1);
  assert.ok(
    waits.every((ms, i) => ms === Math.min(FIRST_POLL_MS * 2 ** i, 200)),
    String(waits)
  );
});

void describe('against a local org', () => {
  let org: TestOrg;
  before(async () => {
    org = await startTestOrg();
  });
  after(async () => {
    await org.dispose();
  });

  test('through jsforce against the local org: the first status read after 25 ms, one wait per poll', async (t) => {
    const waits = observeBulkWaits(t);
    const result = await bulkUpsert(
      clientOf(org),
      'Case',
      'Source_Case_Key__c',
      ['Source_Case_Key__c', 'Subject'],
      [
        { Source_Case_Key__c: '00Dpoll:1', Subject: 'Poll one' },
        { Source_Case_Key__c: '00Dpoll:2', Subject: 'Poll two' }
      ]
    );
    // The local org finishes a job when it is closed, so one poll after the first, short wait
    // is all it takes today; were it to take longer, the waits would follow the schedule.
    assert.ok(result.polls >= 1);
    assert.deepEqual(
      waits,
      Array.from({ length: result.polls }, (_, i) =>
        Math.min(FIRST_POLL_MS * 2 ** i, 200)
      )
    );
    assert.deepEqual(
      result.rows.map((r) => [r.key, r.created, r.error]).sort(),
      [
        ['00Dpoll:1', true, null],
        ['00Dpoll:2', true, null]
      ]
    );
  });
});
