/**
 * End-to-end checks of the REST surface issue 4 lists, beyond server.test.ts: discovery
 * resources, queryAll, collections delete and upsert, composite limits, malformed ids on every
 * kind of route, oversized requests, Bulk 2.0 query jobs, describe shapes and compound addresses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import {
  raw,
  rejectsWithCode,
  startTestOrg,
  type TestOrg
} from './test-org.ts';

const V = '/services/data/v64.0';
const JSON_TYPE = { 'content-type': 'application/json' };

/** The members of describe's PicklistEntry these tests read (jsforce types the list as any[]). */
interface PicklistEntry {
  value: string;
  active: boolean;
  validFor: string | null;
}

function isPicklistEntry(value: unknown): value is PicklistEntry {
  return typeof value === 'object' && value !== null && 'value' in value;
}

interface SaveResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string }[];
}

function errorCodeOf(body: unknown): string | undefined {
  return Array.isArray(body)
    ? (body[0] as { errorCode?: string } | undefined)?.errorCode
    : undefined;
}

describe('local org API surface', () => {
  let t: TestOrg;
  let conn: Connection;
  before(async () => {
    t = await startTestOrg();
    conn = t.conn;
  });
  after(async () => t.dispose());

  it('lists API versions without a session, and the resources of a version', async () => {
    const response = await fetch(`${t.org.instanceUrl}/services/data`);
    assert.equal(response.status, 200);
    const versions = (await response.json()) as {
      version: string;
      url: string;
      label: string;
    }[];
    const latest = versions.at(-1);
    assert.equal(latest?.version, '64.0');
    assert.equal(latest.url, '/services/data/v64.0');
    assert.ok(versions.every((v) => v.label.length > 0));
    const resources = await conn.request<Record<string, string>>(`${V}/`);
    assert.equal(resources.sobjects, `${V}/sobjects`);
    assert.equal(resources.query, `${V}/query`);
    assert.equal(resources.queryAll, `${V}/queryAll`);
    assert.equal(resources.composite, `${V}/composite`);
    assert.equal(resources.limits, `${V}/limits`);
    const identity = await conn.identity();
    assert.equal(identity.user_id, t.org.ctx.userId);
    assert.equal(identity.organization_id, t.org.ctx.orgId);
  });

  it('answers queryAll with the deleted records too (the recycle bin)', async () => {
    const kept = await conn.sobject('Account').create({ Name: 'QA kept' });
    const gone = await conn.sobject('Account').create({ Name: 'QA gone' });
    await conn.sobject('Account').destroy(gone.id ?? '');
    const before = t.org.counters.get('queryAll');
    const all = await conn.query(
      "SELECT Id, Name FROM Account WHERE Name LIKE 'QA %'",
      { scanAll: true }
    );
    assert.equal(t.org.counters.get('queryAll'), before + 1);
    assert.deepEqual(
      all.records.map((r) => r.Id),
      [kept.id, gone.id]
    );
  });

  it('deletes through collections, atomically under allOrNone', async () => {
    const made = (await conn
      .sobject('Account')
      .create([{ Name: 'Del 1' }, { Name: 'Del 2' }])) as SaveResult[];
    const ids = made.map((r) => r.id ?? '');
    const missing = '001000000000000AAA';
    const atomic = await raw(
      t.org,
      'DELETE',
      `${V}/composite/sobjects?ids=${[...ids, missing].join(',')}&allOrNone=true`
    );
    assert.equal(atomic.status, 200);
    const results = atomic.body as SaveResult[];
    assert.deepEqual(
      results.map((r) => [r.success, r.errors[0]?.statusCode]),
      [
        [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
        [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
        [false, 'ENTITY_IS_DELETED']
      ]
    );
    const still = await conn.query(
      "SELECT COUNT() FROM Account WHERE Name LIKE 'Del %'"
    );
    assert.equal(still.totalSize, 2);
    const partial = (await conn
      .sobject('Account')
      .destroy([...ids, missing], { allOrNone: false })) as SaveResult[];
    assert.deepEqual(
      partial.map((r) => r.success),
      [true, true, false]
    );
    assert.equal(
      (await conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Del %'"))
        .totalSize,
      0
    );
  });

  it('upserts many records through the collections upsert endpoint', async () => {
    const before = t.org.counters.get('collections.upsert');
    const upsert = (phone: string): Promise<SaveResult[]> =>
      conn.sobject('Incident_Roster_Member__c').upsert(
        [
          {
            External_Id__c: 'COL-1',
            Name: 'Col One',
            Role__c: 'Incident Owner',
            Email__c: 'one@example.com',
            Phone__c: phone
          },
          {
            External_Id__c: 'COL-2',
            Name: 'Col Two',
            Role__c: 'Technical Expert',
            Email__c: 'two@example.com',
            Phone__c: phone
          }
        ],
        'External_Id__c'
      ) as Promise<SaveResult[]>;
    const first = await upsert('1');
    const second = await upsert('2');
    assert.equal(t.org.counters.get('collections.upsert'), before + 2);
    assert.deepEqual(
      first.map((r) => r.created),
      [true, true]
    );
    assert.deepEqual(
      second.map((r) => [r.created, r.id]),
      first.map((r) => [false, r.id])
    );
    const rows = await conn.query<{ Phone__c: string }>(
      "SELECT Phone__c FROM Incident_Roster_Member__c WHERE External_Id__c LIKE 'COL-%'"
    );
    assert.deepEqual(
      rows.records.map((r) => r.Phone__c),
      ['2', '2']
    );
  });

  it('rejects a composite request of more than 25 subrequests and writes nothing', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({
      method: 'POST',
      url: `${V}/sobjects/Account`,
      referenceId: `a${String(i)}`,
      body: { Name: `Too many ${String(i)}` }
    }));
    const response = await raw(
      t.org,
      'POST',
      `${V}/composite`,
      JSON.stringify({ allOrNone: false, compositeRequest }),
      JSON_TYPE
    );
    assert.equal(response.status, 400);
    assert.equal(errorCodeOf(response.body), 'LIMIT_EXCEEDED');
    assert.equal(
      (
        await conn.query(
          "SELECT COUNT() FROM Account WHERE Name LIKE 'Too many %'"
        )
      ).totalSize,
      0
    );
  });

  it('answers MALFORMED_ID for a bad id on every kind of route', async () => {
    const bad = '001notAnId';
    for (const [method, url, body] of [
      ['GET', `${V}/sobjects/Account/${bad}`, undefined],
      ['PATCH', `${V}/sobjects/Account/${bad}`, '{"Name":"x"}'],
      ['DELETE', `${V}/sobjects/Account/${bad}`, undefined],
      ['POST', `${V}/sobjects/Contact`, `{"LastName":"x","AccountId":"${bad}"}`]
    ] as const) {
      const response = await raw(t.org, method, url, body, JSON_TYPE);
      assert.equal(response.status, 400, `${method} ${url}`);
      assert.equal(errorCodeOf(response.body), 'MALFORMED_ID', url);
    }
    const update = await raw(
      t.org,
      'PATCH',
      `${V}/composite/sobjects`,
      JSON.stringify({
        records: [{ attributes: { type: 'Account' }, Id: bad, Name: 'x' }]
      }),
      JSON_TYPE
    );
    assert.equal(update.status, 200);
    assert.equal(
      (update.body as SaveResult[])[0]?.errors[0]?.statusCode,
      'MALFORMED_ID'
    );
    const remove = await raw(
      t.org,
      'DELETE',
      `${V}/composite/sobjects?ids=${bad}`
    );
    assert.equal(
      (remove.body as SaveResult[])[0]?.errors[0]?.statusCode,
      'MALFORMED_ID'
    );
    const composite = await raw(
      t.org,
      'POST',
      `${V}/composite`,
      JSON.stringify({
        compositeRequest: [
          {
            method: 'GET',
            url: `${V}/sobjects/Account/${bad}`,
            referenceId: 'r'
          }
        ]
      }),
      JSON_TYPE
    );
    const sub = (
      composite.body as {
        compositeResponse: { httpStatusCode: number; body: unknown }[];
      }
    ).compositeResponse[0];
    assert.equal(sub?.httpStatusCode, 400);
    assert.equal(errorCodeOf(sub.body), 'MALFORMED_ID');
    await rejectsWithCode(
      conn.query(`SELECT Id FROM Account WHERE Id = '${bad}'`),
      'INVALID_QUERY_FILTER_OPERATOR'
    );
  });

  it('runs a Bulk API 2.0 query job through jsforce bulk2.query', async () => {
    await conn.sobject('Contact').create(
      Array.from({ length: 5 }, (_, i) => ({
        LastName: `Bq ${String(i)}`,
        Email: `bq${String(i)}@example.com`
      }))
    );
    const before = t.org.counters.get('bulk2.query.create');
    const stream = await conn.bulk2.query(
      "SELECT LastName, Email FROM Contact WHERE LastName LIKE 'Bq %' ORDER BY LastName",
      { pollInterval: 20, pollTimeout: 10000 }
    );
    const rows = (await stream.toArray()) as Record<string, string>[];
    assert.equal(t.org.counters.get('bulk2.query.create'), before + 1);
    assert.deepEqual(
      rows.map((r) => [r.LastName, r.Email]),
      Array.from({ length: 5 }, (_, i) => [
        `Bq ${String(i)}`,
        `bq${String(i)}@example.com`
      ])
    );
  });

  it('describes Incident as the platform does', async () => {
    const incident = await conn.describe('Incident');
    assert.equal(incident.keyPrefix, '0ny');
    assert.equal(incident.urls.sobject, `${V}/sobjects/Incident`);
    assert.equal(incident.urls.describe, `${V}/sobjects/Incident/describe`);
    assert.equal(incident.urls.rowTemplate, `${V}/sobjects/Incident/{ID}`);
    const impact = incident.fields.find((f) => f.name === 'Impact');
    const listed: unknown[] = impact?.picklistValues ?? [];
    const entries = listed.filter(isPicklistEntry);
    assert.equal(entries.length, listed.length);
    assert.deepEqual(
      entries.map((p) => [p.value, p.active, p.validFor]),
      [
        ['High', true, null],
        ['Low', true, null],
        ['Medium', true, null]
      ]
    );
    const hours = incident.fields.find((f) => f.name === 'BusinessHoursId');
    assert.deepEqual(hours?.referenceTo, ['BusinessHours']);
    assert.equal(hours.relationshipName, 'BusinessHours');
    const children = incident.childRelationships.map(
      (r) => `${r.childSObject}.${r.field}:${String(r.relationshipName)}`
    );
    assert.ok(
      children.includes('CaseRelatedIssue.RelatedIssueId:CaseRelatedIssues'),
      children.join(', ')
    );
  });

  it('lists custom objects and custom metadata types in the global describe', async () => {
    const global = await conn.describeGlobal();
    const byName = new Map(global.sobjects.map((s) => [s.name, s]));
    const roster = byName.get('Incident_Roster_Member__c');
    assert.equal(roster?.custom, true);
    assert.equal(roster.createable, true);
    const rule = byName.get('Incident_Severity_Rule__mdt');
    assert.equal(rule?.custom, true);
    assert.equal(rule.createable, false);
    assert.equal(rule.queryable, true);
    assert.match(rule.keyPrefix ?? '', /^m/);
    assert.ok(byName.has('Incident_Sla_Policy__mdt'));
    assert.equal(byName.get('Incident')?.keyPrefix, '0ny');
  });

  it('follows Case lookups to BusinessHours and RecordType in SOQL', async () => {
    const type = await conn.sobject('RecordType').create({
      Name: 'Outage',
      DeveloperName: 'Outage',
      SobjectType: 'Case'
    });
    const kase = await conn
      .sobject('Case')
      .create({ Subject: 'Lookups', RecordTypeId: type.id });
    const result = await conn.query<{
      BusinessHours: { Name: string } | null;
      RecordType: { Name: string } | null;
    }>(
      `SELECT BusinessHours.Name, RecordType.Name FROM Case WHERE Id = '${kase.id ?? ''}'`
    );
    assert.equal(result.records[0]?.BusinessHours?.Name, 'Default');
    assert.equal(result.records[0].RecordType?.Name, 'Outage');
  });

  it('returns compound addresses on record reads', async () => {
    const account = await conn.sobject('Account').create({
      Name: 'Addressed',
      BillingStreet: '1 Market St',
      BillingCity: 'San Francisco',
      BillingPostalCode: '94105'
    });
    const row = await conn.sobject('Account').retrieve(account.id ?? '');
    assert.deepEqual(row.BillingAddress, {
      city: 'San Francisco',
      country: null,
      geocodeAccuracy: null,
      latitude: null,
      longitude: null,
      postalCode: '94105',
      state: null,
      street: '1 Market St'
    });
    assert.equal(row.ShippingAddress, null);
    const described = await conn.describe('Account');
    const compound = (name: string): string | null | undefined =>
      described.fields.find((f) => f.name === name)?.compoundFieldName;
    assert.equal(compound('BillingCity'), 'BillingAddress');
    assert.equal(compound('ShippingStreet'), 'ShippingAddress');
    assert.equal(compound('Name'), null);
    const picked = await conn.request<Record<string, unknown>>(
      `${V}/sobjects/Account/${account.id ?? ''}?fields=BillingAddress`
    );
    assert.equal(
      (picked.BillingAddress as { city: string }).city,
      'San Francisco'
    );
  });
});

describe('local org request limits and restarts', () => {
  it('refuses a request body over the limit without touching the job', async () => {
    const t = await startTestOrg({ dbPath: ':memory:', maxRequestBytes: 4096 });
    try {
      const job = await raw(
        t.org,
        'POST',
        `${V}/jobs/ingest`,
        JSON.stringify({ object: 'Account', operation: 'insert' }),
        JSON_TYPE
      );
      const id = (job.body as { id: string }).id;
      const csv = `Name\n${'Oversized row\n'.repeat(400)}`;
      const upload = await raw(
        t.org,
        'PUT',
        `${V}/jobs/ingest/${id}/batches`,
        csv,
        { 'content-type': 'text/csv' }
      );
      assert.equal(upload.status, 413);
      assert.equal(errorCodeOf(upload.body), 'REQUEST_ENTITY_TOO_LARGE');
      const close = await raw(
        t.org,
        'PATCH',
        `${V}/jobs/ingest/${id}`,
        JSON.stringify({ state: 'UploadComplete' }),
        JSON_TYPE
      );
      assert.equal(close.status, 200);
      assert.equal(
        (
          await t.conn.query(
            "SELECT COUNT() FROM Account WHERE Name = 'Oversized row'"
          )
        ).totalSize,
        0
      );
    } finally {
      await t.dispose();
    }
  });

  it('keeps records but not Bulk API jobs across a restart (jobs live in memory)', async () => {
    const first = await startTestOrg();
    const job = await raw(
      first.org,
      'POST',
      `${V}/jobs/ingest`,
      JSON.stringify({ object: 'Account', operation: 'insert' }),
      JSON_TYPE
    );
    const id = (job.body as { id: string }).id;
    assert.equal(
      (await raw(first.org, 'GET', `${V}/jobs/ingest/${id}`)).status,
      200
    );
    await first.org.stop();
    const second = await startTestOrg({ dbPath: first.dbPath });
    try {
      const after = await raw(second.org, 'GET', `${V}/jobs/ingest/${id}`);
      assert.equal(after.status, 404);
      assert.equal(errorCodeOf(after.body), 'NOT_FOUND');
      const next = await raw(
        second.org,
        'POST',
        `${V}/jobs/ingest`,
        JSON.stringify({ object: 'Account', operation: 'insert' }),
        JSON_TYPE
      );
      assert.notEqual((next.body as { id: string }).id, id);
    } finally {
      await second.dispose();
      await first.dispose().catch(() => undefined);
    }
  });
});
