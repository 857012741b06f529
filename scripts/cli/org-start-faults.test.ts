/**
 * `incident org start --faults FILE`: a drill against the real CLI as a child process, with
 * jsforce calls that meet the scheduled faults, the summary printed on Ctrl+C, and bad fault
 * files refused with exit 2 before anything starts.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import type { JsonFailure, JsonSuccess } from './command.ts';
import type { OrgStartResult, OrgStopResult } from './commands/org-start.ts';
import { parseOrgStart } from './commands/org-start.ts';
import { UsageError } from './errors.ts';
import { formatCommandHelp } from './messages.ts';
import {
  jsonOf,
  makeSandbox,
  PROJECT_ROOT,
  runIncident,
  startIncident,
  type Sandbox,
  type Spawned
} from './test-cli.ts';

const TIMEOUT = 90_000;

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

function startOrg(sandbox: Sandbox, args: string[]): Spawned {
  return startIncident(['org', 'start', ...args], sandbox);
}

/** The pretty-printed top-level JSON documents in `text`: each ends with a '}' line of its own. */
function jsonDocuments(text: string): unknown[] {
  return text
    .split(/(?<=^\})\n/m)
    .filter((part) => part.trim() !== '')
    .map((part) => JSON.parse(part) as unknown);
}

async function waitFor(
  started: Spawned,
  ready: (stdout: string) => boolean
): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (!ready(started.stdout())) {
    if (started.child.exitCode !== null || Date.now() > deadline)
      throw new Error(
        `org start did not get ready:\n${started.stdout()}\n${started.stderr()}`
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return started.stdout();
}

function connect(instanceUrl: string, accessToken: string): Connection {
  return new Connection({ instanceUrl, accessToken, version: '64.0' });
}

async function rejectsWith(
  promise: Promise<unknown>,
  errorCode: string
): Promise<void> {
  await assert.rejects(promise, (error: { errorCode?: string }) => {
    assert.equal(error.errorCode, errorCode);
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
      sandbox = makeSandbox({ INCIDENT_LOCAL_ORG_DIR: 'drill-org' });
      drillFile = path.join(sandbox.cwd, 'drill.json');
      writeFileSync(drillFile, JSON.stringify(DRILL));
    });
    after(() => {
      sandbox.dispose();
    });

    it('injects the scheduled faults into jsforce calls and reports calls and faults as JSON on SIGINT', async () => {
      const dbPath = path.join(sandbox.home, 'drill.db');
      const started = startOrg(sandbox, [
        '--port',
        '0',
        '--db',
        dbPath,
        '--faults',
        'drill.json',
        '--json'
      ]);
      try {
        const text = await waitFor(
          started,
          (out) => jsonDocuments(safe(out)).length === 1
        );
        const [first] = jsonDocuments(text) as [JsonSuccess<OrgStartResult>];
        assert.equal(first.status, 0);
        assert.equal(first.result.faultsFile, drillFile);
        assert.equal(
          first.result.authFile,
          path.join(sandbox.cwd, 'drill-org', 'auth.json')
        );
        const conn = connect(
          first.result.instanceUrl,
          first.result.accessToken
        );
        const accounts = conn.sobject('Account');

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
        const found = await conn.query<{ Name: string }>(
          "SELECT Name FROM Account WHERE Name LIKE 'Drill %' ORDER BY Name"
        );
        assert.deepEqual(
          found.records.map((r) => r.Name),
          ['Drill A', 'Drill C', 'Drill E']
        );
        await rejectsWith(accounts.destroy(a.id), 'REQUEST_LIMIT_EXCEEDED');

        started.child.kill('SIGINT');
        assert.equal(await started.exited, 0, started.stderr());
        assert.equal(started.stderr(), '');
        const documents = jsonDocuments(started.stdout());
        assert.equal(documents.length, 2, started.stdout());
        const stopped = documents[1] as JsonSuccess<OrgStopResult>;
        assert.deepEqual(stopped, {
          status: 0,
          result: {
            instanceUrl: first.result.instanceUrl,
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
          },
          warnings: []
        } satisfies JsonSuccess<OrgStopResult>);
        assert.equal(existsSync(first.result.authFile), false);
      } finally {
        started.child.kill('SIGKILL');
      }
    });

    it('prints the summary for people on SIGTERM', async () => {
      const started = startOrg(sandbox, [
        '--db',
        path.join(sandbox.home, 'human.db'),
        '--faults',
        drillFile
      ]);
      try {
        const text = await waitFor(started, (out) =>
          out.includes('Press Ctrl+C')
        );
        assert.match(
          text,
          new RegExp(
            `^  Faults: +5 rules from ${escape(drillFile)}, seed 7$`,
            'm'
          )
        );
        const instanceUrl = /Instance URL: (\S+)/.exec(text)?.[1] ?? '';
        const accessToken = /Access token: (\S+)/.exec(text)?.[1] ?? '';
        const accounts = connect(instanceUrl, accessToken).sobject('Account');
        await accounts.create({ Name: 'Drill F' });
        await rejectsWith(
          accounts.create({ Name: 'Drill G' }),
          'SERVER_UNAVAILABLE'
        );

        started.child.kill('SIGTERM');
        assert.equal(await started.exited, 0, started.stderr());
        assert.equal(
          started.stdout().slice(text.length),
          [
            'Local org stopped.',
            'Calls per endpoint:',
            '  sobject.create  2  faults: 1 SERVER_UNAVAILABLE',
            'Faults injected: 1 in 2 calls.',
            ''
          ].join('\n')
        );
      } finally {
        started.child.kill('SIGKILL');
      }
    });
  }
);

