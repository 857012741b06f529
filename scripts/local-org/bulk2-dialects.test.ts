/**
 * Bulk API 2.0 through jsforce, as the Bulk API 2.0 Developer Guide documents it: a query
 * job's CSV header comes from the query ("Get Results for a Query Job": parent fields as
 * Account.Name, whatever the first row holds); ingest and query jobs honour columnDelimiter
 * (BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON, TAB) and lineEnding (LF, CRLF) ("Create a Job");
 * an upsert on Id with a blank Id inserts ("Upsert Records": API 37.0+), as does
 * POST /sobjects/Account/Id with no id; and compound fields: REST SOQL returns an address as
 * a structured value ("Compound Fields" in the SOAP API Developer Guide), Bulk query refuses it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw, startTestOrg, type TestOrg } from './test-org.ts';

describe('Bulk API 2.0 CSV dialects, query headers and upsert on Id', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
    const account = await t.conn.sobject('Account').create({ Name: 'Sunrise' });
    // The first case (by Subject) has no account: the header must still say Account.Name.
    await t.conn
      .sobject('Case')
      .create([
        { Subject: 'a: no account' },
        { Subject: 'b: with account', AccountId: account.id }
      ]);
  });
  after(async () => {
    await t.dispose();
  });

  it('a query job keeps Account.Name when the first row has no account', async () => {
    const records: Record<string, unknown>[] = [];
    const stream = await t.conn.bulk2.query(
      'SELECT Id, Subject, Account.Name FROM Case ORDER BY Subject',
      { pollInterval: 20, pollTimeout: 10_000 }
    );
    for await (const record of stream)
      records.push(record as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => [r.Subject, r['Account.Name']]),
      [
        ['a: no account', ''],
        ['b: with account', 'Sunrise']
      ]
    );
  });

  it('an ingest job reads PIPE-delimited CRLF data and a query job writes SEMICOLON', async () => {
    const job = t.conn.bulk2.createJob({
      object: 'Account',
      operation: 'insert',
      columnDelimiter: 'PIPE',
      lineEnding: 'CRLF'
    });
    await job.open();
    await job.uploadData(
      'Name|Description\r\nPipe One|first; with a semicolon\r\nPipe Two|second\r\n'
    );
    await job.close();
    await job.poll(20, 10_000);
    const info = await job.check();
    assert.equal(info.numberRecordsFailed, 0);
    assert.equal(info.numberRecordsProcessed, 2);
    assert.equal(info.columnDelimiter, 'PIPE');
    const found = await t.conn.query<{ Description: string }>(
      "SELECT Description FROM Account WHERE Name = 'Pipe One'"
    );
    assert.equal(found.records[0]?.Description, 'first; with a semicolon');

    const created = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/jobs/query',
      JSON.stringify({
        operation: 'query',
        query: "SELECT Name FROM Account WHERE Name LIKE 'Pipe%' ORDER BY Name",
        columnDelimiter: 'SEMICOLON',
        lineEnding: 'CRLF'
      }),
      { 'content-type': 'application/json' }
    );
    const id = (created.body as { id: string }).id;
    const results = await raw(
      t.org,
      'GET',
      `/services/data/v64.0/jobs/query/${id}/results`
    );
    assert.equal(results.body, '"Name"\r\n"Pipe One"\r\n"Pipe Two"\r\n');
  });

  it('refuses an unknown columnDelimiter (INVALIDJOB)', async () => {
    const created = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/jobs/ingest',
      JSON.stringify({
        object: 'Account',
        operation: 'insert',
        columnDelimiter: 'COLON'
      }),
      { 'content-type': 'application/json' }
    );
    assert.equal(created.status, 400);
    assert.match(JSON.stringify(created.body), /INVALIDJOB/);
  });

  it('a Bulk upsert on Id inserts rows with a blank Id and updates the others', async () => {
    const existing = await t.conn.sobject('Account').create({ Name: 'Before' });
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Id',
      input: [
        { Id: existing.id, Name: 'After' },
        { Id: '', Name: 'Brand new' }
      ],
      pollInterval: 20,
      pollTimeout: 10_000
    });
    assert.equal(results.failedResults.length, 0);
    assert.deepEqual(
      results.successfulResults.map((r) => r.sf__Created).sort(),
      ['false', 'true']
    );
    const names = await t.conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Name IN ('Before', 'After', 'Brand new') ORDER BY Name"
    );
    assert.deepEqual(
      names.records.map((r) => r.Name),
      ['After', 'Brand new']
    );
  });

  it('POST /sobjects/Account/Id with no id creates the record', async () => {
    const response = await t.conn.request<{ id: string; created: boolean }>({
      method: 'POST',
      url: `/services/data/v${t.conn.version}/sobjects/Account/Id`,
      body: JSON.stringify({ Name: 'Posted' }),
      headers: { 'content-type': 'application/json' }
    });
    assert.equal(response.created, true);
    const found = await t.conn.sobject('Account').retrieve(response.id);
    assert.equal(found.Name, 'Posted');
  });

  it('a REST query returns a compound address as one value (jsforce find); Bulk refuses it', async () => {
    await t.conn.sobject('Account').create({
      Name: 'Addressed',
      BillingCity: 'Porto',
      BillingLatitude: 41.15
    });
    const found = await t.conn
      .sobject('Account')
      .findOne({ Name: 'Addressed' });
    assert.deepEqual(found?.BillingAddress, {
      city: 'Porto',
      country: null,
      geocodeAccuracy: null,
      latitude: 41.15,
      longitude: null,
      postalCode: null,
      state: null,
      street: null
    });
    const none = await t.conn.query<{ ShippingAddress: unknown }>(
      "SELECT ShippingAddress FROM Account WHERE Name = 'Addressed'"
    );
    assert.equal(none.records[0]?.ShippingAddress, null);
    const job = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/jobs/query',
      JSON.stringify({
        operation: 'query',
        query: 'SELECT BillingAddress FROM Account'
      }),
      { 'content-type': 'application/json' }
    );
    assert.equal(job.status, 400);
    assert.match(
      JSON.stringify(job.body),
      /compound data not supported in Bulk Query/
    );
  });
});
