/**
 * The bad-flag half of `incident seed`'s bad-input corpus (the bad plan files are
 * scripts/seed's): each bad flag or flag combination exits 2 with its exact message and
 * writes nothing. Against a local org started by the test, as `incident-local`. Most runs are
 * in process (runIncidentInProcess: the modules load once, not once per run); one bad flag and
 * one doctor run are real child processes, and the bad flag's output is the same both ways.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DoctorResult } from './commands/incident/doctor.ts';
import {
  jsonOf,
  makeSandbox,
  PROJECT_ROOT,
  runIncident,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from './test-cli.ts';
import {
  runIncidentInProcess,
  startOrgInProcess,
  type InProcessOrg
} from './test-in-process.ts';

const PLAN = path.join(PROJECT_ROOT, 'config', 'incident-plan.json');

describe(
  'incident seed: bad flags exit 2 with their message',
  { timeout: 300_000 },
  () => {
    let sandbox: Sandbox;
    let org: InProcessOrg;
    before(async () => {
      sandbox = makeSandbox();
      mkdirSync(path.join(sandbox.cwd, 'plans'));
      writeFileSync(path.join(sandbox.cwd, 'plans', 'empty.json'), '');
      org = await startOrgInProcess(sandbox);
    });
    after(async () => {
      await org.stop();
      sandbox.dispose();
    });

    /** [what is wrong, the arguments after `seed`, the error's name, its exact message] */
    const corpus = (): [string, string[], string, string][] => {
      const at = (file: string): string => path.join(sandbox.cwd, file);
      return [
        [
          'unknown flag',
          ['-o', 'incident-local', '--bogus'],
          'Error',
          'Nonexistent flag: --bogus\nSee more help with --help'
        ],
        [
          '--plan without a value',
          ['-o', 'incident-local', '--plan'],
          'Error',
          'Flag --plan expects a value'
        ],
        [
          '--plan empty',
          ['-o', 'incident-local', '--plan='],
          'EmptyPlanError',
          '--plan needs a file name.'
        ],
        [
          '--plan names no file',
          ['-o', 'incident-local', '--plan', 'nope.json'],
          'PlanError',
          `${at('nope.json')}: (top level): cannot be read: ENOENT: no such file or directory, open '${at('nope.json')}'`
        ],
        [
          '--plan names a folder',
          ['-o', 'incident-local', '--plan', 'plans'],
          'PlanError',
          `${at('plans')}: (top level): cannot be read: EISDIR: illegal operation on a directory, read`
        ],
        [
          'no --plan and no config/incident-plan.json here',
          ['-o', 'incident-local'],
          'PlanError',
          `${at('config/incident-plan.json')}: (top level): cannot be read: ENOENT: no such file or directory, open '${at('config/incident-plan.json')}'`
        ],
        [
          'a value given to --dry-run',
          ['-o', 'incident-local', '--dry-run=yes'],
          'Error',
          'Unexpected argument: yes\nSee more help with --help'
        ],
        [
          'an argument',
          ['-o', 'incident-local', 'config/incident-plan.json'],
          'Error',
          'Unexpected argument: config/incident-plan.json\nSee more help with --help'
        ],
        [
          '--target-org twice',
          ['-o', 'incident-local', '-o', 'other'],
          'Error',
          'Flag --target-org can only be specified once'
        ],
        [
          '--target-org the auth store does not know',
          ['-o', 'nope', '--plan', PLAN],
          'NamedOrgNotFoundError',
          'Parsing --target-org \n\tNo authorization information found for nope.\nSee more help with --help'
        ],
        [
          'no --target-org and no default org',
          ['--plan', PLAN],
          'NoDefaultEnvError',
          'No default environment found. Use -o or --target-org to specify an environment.'
        ],
        [
          '--api-version not like 64.0',
          ['-o', 'incident-local', '--api-version', '64'],
          'InvalidApiVersionError',
          "Parsing --api-version \n\t64 is not a valid API version. It should end in '.0' like '54.0'.\nSee more help with --help"
        ]
      ];
    };

    it('refuses each, as JSON and for people', async () => {
      for (const [what, args, name, message] of corpus()) {
        const result = await runIncidentInProcess(
          ['seed', ...args, '--json'],
          sandbox
        );
        assert.equal(
          result.code,
          2,
          `${what}: ${result.stdout}${result.stderr}`
        );
        const failure = jsonOf(result) as SfFailure;
        assert.deepEqual(
          {
            status: failure.status,
            name: failure.name,
            message: failure.message
          },
          { status: 2, name, message },
          what
        );
      }
      const args = ['seed', '-o', 'incident-local', '--plan='];
      const human = await runIncident(args, sandbox);
      assert.equal(human.code, 2);
      assert.equal(human.stdout, '');
      assert.match(
        human.stderr,
        /^Error \(EmptyPlanError\): --plan needs a file name\.$/m
      );
      // The in-process runs above stand for child processes: the same run gives the same.
      assert.deepEqual(await runIncidentInProcess(args, sandbox), human);
    });

    it('a plan whose users the org lacks, without --create-users: every one named, exit 2, nothing written', async () => {
      const result = await runIncidentInProcess(
        ['seed', '-o', 'incident-local', '--plan', PLAN, '--json'],
        sandbox
      );
      assert.equal(result.code, 2, result.stdout + result.stderr);
      const failure = jsonOf(result) as SfFailure & {
        data: { file: string; problems: { path: string; message: string }[] };
      };
      assert.equal(failure.name, 'PlanError');
      assert.equal(failure.data.file, PLAN);
      const userProblems = failure.data.problems.filter((p) =>
        /^roster\[\d+\]\.user$/.test(p.path)
      );
      assert.equal(userProblems.length, 17);
      assert.ok(
        failure.message.includes(
          `${PLAN}: roster[0].user: no active user with username or email ana.ribeiro@sunbright-solar.example`
        ),
        failure.message
      );
      const members = await org.conn.query(
        'SELECT Id FROM Incident_Roster_Member__c'
      );
      assert.equal(members.totalSize, 0);
    });

    it('incident doctor on this unseeded org: the default matrix and SLA are fine, nobody is on duty, exit 1', async () => {
      const result = await runIncident(
        ['doctor', '-o', 'incident-local', '--json'],
        sandbox
      );
      assert.equal(result.code, 1, result.stdout + result.stderr);
      const output = jsonOf(result) as SfSuccess<DoctorResult>;
      assert.equal(output.status, 1);
      const doctor = output.result;
      assert.equal(doctor.username, org.started.username);
      assert.equal(doctor.needsAttention, true);
      assert.deepEqual(doctor.matrix, { complete: true, problems: [] });
      assert.deepEqual(doctor.slaPolicy, {
        severities: [1, 2, 3],
        problems: []
      });
      assert.equal(doctor.roster.members, 0);
      assert.ok(
        doctor.attention.includes(
          'Incident Owner: nobody on duty in the next 24 hours'
        ),
        doctor.attention.join('\n')
      );
      const human = await runIncidentInProcess(
        ['doctor', '-o', 'incident-local'],
        sandbox
      );
      assert.equal(human.code, 1);
      assert.match(
        human.stdout,
        /│ Severity matrix +│ OK +│ all nine cells +│/
      );
      assert.match(
        human.stdout,
        /│ Coverage, next 24 h +│ Needs attention +│ not covered: Incident Owner, /
      );
      assert.match(human.stdout, /^Nobody is on duty now\.$/m);
      assert.match(
        human.stdout,
        /^Needs attention:\n- Incident Owner: nobody on duty in the next 24 hours$/m
      );
    });
  }
);
