/**
 * `incident org start --faults FILE`: a drill against the real CLI as a child process, with
 * jsforce calls that meet the scheduled faults, the summary printed on Ctrl+C, and bad fault
 * files refused with exit 2 before anything starts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SfError } from '@salesforce/core';
import type { OrgStopResult } from './commands/incident/org/start.ts';
import { readFaultsFile } from './commands/incident/org/start.ts';
import {
  jsonDocuments,
  jsonOf,
  makeSandbox,
  PROJECT_ROOT,
  startCliOrg,
  startIncident,
  type Sandbox,
  type SfFailure,
  type SfSuccess,
  waitForOutput
} from './test-cli.ts';
import { runIncidentInProcess } from './test-in-process.ts';

const TIMEOUT = 240_000;

const DRILL = {
  seed: 7,
  rules: [
    { endpoint: 'sobject.create', kind: 'SERVER_UNAVAILABLE', calls: [2] },
    {
      endpoint: 'collections.create',
      kind: 'UNABLE_TO_LOCK_ROW',
      calls: [1],
      records: [2]
    },
    { endpoint: 'sobject.update', kind: 'DROP_CONNECTION', calls: [1] },
    // jsforce retries a GET that meets a 503, so this one is absorbed: 2 query calls, 1 fault.
    { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', calls: [1] },
    { endpoint: 'sobject.delete', kind: 'REQUEST_LIMIT_EXCEEDED', rate: 1 }
  ]
};

interface SaveResult {
  success: boolean;
  errors: { statusCode?: string }[];
}

async function rejectsWith(
  promise: Promise<unknown>,
  errorCode: string
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { errorCode?: string }).errorCode, errorCode);
    return true;
  });
}

describe(
  'incident org start --faults (child process)',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    let drillFile: string;
    before(() => {
      sandbox = makeSandbox();
      drillFile = path.join(sandbox.cwd, 'drill.json');
      writeFileSync(drillFile, JSON.stringify(DRILL));
    });
    after(() => {
      sandbox.dispose();
    });

    it('injects the scheduled faults into jsforce calls (not into its own login) and reports calls and faults as JSON on SIGINT', async () => {
      const org = await startCliOrg(sandbox, ['--faults', 'drill.json']);
      try {
        assert.equal(org.started.faultsFile, drillFile);
        const accounts = org.conn.sobject('Account');
        const a = await accounts.create({ Name: 'Drill A' });
        assert.equal(a.success, true);
        await rejectsWith(
          accounts.create({ Name: 'Drill B' }),
          'SERVER_UNAVAILABLE'
        );
        const batch = (await accounts.create(
          [{ Name: 'Drill C' }, { Name: 'Drill D' }, { Name: 'Drill E' }],
          { allOrNone: false }
        )) as SaveResult[];
        assert.deepEqual(
          batch.map((r) => (r.success ? 'ok' : r.errors[0]?.statusCode)),
          ['ok', 'UNABLE_TO_LOCK_ROW', 'ok']
        );
        await assert.rejects(accounts.update({ Id: a.id, Name: 'Renamed' }));
        const found = await org.conn.query<{ Name: string }>(
          "SELECT Name FROM Account WHERE Name LIKE 'Drill %' ORDER BY Name"
        );
        assert.deepEqual(
          found.records.map((r) => r.Name),
          ['Drill A', 'Drill C', 'Drill E']
        );
        await rejectsWith(accounts.destroy(a.id), 'REQUEST_LIMIT_EXCEEDED');

        assert.equal(await org.stop('SIGINT'), 0, org.spawned.stderr());
        const documents = jsonDocuments(org.spawned.stdout());
        assert.equal(documents.length, 2, org.spawned.stdout());
        const stopped = documents[1] as SfSuccess<OrgStopResult>;
        assert.equal(stopped.status, 0);
        assert.deepEqual(stopped.result, {
          instanceUrl: org.started.instanceUrl,
          calls: {
            'collections.create': 1,
            query: 2,
            'sobject.create': 2,
            'sobject.delete': 1,
            'sobject.update': 1
          },
          faultsInjected: {
            total: 5,
            byEndpoint: {
              'collections.create': { UNABLE_TO_LOCK_ROW: 1 },
              query: { SERVER_UNAVAILABLE: 1 },
              'sobject.create': { SERVER_UNAVAILABLE: 1 },
              'sobject.delete': { REQUEST_LIMIT_EXCEEDED: 1 },
              'sobject.update': { DROP_CONNECTION: 1 }
            }
          }
        } satisfies OrgStopResult);
      } finally {
        org.spawned.child.kill('SIGKILL');
      }
    });

    it('prints the summary for people on SIGTERM', async () => {
      const spawned = startIncident(
        [
          'org',
          'start',
          '--db',
          path.join(sandbox.home, 'human.db'),
          '--faults',
          drillFile
        ],
        sandbox
      );
      try {
        const text = await waitForOutput(spawned, (out) =>
          out.includes('Press Ctrl+C')
        );
        assert.match(
          text,
          new RegExp(`│ Faults +│ 5 rules from ${escape(drillFile)}, seed 7 +│`)
        );
        assert.match(
          text,
          /│ Logged in as +│ admin@org[0-9a-z]+\.incident-console\.local \(alias incident-local\) +│/
        );
        const { Connection } = await import('jsforce');
        const conn = new Connection({
          instanceUrl: /│ Instance URL +│ (\S+)/.exec(text)?.[1] ?? '',
          accessToken: /│ Access token +│ (\S+)/.exec(text)?.[1] ?? '',
          version: '64.0'
        });
        const accounts = conn.sobject('Account');
        await accounts.create({ Name: 'Drill F' });
        await rejectsWith(
          accounts.create({ Name: 'Drill G' }),
          'SERVER_UNAVAILABLE'
        );

        spawned.child.kill('SIGTERM');
        assert.equal(await spawned.exited, 0, spawned.stderr());
        const summary = spawned.stdout().slice(text.length);
        assert.match(summary, /^Local org stopped\.\nCalls per endpoint:\n/);
        assert.match(
          summary,
          /│ sobject\.create +│ 2 +│ 1 SERVER_UNAVAILABLE +│/
        );
        assert.match(summary, /^Faults injected: 1 in 2 calls\.$/m);
      } finally {
        spawned.child.kill('SIGKILL');
      }
    });

    it('refuses a bad file with exit 2 before anything starts', async () => {
      writeFileSync(path.join(sandbox.cwd, 'bad.json'), '{ "rules": {} }');
      const dbPath = path.join(sandbox.home, 'never.db');
      const args = ['org', 'start', '--db', dbPath, '--faults', 'bad.json'];
      // In process: the org starts above are the child-process runs of org start.
      const asJson = await runIncidentInProcess([...args, '--json'], sandbox);
      assert.equal(asJson.code, 2, asJson.stdout + asJson.stderr);
      const json = jsonOf(asJson) as SfFailure;
      assert.equal(json.status, 2);
      assert.equal(json.name, 'FaultsInvalidError');
      assert.equal(
        json.message,
        `--faults ${path.join(sandbox.cwd, 'bad.json')}: rules: must be an array of fault rules, got an object.`
      );
      const human = await runIncidentInProcess(args, sandbox);
      assert.equal(human.code, 2);
      assert.equal(human.stdout, '');
      assert.ok(human.stderr.includes(json.message), human.stderr);
      assert.equal(existsSync(dbPath), false);
    });
  }
);

describe('readFaultsFile (the --faults check)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'faults-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The usage error (exit 2) for a fault file holding `content`, or for no file at all. */
  function refused(content: string | undefined): {
    error: SfError;
    file: string;
  } {
    const file = path.join(dir, 'faults.json');
    rmSync(file, { force: true });
    if (content !== undefined) writeFileSync(file, content);
    try {
      readFaultsFile(file);
    } catch (error) {
      const sfError = error as SfError;
      assert.equal(sfError.exitCode, 2);
      return { error: sfError, file };
    }
    throw new Error(`accepted: ${String(content)}`);
  }

  it('reads the project example through the local org rules', () => {
    const options = readFaultsFile(
      path.join(PROJECT_ROOT, 'config', 'local-org-faults.example.json')
    );
    assert.equal(options.seed, 42);
    assert.ok(options.rules.length > 0);
  });

  it('names the JSON path and the rule a fault breaks', () => {
    const { error, file } = refused(
      JSON.stringify({
        seed: 1,
        rules: [
          { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', calls: [1] },
          { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', rate: 1.5 }
        ]
      })
    );
    assert.equal(
      error.message,
      `--faults ${file}: rules[1].rate: must be a number from 0 to 1, got 1.5.`
    );
  });

  it('refuses unknown keys, endpoints and kinds, and rules that never fire', () => {
    const cases: [unknown, string][] = [
      [
        { seed: 1, rule: [] },
        'rule: is not a fault option; allowed: seed, rules.'
      ],
      [
        {
          rules: [
            { endpoint: 'sobjects.create', kind: 'DROP_CONNECTION', calls: [1] }
          ]
        },
        "rules[0].endpoint: must be '*' or an endpoint of the local org ("
      ],
      [
        { rules: [{ endpoint: '*', kind: 'TIMEOUT', calls: [1] }] },
        'rules[0].kind: must be one of SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, DROP_CONNECTION, got "TIMEOUT".'
      ],
      [
        { rules: [{ endpoint: '*', kind: 'DROP_CONNECTION' }] },
        'rules[0]: needs calls ('
      ],
      [
        { rules: [{ endpoint: '*', kind: 'DROP_CONNECTION', calls: [0] }] },
        'rules[0].calls[0]: must be a whole number of 1 or more'
      ]
    ];
    for (const [content, expected] of cases) {
      const { error, file } = refused(JSON.stringify(content));
      assert.ok(
        error.message.startsWith(`--faults ${file}: ${expected}`),
        error.message
      );
    }
  });

  it('names a file that is not JSON, or not there', () => {
    const malformed = refused('{ "rules": [ ');
    assert.match(
      malformed.error.message,
      new RegExp(`^--faults ${escape(malformed.file)}: not valid JSON: .+\\.$`)
    );
    const missing = refused(undefined);
    assert.equal(
      missing.error.message,
      `--faults ${missing.file}: the file cannot be read: no such file.`
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
