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
import { rejectsWithCode, startTestOrg, type TestOrg } from './test-org.ts';

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

  // Object Reference, Incident: Urgency and Impact are "Create, Defaulted on create, ... Update"
  // and not Nillable, default High; SOAP API Developer Guide, "Required Fields": a required
  // field with a default is assigned it on create even when no value is passed, and "in
  // updates, a required field cannot be set to null". So no saved incident is ever blank.
  it('Incident.Urgency and Impact: blank on create takes the default, blank on update is refused', async () => {
    const describe = await t.conn.sobject('Incident').describe();
    for (const name of ['Urgency', 'Impact']) {
      const field = describe.fields.find((f) => f.name === name);
      assert.equal(field?.nillable, false, name);
      assert.equal(field.defaultedOnCreate, true, name);
      assert.equal(field.defaultValue, 'High', name);
    }
    const incidents = t.conn.sobject('Incident');
    const leftOut = await incidents.create({ Subject: 'urgency left out' });
    const blank = await incidents.create({
      Subject: 'urgency blank',
      Urgency: null,
      Impact: ''
    });
    const blankId = blank.id ?? '';
    for (const id of [leftOut.id ?? '', blankId]) {
      const row = await incidents.retrieve(id, {
        fields: ['Urgency', 'Impact', 'Severity__c']
      });
      assert.equal(row.Urgency, 'High');
      assert.equal(row.Impact, 'High');
      assert.equal(row.Severity__c, 1);
    }
    await rejectsWithCode(
      incidents.update({ Id: blankId, Urgency: null }),
      'REQUIRED_FIELD_MISSING'
    );
    await rejectsWithCode(
      incidents.update({ Id: blankId, Impact: '' }),
      'REQUIRED_FIELD_MISSING'
    );
  });

  // Salesforce Help, "Custom Settings" and the Apex Reference's "Hierarchy Custom Setting
  // Methods": a hierarchy setting's records are keyed by SetupOwnerId (the org, a profile or a
  // user; one record each), Name is optional, and custom settings have no OwnerId.
  it('a hierarchy custom setting has SetupOwnerId as its key and needs no Name', async () => {
    const settings = t.conn.sobject('Incident_Automation_Settings__c');
    const describe = await settings.describe();
    assert.equal(describe.customSetting, true);
    const setupOwner = describe.fields.find((f) => f.name === 'SetupOwnerId');
    assert.deepEqual(setupOwner?.referenceTo, [
      'Organization',
      'Profile',
      'User'
    ]);
    assert.equal(setupOwner.createable, true);
    assert.equal(
      describe.fields.find((f) => f.name === 'Name')?.nillable,
      true
    );
    assert.equal(
      describe.fields.some((f) => f.name === 'OwnerId'),
      false
    );
    const identity = await t.conn.identity();
    const orgDefault = await settings.create({ Bypass_Automation__c: false });
    const mine = await settings.create({
      SetupOwnerId: identity.user_id,
      Bypass_Automation__c: true
    });
    const rows = await t.conn.query<{ Id: string; SetupOwnerId: string }>(
      'SELECT Id, SetupOwnerId FROM Incident_Automation_Settings__c ORDER BY CreatedDate, Id'
    );
    assert.deepEqual(
      rows.records.map((r) => [r.Id, r.SetupOwnerId]),
      [
        [orgDefault.id, identity.organization_id],
        [mine.id, identity.user_id]
      ]
    );
    await rejectsWithCode(
      settings.create({ SetupOwnerId: identity.user_id }),
      'DUPLICATE_VALUE'
    );
    await settings.destroy([orgDefault.id ?? '', mine.id ?? '']);
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

// Metadata API Developer Guide, "Error Handling": the Metadata API is a SOAP API and reports a
// call's failure as a SOAP fault (faultcode sf:<code>), so an injected lock or limit failure on
// /services/Soap/m answers one, as the REST endpoints answer their JSON errors.
describe('injected faults on the Metadata API answer as SOAP faults (jsforce)', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({
      faults: {
        rules: [
          { endpoint: 'metadata', kind: 'UNABLE_TO_LOCK_ROW', calls: [1] },
          { endpoint: 'metadata', kind: 'REQUEST_LIMIT_EXCEEDED', calls: [2] },
          { endpoint: 'metadata', kind: 'SERVER_UNAVAILABLE', calls: [3] }
        ]
      }
    });
  });
  after(async () => t.dispose());

  it('UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED and SERVER_UNAVAILABLE as sf: faults, then the call works', async () => {
    for (const code of [
      'UNABLE_TO_LOCK_ROW',
      'REQUEST_LIMIT_EXCEEDED',
      'SERVER_UNAVAILABLE'
    ]) {
      await assert.rejects(
        t.conn.metadata.list({ type: 'CustomMetadata' }),
        (error: { name?: string; message?: string }) => {
          assert.equal(error.name, `sf:${code}`);
          assert.match(error.message ?? '', new RegExp(`^${code}: `));
          return true;
        }
      );
    }
    const listed = await t.conn.metadata.list({ type: 'CustomMetadata' });
    assert.ok(Array.isArray(listed) && listed.length > 0);
  });
});
