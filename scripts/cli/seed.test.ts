/**
 * `incident seed` end to end: the real CLI against a local org started as `incident org start`
 * starts it (startOrgInProcess), reached by `--target-org incident-local` through the sf auth
 * store of a sandbox HOME. The seeding run is a child process (bin/incident.js); the other runs are in
 * process (runIncidentInProcess: the same oclif run, without loading every module again). The shipped plan seeds a fresh org with --create-users; a dry run
 * writes nothing, a rerun writes nothing, a changed plan shows field by field, --prune
 * deactivates, a record the org keeps refusing exits 1, and bad flags exit 2 with their
 * exact messages.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { SeedCommandResult } from './commands/incident/seed.ts';
import {
  jsonOf,
  makeSandbox,
  PROJECT_ROOT,
  runIncident,
  type RunResult,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from './test-cli.ts';
import {
  runIncidentInProcess,
  startOrgInProcess,
  type InProcessOrg
} from './test-in-process.ts';

const TIMEOUT = 300_000;
const PLAN = path.join(PROJECT_ROOT, 'config', 'incident-plan.json');

interface PlanFile {
  roster: { key: string; phone?: string }[];
  [section: string]: unknown;
}

const shippedPlan = (): PlanFile =>
  JSON.parse(readFileSync(PLAN, 'utf8')) as PlanFile;

function seeded(result: RunResult, code: 0 | 1 = 0): SeedCommandResult {
  assert.equal(result.code, code, result.stdout + result.stderr);
  const output = jsonOf(result) as SfSuccess<SeedCommandResult>;
  assert.equal(output.status, code);
  return output.result;
}

function refused(result: RunResult): SfFailure {
  assert.equal(result.code, 2, result.stdout + result.stderr);
  const output = jsonOf(result) as SfFailure;
  assert.equal(output.status, 2);
  return output;
}

const writesIn = (result: SeedCommandResult): string[] =>
  Object.keys(result.callsByEndpoint).filter((e) => !e.startsWith('GET '));

describe('incident seed against a local org', { timeout: TIMEOUT }, () => {
  let sandbox: Sandbox;
  let org: InProcessOrg;
  const seed = (args: string[]): Promise<RunResult> =>
    runIncidentInProcess(
      ['seed', '--target-org', 'incident-local', ...args],
      sandbox
    );
  const writePlan = (name: string, plan: PlanFile): string => {
    const file = path.join(sandbox.cwd, name);
    writeFileSync(file, JSON.stringify(plan));
    return file;
  };
  const rosterRows = async (): Promise<
    { External_Id__c: string; Active__c: boolean; Phone__c: string | null }[]
  > =>
    (
      await org.conn.query<{
        External_Id__c: string;
        Active__c: boolean;
        Phone__c: string | null;
      }>(
        'SELECT External_Id__c, Active__c, Phone__c FROM Incident_Roster_Member__c ORDER BY External_Id__c'
      )
    ).records;

  before(async () => {
    sandbox = makeSandbox();
    // The default --plan is config/incident-plan.json under the working directory.
    mkdirSync(path.join(sandbox.cwd, 'config'));
    writeFileSync(
      path.join(sandbox.cwd, 'config', 'incident-plan.json'),
      readFileSync(PLAN)
    );
    org = await startOrgInProcess(sandbox);
  });
  after(async () => {
    await org.stop();
    sandbox.dispose();
  });

  it('--dry-run --create-users shows the whole plan as added and writes nothing', async () => {
    const result = seeded(
      await seed(['--create-users', '--dry-run', '--json'])
    );
    assert.equal(result.dryRun, true);
    assert.equal(result.noChanges, false);
    assert.equal(
      result.plan,
      path.join(sandbox.cwd, 'config', 'incident-plan.json')
    );
    assert.equal(result.username, org.started.username);
    const roster = result.changes.filter((c) => c.section === 'roster');
    assert.equal(roster.length, shippedPlan().roster.length);
    assert.ok(roster.every((c) => c.kind === 'added'));
    assert.ok(result.changes.some((c) => c.section === 'users'));
    assert.deepEqual(writesIn(result), []);
    assert.ok(Object.values(result.written).every((n) => n === 0));
    assert.deepEqual(await rosterRows(), []);
  });

  it('seeds the shipped plan into a fresh org with --create-users, counting its API calls', async () => {
    // A child process: seed's one run through bin/incident.js.
    const human = await runIncident(
      ['seed', '--target-org', 'incident-local', '--create-users'],
      sandbox
    );
    assert.equal(human.code, 0, human.stdout + human.stderr);
    assert.match(human.stdout, /│ roster +│ csm-la-early +│ added +│/);
    assert.match(
      human.stdout,
      /^Wrote \d+ record\(s\): severityMatrix \d+, slaPolicy \d+, roster 17, users 17, keyAccounts 3\. \d+ API call\(s\), 0 retried\.$/m
    );
    const rows = await rosterRows();
    assert.equal(rows.length, 17);
    assert.ok(rows.every((row) => row.Active__c));
  });

  it('a rerun finds no changes and only reads', async () => {
    const human = await seed([]);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(
      human.stdout,
      'No changes: the org already holds the plan in config/incident-plan.json.\n'
    );
    const result = seeded(await seed(['--json']));
    assert.equal(result.noChanges, true);
    assert.deepEqual(result.changes, []);
    assert.deepEqual(writesIn(result), []);
    assert.ok(result.apiCalls > 0);
    assert.equal(
      result.apiCalls,
      Object.values(result.callsByEndpoint).reduce((a, b) => a + b, 0)
    );
  });

  it('a changed plan shows field by field in a dry run, then writes just that', async () => {
    const plan = shippedPlan();
    const member = plan.roster[0];
    assert.ok(member);
    const before = member.phone;
    member.phone = '+1 415 555 0999';
    const file = writePlan('changed.json', plan);
    const dry = await seed(['--plan', file, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      new RegExp(
        `│ roster +│ ${member.key} +│ changed +│ Phone__c +│ \\${before ?? ''} +│ \\+1 415 555 0999 +│`
      )
    );
    assert.match(dry.stdout, /^Dry run: 1 change\(s\), nothing written\./m);
    const real = seeded(await seed(['--plan', file, '--json']));
    assert.equal(real.written.roster, 1);
    const row = (await rosterRows()).find(
      (r) => r.External_Id__c === member.key
    );
    assert.equal(row?.Phone__c, '+1 415 555 0999');
  });

  it('--prune deactivates the members the plan no longer lists, and never deletes', async () => {
    const plan = shippedPlan();
    const dropped = plan.roster.pop();
    assert.ok(dropped);
    const file = writePlan('pruned.json', plan);
    const without = seeded(await seed(['--plan', file, '--json']));
    // Without --prune a missing member is left alone.
    assert.equal(
      without.changes.some((c) => c.kind === 'deactivated'),
      false
    );
    const pruned = seeded(await seed(['--plan', file, '--prune', '--json']));
    assert.deepEqual(
      pruned.changes.filter((c) => c.kind === 'deactivated').map((c) => c.key),
      [dropped.key]
    );
    const rows = await rosterRows();
    assert.equal(rows.length, 17);
    assert.equal(
      rows.find((r) => r.External_Id__c === dropped.key)?.Active__c,
      false
    );
  });

  it('refuses --create-users on a production org with exit 2, writing nothing', async () => {
    // Arrange: make the org read as production (no sandbox, no trial expiry) in its database.
    const db = new Database(org.started.dbPath);
    try {
      db.prepare(
        'UPDATE "Organization" SET "IsSandbox" = 0, "TrialExpirationDate" = NULL'
      ).run();
    } finally {
      db.close();
    }
    const failure = refused(await seed(['--create-users', '--json']));
    assert.equal(failure.name, 'CreateUsersInProductionError');
    assert.equal(
      failure.message,
      `--create-users is refused on ${org.started.username}: it is a production org (neither a sandbox nor a scratch org), where users are licensed and real people sign in. Create the users in Setup, or seed a sandbox or scratch org.`
    );
  });
});

describe(
  'incident seed with records the org keeps refusing',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    let org: InProcessOrg;
    before(async () => {
      sandbox = makeSandbox();
      // The first record of every roster upsert is always locked: retried, then reported.
      writeFileSync(
        path.join(sandbox.cwd, 'locked.json'),
        JSON.stringify({
          seed: 3,
          rules: [
            {
              endpoint: 'collections.upsert',
              kind: 'UNABLE_TO_LOCK_ROW',
              rate: 1,
              records: [1]
            }
          ]
        })
      );
      org = await startOrgInProcess(sandbox, { faults: 'locked.json' });
    });
    after(async () => {
      await org.stop();
      sandbox.dispose();
    });

    it('lists the failed record, writes the others and exits 1', async () => {
      const run = await runIncidentInProcess(
        [
          'seed',
          '-o',
          'incident-local',
          '--plan',
          PLAN,
          '--create-users',
          '--json'
        ],
        sandbox
      );
      const result = seeded(run, 1);
      assert.deepEqual(
        result.failures.map((f) => [f.section, f.errors[0]?.statusCode]),
        [['roster', 'UNABLE_TO_LOCK_ROW']]
      );
      assert.equal(result.written.roster, shippedPlan().roster.length - 1);
      assert.ok(result.retries > 0);
      const human = await runIncidentInProcess(
        ['seed', '-o', 'incident-local', '--plan', PLAN],
        sandbox
      );
      assert.equal(human.code, 1, human.stderr);
      assert.match(
        human.stdout,
        /^1 record\(s\) failed; the others were written:$/m
      );
      assert.match(human.stdout, /│ roster +│ [\w-]+ +│ UNABLE_TO_LOCK_ROW +│/);
    });
  }
);

describe(
  'incident seed under 5 % injected faults',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    let org: InProcessOrg;
    before(async () => {
      sandbox = makeSandbox();
      writeFileSync(
        path.join(sandbox.cwd, 'drill.json'),
        JSON.stringify({
          seed: 11,
          rules: [
            { endpoint: '*', kind: 'SERVER_UNAVAILABLE', rate: 0.03 },
            { endpoint: '*', kind: 'DROP_CONNECTION', rate: 0.02 }
          ]
        })
      );
      org = await startOrgInProcess(sandbox, { faults: 'drill.json' });
    });
    after(async () => {
      await org.stop();
      sandbox.dispose();
    });

    it("ends with exactly the file's state: a rerun finds no changes", async () => {
      const args = [
        'seed',
        '-o',
        'incident-local',
        '--plan',
        PLAN,
        '--create-users',
        '--json'
      ];
      const first = seeded(await runIncidentInProcess(args, sandbox));
      assert.deepEqual(first.failures, []);
      assert.equal(first.written.roster, shippedPlan().roster.length);
      const again = seeded(await runIncidentInProcess(args, sandbox));
      assert.equal(again.noChanges, true, JSON.stringify(again.changes));
      assert.deepEqual(writesIn(again), []);
    });
  }
);
