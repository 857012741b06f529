/**
 * Small shape details real clients read, as the platform documents them (issue item 10):
 * query records' attributes.url in the API version the request named (REST API Developer
 * Guide, "Query"), a failed upsert's result with created: false ("Upsert Multiple Records
 * Using sObject Collections"), Bulk API 2.0 failed results whose sf__Error ends with ' --'
 * ("Get Job Failed Record Results"), and the identity URL's photos ("Identity URLs").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import {
  startTestOrg,
  type CollectionSaveResult,
  type TestOrg
} from './test-org.ts';

describe('response details', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg();
    await t.conn.sobject('Account').create({ Name: 'Versioned' });
  });
  after(async () => {
    await t.dispose();
  });

  it('record URLs of a query carry the requested API version', async () => {
    const v58 = new Connection({
      instanceUrl: t.org.instanceUrl,
      accessToken: t.org.accessToken,
      version: '58.0'
    });
    const result = await v58.query('SELECT Id FROM Account');
    assert.match(
      String(result.records[0]?.attributes?.url),
      /^\/services\/data\/v58\.0\/sobjects\/Account\/001/
    );
  });

  it('a failed upsert through sObject Collections says created: false', async () => {
    const results = await t.conn.request<
      (CollectionSaveResult & { created?: boolean })[]
    >({
      method: 'PATCH',
      url: `/services/data/v${t.conn.version}/composite/sobjects/Case/Source_Case_Key__c`,
      body: JSON.stringify({
        allOrNone: false,
        records: [
          {
            attributes: { type: 'Case' },
            Source_Case_Key__c: 'src:1',
            Subject: 'ok'
          },
          {
            attributes: { type: 'Case' },
            Source_Case_Key__c: 'src:2',
            AccountId: '001000000000000AAA'
          }
        ]
      }),
      headers: { 'content-type': 'application/json' }
    });
    assert.deepEqual(
      results.map((r) => [r.success, r.created]),
      [
        [true, true],
        [false, false]
      ]
    );
  });

  it("Bulk API 2.0 failed results end each error with ' --'", async () => {
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: '', Description: 'no name' }],
      pollInterval: 20,
      pollTimeout: 10_000
    });
    assert.equal(
      results.failedResults[0]?.sf__Error,
      'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'
    );
  });

  it('the identity URL answers the photos of the user', async () => {
    const identity = await t.conn.request<{
      photos: { picture: string; thumbnail: string };
    }>(`${t.org.instanceUrl}/id/${t.org.ctx.orgId}/${t.org.ctx.userId}`);
    assert.equal(
      identity.photos.picture,
      `${t.org.instanceUrl}/profilephoto/005/F`
    );
    assert.equal(
      identity.photos.thumbnail,
      `${t.org.instanceUrl}/profilephoto/005/T`
    );
  });

  it('every REST response carries Sforce-Limit-Info, which jsforce reads into limitInfo', async () => {
    await t.conn.query('SELECT Id FROM Account');
    const usage = t.conn.limitInfo.apiUsage;
    assert.ok(usage);
    assert.equal(usage.limit, 15000);
    assert.ok(usage.used > 0);
  });

  it('limits count Bulk API 2.0 query jobs, ingest batches and data storage', async () => {
    type Limits = Record<string, { Max: number; Remaining: number }>;
    const before = (await t.conn.limits()) as unknown as Limits;
    await t.conn.bulk2.query('SELECT Id FROM Account', {
      pollInterval: 20,
      pollTimeout: 10_000
    });
    await t.conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'Counted' }],
      pollInterval: 20,
      pollTimeout: 10_000
    });
    const after = (await t.conn.limits()) as unknown as Limits;
    assert.equal(
      after.DailyBulkV2QueryJobs?.Remaining,
      (before.DailyBulkV2QueryJobs?.Remaining ?? 0) - 1
    );
    assert.equal(
      after.DailyBulkApiBatches?.Remaining,
      (before.DailyBulkApiBatches?.Remaining ?? 0) - 1
    );
    assert.ok((after.DataStorageMB?.Remaining ?? 5) < 5);
  });
});