describe(
  'incident org start with a bad --faults file',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    before(() => {
      sandbox = makeSandbox({ INCIDENT_LOCAL_ORG_DIR: 'bad-org' });
    });
    after(() => {
      sandbox.dispose();
    });

    /** Runs org start with a fault file holding `content` (or none), expecting exit 2 and nothing started. */
    async function refused(
      content: string | undefined
    ): Promise<{ json: JsonFailure; file: string; human: string }> {
      const file = path.join(sandbox.cwd, 'faults.json');
      if (content !== undefined) writeFileSync(file, content);
      const dbPath = path.join(sandbox.home, 'never.db');
      const args = [
        'org',
        'start',
        '--port',
        '0',
        '--db',
        dbPath,
        '--faults',
        'faults.json'
      ];
      const asJson = await runIncident([...args, '--json'], sandbox);
      assert.equal(asJson.code, 2, asJson.stdout + asJson.stderr);
      const json = jsonOf(asJson) as JsonFailure;
      assert.equal(json.status, 2);
      assert.equal(json.name, 'UsageError');
      const human = await runIncident(args, sandbox);
      assert.equal(human.code, 2);
      assert.equal(human.stdout, '');
      assert.equal(human.stderr, `Error: ${json.message}\n`);
      assert.equal(existsSync(dbPath), false);
      assert.equal(existsSync(path.join(sandbox.cwd, 'bad-org')), false);
      return { json, file, human: human.stderr };
    }

    it('names the JSON path and the rule a fault breaks', async () => {
      const bad = JSON.stringify({
        seed: 1,
        rules: [
          { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', calls: [1] },
          { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', rate: 1.5 }
        ]
      });
      const { json, file } = await refused(bad);
      assert.equal(
        json.message,
        `--faults ${file}: rules[1].rate: must be a number from 0 to 1, got 1.5.`
      );
    });

    it('refuses unknown keys, endpoints and kinds, and rules that never fire', async () => {
      const cases: [unknown, string][] = [
        [
          { seed: 1, rule: [] },
          'rule: is not a fault option; allowed: seed, rules.'
        ],
        [
          { rules: {} },
          'rules: must be an array of fault rules, got an object.'
        ],
        [
          {
            rules: [
              {
                endpoint: 'sobjects.create',
                kind: 'DROP_CONNECTION',
                calls: [1]
              }
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
        const { json, file } = await refused(JSON.stringify(content));
        assert.ok(
          json.message.startsWith(`--faults ${file}: ${expected}`),
          json.message
        );
      }
    });

    it('names a file that is not JSON, or not there', async () => {
      const malformed = await refused('{ "rules": [ ');
      assert.match(
        malformed.json.message,
        new RegExp(
          `^--faults ${escape(malformed.file)}: not valid JSON: .+\\.$`
        )
      );
      rmSync(malformed.file);
      const missing = await refused(undefined);
      assert.equal(
        missing.json.message,
        `--faults ${missing.file}: the file cannot be read: no such file.`
      );
    });
  }
);

describe('org start --faults, in process', () => {
  it('reads the project example through the local org rules, and needs a value', () => {
    const io = { env: {}, cwd: PROJECT_ROOT };
    const options = parseOrgStart(
      ['--faults', 'config/local-org-faults.example.json'],
      io
    );
    assert.ok(options.faults);
    assert.equal(
      options.faults.file,
      path.join(PROJECT_ROOT, 'config', 'local-org-faults.example.json')
    );
    assert.equal(options.faults.options.seed, 42);
    assert.ok(options.faults.options.rules.length > 0);
    assert.equal(parseOrgStart([], io).faults, undefined);
    assert.throws(() => parseOrgStart(['--faults', ''], io), {
      name: 'UsageError',
      message: '--faults needs a value.'
    });
    assert.throws(
      () => parseOrgStart(['--faults', 'nope.json'], io),
      UsageError
    );
  });

  it('shows --faults and a drill example in the help', () => {
    const help = formatCommandHelp('org start');
    assert.match(help, /\[--faults FILE\]/);
    assert.match(help, /^ +--faults FILE +Inject faults for a drill/m);
    assert.match(
      help,
      /^ {2}incident org start .*--faults config\/local-org-faults\.example\.json$/m
    );
  });
});

/** stdout up to its last complete JSON document, so a half-written one is not parsed. */
function safe(text: string): string {
  const end = text.lastIndexOf('\n}\n');
  return end === -1 ? '' : text.slice(0, end + 3);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
