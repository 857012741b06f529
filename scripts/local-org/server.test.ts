/** End-to-end: real jsforce over HTTP against a local org started by the test. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { CustomMetadata } from 'jsforce/api/metadata';
import { insertViaCollections } from './load.ts';
import {
  raw,
  rejectsWithCode,
  startTestOrg,
  type TestOrg
} from './test-org.ts';

interface SaveResult {
  id: string | null;
  success: boolean;
  errors: { statusCode?: string; errorCode?: string; message: string }[];
}

describe('local org with jsforce', () => {
  let t: TestOrg;
  let conn: Connection;
  before(async () => {
    t = await startTestOrg();
    conn = t.conn;
  });
  after(async () => t.dispose());

  it('creates, retrieves with ?fields=, updates and deletes a record', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Acme Solar' });
    assert.equal(created.success, true);
    assert.match(created.id, /^001[A-Za-z0-9]{15}$/);
    const contact = await conn
      .sobject('Contact')
      .create({ LastName: 'Rivera', AccountId: created.id });
    const fetched = await conn.request<Record<string, unknown>>(
      `/services/data/v64.0/sobjects/Contact/${contact.id ?? ''}?fields=LastName,AccountId`
    );
    assert.deepEqual(Object.keys(fetched), [
      'attributes',
      'LastName',
      'AccountId'
    ]);
    assert.equal(fetched.AccountId, created.id);
    await conn
      .sobject('Contact')
      .update({ Id: contact.id ?? '', LastName: 'Rivera-Lee' });
    const after = await conn.sobject('Contact').retrieve(contact.id ?? '');
    assert.equal(after.LastName, 'Rivera-Lee');
    assert.match(
      String(after.CreatedDate),
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/
    );
    await conn.sobject('Contact').destroy(contact.id ?? '');
    // A deleted record is in the recycle bin: reading it answers ENTITY_IS_DELETED.
    await rejectsWithCode(
      conn.sobject('Contact').retrieve(contact.id ?? ''),
      'ENTITY_IS_DELETED'
    );
  });

  it('accepts 15-character ids and answers MALFORMED_ID for bad ones', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Fifteen' });
    const id15 = (created.id ?? '').slice(0, 15);
    const record = await conn.sobject('Account').retrieve(id15);
    assert.equal(record.Id, created.id);
    await rejectsWithCode(
      conn.sobject('Account').retrieve('001abc'),
      'MALFORMED_ID'
    );
    await rejectsWithCode(
      conn.sobject('Account').retrieve(`${id15}XXX`),
      'MALFORMED_ID'
    );
  });

  it('validates like the platform', async () => {
    await rejectsWithCode(
      conn.sobject('Contact').create({ FirstName: 'NoLast' }),
      'REQUIRED_FIELD_MISSING'
    );
    await rejectsWithCode(
      conn.sobject('Account').create({ Name: 'x', Bogus__c: 1 }),
      'INVALID_FIELD'
    );
    await rejectsWithCode(
      conn.sobject('Incident').create({ Subject: 'x', Severity__c: 'high' }),
      'INVALID_TYPE_ON_FIELD_IN_RECORD'
    );
    await rejectsWithCode(
      conn
        .sobject('ChangeRequest')
        .create({ Subject: 'x', ChangeType: 'Sideways' }),
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    );
    await rejectsWithCode(
      conn
        .sobject('Contact')
        .create({ LastName: 'x', AccountId: '001000000000000AAA' }),
      'INVALID_CROSS_REFERENCE_KEY'
    );
    const incident = await conn
      .sobject('Incident')
      .create({ Subject: 'wrong parent type' });
    await rejectsWithCode(
      conn.sobject('Contact').create({ LastName: 'x', AccountId: incident.id }),
      'FIELD_INTEGRITY_EXCEPTION'
    );
    await rejectsWithCode(
      conn.sobject('Incident').create({ Subject: 'x', IncidentNumber: '1' }),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    await conn
      .sobject('Case')
      .create({ Subject: 'a', Source_Case_Key__c: '00Dx:500a' });
    await rejectsWithCode(
      conn
        .sobject('Case')
        .create({ Subject: 'b', Source_Case_Key__c: '00Dx:500a' }),
      'DUPLICATE_VALUE'
    );
  });

  it('rejects a bad token with 401 INVALID_SESSION_ID', async () => {
    const response = await fetch(
      `${t.org.instanceUrl}/services/data/v64.0/sobjects`,
      { headers: { authorization: 'Bearer nope' } }
    );
    assert.equal(response.status, 401);
    assert.deepEqual(
      ((await response.json()) as { errorCode: string }[])[0]?.errorCode,
      'INVALID_SESSION_ID'
    );
  });

  it('answers malformed JSON, wrong content types, >200 batches and unknown routes with Salesforce errors', async () => {
    const bad = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/sobjects/Account',
      '{"Name":',
      { 'content-type': 'application/json' }
    );
    assert.equal(bad.status, 400);
    assert.equal(
      (bad.body as { errorCode: string }[])[0]?.errorCode,
      'JSON_PARSER_ERROR'
    );
    const wrongType = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/sobjects/Account',
      'Name=x',
      { 'content-type': 'text/plain' }
    );
    assert.equal(wrongType.status, 415);
    const before = await conn.query('SELECT COUNT() FROM Account');
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `Big ${String(i)}`
    }));
    const tooMany = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/composite/sobjects',
      JSON.stringify({ allOrNone: false, records }),
      {
        'content-type': 'application/json'
      }
    );
    assert.equal(tooMany.status, 400);
    assert.equal(
      (tooMany.body as { errorCode: string }[])[0]?.errorCode,
      'EXCEEDED_ID_LIMIT'
    );
    assert.equal(
      (await conn.query('SELECT COUNT() FROM Account')).totalSize,
      before.totalSize
    );
    const unknown = await raw(
      t.org,
      'GET',
      '/services/data/v64.0/nothing/here'
    );
    assert.equal(unknown.status, 404);
    assert.equal(
      (unknown.body as { errorCode: string }[])[0]?.errorCode,
      'NOT_FOUND'
    );
    await rejectsWithCode(
      conn.sobject('NoSuchThing__c').describe(),
      'NOT_FOUND'
    );
  });

  it('rolls back a whole collection under allOrNone and reports per record otherwise', async () => {
    const tag = `aon-${String(Date.now())}`;
    const rolled = (await conn
      .sobject('Contact')
      .create([{ LastName: tag }, { FirstName: 'missing last name' }], {
        allOrNone: true
      })) as SaveResult[];
    assert.deepEqual(
      rolled.map((r) => r.success),
      [false, false]
    );
    assert.equal(
      rolled[0]?.errors[0]?.statusCode,
      'ALL_OR_NONE_OPERATION_ROLLED_BACK'
    );
    assert.equal(
      (await conn.query(`SELECT Id FROM Contact WHERE LastName = '${tag}'`))
        .totalSize,
      0
    );
    const partial = (await conn
      .sobject('Contact')
      .create([{ LastName: tag }, { FirstName: 'missing' }])) as SaveResult[];
    assert.deepEqual(
      partial.map((r) => r.success),
      [true, false]
    );
    assert.equal(partial[1]?.errors[0]?.statusCode, 'REQUIRED_FIELD_MISSING');
    const ids = partial
      .map((r) => r.id)
      .filter((id): id is string => typeof id === 'string');
    const updated = (await conn
      .sobject('Contact')
      .update(ids.map((Id) => ({ Id, Title: 'Engineer' })))) as SaveResult[];
    assert.deepEqual(updated[0]?.errors, []);
    const deleted = (await conn
      .sobject('Contact')
      .destroy([...ids, '003000000000000AAA'])) as SaveResult[];
    assert.deepEqual(
      deleted.map((r) => r.success),
      [true, false]
    );
  });

  it('upserts by external id: create, update, and 300 on multiple matches', async () => {
    const first = await conn.sobject('Incident_Roster_Member__c').upsert(
      {
        External_Id__c: 'EXP-1',
        Name: 'Ana',
        Role__c: 'Technical Expert',
        Email__c: 'ana@example.com'
      },
      'External_Id__c'
    );
    assert.equal((first as { created: boolean }).created, true);
    const second = await conn
      .sobject('Incident_Roster_Member__c')
      .upsert(
        { External_Id__c: 'EXP-1', Expertise__c: 'Inverters' },
        'External_Id__c'
      );
    assert.equal((second as { created: boolean }).created, false);
    const many = (await conn.sobject('Incident_Roster_Member__c').upsert(
      [
        { External_Id__c: 'EXP-1', Phone__c: '555' },
        {
          External_Id__c: 'EXP-2',
          Name: 'Ben',
          Role__c: 'Incident Owner',
          Email__c: 'ben@example.com'
        }
      ],
      'External_Id__c'
    )) as (SaveResult & { created: boolean })[];
    assert.deepEqual(
      many.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true]
      ]
    );
    // Contact.Email is an idLookup field without uniqueness, so two records can match.
    await conn.sobject('Contact').create([
      { LastName: 'Twin', Email: 'twin@example.com' },
      { LastName: 'Twin', Email: 'twin@example.com' }
    ]);
    await rejectsWithCode(
      conn
        .sobject('Contact')
        .upsert({ Email: 'twin@example.com', Phone: '1' }, 'Email'),
      'MULTIPLE_CHOICES'
    );
  });

  it('runs composite requests with references and allOrNone', async () => {
    const response = await conn.request<{
      compositeResponse: {
        httpStatusCode: number;
        body: unknown;
        referenceId: string;
      }[];
    }>({
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
            body: { Name: 'Composite Co' }
          },
          {
            method: 'POST',
            url: '/services/data/v64.0/sobjects/Contact',
            referenceId: 'ct',
            body: { LastName: 'Ref', AccountId: '@{acct.id}' }
          },
          {
            method: 'GET',
            url: '/services/data/v64.0/sobjects/Contact/@{ct.id}?fields=AccountId',
            referenceId: 'read'
          }
        ]
      })
    });
    const [acct, , read] = response.compositeResponse;
    assert.equal(acct?.httpStatusCode, 201);
    assert.equal(
      (read?.body as { AccountId: string }).AccountId,
      (acct.body as { id: string }).id
    );
    const failed = await conn.request<{
      compositeResponse: {
        httpStatusCode: number;
        body: { errorCode: string }[];
      }[];
    }>({
      method: 'POST',
      url: '/services/data/v64.0/composite',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v64.0/sobjects/Account',
            referenceId: 'a',
            body: { Name: 'Never Saved' }
          },
          {
            method: 'POST',
            url: '/services/data/v64.0/sobjects/Contact',
            referenceId: 'c',
            body: { FirstName: 'no last name' }
          }
        ]
      })
    });
    assert.deepEqual(
      failed.compositeResponse.map((r) => r.body[0]?.errorCode),
      ['PROCESSING_HALTED', 'REQUIRED_FIELD_MISSING']
    );
    assert.equal(
      (await conn.query("SELECT Id FROM Account WHERE Name = 'Never Saved'"))
        .totalSize,
      0
    );
  });

  it('pages queries by 2,000 and jsforce autoFetch follows nextRecordsUrl', async () => {
    const records = Array.from({ length: 4100 }, (_, i) => ({
      LastName: `Paged ${String(i).padStart(5, '0')}`
    }));
    const loaded = await insertViaCollections(conn, 'Contact', records);
    assert.equal(loaded.calls, 21);
    const first = await conn.query(
      "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Paged %'"
    );
    assert.equal(first.totalSize, 4100);
    assert.equal(first.records.length, 2000);
    assert.equal(first.done, false);
    const all = await conn
      .query("SELECT Id FROM Contact WHERE LastName LIKE 'Paged %'")
      .run({ autoFetch: true, maxFetch: 10000 });
    assert.equal(all.records.length, 4100);
    assert.equal(new Set(all.records.map((r) => r.Id)).size, 4100);
  });

  it('keeps a query cursor to the records it found: one deleted from page 2 leaves that page short, and page 3 still follows', async () => {
    const records = Array.from({ length: 4100 }, (_, i) => ({
      LastName: `Cursor ${String(i).padStart(5, '0')}`
    }));
    await insertViaCollections(conn, 'Contact', records);
    const soql =
      "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Cursor %' ORDER BY LastName";
    const first = await conn.query<{ Id: string; LastName: string }>(soql);
    assert.equal(first.records.length, 2000);
    const gone = await conn.query<{ Id: string }>(
      "SELECT Id FROM Contact WHERE LastName = 'Cursor 02500'"
    );
    await conn.sobject('Contact').destroy(gone.records[0]?.Id ?? '');
    const second = await conn.queryMore<{ LastName: string }>(
      first.nextRecordsUrl ?? ''
    );
    assert.equal(second.done, false);
    assert.equal(second.records.length, 1999);
    assert.equal(second.records[0]?.LastName, 'Cursor 02000');
    const third = await conn.queryMore<{ LastName: string }>(
      second.nextRecordsUrl ?? ''
    );
    assert.equal(third.done, true);
    assert.deepEqual(
      [third.records.length, third.records[0]?.LastName],
      [100, 'Cursor 04000']
    );
  });

  it('describes objects and reports limits that decrease per call', async () => {
    const global = await conn.describeGlobal();
    assert.ok(
      global.sobjects.some((s) => s.name === 'Incident_Roster_Member__c')
    );
    const incident = await conn.sobject('Incident').describe();
    const urgency = incident.fields.find((f) => f.name === 'Urgency');
    assert.deepEqual(
      (urgency?.picklistValues as { value: string }[] | undefined)?.map(
        (p) => p.value
      ),
      ['High', 'Low', 'Medium']
    );
    assert.ok(incident.fields.some((f) => f.name === 'Severity__c'));
    assert.ok(
      incident.childRelationships.some(
        (r) => r.relationshipName === 'CaseRelatedIssues'
      )
    );
    const remaining = async (): Promise<number> => {
      const daily = (await conn.limits()).DailyApiRequests;
      assert.ok(daily, 'limits() reports DailyApiRequests');
      return daily.Remaining;
    };
    const one = await remaining();
    const two = await remaining();
    assert.equal(one - two, 1);
  });

  it('loads and queries with Bulk API 2.0', async () => {
    const input = Array.from({ length: 30 }, (_, i) => ({
      LastName: `Bulk ${String(i)}`,
      Email: i === 7 ? 'not-an-email' : `b${String(i)}@example.com`
    }));
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(results.successfulResults.length, 29);
    assert.equal(results.failedResults.length, 1);
    assert.match(
      String(results.failedResults[0]?.sf__Error),
      /INVALID_EMAIL_ADDRESS/
    );
    const stream = await conn.bulk2.query(
      "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Bulk %'",
      { pollInterval: 20, pollTimeout: 10000 }
    );
    const rows = (await stream.toArray()) as Record<string, string>[];
    assert.equal(rows.length, 29);
  });

  it('upserts CustomMetadata through the Metadata API and queries it as X__mdt', async () => {
    const record: CustomMetadata = {
      fullName: 'Incident_Sla_Policy.Severity_4',
      label: 'Severity 4',
      values: [
        { field: 'Severity__c', value: 4 },
        { field: 'Response_Minutes__c', value: 480 },
        { field: 'Resolution_Minutes__c', value: 10080 },
        { field: 'Warning_Percent__c', value: 75 }
      ]
    };
    const saved = await conn.metadata.upsert('CustomMetadata', record);
    assert.equal(saved.success, true);
    assert.equal(saved.created, true);
    const rows = await conn.query(
      'SELECT DeveloperName, Response_Minutes__c FROM Incident_Sla_Policy__mdt WHERE Severity__c = 4'
    );
    assert.equal(rows.records[0]?.Response_Minutes__c, 480);
    const read = (await conn.metadata.read(
      'CustomMetadata',
      'Incident_Sla_Policy.Severity_4'
    )) as unknown as { label: string };
    assert.equal(read.label, 'Severity 4');
    const listed = await conn.metadata.list({ type: 'CustomMetadata' });
    assert.ok(
      listed.some((p) => p.fullName === 'Incident_Sla_Policy.Severity_4')
    );
    assert.ok(
      listed.some(
        (p) => p.fullName === 'Incident_Severity_Rule.Urgency1_Impact1'
      )
    );
  });

  it('runs the incident automation through incidentRules', async () => {
    const created = await conn.sobject('Incident').create({
      Subject: 'Regional outage',
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: '2026-01-05T10:00:00.000Z'
    });
    const id = created.id ?? '';
    const row = await conn.sobject('Incident').retrieve(id);
    assert.equal(row.Severity__c, 1);
    assert.equal(row.Priority, 'Critical');
    assert.equal(row.Sla_Response_Due__c, '2026-01-05T10:30:00.000+0000');
    assert.equal(row.Sla_Resolution_Due__c, '2026-01-05T14:00:00.000+0000');
    await conn
      .sobject('Incident')
      .update({ Id: id, Impact: 'Medium', Status: 'In Progress' });
    const changed = await conn.sobject('Incident').retrieve(id);
    assert.equal(changed.Severity__c, 2);
    assert.equal(changed.Priority, 'High');
    assert.equal(changed.Sla_Response_Due__c, '2026-01-05T11:00:00.000+0000');
    assert.notEqual(changed.Sla_Responded_At__c, null);
    await conn.sobject('Incident').update({ Id: id, Status: 'Resolved' });
    assert.notEqual(
      (await conn.sobject('Incident').retrieve(id)).ResolutionDateTime,
      null
    );
    const kase = await conn.sobject('Case').create({ Subject: 'No power' });
    await conn
      .sobject('CaseRelatedIssue')
      .create({ CaseId: kase.id, RelatedIssueId: id });
    await rejectsWithCode(
      conn
        .sobject('CaseRelatedIssue')
        .create({ CaseId: kase.id, RelatedIssueId: id }),
      'DUPLICATE_VALUE'
    );
  });

  it('loses no update with 8 parallel writers', async () => {
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 25; i++)
          await conn
            .sobject('Account')
            .create({ Name: `Writer ${String(w)} #${String(i)}` });
      })()
    );
    await Promise.all(writers);
    assert.equal(
      (
        await conn.query(
          "SELECT COUNT() FROM Account WHERE Name LIKE 'Writer %'"
        )
      ).totalSize,
      200
    );
  });
});

describe('local org lifecycle and faults', () => {
  it('keeps records across a restart of a file database', async () => {
    const first = await startTestOrg();
    const created = await first.conn
      .sobject('Account')
      .create({ Name: 'Durable' });
    await first.org.stop();
    const second = await startTestOrg({ dbPath: first.dbPath });
    try {
      assert.equal(second.org.accessToken, first.org.accessToken);
      const row = await second.conn
        .sobject('Account')
        .retrieve(created.id ?? '');
      assert.equal(row.Name, 'Durable');
      const next = await second.conn
        .sobject('Account')
        .create({ Name: 'After restart' });
      assert.notEqual(next.id, created.id);
    } finally {
      await second.dispose();
      await first.dispose().catch(() => undefined);
    }
  });

  it('injects scheduled faults and counts calls per endpoint', async () => {
    const t = await startTestOrg({
      faults: {
        rules: [
          {
            endpoint: 'sobject.create',
            kind: 'SERVER_UNAVAILABLE',
            calls: [1]
          },
          {
            endpoint: 'sobject.create',
            kind: 'UNABLE_TO_LOCK_ROW',
            calls: [2]
          },
          {
            endpoint: 'sobject.create',
            kind: 'REQUEST_LIMIT_EXCEEDED',
            calls: [3]
          },
          { endpoint: 'sobject.create', kind: 'DROP_CONNECTION', calls: [4] }
        ]
      }
    });
    try {
      const create = (): Promise<unknown> =>
        t.conn.sobject('Account').create({ Name: 'Faulty' });
      await rejectsWithCode(create(), 'SERVER_UNAVAILABLE');
      await rejectsWithCode(create(), 'UNABLE_TO_LOCK_ROW');
      await rejectsWithCode(create(), 'REQUEST_LIMIT_EXCEEDED');
      await assert.rejects(create());
      const ok = await t.conn.sobject('Account').create({ Name: 'Faulty' });
      assert.equal(ok.success, true);
      assert.equal(t.org.counters.get('sobject.create'), 5);
      assert.equal(
        (
          await t.conn.query(
            "SELECT COUNT() FROM Account WHERE Name = 'Faulty'"
          )
        ).totalSize,
        1
      );
    } finally {
      await t.dispose();
    }
  });

  it('draws rate faults from a seed, so a run repeats', async () => {
    const outcomes: string[] = [];
    for (let run = 0; run < 2; run++) {
      const t = await startTestOrg({
        dbPath: ':memory:',
        faults: {
          seed: 42,
          rules: [{ endpoint: 'limits', kind: 'SERVER_UNAVAILABLE', rate: 0.5 }]
        }
      });
      let pattern = '';
      for (let i = 0; i < 16; i++)
        pattern +=
          (await raw(t.org, 'GET', '/services/data/v64.0/limits')).status ===
          503
            ? 'x'
            : '.';
      outcomes.push(pattern);
      await t.dispose();
    }
    assert.equal(outcomes[0], outcomes[1]);
    assert.match(outcomes[0] ?? '', /x/);
    assert.match(outcomes[0] ?? '', /\./);
  });
});
