/** writeEvents: the record it sends, and idempotence on a local org under injected faults. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';
import {
  cliUsername,
  clip,
  eventRecord,
  writeEvents,
  type TimelineEventInput
} from './events.ts';
import { idSetHash } from './keys.ts';

test('eventRecord maps every field, defaults visibility and clips the summary', () => {
  const record = eventRecord({
    incidentId: '0Ia000000000001AAA',
    type: 'CaseLinked',
    key: 'k1',
    occurredAt: '2026-03-01T10:00:00.000Z',
    summary: 'x'.repeat(300),
    payload: { count: 2, caseIds: ['a', 'b'] },
    source: 'CLI',
    actorName: 'release engineer'
  });
  assert.deepEqual(record, {
    Event_Key__c: 'k1',
    Incident__c: '0Ia000000000001AAA',
    Type__c: 'CaseLinked',
    Occurred_At__c: '2026-03-01T10:00:00.000Z',
    Summary__c: `${'x'.repeat(254)}…`,
    Source__c: 'CLI',
    Visibility__c: 'Internal',
    Payload__c: '{"count":2,"caseIds":["a","b"]}',
    Actor_Name__c: 'release engineer'
  });
  assert.equal(clip('short', 10), 'short');
  assert.equal(clip('0123456789', 10), '0123456789');
  assert.equal(clip('0123456789A', 10), '012345678…');
});

test('idSetHash ignores order and repeats, and tells sets apart', () => {
  assert.equal(idSetHash(['b', 'a', 'a']), idSetHash(['a', 'b']));
  assert.notEqual(idSetHash(['a', 'b']), idSetHash(['a', 'c']));
  assert.match(idSetHash([]), /^[0-9a-f]{32}$/);
});

test('the actor defaults to the sf username of a connection from the auth store', () => {
  assert.equal(
    cliUsername({ getUsername: () => 'release@example.com' }),
    'release@example.com'
  );
  assert.equal(cliUsername({ getUsername: () => undefined }), undefined);
  assert.equal(cliUsername({}), undefined);
});

test('no events, no calls', async () => {
  const calls: unknown[] = [];
  const conn = {
    version: '64.0',
    _transport: { httpRequest: (req: unknown) => calls.push(req) },
    request: () => Promise.reject(new Error('no call expected')),
    metadata: { upsert: () => Promise.reject(new Error('no call expected')) }
  };
  const result = await writeEvents(new OrgClient(conn), []);
  assert.deepEqual(result, {
    outcomes: [],
    created: 0,
    existing: 0,
    failed: [],
    apiCalls: 0
  });
  assert.equal(calls.length, 0);
});

let org: TestOrg;
let incidents: string[];

async function createIncidents(conn: Connection, n: number): Promise<string[]> {
  const saved = await conn.sobject('Incident').create(
    Array.from({ length: n }, (_, i) => ({
      Subject: `Events test ${i}`,
      Urgency: 'Medium',
      Impact: 'Medium'
    }))
  );
  return saved.map((s) => {
    assert.ok(s.success, JSON.stringify(s));
    return s.id;
  });
}

/** `n` notes spread over the incidents, keyed as the notes' T2 keys are. */
function notes(n: number, run: string): TimelineEventInput[] {
  return Array.from({ length: n }, (_, i) => {
    const incidentId = incidents[i % incidents.length] ?? '';
    return {
      incidentId,
      type: 'Note',
      key: `${incidentId}:Note:test-${i}`,
      occurredAt: new Date(Date.UTC(2026, 2, 1, 10, 0, i % 60)).toISOString(),
      summary: `Note ${i} (${run})`,
      payload: { index: i },
      source: 'CLI'
    };
  });
}

/** Notes in the org, read through a retrying client: the faults hit the test's reads too. */
async function noteCount(): Promise<number> {
  const result = await client().read('count notes', () =>
    org.conn.query(
      "SELECT COUNT() FROM Incident_Event__c WHERE Type__c = 'Note'"
    )
  );
  return result.totalSize;
}

