/**
 * Bulk API 2.0 bodies that are never held whole (issue #11, "Scale"): an upload is stored in
 * pieces as it arrives, and result files and query result pages are sent a page of lines at a
 * time. Through jsforce's bulk2, and raw HTTP where jsforce would hide what is checked
 * ("Upload Job Data", "Get Job Successful Record Results" and "Get Results for a Query Job" in
 * the Bulk API 2.0 Developer Guide: Sforce-Locator, Sforce-NumberOfRecords, maxRecords).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { raw, startTestOrg, type TestOrg } from '../test-org.ts';
import { PIECE_CHARS } from './bulk2-store.ts';

const V = '/services/data/v64.0';
const JSON_TYPE = { 'content-type': 'application/json' };

/** The stored pieces of every upload not yet processed, by spool. */
function storedPieces(t: TestOrg): { spool: number; chars: number }[] {
  return t.org.db
    .prepare(
      'SELECT spool, length(text) AS chars FROM bulk2.piece ORDER BY spool, seq'
    )
    .all() as { spool: number; chars: number }[];
}

async function openJob(t: TestOrg, object = 'Case'): Promise<string> {
  const job = await raw(
    t.org,
    'POST',
    `${V}/jobs/ingest`,
    JSON.stringify({ object, operation: 'insert' }),
    JSON_TYPE
  );
  return (job.body as { id: string }).id;
}

