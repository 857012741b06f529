/**
 * `incident rollout` end to end: the real CLI against a local org in the sf auth store, started
 * with a fault drill that fails the first six composite calls, so the first real run cannot
 * close the cases (exit 1, each listed) and the rerun finishes (exit 0).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  jsonOf,
  makeSandbox,
  runIncident,
  startCliOrg,
  type CliOrg,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from '../cli/test-cli.ts';
import type { RolloutCommandResult } from '../cli/commands/incident/rollout.ts';
import { OrgClient } from '../org-client/index.ts';
import { loadRolloutScenario, type RolloutScenario } from './rollout-data.ts';

let sandbox: Sandbox;
let org: CliOrg;
let scenario: RolloutScenario;

before(async () => {
  sandbox = makeSandbox();
  writeFileSync(
    path.join(sandbox.cwd, 'drill.json'),
    JSON.stringify({
      rules: [
        // The client makes 6 attempts: the first run's one composite call fails for good.
        {
          endpoint: 'composite',
          kind: 'UNABLE_TO_LOCK_ROW',
          calls: [1, 2, 3, 4, 5, 6]
        }
      ]
    })
  );
  org = await startCliOrg(sandbox, ['--faults', 'drill.json']);
  scenario = await loadRolloutScenario(new OrgClient(org.conn), {
    incidents: 2,
    cases: 30,
    contacts: 8,
    tag: 'cli'
  });
});
after(async () => {
  await org.stop();
  sandbox.dispose();
});

const rollout = (...args: string[]) =>
  runIncident(['rollout', '--target-org', 'incident-local', ...args], sandbox);

test('--dry-run prints what it would do and writes nothing', async () => {
  const run = await rollout(
    '--change-request',
    scenario.changeRequestNumber,
    '--dry-run'
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `Dry run of change request ${scenario.changeRequestNumber}: would resolve 2 incident\\(s\\) and 1 problem\\(s\\), send Service Restored for 2 incident\\(s\\) to \\d+ recipient\\(s\\), close ${String(scenario.openCaseIds.length)} case\\(s\\)`
    )
  );
  assert.match(run.stdout, /Nothing written/);
  assert.match(run.stdout, /Left alone \(not 'Fixed By'\): 1 related issue/);
  const [cr] = (
    await org.conn.query<{ Status: string }>(
      `SELECT Status FROM ChangeRequest WHERE Id = '${scenario.changeRequestId}'`
    )
  ).records;
  assert.equal(cr?.Status, 'Implementing');
});

test('an unknown change request: exit 2, one message, as JSON too', async () => {
  const run = await rollout('--change-request', '424242', '--json');
  assert.equal(run.code, 2);
  const out = jsonOf(run) as SfFailure;
  assert.equal(out.name, 'RolloutInputError');
  assert.match(out.message, /no change request 424242 in the org/);
  const missing = await rollout();
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /change-request/);
});

test('a run whose case writes keep failing exits 1 listing each case; the rerun finishes and a third run writes nothing', async () => {
  const first = await rollout(
    '--change-request',
    scenario.changeRequestNumber,
    '--json'
  );
  assert.equal(first.code, 1, first.stderr);
  const failed = jsonOf(first) as SfSuccess<RolloutCommandResult>;
  assert.equal(failed.result.failures.length, scenario.openCaseIds.length);
  assert.ok(
    failed.result.failures.every(
      (f) => f.object === 'Case' && f.statusCode === 'CALL_FAILED'
    )
  );
  assert.equal(failed.result.changeRequest.completed, false);
  assert.equal(failed.result.events.written, 0);
  const lastUpdates = async () =>
    (
      await org.conn.query<{ Id: string; Last_Customer_Update_At__c: string }>(
        `SELECT Id, Last_Customer_Update_At__c FROM Incident WHERE Id IN ('${scenario.incidentIds.join("','")}') ORDER BY Id`
      )
    ).records.map((r) => [r.Id, r.Last_Customer_Update_At__c]);
  const stampedFirst = await lastUpdates();
  assert.ok(stampedFirst.every(([, at]) => typeof at === 'string'));

  const second = await rollout(
    '--change-request',
    scenario.changeRequestId,
    '--json'
  );
  assert.equal(second.code, 0, second.stderr);
  const done = jsonOf(second) as SfSuccess<RolloutCommandResult>;
  assert.deepEqual(done.result.failures, []);
  assert.equal(done.result.changeRequest.completed, true);
  assert.equal(done.result.cases.closed, scenario.openCaseIds.length);
  // The incidents were resolved and notified by the first run, but not done (their cases
  // failed), so the rerun resumes each send: it messages nobody again (no BroadcastCommunication,
  // EmailMessage), so it leaves Last_Customer_Update_At__c and the CommunicationSent event as
  // the first run wrote them (no Incident write), then closes the cases.
  assert.ok(done.result.incidents.every((i) => i.outcome === 'already'));
  assert.deepEqual(Object.keys(done.result.writes).sort(), [
    'Case',
    'CaseComment',
    'ChangeRequest',
    'Incident_Event__c'
  ]);
  assert.deepEqual(await lastUpdates(), stampedFirst);
  assert.equal(done.result.writes.CaseComment, scenario.openCaseIds.length);
  assert.ok(done.result.api.apiCalls > 0);

  const third = await rollout('--change-request', scenario.changeRequestNumber);
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stdout, /was completed already; finished what was left/);
  assert.match(third.stdout, /closed 0 case\(s\)/);
});
