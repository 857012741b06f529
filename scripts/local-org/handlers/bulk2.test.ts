/**
 * Bulk API 2.0: result files survive values that jsforce's CSV reader treats as separators;
 * large uploads parse; a failed row is undone alone.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, get, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { AfterSaveHandler } from '../context.ts';
import { createRecord } from '../dml.ts';
import { ApiError, RecordError } from '../errors.ts';
import { makeId } from '../ids.ts';
import { queueForSave } from '../save-batch.ts';
import { startTestOrg, type TestOrg } from '../test-org.ts';
import { uploadedRows } from './bulk2.ts';

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

describe('Bulk API 2.0 uploads', () => {
  it('reads every row of uploads larger than a spread argument list can hold', () => {
    const rows = 130_000;
    const upload = (from: number): string =>
      `Subject,Origin\n${Array.from({ length: rows }, (_, i) => `Case ${String(from + i)},Web`).join('\n')}\n`;
    const read = uploadedRows([upload(0), upload(rows)]);
    assert.deepEqual(read.header, ['Subject', 'Origin']);
    assert.equal(read.rows.length, 2 * rows);
    assert.deepEqual(read.rows.at(-1), [`Case ${String(2 * rows - 1)}`, 'Web']);
  });

  it('rejects uploads whose headers differ', () => {
    assert.throws(
      () => uploadedRows(['Subject\nA\n', 'Origin\nWeb\n']),
      (error: unknown) =>
        error instanceof ApiError && error.errorCode === 'INVALIDBATCH'
    );
  });
});

describe('Bulk API 2.0 ingest atomicity', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  it('undoes a failed row alone: its neighbours load, and it leaves no gap in the case numbers', async () => {
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      // jsforce takes the CSV header from the first record; an empty cell leaves a field unset.
      input: [
        { Subject: 'before', AccountId: '' },
        // A well-formed id of no account: fails after the row drew its numbers.
        { Subject: 'bad', AccountId: makeId('001', 999_999) },
        { Subject: 'after', AccountId: '' }
      ],
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(results.failedResults.length, 1);
    assert.match(
      String(results.failedResults[0]?.sf__Error),
      /^INVALID_CROSS_REFERENCE_KEY/
    );
    const cases = await t.conn.query<{ Subject: string; CaseNumber: string }>(
      'SELECT Subject, CaseNumber FROM Case ORDER BY CaseNumber'
    );
    assert.deepEqual(
      cases.records.map((r) => r.Subject),
      ['before', 'after']
    );
    const [first, second] = cases.records.map((r) => Number(r.CaseNumber));
    assert.equal(second, (first ?? 0) + 1);
  });
});

describe('Bulk API 2.0 upload connections', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg();
  });
  after(async () => {
    await t.dispose();
  });

  // jsforce serialises a large load (100,000 cases: several seconds with the event loop
  // busy) and then sends its PUT of the job data on the connection its last request left
  // open. Node's default 5 s keep-alive had closed that connection meanwhile: the PUT failed
  // on it, and jsforce's retry of the already-read upload stream surfaced as "Response body
  // object should not be disturbed or locked". The org keeps idle connections for minutes.
  it('keeps an idle connection open past 5 s and says how long in Keep-Alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await new Promise<IncomingMessage>((resolve, reject) => {
        get(`${t.org.instanceUrl}/services/data/`, { agent }, resolve).on(
          'error',
          reject
        );
      });
      // The agent takes the socket back once the response ends.
      const socket = first.socket;
      first.resume();
      await once(first, 'end');
      const timeout = /timeout=(\d+)/.exec(
        String(first.headers['keep-alive'])
      )?.[1];
      assert.ok(Number(timeout) >= 60, `Keep-Alive: ${String(timeout)}`);
      let closed = false;
      socket.once('close', () => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      assert.equal(closed, false, 'the org closed an idle connection');
    } finally {
      agent.destroy();
    }
  });
});

describe('Bulk API 2.0 ingest in chunks', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  // 4,500 rows of 400-character descriptions: an upload of about 2 MB (stored as several
  // pieces, a quoted comma and line break among them) written in three transactions.
  it('loads every row of an upload spanning several pieces and chunks, in order, failing the bad row alone', async () => {
    const input = Array.from({ length: 4_500 }, (_, i) => ({
      Subject: `Chunk ${String(i).padStart(4, '0')}`,
      Description: `${'x'.repeat(390)}, "line"\nend ${String(i)}`,
      AccountId: i === 3_100 ? makeId('001', 999_999) : ''
    }));
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 60000
    });
    const ok = results.successfulResults as unknown as Record<string, string>[];
    const failed = results.failedResults as unknown as Record<string, string>[];
    assert.equal(ok.length, 4_499);
    assert.deepEqual(
      failed.map((row) => row.Subject),
      ['Chunk 3100']
    );
    assert.match(
      failed[0]?.sf__Error ?? '',
      /^INVALID_CROSS_REFERENCE_KEY.* --$/
    );
    assert.deepEqual(
      ok.map((row) => row.Subject),
      input.map((row) => row.Subject).filter((s) => s !== 'Chunk 3100')
    );
    assert.equal(ok[4_000]?.Description, input[4_001]?.Description);
    const count = await t.conn.query('SELECT COUNT() FROM Case');
    assert.equal(count.totalSize, 4_499);
  });

  it('fails a job whose CSV breaks after the first chunk, writing none of its rows', async () => {
    const rows = Array.from(
      { length: 2_500 },
      (_, i) => `Broken ${String(i)},fine`
    );
    const job = t.conn.bulk2.createJob({ object: 'Case', operation: 'insert' });
    await job.open();
    await job.uploadData(
      `Subject,Description\n${rows.join('\n')}\nlast,"never closed\n`
    );
    await job.close();
    await assert.rejects(job.poll(20, 10000), /CSV: /);
    const count = await t.conn.query(
      "SELECT COUNT() FROM Case WHERE Subject LIKE 'Broken %'"
    );
    assert.equal(count.totalSize, 0);
  });
});

/**
 * A chunk reads its lookups and upsert keys ahead and hands out ids in memory (write-scope.ts):
 * what a client sees must be what row-by-row reads and stored sequences gave.
 */
