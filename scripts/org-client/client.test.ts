/** The shared API client: retry policy, counting, and end to end against a local org injecting faults. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection as CoreConnection } from '@salesforce/core';
import type { Connection as JsforceConnection } from 'jsforce';
import { startTestOrg } from '../local-org/test-org.ts';
import {
  endpointOf,
  OrgClient,
  resultList,
  RetriesExhaustedError,
  type OrgConnection,
  type RetryEvent
} from './client.ts';
import { backoffDelay, transientKind } from './retry.ts';
import { soqlList } from './soql.ts';

const noSleep = (): Promise<void> => Promise.resolve();

/** A connection whose requests go through a counting-capable transport and a scripted answer. */
function fakeConnection(
  answer: (url: string, attempt: number) => unknown
): OrgConnection & { seen: { options?: object }[] } {
  const seen: { options?: object }[] = [];
  let attempt = 0;
  const conn: OrgConnection & { seen: typeof seen } = {
    version: '64.0',
    seen,
    _transport: {
      httpRequest(_req, options) {
        seen.push(options === undefined ? {} : { options });
        return undefined;
      }
    },
    request<R>(req: { method: string; url: string }): Promise<R> {
      conn._transport.httpRequest(req, {});
      attempt++;
      try {
        const value = answer(req.url, attempt);
        return Promise.resolve(value as R);
      } catch (error) {
        return Promise.reject(
          error instanceof Error ? error : new Error(String(error))
        );
      }
    },
    metadata: {
      upsert: () => Promise.resolve([])
    }
  };
  return conn;
}

function apiError(errorCode: string): Error {
  return Object.assign(new Error(`${errorCode}: failed`), {
    name: errorCode,
    errorCode
  });
}

describe('transientKind', () => {
  it('knows the platform codes, SOAP faults and dropped sockets, and nothing else', () => {
    assert.equal(transientKind(apiError('SERVER_UNAVAILABLE')), 'unavailable');
    assert.equal(transientKind(apiError('ERROR_HTTP_503')), 'unavailable');
    assert.equal(transientKind(apiError('UNABLE_TO_LOCK_ROW')), 'locked');
    assert.equal(transientKind(apiError('REQUEST_LIMIT_EXCEEDED')), 'limit');
    assert.equal(
      transientKind({ faultcode: 'sf:UNABLE_TO_LOCK_ROW', message: 'x' }),
      'locked'
    );
    assert.equal(
      transientKind(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), {
            code: 'UND_ERR_SOCKET'
          })
        })
      ),
      'dropped'
    );
    assert.equal(
      transientKind(Object.assign(new Error('read'), { code: 'ECONNRESET' })),
      'dropped'
    );
    assert.equal(transientKind(new Error('socket hang up')), 'dropped');
    assert.equal(transientKind(apiError('INVALID_FIELD')), undefined);
    assert.equal(transientKind(apiError('INVALID_SESSION_ID')), undefined);
    assert.equal(transientKind('SERVER_UNAVAILABLE'), undefined);
  });
});

describe('backoffDelay', () => {
  it('draws from 0 to a doubling ceiling, capped', () => {
    const policy = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    const top = (): number => 0.999999;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(policy, retry, top)),
      [99, 199, 399, 799, 999, 999]
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0),
      0
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0.5),
      200
    );
  });
});

