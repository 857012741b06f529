/**
 * The link, detect and sync commands end to end: the real incident CLI against local orgs in the
 * sf auth store. Each command's first run here is a child process (bin/incident.js); the
 * others run in process (runIncidentInProcess), loading the CLI's modules once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  jsonOf,
  makeSandbox,
  runIncident,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from '../cli/test-cli.ts';
import {
  runIncidentInProcess,
  startOrgInProcess,
  type InProcessOrg
} from '../cli/test-in-process.ts';
import type { DetectCommandResult } from '../cli/commands/incident/detect.ts';
import type { LinkCommandResult } from '../cli/commands/incident/link.ts';
import type { SyncCommandResult } from '../cli/commands/incident/sync.ts';

let sandbox: Sandbox;
let hub: InProcessOrg;
let support: InProcessOrg;
let incidentNumber = '';

before(async () => {
  sandbox = makeSandbox();
  hub = await startOrgInProcess(sandbox);
  // The org keeps its database in `home`; the support org's lives in a folder of its own
  // (so it is another org, with its own org id and admin username), and logs in to the same sf
  // auth store under another alias.
  const supportHome = mkdtempSync(path.join(sandbox.home, 'support-'));
  support = await startOrgInProcess(
    { ...sandbox, home: supportHome },
    { alias: 'support' }
  );
  // A product outage: 12 cases on one product's assets, an incident on the product.
  const conn = hub.conn;
  const account = await conn
    .sobject('Account')
    .create({ Name: 'CLI customer', Region__c: 'North' });
  const product = await conn
    .sobject('Product2')
    .create({ Name: 'CLI Inverter' });
  const asset = await conn.sobject('Asset').create({
    Name: 'CLI site',
    AccountId: account.id,
    Product2Id: product.id
  });
  await conn.sobject('Case').create(
    Array.from({ length: 12 }, (_, i) => ({
      Subject: `No power ${i}`,
      AccountId: account.id,
      AssetId: asset.id
    }))
  );
  const sourceAccount = await support.conn
    .sobject('Account')
    .create({ Name: 'Support customer' });
  await support.conn.sobject('Case').create(
    Array.from({ length: 5 }, (_, i) => ({
      Subject: `Support case ${i}`,
      AccountId: sourceAccount.id
    }))
  );
});
after(async () => {
  await Promise.all([hub.stop(), support.stop()]);
  sandbox.dispose();
});

test('detect --create opens the storm incident', async () => {
  const run = await runIncident(
    ['detect', '--target-org', 'incident-local', '--create', '--json'],
    sandbox
  );
  assert.equal(run.code, 0, run.stderr);
  const out = jsonOf(run) as SfSuccess<DetectCommandResult>;
  assert.equal(out.result.created, 1);
  const [storm] = out.result.storms;
  assert.ok(storm);
  assert.equal(storm.caseCount, 12);
  assert.ok(out.result.api.apiCalls > 0);
  incidentNumber = storm.created?.incidentNumber ?? '';
});

test('link attaches a late case, reports in text and in --json with the API calls', async () => {
  const asset = await hub.conn.query<{ Id: string }>(
    'SELECT Id FROM Asset LIMIT 1'
  );
  await hub.conn
    .sobject('Case')
    .create({ Subject: 'Late caller', AssetId: asset.records[0]?.Id });
  const dry = await runIncident(
    [
      'link',
      '--target-org',
      'incident-local',
      '--incident',
      incidentNumber,
      '--dry-run'
    ],
    sandbox
  );
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    /Dry run: would link 1 case\(s\), 12 already linked/
  );
  // The progress bar (stderr, drawn without a terminal too) counts the incidents it went through.
  assert.match(dry.stderr, /Linking cases \|[^|]*\| 1\/1 incidents/);
  assert.doesNotMatch(dry.stderr, /Components/);
  const run = jsonOf(
    await runIncidentInProcess(
      ['link', '--target-org', 'incident-local', '--json'],
      sandbox
    )
  ) as SfSuccess<LinkCommandResult>;
  assert.deepEqual(
    [run.status, run.result.linked, run.result.alreadyLinked],
    [0, 1, 12]
  );
  assert.ok(run.result.api.callsByEndpoint['POST composite/sobjects'] === 1);
});

test('bad input exits 2 with one clear message', async () => {
  const unknown = await runIncidentInProcess(
    [
      'link',
      '--target-org',
      'incident-local',
      '--incident',
      '42424242',
      '--json'
    ],
    sandbox
  );
  assert.equal(unknown.code, 2);
  assert.match(
    (jsonOf(unknown) as SfFailure).message,
    /^--incident: no incident 42424242/
  );
  const same = await runIncidentInProcess(
    [
      'sync',
      '--source-org',
      'incident-local',
      '--target-org',
      'incident-local',
      '--json'
    ],
    sandbox
  );
  assert.equal(same.code, 2);
  assert.match((jsonOf(same) as SfFailure).message, /same org/);
});

test('sync copies the support org into the hub; a rerun copies nothing', async () => {
  const run = await runIncident(
    [
      'sync',
      '--source-org',
      'support',
      '--target-org',
      'incident-local',
      '--json'
    ],
    sandbox
  );
  assert.equal(run.code, 0, run.stderr);
  const out = jsonOf(run) as SfSuccess<SyncCommandResult>;
  assert.deepEqual(
    [out.result.path, out.result.created, out.result.accounts],
    ['collections', 5, 1]
  );
  const again = await runIncidentInProcess(
    ['sync', '--source-org', 'support', '--target-org', 'incident-local'],
    sandbox
  );
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^0 changed case\(s\)/m);
});