/** Sends a body in many small writes, as a client streaming a file does. */
function putInWrites(
  t: TestOrg,
  url: string,
  parts: readonly (string | Buffer)[]
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.org.instanceUrl}${url}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${t.org.accessToken}`,
          'content-type': 'text/csv'
        }
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      }
    );
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

describe('Bulk API 2.0 uploads stored as they arrive', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  it('stores an upload in bounded pieces, multi-byte characters cut between writes intact, and loads it', async () => {
    const id = await openJob(t);
    // About 2.6 million characters: three pieces. Every row has characters of two, three and
    // four bytes; the body goes out in writes of 1,000 bytes, so many are cut mid-character.
    const rows = Array.from(
      { length: 6_000 },
      (_, i) =>
        `Größe ✓ ${String(i).padStart(5, '0')} 🌞,${'é'.repeat(400)} ${String(i)}`
    );
    const bytes = Buffer.from(`Subject,Description\n${rows.join('\n')}\n`);
    // Cut the bytes, not the string: a write may end inside a character.
    const cuts: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 1_000)
      cuts.push(bytes.subarray(at, at + 1_000));
    const status = await putInWrites(t, `${V}/jobs/ingest/${id}/batches`, cuts);
    assert.equal(status, 201);
    const pieces = storedPieces(t);
    assert.equal(pieces.length, 3);
    for (const piece of pieces) assert.ok(piece.chars <= PIECE_CHARS);

    const job = t.conn.bulk2.job('ingest', { id });
    await job.close();
    await job.poll(20, 60_000);
    const count = await t.conn.query(
      "SELECT COUNT() FROM Case WHERE Subject LIKE 'Größe ✓ %'"
    );
    assert.equal(count.totalSize, 6_000);
    const last = await t.conn.query<{ Subject: string; Description: string }>(
      "SELECT Subject, Description FROM Case WHERE Subject = 'Größe ✓ 05999 🌞'"
    );
    assert.equal(last.records[0]?.Description, `${'é'.repeat(400)} 5999`);
    // Processed uploads leave the store.
    assert.deepEqual(storedPieces(t), []);
  });

  it('never splits a character outside the BMP between pieces or parser slices', async () => {
    // Each row's emojis start at an odd position, so every even cut (a 1 MB piece, a 16 KB
    // parser slice) inside them falls between the two UTF-16 halves of one emoji.
    const emojis = '🌞'.repeat(500);
    const rows = Array.from(
      { length: 1_200 },
      (_, i) => `E${String(i).padStart(5, '0')},${emojis}`
    );
    const csv = `Subject,Description\n${rows.join('\n')}\n`;
    assert.ok(csv.length > PIECE_CHARS);
    const job = t.conn.bulk2.createJob({ object: 'Case', operation: 'insert' });
    await job.open();
    await job.uploadData(csv);
    await job.close();
    await job.poll(20, 60_000);
    const loaded = await t.conn
      .sobject('Case')
      .find<{ Description: string }>({ Subject: { $like: 'E%' } }, [
        'Description'
      ])
      .execute({ autoFetch: true, maxFetch: 2_000 });
    assert.equal(loaded.length, 1_200);
    assert.equal(loaded.filter((row) => row.Description !== emojis).length, 0);
  });

  it('keeps nothing of an upload the job refuses, nor of one over the size limit', async () => {
    const id = await openJob(t, 'Account');
    await raw(
      t.org,
      'PATCH',
      `${V}/jobs/ingest/${id}`,
      JSON.stringify({ state: 'Aborted' }),
      JSON_TYPE
    );
    const refused = await putInWrites(t, `${V}/jobs/ingest/${id}/batches`, [
      'Name\n',
      'Late\n'
    ]);
    assert.equal(refused, 400);
    assert.deepEqual(storedPieces(t), []);

    const small = await startTestOrg({
      dbPath: ':memory:',
      maxRequestBytes: 4096
    });
    try {
      const big = await openJob(small, 'Account');
      const status = await putInWrites(
        small,
        `${V}/jobs/ingest/${big}/batches`,
        [
          'Name\n',
          ...Array.from({ length: 50 }, () => 'Oversized row\n'.repeat(20))
        ]
      ).catch(() => 413); // the org may close the connection while the client still writes
      assert.equal(status, 413);
      assert.deepEqual(storedPieces(small), []);
    } finally {
      await small.dispose();
    }
  });
});

describe('Bulk API 2.0 result files sent a page at a time', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  it('sends successful results of 5,000 rows in order, and a query job in maxRecords pages', async () => {
    const input = Array.from({ length: 5_000 }, (_, i) => ({
      Subject: `Paged ${String(i).padStart(4, '0')}`
    }));
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 60_000
    });
    const ok = results.successfulResults as unknown as Record<string, string>[];
    assert.deepEqual(
      ok.map((row) => row.Subject),
      input.map((row) => row.Subject)
    );

    const job = await raw(
      t.org,
      'POST',
      `${V}/jobs/query`,
      JSON.stringify({
        operation: 'query',
        query:
          "SELECT Subject FROM Case WHERE Subject LIKE 'Paged %' ORDER BY Subject"
      }),
      JSON_TYPE
    );
    const id = (job.body as { id: string }).id;
    const subjects: string[] = [];
    const pageSizes: string[] = [];
    let locator = '';
    for (let pages = 0; pages < 10; pages++) {
      const response = await fetch(
        `${t.org.instanceUrl}${V}/jobs/query/${id}/results?maxRecords=2100${locator === '' ? '' : `&locator=${locator}`}`,
        { headers: { authorization: `Bearer ${t.org.accessToken}` } }
      );
      assert.equal(response.status, 200);
      const lines = (await response.text()).trimEnd().split('\n');
      assert.equal(lines[0], '"Subject"');
      subjects.push(...lines.slice(1).map((line) => line.replaceAll('"', '')));
      pageSizes.push(response.headers.get('sforce-numberofrecords') ?? '');
      locator = response.headers.get('sforce-locator') ?? 'null';
      if (locator === 'null') break;
    }
    assert.deepEqual(pageSizes, ['2100', '2100', '800']);
    assert.deepEqual(
      subjects,
      input.map((row) => row.Subject)
    );
  });

  it('stops sending to a client that goes away mid-download and answers the next request', async () => {
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input: Array.from({ length: 6_000 }, (_, i) => ({
        Subject: `Gone ${String(i)}`,
        Description: 'x'.repeat(200)
      })),
      pollInterval: 20,
      pollTimeout: 120_000
    });
    assert.equal(results.successfulResults.length, 6_000);
    const listed = (await raw(t.org, 'GET', `${V}/jobs/ingest`)).body as {
      records: { id: string }[];
    };
    const id = listed.records.at(-1)?.id ?? '';
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${t.org.instanceUrl}${V}/jobs/ingest/${id}/successfulResults`,
        { headers: { authorization: `Bearer ${t.org.accessToken}` } },
        (res) => {
          res.once('data', () => {
            // One piece read, then the client leaves.
            req.destroy();
            resolve();
          });
        }
      );
      req.on('error', () => undefined);
      req.once('error', reject);
      req.end();
    });
    const count = await t.conn.query(
      "SELECT COUNT() FROM Case WHERE Subject LIKE 'Gone %'"
    );
    assert.equal(count.totalSize, 6_000);
  });
});
