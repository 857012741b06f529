/**
 * force-app's validation rules in the local org, through jsforce: the two roster rules refuse
 * and accept on create, update, sObject Collections (per record, allOrNone) and Bulk API 2.0
 * ingest; a rule outside the supported formula subset stops the org from starting.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadOrgSchema } from './schema.ts';
import { startLocalOrg } from './server.ts';
import {
  createViaCollections,
  raw,
  rejectsWithCode,
  startTestOrg,
  type TestOrg
} from './test-org.ts';
import { validationRulesOf } from './validation-rules.ts';

const MEMBER = 'Incident_Roster_Member__c';
const SLM_MESSAGE =
  'A service level manager needs the account whose SLAs they watch.';
const REACH_MESSAGE =
  'Give the member a user or an email address so the team can reach them.';

describe('validation rules in the local org (jsforce)', () => {
  let t: TestOrg;
  let accountId: string;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
    const account = await t.conn.sobject('Account').create({ Name: 'Sunny' });
    accountId = String(account.id);
  });
  after(async () => {
    await t.dispose();
  });

  it('deploys both shipped roster rules', () => {
    assert.deepEqual(
      validationRulesOf(t.org.ctx.registry, MEMBER).map((r) => r.name),
      ['Require_User_Or_Email', 'Service_Level_Manager_Needs_Account']
    );
  });

  it('refuses a service level manager without an account on create, with the rule message and field', async () => {
    const record = {
      Name: 'No account',
      Role__c: 'Service Level Manager',
      Email__c: 'slm@example.com'
    };
    await rejectsWithCode(
      t.conn.sobject(MEMBER).create(record),
      'FIELD_CUSTOM_VALIDATION_EXCEPTION'
    );
    // The REST error body as the platform sends it (jsforce keeps only code and message).
    const response = await raw(
      t.org,
      'POST',
      `/services/data/v64.0/sobjects/${MEMBER}`,
      JSON.stringify(record),
      { 'content-type': 'application/json' }
    );
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, [
      {
        message: SLM_MESSAGE,
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        fields: ['Account__c']
      }
    ]);
    const left = await t.conn.query(
      `SELECT Id FROM ${MEMBER} WHERE Name = 'No account'`
    );
    assert.equal(left.totalSize, 0);
  });

  it('accepts a service level manager with an account, and other roles without one', async () => {
    const slm = await t.conn.sobject(MEMBER).create({
      Name: 'With account',
      Role__c: 'Service Level Manager',
      Email__c: 'slm@example.com',
      Account__c: accountId
    });
    assert.equal(slm.success, true);
    const owner = await t.conn.sobject(MEMBER).create({
      Name: 'Owner',
      Role__c: 'Incident Owner',
      Email__c: 'owner@example.com'
    });
    assert.equal(owner.success, true);
  });

  it('refuses an update that clears the account or makes an owner a service level manager', async () => {
    const created = await t.conn.sobject(MEMBER).create({
      Name: 'Changing',
      Role__c: 'Incident Owner',
      Email__c: 'changing@example.com'
    });
    const id = String(created.id);
    await rejectsWithCode(
      t.conn
        .sobject(MEMBER)
        .update({ Id: id, Role__c: 'Service Level Manager' }),
      'FIELD_CUSTOM_VALIDATION_EXCEPTION'
    );
    await t.conn.sobject(MEMBER).update({
      Id: id,
      Role__c: 'Service Level Manager',
      Account__c: accountId
    });
    await rejectsWithCode(
      t.conn.sobject(MEMBER).update({ Id: id, Account__c: null }),
      'FIELD_CUSTOM_VALIDATION_EXCEPTION'
    );
    const stored = await t.conn
      .sobject(MEMBER)
      .retrieve(id, { fields: ['Role__c', 'Account__c'] });
    assert.equal(stored.Role__c, 'Service Level Manager');
    assert.equal(stored.Account__c, accountId);
  });

  it('refuses a member with neither user nor email (an empty email is blank), on Email__c', async () => {
    for (const email of [undefined, '']) {
      const response = await raw(
        t.org,
        'POST',
        `/services/data/v64.0/sobjects/${MEMBER}`,
        JSON.stringify({
          Name: 'Unreachable',
          Role__c: 'Incident Owner',
          ...(email === undefined ? {} : { Email__c: email })
        }),
        { 'content-type': 'application/json' }
      );
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, [
        {
          message: REACH_MESSAGE,
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          fields: ['Email__c']
        }
      ]);
    }
    const user = await t.conn.query<{ Id: string }>(
      'SELECT Id FROM User LIMIT 1'
    );
    const withUser = await t.conn.sobject(MEMBER).create({
      Name: 'Has user',
      Role__c: 'Incident Owner',
      User__c: user.records[0]?.Id
    });
    assert.equal(withUser.success, true);
  });

  it('reports each failing record in a collection, and rolls back all with allOrNone', async () => {
    const records = [
      { Name: 'Good', Role__c: 'Technical Expert', Email__c: 'a@example.com' },
      {
        Name: 'Bad SLM',
        Role__c: 'Service Level Manager',
        Email__c: 'b@example.com'
      },
      { Name: 'Bad reach', Role__c: 'Technical Expert' }
    ];
    const partial = await createViaCollections(t.conn, MEMBER, records, false);
    assert.deepEqual(
      partial.map((r) => [r.success, r.errors[0]?.statusCode ?? null]),
      [
        [true, null],
        [false, 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
        [false, 'FIELD_CUSTOM_VALIDATION_EXCEPTION']
      ]
    );
    assert.equal(partial[1]?.errors[0]?.message, SLM_MESSAGE);
    assert.equal(partial[2]?.errors[0]?.message, REACH_MESSAGE);

    const allOrNone = await createViaCollections(
      t.conn,
      MEMBER,
      records.map((r) => ({ ...r, Name: `${r.Name} (all)` })),
      true
    );
    assert.ok(allOrNone.every((r) => !r.success));
    const kept = await t.conn.query(
      `SELECT Id FROM ${MEMBER} WHERE Name LIKE '%(all)'`
    );
    assert.equal(kept.totalSize, 0);
  });

  it('fails the offending Bulk API 2.0 rows and loads the rest', async () => {
    const results = await t.conn.bulk2.loadAndWaitForResults({
      object: MEMBER,
      operation: 'insert',
      input: [
        {
          Name: 'Bulk good',
          Role__c: 'Service Level Manager',
          Email__c: 'c@example.com',
          Account__c: accountId
        },
        {
          Name: 'Bulk bad',
          Role__c: 'Service Level Manager',
          Email__c: 'd@example.com',
          Account__c: ''
        }
      ],
      pollInterval: 20,
      pollTimeout: 10000
    });
    assert.equal(results.successfulResults.length, 1);
    assert.equal(results.failedResults.length, 1);
    assert.equal(
      String(results.failedResults[0]?.sf__Error),
      `FIELD_CUSTOM_VALIDATION_EXCEPTION:${SLM_MESSAGE}:Account__c --`
    );
  });
});

describe('validation rules the local org cannot evaluate', () => {
  const rule = (formula: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
  <fullName>Name_Pattern</fullName>
  <active>true</active>
  <errorConditionFormula>${formula}</errorConditionFormula>
  <errorMessage>Bad name.</errorMessage>
</ValidationRule>
`;
  let dir: string;
  let ruleFile: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vr-force-app-'));
    const rulesDir = path.join(dir, 'objects', 'Account', 'validationRules');
    mkdirSync(rulesDir, { recursive: true });
    ruleFile = path.join(rulesDir, 'Name_Pattern.validationRule-meta.xml');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start, naming the file and the unsupported function', async () => {
    writeFileSync(ruleFile, rule("NOT(REGEX(Name, '[A-Z].*'))"));
    await assert.rejects(
      startLocalOrg({ port: 0, dbPath: ':memory:', forceAppDir: dir }),
      (error: Error) => {
        assert.ok(error.message.startsWith(`${ruleFile}: `), error.message);
        assert.match(error.message, /unsupported function REGEX/);
        return true;
      }
    );
  });

  it('refuses unknown fields, type errors and non-checkbox formulas at load', () => {
    for (const [formula, reason] of [
      ['ISBLANK(Nope__c)', /unknown field Nope__c on Account/],
      ['Name = 1', /incorrect argument type, Text and Number/],
      ["Type = 'Other'", /picklist field can only be used/],
      ['Name', /must return a Checkbox/],
      ['$User.Id = OwnerId', /unsupported global variable \$User\.Id/]
    ] as const) {
      writeFileSync(ruleFile, rule(formula));
      assert.throws(() => loadOrgSchema(dir), reason, formula);
    }
  });

  it('skips an inactive rule without compiling it', () => {
    writeFileSync(
      ruleFile,
      rule("REGEX(Name, 'x')").replace('<active>true', '<active>false')
    );
    const { registry } = loadOrgSchema(dir);
    assert.deepEqual(validationRulesOf(registry, 'Account'), []);
  });
});
