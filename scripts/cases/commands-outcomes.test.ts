/**
 * What link, detect and sync do beside their links, end to end through the real incident CLI
 * against local orgs in the sf auth store:
 * - a timeline event the org refuses is a partial failure: listed (key, status code, message)
 *   in the text output and in --json, exit 1, the links kept. The refusal is real: the refusing
 *   org is deployed from a copy of force-app with one more validation rule, an admin's rule
 *   refusing the tooling's events (Source__c CLI or Another Org), so only those upserts fail;
 * - executive outreach (T10): a key account's case linked to a severity 1 incident has exactly
 *   one Incident_Outreach__c after link and after a rerun, and with the local org's automation
 *   bypassed (so its after-save creates nothing) the tooling's own call creates it, once.
 * The CLI runs in process (runIncidentInProcess: the same oclif run, its modules loaded once);
 * commands.test.ts runs each of these commands as a child process.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  PROJECT_ROOT,
  jsonOf,
  makeSandbox,
  type RunResult,
  type Sandbox,
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

const REFUSAL = 'Tooling events are paused during the migration.';

/** An admin's validation rule on the event object: the CLI's and other orgs' events are refused. */
const REFUSE_TOOLING_EVENTS = `<?xml version="1.0" encoding="UTF-8" ?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
  <fullName>Pause_Tooling_Events</fullName>
  <active>true</active>
  <errorConditionFormula>OR(ISPICKVAL(Source__c, 'CLI'), ISPICKVAL(Source__c, 'Another Org'))</errorConditionFormula>
  <errorMessage>${REFUSAL}</errorMessage>
</ValidationRule>
`;

let sandbox: Sandbox;
/** The project's force-app: outreach is checked here, and it is sync's source. */
let plain: InProcessOrg;
/** force-app plus the rule above. */
let refusing: InProcessOrg;

before(async () => {
  sandbox = makeSandbox();
  const forceApp = path.join(sandbox.home, 'force-app-refusing');
  cpSync(path.join(PROJECT_ROOT, 'force-app'), forceApp, { recursive: true });
  const rules = path.join(
    forceApp,
    'main/default/objects/Incident_Event__c/validationRules'
  );
  mkdirSync(rules, { recursive: true });
  writeFileSync(
    path.join(rules, 'Pause_Tooling_Events.validationRule-meta.xml'),
    REFUSE_TOOLING_EVENTS
  );
  // Each org keeps its database in a folder of its own, under its own alias.
  [plain, refusing] = await Promise.all([
    startOrgInProcess(
      { ...sandbox, home: mkdtempSync(path.join(sandbox.home, 'plain-')) },
      { alias: 'plain' }
    ),
    startOrgInProcess(
      { ...sandbox, home: mkdtempSync(path.join(sandbox.home, 'refusing-')) },
      { alias: 'refusing', forceAppDir: forceApp }
    )
  ]);
});
after(async () => {
  await Promise.all([plain.stop(), refusing.stop()]);
  sandbox.dispose();
});

/** A site with its product; the same serial number in two orgs is the same installation to sync. */
async function site(org: InProcessOrg, serial: string): Promise<string> {
  const product = await org.conn
    .sobject('Product2')
    .create({ Name: `Inverter ${serial}` });
  const account = await org.conn
    .sobject('Account')
    .create({ Name: `Owner of ${serial}` });
  const asset = await org.conn.sobject('Asset').create({
    Name: `Site ${serial}`,
    SerialNumber: serial,
    AccountId: account.id,
    Product2Id: product.id
  });
  return String(asset.id);
}

async function cases(
  org: InProcessOrg,
  assetId: string,
  accountId: string | null,
  count: number
): Promise<void> {
  for (let i = 0; i < count; i++)
    await org.conn.sobject('Case').create({
      Subject: `No power ${String(i)}`,
      AssetId: assetId,
      ...(accountId === null ? {} : { AccountId: accountId })
    });
}