describe('Bulk API 2.0 chunks read ahead', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  type ResultRow = Record<string, string>;
  const load = async (
    operation: 'insert' | 'upsert',
    input: Record<string, string>[]
  ): Promise<{ ok: ResultRow[]; failed: ResultRow[] }> => {
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation,
      ...(operation === 'upsert'
        ? { externalIdFieldName: 'Source_Case_Key__c' }
        : {}),
      input,
      pollInterval: 20,
      pollTimeout: 10000
    });
    return {
      ok: results.successfulResults as unknown as ResultRow[],
      failed: results.failedResults as unknown as ResultRow[]
    };
  };

  it('matches upsert keys as the platform does: case-insensitive in ASCII only, a key written earlier in the job found again', async () => {
    const before = await t.conn
      .sobject('Case')
      .create({ Subject: 'before the job', Source_Case_Key__c: 'pre-É' });
    const { ok, failed } = await load('upsert', [
      { Source_Case_Key__c: 'SYNC-1', Subject: 'first' },
      { Source_Case_Key__c: 'sync-1', Subject: 'same key, other case' },
      { Source_Case_Key__c: 'pre-É', Subject: 'the existing case' },
      { Source_Case_Key__c: 'pre-é', Subject: 'not the same key (not ASCII)' }
    ]);
    assert.deepEqual(failed, []);
    assert.deepEqual(
      ok.map((row) => row.sf__Created),
      ['true', 'false', 'false', 'true']
    );
    assert.equal(ok[1]?.sf__Id, ok[0]?.sf__Id);
    assert.equal(ok[2]?.sf__Id, before.id);
    assert.notEqual(ok[3]?.sf__Id, before.id);
    const stored = await t.conn.sobject('Case').retrieve(ok[0]?.sf__Id ?? '');
    assert.equal(stored.Subject, 'same key, other case');
  });

  it('checks each lookup against the records as they are: a deleted account fails its row alone, a live one named twice passes', async () => {
    const [live, gone] = await t.conn
      .sobject('Account')
      .create([{ Name: 'Live' }, { Name: 'Gone' }], { allOrNone: true });
    await t.conn.sobject('Account').destroy(gone?.id ?? '');
    const { ok, failed } = await load('insert', [
      { Subject: 'live 1', AccountId: live?.id ?? '' },
      { Subject: 'gone', AccountId: gone?.id ?? '' },
      { Subject: 'live 2', AccountId: live?.id ?? '' }
    ]);
    assert.deepEqual(
      ok.map((row) => row.Subject),
      ['live 1', 'live 2']
    );
    assert.deepEqual(
      failed.map((row) => row.sf__Error),
      ['INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:AccountId --']
    );
  });

  it('hands a failed row its ids to the next row and stores the sequences for the calls after the job', async () => {
    const { ok, failed } = await load('insert', [
      { Subject: 'one', AccountId: '' },
      { Subject: 'bad', AccountId: makeId('001', 999_998) },
      { Subject: 'two', AccountId: '' }
    ]);
    assert.equal(failed.length, 1);
    const [one, two] = ok.map((row) => row.sf__Id ?? '');
    const after = await t.conn.sobject('Case').create({ Subject: 'three' });
    const numbered = await t.conn.query<{ Id: string; CaseNumber: string }>(
      `SELECT Id, CaseNumber FROM Case WHERE Id IN ('${String(one)}', '${String(two)}', '${String(after.id)}') ORDER BY CaseNumber`
    );
    assert.deepEqual(
      numbered.records.map((r) => r.Id),
      [one, two, after.id]
    );
    const numbers = numbered.records.map((r) => Number(r.CaseNumber));
    assert.deepEqual(numbers, [
      numbers[0],
      (numbers[0] ?? 0) + 1,
      (numbers[0] ?? 0) + 2
    ]);
    // Ids are numbered per key prefix: the bad row's id went to the next row, and on.
    const BASE62 =
      '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const sequence = (id: string | undefined): number => {
      let n = 0;
      for (let at = 6; at < 15; at++)
        n = n * 62 + BASE62.indexOf((id ?? '').charAt(at));
      return n;
    };
    assert.equal(sequence(two), sequence(one) + 1);
    assert.equal(sequence(after.id), sequence(one) + 2);
  });
});