describe('OrgClient', () => {
  it('counts every request, turns off jsforce retries, and retries reads with seeded backoff', async () => {
    const conn = fakeConnection((_url, attempt) => {
      if (attempt <= 2) throw apiError('SERVER_UNAVAILABLE');
      return { done: true, totalSize: 1, records: [{ Id: '001' }] };
    });
    const events: RetryEvent[] = [];
    const slept: number[] = [];
    const client = new OrgClient(conn, {
      retry: { baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
      onRetry: (event) => events.push(event)
    });
    const records = await client.queryAll<{ Id: string }>(
      'SELECT Id FROM Account'
    );
    assert.deepEqual(records, [{ Id: '001' }]);
    assert.equal(client.apiCalls, 3);
    assert.equal(client.retries, 2);
    assert.deepEqual(slept, [50, 100]);
    assert.deepEqual(
      events.map((e) => [e.kind, e.retry]),
      [
        ['unavailable', 1],
        ['unavailable', 2]
      ]
    );
    assert.deepEqual(conn.seen[0], { options: { retry: { maxRetries: 0 } } });
  });

  it('never retries a failure that is not transient', async () => {
    const conn = fakeConnection(() => {
      throw apiError('INVALID_FIELD');
    });
    const client = new OrgClient(conn, { sleep: noSleep });
    await assert.rejects(
      client.read('a read', () => conn.request({ method: 'GET', url: '/x' })),
      { errorCode: 'INVALID_FIELD' }
    );
    assert.equal(client.apiCalls, 1);
  });

  it('gives up after maxAttempts with the last failure as cause', async () => {
    const conn = fakeConnection(() => {
      throw apiError('UNABLE_TO_LOCK_ROW');
    });
    const client = new OrgClient(conn, {
      sleep: noSleep,
      retry: { maxAttempts: 3 }
    });
    await assert.rejects(
      client.read('locked read', () =>
        conn.request({ method: 'GET', url: '/x' })
      ),
      (error: unknown) => {
        assert.ok(error instanceof RetriesExhaustedError);
        assert.equal(error.attempts, 3);
        assert.match(
          error.message,
          /locked read: still failing after 3 attempts/
        );
        return true;
      }
    );
    assert.equal(client.apiCalls, 3);
  });

  it('retries a non-idempotent write only after a re-read says it did not land', async () => {
    let landed = false;
    const conn = fakeConnection((_url, attempt) => {
      if (attempt === 1) {
        landed = true; // the write reached the org, then the connection dropped
        throw Object.assign(new Error('socket hang up'), {
          code: 'ECONNRESET'
        });
      }
      return 'second write';
    });
    const client = new OrgClient(conn, { sleep: noSleep });
    const result = await client.write(
      'create',
      () => conn.request<string>({ method: 'POST', url: '/x' }),
      { reread: () => Promise.resolve(landed ? 'found by re-read' : undefined) }
    );
    assert.equal(result, 'found by re-read');
    assert.equal(client.apiCalls, 1);
  });
});

describe('endpointOf', () => {
  it('keeps the shape of the URL, not ids', () => {
    assert.equal(
      endpointOf('GET', 'http://h/services/data/v64.0/query?q=SELECT'),
      'GET query'
    );
    assert.equal(
      endpointOf(
        'PATCH',
        '//services/data/v64.0/composite/sobjects/X__c/Ext__c'
      ),
      'PATCH composite/sobjects'
    );
    assert.equal(
      endpointOf('POST', 'http://h/services/Soap/m/64.0'),
      'POST metadata'
    );
  });
});

describe('OrgClient against a local org injecting faults', () => {
  it('upserts through 503, a dropped connection and a per-record lock, counting each call', async () => {
    const t = await startTestOrg({
      dbPath: ':memory:',
      faults: {
        rules: [
          {
            endpoint: 'collections.upsert',
            kind: 'SERVER_UNAVAILABLE',
            calls: [1]
          },
          {
            endpoint: 'collections.upsert',
            kind: 'DROP_CONNECTION',
            calls: [2]
          },
          {
            endpoint: 'collections.upsert',
            kind: 'UNABLE_TO_LOCK_ROW',
            calls: [3],
            records: [2]
          },
          { endpoint: 'query', kind: 'REQUEST_LIMIT_EXCEEDED', calls: [1] }
        ]
      }
    });
    try {
      const client = new OrgClient(t.conn, { sleep: noSleep });
      const outcomes = await client.upsertRecords(
        'Incident_Roster_Member__c',
        'External_Id__c',
        ['a', 'b', 'c'].map((key) => ({
          External_Id__c: `client-${key}`,
          Name: key,
          Email__c: `${key}@client.example`,
          Role__c: 'Incident Owner'
        }))
      );
      assert.deepEqual(
        outcomes.map((o) => [o.success, o.created]),
        [
          [true, true],
          [true, true],
          [true, true]
        ]
      );
      assert.equal(t.org.counters.get('collections.upsert'), 4);
      const rows = await client.queryAll<{ External_Id__c: string }>(
        'SELECT External_Id__c FROM Incident_Roster_Member__c ORDER BY External_Id__c'
      );
      assert.deepEqual(
        rows.map((r) => r.External_Id__c),
        ['client-a', 'client-b', 'client-c']
      );
      assert.equal(client.apiCalls, 6);
      assert.deepEqual(client.callsByEndpoint, {
        'GET query': 2,
        'PATCH composite/sobjects': 4
      });
      assert.equal(client.retries, 4);
    } finally {
      await t.dispose();
    }
  });

  it('pages through query results, 200 records a write call', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const client = new OrgClient(t.conn, { sleep: noSleep });
      const records = Array.from({ length: 2100 }, (_, i) => ({
        External_Id__c: `page-${String(i).padStart(4, '0')}`,
        Name: `Member ${i}`,
        Email__c: `member-${i}@client.example`,
        Role__c: 'Technical Expert'
      }));
      const outcomes = await client.upsertRecords(
        'Incident_Roster_Member__c',
        'External_Id__c',
        records
      );
      assert.equal(outcomes.filter((o) => o.success).length, 2100);
      assert.equal(client.callsByEndpoint['PATCH composite/sobjects'], 11);
      const read = await client.queryAll<{ Id: string }>(
        'SELECT Id FROM Incident_Roster_Member__c'
      );
      assert.equal(read.length, 2100);
      assert.equal(client.callsByEndpoint['GET query'], 2);
    } finally {
      await t.dispose();
    }
  });

  it('upserts custom metadata through a 503 on the Metadata API', async () => {
    const t = await startTestOrg({
      dbPath: ':memory:',
      faults: {
        rules: [
          { endpoint: 'metadata', kind: 'SERVER_UNAVAILABLE', calls: [1] }
        ]
      }
    });
    try {
      const client = new OrgClient(t.conn, { sleep: noSleep });
      const outcomes = await client.upsertMetadata([
        {
          fullName: 'Incident_Sla_Policy.Severity_4',
          label: 'Severity 4',
          values: [
            { field: 'Severity__c', value: 4 },
            { field: 'Response_Minutes__c', value: 480 },
            { field: 'Resolution_Minutes__c', value: 20160 },
            { field: 'Warning_Percent__c', value: 75 }
          ]
        }
      ]);
      assert.deepEqual(outcomes, [
        {
          fullName: 'Incident_Sla_Policy.Severity_4',
          success: true,
          created: true,
          errors: []
        }
      ]);
      assert.equal(client.callsByEndpoint['POST metadata'], 2);
    } finally {
      await t.dispose();
    }
  });

  it('creates records once after a dropped connection: re-reads before sending again', async () => {
    const t = await startTestOrg({
      dbPath: ':memory:',
      faults: {
        rules: [
          {
            endpoint: 'collections.create',
            kind: 'DROP_CONNECTION',
            calls: [1]
          }
        ]
      }
    });
    try {
      const client = new OrgClient(t.conn, { sleep: noSleep });
      let rereads = 0;
      const outcomes = await client.createRecords(
        'Account',
        [{ Name: 'Drop A' }, { Name: 'Drop B' }],
        async (batch) => {
          rereads++;
          const found = await client.queryAll<{ Id: string; Name: string }>(
            "SELECT Id, Name FROM Account WHERE Name LIKE 'Drop %'"
          );
          return batch.map(
            (record) => found.find((f) => f.Name === record.Name)?.Id
          );
        }
      );
      assert.equal(rereads, 1);
      assert.ok(outcomes.every((o) => o.success && o.id));
      const count = await client.queryAll<{ Id: string }>(
        "SELECT Id FROM Account WHERE Name LIKE 'Drop %'"
      );
      assert.equal(count.length, 2);
    } finally {
      await t.dispose();
    }
  });
});

describe('resultList', () => {
  it('reads a list, one result, or a list jsforce turned into an object', () => {
    const one = { fullName: 'A.B', success: 'true' };
    const two = { fullName: 'A.C', success: 'true' };
    assert.deepEqual(resultList([one, two]), [one, two]);
    assert.deepEqual(resultList(one), [one]);
    assert.deepEqual(resultList({ 0: one, 1: two }), [one, two]);
  });
});

describe('soqlList', () => {
  it('quotes and escapes each value', () => {
    assert.equal(
      soqlList(["O'Brien", 'a\\b', 'plain']),
      "('O\\'Brien','a\\\\b','plain')"
    );
  });
});

describe('OrgConnection', () => {
  it('fits the connections of jsforce and of @salesforce/core (checked by tsc)', () => {
    const fromCore = (conn: CoreConnection): OrgConnection => conn;
    const fromJsforce = (conn: JsforceConnection): OrgConnection => conn;
    assert.equal(typeof fromCore, 'function');
    assert.equal(typeof fromJsforce, 'function');
  });
});
