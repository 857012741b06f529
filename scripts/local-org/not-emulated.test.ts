/**
 * What the local org does not emulate answers one clear error naming the API, through the
 * jsforce calls that reach it: Bulk API 1.0 (conn.bulk, jsforce's default bulk API), the
 * Tooling API, SOSL search, list views, layouts, Apex REST, and the SOAP enterprise API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { raw, startTestOrg, type TestOrg } from './test-org.ts';

describe('APIs the local org does not emulate', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
  });
  after(async () => {
    await t.dispose();
  });

  const rejectsNaming = (
    promise: PromiseLike<unknown>,
    api: RegExp
  ): Promise<void> =>
    assert.rejects(Promise.resolve(promise), (error: Error) => {
      assert.match(error.message, /local org does not emulate/);
      assert.match(error.message, api);
      return true;
    });

  it('Bulk API 1.0 (conn.bulk) says to use Bulk API 2.0', async () => {
    await rejectsNaming(
      // A Batch is a thenable: Promise.resolve adopts its outcome.
      Promise.resolve(t.conn.bulk.load('Account', 'insert', [{ Name: 'x' }])),
      /Bulk API 1\.0.*conn\.bulk2/
    );
  });

  it('the Tooling API, SOSL search, list views, layouts and Apex REST name themselves', async () => {
    await rejectsNaming(
      t.conn.tooling.query('SELECT Id FROM ApexClass'),
      /Tooling API/
    );
    await rejectsNaming(
      t.conn.search('FIND {Acme} IN ALL FIELDS'),
      /SOSL search/
    );
    await rejectsNaming(t.conn.sobject('Account').listviews(), /list views/);
    await rejectsNaming(t.conn.sobject('Account').layouts(), /layouts/);
    await rejectsNaming(t.conn.apex.get('/incidents/'), /Apex REST/);
  });

  it('the REST error is FUNCTIONALITY_NOT_ENABLED, not MALFORMED_ID or NOT_FOUND', async () => {
    const answer = await raw(
      t.org,
      'GET',
      '/services/data/v64.0/sobjects/Account/listviews'
    );
    assert.equal(answer.status, 501);
    assert.equal(
      (answer.body as { errorCode: string }[])[0]?.errorCode,
      'FUNCTIONALITY_NOT_ENABLED'
    );
  });

  it('the SOAP enterprise API answers a SOAP fault', async () => {
    const answer = await raw(
      t.org,
      'POST',
      '/services/Soap/c/64.0',
      '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><query/></soapenv:Body></soapenv:Envelope>',
      { 'content-type': 'text/xml', soapaction: '""' }
    );
    assert.equal(answer.status, 500);
    assert.match(
      String(answer.body),
      /<faultstring>.*does not emulate this SOAP API/
    );
  });
});