/**
 * The platform runs triggers on a Bulk job's rows 200 at a time: the after-save automation
 * writes what those rows derive at once, and a row whose automation fails fails alone.
 */
describe('Bulk API 2.0 rows saved 200 at a time', () => {
  let t: TestOrg;
  /** The subjects of each flush of the test handler's queue, in order. */
  const flushes: string[][] = [];
  /** After-save: each new case queues a task; the case 'boom' makes the flush fail. */
  const taskPerCase: AfterSaveHandler = (ctx, object, row, before) => {
    if (object.name !== 'Case' || before) return;
    queueForSave(ctx, 'test tasks', [String(row.Subject)], (subjects) => {
      flushes.push(subjects);
      for (const subject of subjects) {
        createRecord(ctx, 'Task', { Subject: `for ${subject}` });
        if (subject === 'boom')
          throw new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'no boom');
      }
    });
  };
  before(async () => {
    t = await startTestOrg({
      dbPath: ':memory:',
      saveHandlers: { afterSave: [taskPerCase], beforeDelete: [] }
    });
  });
  after(async () => {
    await t.dispose();
  });

  it('flushes the automation once per 200 rows, and on a failed flush saves those rows one by one so only the failing row fails', async () => {
    const input = Array.from({ length: 250 }, (_, i) => ({
      Subject: i === 5 ? 'boom' : `Case ${String(i)}`
    }));
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 10000
    });
    const failed = results.failedResults as unknown as Record<string, string>[];
    assert.deepEqual(
      failed.map((row) => [row.Subject, row.sf__Error]),
      [['boom', 'FIELD_CUSTOM_VALIDATION_EXCEPTION:no boom --']]
    );
    assert.equal(results.successfulResults.length, 249);
    // The first 200 together (failed: once in one savepoint, once with a savepoint per row),
    // then each of them alone, then the last 50 together.
    assert.deepEqual(
      flushes.map((subjects) => subjects.length),
      [200, 200, ...Array.from({ length: 200 }, () => 1), 50]
    );
    // The failed flush's tasks were undone with it: one task per saved case.
    const tasks = await t.conn.query('SELECT COUNT() FROM Task');
    assert.equal(tasks.totalSize, 249);
    const cases = await t.conn.query('SELECT COUNT() FROM Case');
    assert.equal(cases.totalSize, 249);
  });
});
