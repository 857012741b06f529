/**
 * End-to-end through jsforce: behaviours other engineers found the local org getting wrong,
 * each checked against the platform's documented answer (the doc named in each test).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from './test-org.ts';

interface SubResult {
  httpStatusCode: number;
  referenceId: string;
  body: unknown;
}

describe('local org platform gaps (jsforce)', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg();
  });
  after(async () => t.dispose());

  // REST API Developer Guide, "allOrNone Parameters in Composite and Collections Requests":
  // with allOrNone true on the composite, all-or-none applies to each sObject Collections
  // subrequest too (overriding its own allOrNone), and a record failing there rolls back the
  // whole composite request.
  it('composite allOrNone rolls everything back when a record fails inside a collections subrequest', async () => {
    const compositeOf = (innerAllOrNone: boolean) =>
      t.conn.request<{ compositeResponse: SubResult[] }>({
        method: 'POST',
        url: '/services/data/v64.0/composite',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: '/services/data/v64.0/sobjects/Account',
              referenceId: 'acct',
              body: { Name: 'Rolled Back Co' }
            },
            {
              method: 'POST',
              url: '/services/data/v64.0/composite/sobjects',
              referenceId: 'contacts',
              body: {
                allOrNone: innerAllOrNone,
                records: [
                  {
                    attributes: { type: 'Contact' },
                    LastName: 'Kept?',
                    AccountId: '@{acct.id}'
                  },
                  // No LastName: REQUIRED_FIELD_MISSING.
                  { attributes: { type: 'Contact' }, FirstName: 'Nameless' }
                ]
              }
            },
            {
              method: 'POST',
              url: '/services/data/v64.0/sobjects/Contact',
              referenceId: 'after',
              body: { LastName: 'After The Failure' }
            }
          ]
        })
      });
    for (const inner of [false, true]) {
      const answer = await compositeOf(inner);
      const [acct, contacts, later] = answer.compositeResponse;
      assert.equal(acct?.httpStatusCode, 400, `inner allOrNone ${inner}`);
      assert.equal(
        (acct.body as { errorCode: string }[])[0]?.errorCode,
        'PROCESSING_HALTED'
      );
      const records = contacts?.body as {
        success: boolean;
        errors: { statusCode: string }[];
      }[];
      // The collection ran all-or-none whatever its own flag said.
      assert.deepEqual(
        records.map((r) => [r.success, r.errors[0]?.statusCode]),
        [
          [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
          [false, 'REQUIRED_FIELD_MISSING']
        ]
      );
      assert.equal(later?.httpStatusCode, 400);
      assert.equal(
        (later.body as { errorCode: string }[])[0]?.errorCode,
        'PROCESSING_HALTED'
      );
    }
    const left = await t.conn.query(
      "SELECT Id FROM Account WHERE Name = 'Rolled Back Co'"
    );
    assert.equal(left.totalSize, 0);
    const contacts = await t.conn.query(
      "SELECT Id FROM Contact WHERE LastName IN ('Kept?', 'After The Failure')"
    );
    assert.equal(contacts.totalSize, 0);
  });

  // Same page: with allOrNone false on the composite, each collections subrequest keeps its own.
  it('composite without allOrNone leaves a collection to its own allOrNone', async () => {
    const answer = await t.conn.request<{ compositeResponse: SubResult[] }>({
      method: 'POST',
      url: '/services/data/v64.0/composite',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v64.0/composite/sobjects',
            referenceId: 'contacts',
            body: {
              allOrNone: false,
              records: [
                { attributes: { type: 'Contact' }, LastName: 'Partly Kept' },
                { attributes: { type: 'Contact' }, FirstName: 'Nameless' }
              ]
            }
          }
        ]
      })
    });
    const records = answer.compositeResponse[0]?.body as { success: boolean }[];
    assert.deepEqual(
      records.map((r) => r.success),
      [true, false]
    );
    const kept = await t.conn.query(
      "SELECT Id FROM Contact WHERE LastName = 'Partly Kept'"
    );
    assert.equal(kept.totalSize, 1);
  });
});