const N = 1000;

before(async () => {
  org = await startTestOrg();
  incidents = await createIncidents(org.conn, 7);
  org.org.faults.configure({
    seed: 7,
    rules: [
      // 5 % of every call fails, half as a 503 and half as a dropped connection, and 5 % of
      // the upserts lose the row lock on three of their records; the first upsert and the
      // third always fail, so the run is sure to retry whatever the draws.
      { endpoint: '*', kind: 'SERVER_UNAVAILABLE', rate: 0.025 },
      { endpoint: '*', kind: 'DROP_CONNECTION', rate: 0.025 },
      {
        endpoint: 'collections.upsert',
        kind: 'UNABLE_TO_LOCK_ROW',
        rate: 0.05,
        records: [1, 7, 150]
      },
      { endpoint: 'collections.upsert', kind: 'DROP_CONNECTION', calls: [1] },
      {
        endpoint: 'collections.upsert',
        kind: 'UNABLE_TO_LOCK_ROW',
        calls: [3],
        records: [2, 200]
      }
    ]
  });
});
after(async () => {
  await org.dispose();
});

function client(): OrgClient {
  return new OrgClient(org.conn, { sleep: () => Promise.resolve() });
}

test(`${N} events under 5 % injected faults, then a rerun: exactly ${N} records`, async () => {
  const first = client();
  const result = await writeEvents(first, notes(N, 'first'));
  assert.deepEqual(result.failed, []);
  assert.equal(result.created, N);
  assert.ok(first.retries > 0, 'faults were injected and retried');
  // 200 a call: five upserts, plus the retries of the faulted ones.
  assert.equal(
    result.apiCalls,
    5 + first.retries,
    JSON.stringify(first.callsByEndpoint)
  );
  assert.equal(await noteCount(), N);

  const rerun = await writeEvents(client(), notes(N, 'first'));
  assert.deepEqual(rerun.failed, []);
  assert.equal(rerun.created, 0);
  assert.equal(rerun.existing, N);
  assert.equal(await noteCount(), N);
});

test('a rerun with other values for recorded keys keeps the first record and reports it as existing', async () => {
  const events = notes(3, 'changed').map((e) => ({
    ...e,
    occurredAt: '2026-04-01T00:00:00.000Z'
  }));
  const result = await writeEvents(client(), events);
  assert.deepEqual(result.failed, []);
  assert.equal(result.existing, 3);
  const stored = await client().queryAll<{ Summary__c: string }>(
    `SELECT Summary__c FROM Incident_Event__c WHERE Event_Key__c = '${events[0]?.key ?? ''}'`
  );
  assert.equal(stored[0]?.Summary__c, 'Note 0 (first)');
  assert.equal(await noteCount(), N);
});

test('one key twice in a call is one event; a refused event fails alone', async () => {
  const incidentId = incidents[0] ?? '';
  const event: TimelineEventInput = {
    incidentId,
    type: 'Note',
    key: `${incidentId}:Note:twice`,
    occurredAt: '2026-03-02T00:00:00.000Z',
    summary: 'Said twice',
    source: 'CLI'
  };
  const bad = {
    ...event,
    key: `${incidentId}:Note:bad`,
    // A value the restricted picklist refuses, as a caller's bug would send.
    source: 'Carrier Pigeon' as TimelineEventInput['source']
  };
  const result = await writeEvents(client(), [event, bad, { ...event }]);
  assert.equal(result.created, 1);
  assert.equal(result.outcomes.length, 3);
  assert.equal(result.outcomes[0]?.id, result.outcomes[2]?.id);
  assert.equal(result.failed.length, 1);
  assert.equal(result.failed[0]?.key, bad.key);
  assert.equal(result.outcomes[1]?.success, false);
  assert.equal(await noteCount(), N + 1);
});