/** The failures table's rows of the refused events: each shows its key and the org's reason. */
function assertEventFailuresShown(
  run: RunResult,
  keys: readonly string[]
): void {
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /timeline event\(s\) could not be recorded/);
  for (const key of keys) {
    const row = run.stdout.split('\n').find((line) => line.includes(key));
    assert.ok(row, `no row for ${key} in:\n${run.stdout}`);
    assert.match(row, /FIELD_CUSTOM_VALIDATION_EXCEPTION/);
    assert.match(row, /Tooling events are paused/);
  }
}

async function outreachOf(
  org: InProcessOrg,
  incidentId: string
): Promise<{ Account__c: string; Outreach_Key__c: string }[]> {
  const found = await org.conn.query<{
    Account__c: string;
    Outreach_Key__c: string;
  }>(
    `SELECT Account__c, Outreach_Key__c FROM Incident_Outreach__c WHERE Incident__c = '${incidentId}' ORDER BY Outreach_Key__c`
  );
  return found.records;
}

describe('a refused timeline event is a partial failure: listed, exit 1, links kept', () => {
  let incidentId = '';
  let assetId = '';

  test('detect --create', async () => {
    assetId = await site(refusing, 'SN-STORM');
    await cases(refusing, assetId, null, 3);
    const run = await runIncidentInProcess(
      ['detect', '--target-org', 'refusing', '--create', '--threshold', '3'],
      sandbox
    );
    assert.match(run.stdout, /Created 1 incident\(s\), 0 failed/);
    const key = /(\w{18}):Created:storm:\S+/.exec(run.stdout);
    assert.ok(key, run.stdout);
    assertEventFailuresShown(run, [key[0]]);
    incidentId = key[1] ?? '';
    const links = await refusing.conn.query(
      `SELECT Id FROM CaseRelatedIssue WHERE RelatedIssueId = '${incidentId}'`
    );
    assert.equal(links.totalSize, 3, 'the storm is linked');
    // A rerun finds the storm covered: nothing opened, no event, exit 0.
    const again = jsonOf(
      await runIncidentInProcess(
        [
          'detect',
          '--target-org',
          'refusing',
          '--create',
          '--threshold',
          '3',
          '--json'
        ],
        sandbox
      )
    ) as SfSuccess<DetectCommandResult>;
    assert.deepEqual(
      [again.status, again.result.created, again.result.storms[0]?.coveredBy],
      [0, 0, incidentId]
    );
    assert.deepEqual(again.result.timeline, {
      created: 0,
      existing: 0,
      failed: []
    });
  });

  test('link', async () => {
    await cases(refusing, assetId, null, 1);
    const text = await runIncidentInProcess(
      ['link', '--target-org', 'refusing', '--incident', incidentId],
      sandbox
    );
    const json = jsonOf(
      await runIncidentInProcess(
        [
          'link',
          '--target-org',
          'refusing',
          '--incident',
          incidentId,
          '--json'
        ],
        sandbox
      )
    ) as SfSuccess<LinkCommandResult>;
    // The text run linked the late case; the JSON rerun found it linked and wrote no event.
    assert.match(text.stdout, /Linked 1 case\(s\), 3 already linked, 0 failed/);
    const key = /(\w{18}:CaseLinked:link:\S+)/.exec(text.stdout)?.[1] ?? '';
    assert.ok(key.startsWith(`${incidentId}:CaseLinked:link:`), text.stdout);
    assertEventFailuresShown(text, [key]);
    assert.deepEqual(
      [json.status, json.result.linked, json.result.alreadyLinked],
      [0, 0, 4]
    );
  });

  test('sync links the synced cases and lists the refused event', async () => {
    // The same installation in the plain org: its cases come into the refusing hub on it.
    const sourceAsset = await site(plain, 'SN-STORM');
    await cases(plain, sourceAsset, null, 2);
    const text = await runIncidentInProcess(
      ['sync', '--source-org', 'plain', '--target-org', 'refusing'],
      sandbox
    );
    assert.match(
      text.stdout,
      /Linked to open incidents: 2 case\(s\), 0 already linked, 0 failed/
    );
    const key = /(\w{18}:CaseLinked:sync:\S+)/.exec(text.stdout)?.[1] ?? '';
    assert.ok(key.startsWith(`${incidentId}:CaseLinked:sync:`), text.stdout);
    assertEventFailuresShown(text, [key]);
    const links = await refusing.conn.query(
      `SELECT Id FROM CaseRelatedIssue WHERE RelatedIssueId = '${incidentId}'`
    );
    assert.equal(links.totalSize, 6, 'the synced cases are linked');
    // A rerun copies nothing, links nothing, writes no event: exit 0.
    const again = jsonOf(
      await runIncidentInProcess(
        ['sync', '--source-org', 'plain', '--target-org', 'refusing', '--json'],
        sandbox
      )
    ) as SfSuccess<SyncCommandResult>;
    assert.deepEqual(
      [again.status, again.result.changed, again.result.linked],
      [0, 0, null]
    );
  });
});

