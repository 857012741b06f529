/**
 * End-to-end through jsforce: behaviours other engineers found the local org getting wrong,
 * each checked against the platform's documented answer (the doc named in each test).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_EMAIL } from './seed.ts';
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

describe('each local org database is its own org', () => {
  interface Who {
    orgId: string;
    username: string;
    email: string;
  }
  async function who(t: TestOrg): Promise<Who> {
    const identity = await t.conn.identity();
    const org = await t.conn.query<{ Id: string }>(
      'SELECT Id FROM Organization'
    );
    assert.equal(org.records[0]?.Id, identity.organization_id);
    return {
      orgId: identity.organization_id,
      username: identity.username,
      email: identity.email
    };
  }

  // Every Salesforce org has its own 18-character id (prefix 00D) and usernames are unique
  // across all orgs (Salesforce Help, "Usernames"); the sf auth store is keyed by username.
  it('gives two fresh databases different org ids and admin usernames, each kept across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-org-ids-'));
    try {
      const dbA = path.join(dir, 'a.db');
      const a = await startTestOrg({ dbPath: dbA });
      const first = await who(a);
      await a.org.stop();
      const b = await startTestOrg({ dbPath: path.join(dir, 'b.db') });
      const other = await who(b);
      await b.org.stop();
      assert.match(first.orgId, /^00D[0-9A-Za-z]{15}$/);
      assert.notEqual(other.orgId, first.orgId);
      assert.notEqual(other.username, first.username);
      // The admin's email is the same everywhere, so plans may name the admin by it.
      assert.equal(first.email, ADMIN_EMAIL);
      assert.equal(other.email, ADMIN_EMAIL);
      const again = await startTestOrg({ dbPath: dbA });
      try {
        assert.deepEqual(await who(again), first);
      } finally {
        await again.org.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