describe('executive outreach after the tooling links a key account case', () => {
  let incidentId = '';
  let incidentNumber = '';
  let assetId = '';

  const link = async (): Promise<SfSuccess<LinkCommandResult>> => {
    const run = await runIncidentInProcess(
      ['link', '--target-org', 'plain', '--incident', incidentNumber, '--json'],
      sandbox
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    return jsonOf(run) as SfSuccess<LinkCommandResult>;
  };
  const keyAccountCase = async (name: string): Promise<string> => {
    const account = await plain.conn
      .sobject('Account')
      .create({ Name: name, Key_Account__c: true });
    await cases(plain, assetId, String(account.id), 1);
    return String(account.id);
  };

  before(async () => {
    assetId = await site(plain, 'SN-KEY');
    const incident = await plain.conn.sobject('Incident').create({
      Subject: 'Key site down',
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: new Date().toISOString()
    });
    incidentId = String(incident.id);
    await plain.conn
      .sobject('IncidentRelatedItem')
      .create({ IncidentId: incidentId, AssetId: assetId });
    const saved = await plain.conn.query<{
      IncidentNumber: string;
      Severity__c: number;
    }>(
      `SELECT IncidentNumber, Severity__c FROM Incident WHERE Id = '${incidentId}'`
    );
    const [row] = saved.records;
    assert.equal(row?.Severity__c, 1);
    incidentNumber = row.IncidentNumber;
  });

  test('one record after link and after a rerun (the org made it: the call is harmless)', async () => {
    const accountId = await keyAccountCase('Key customer');
    const first = await link();
    assert.equal(first.result.linked, 1);
    // The local org's after-save created it on the link, so the tooling's call found it.
    assert.deepEqual(first.result.outreach, { created: [], failed: [] });
    const again = await link();
    assert.equal(again.result.linked, 0);
    assert.equal(
      again.result.outreach,
      null,
      'no call when nothing was linked'
    );
    assert.deepEqual(
      (await outreachOf(plain, incidentId)).map((o) => o.Outreach_Key__c),
      [`${incidentId}:${accountId}`]
    );
  });

  test('with the org automation bypassed, the tooling creates it alone, once', async () => {
    const settings = await plain.conn
      .sobject('Incident_Automation_Settings__c')
      .create({ Bypass_Automation__c: true });
    try {
      const accountId = await keyAccountCase('Bypassed key customer');
      const key = `${incidentId}:${accountId}`;
      const text = await runIncidentInProcess(
        ['link', '--target-org', 'plain', '--incident', incidentNumber],
        sandbox
      );
      assert.equal(text.code, 0, text.stdout + text.stderr);
      assert.match(
        text.stdout,
        new RegExp(`Executive outreach: 1 record\\(s\\) created \\(${key}\\)`)
      );
      const again = await link();
      assert.equal(again.result.outreach, null);
      const outreach = await outreachOf(plain, incidentId);
      assert.equal(
        outreach.filter((o) => o.Account__c === accountId).length,
        1
      );
      assert.equal(outreach.length, 2);
    } finally {
      await plain.conn
        .sobject('Incident_Automation_Settings__c')
        .destroy(String(settings.id));
    }
  });
});
