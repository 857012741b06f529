/** End-to-end: the real `incident` CLI (node bin/incident.js) as a child process against a local org over HTTP. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import type { JsonFailure, JsonSuccess } from './command.ts';
import type { OrgDisplayResult } from './commands/org-display.ts';
import type { OrgStartResult } from './commands/org-start.ts';
import { writeLocalAuth } from './local-auth.ts';
import {
  jsonOf,
  makeSandbox,
  runIncident,
  startIncident,
  type RunResult,
  type Sandbox
} from './test-cli.ts';

const TIMEOUT = 60_000;

function success(result: RunResult): JsonSuccess<OrgDisplayResult> {
  assert.equal(
    result.code,
    0,
    `exit ${String(result.code)}: ${result.stdout}${result.stderr}`
  );
  return jsonOf(result) as JsonSuccess<OrgDisplayResult>;
}

function failure(result: RunResult, code: 1 | 2): JsonFailure {
  assert.equal(
    result.code,
    code,
    `exit ${String(result.code)}: ${result.stdout}${result.stderr}`
  );
  const output = jsonOf(result) as JsonFailure;
  assert.equal(output.status, code);
  return output;
}

describe('incident org display (child process)', { timeout: TIMEOUT }, () => {
  let t: TestOrg;
  let sandbox: Sandbox;
  let tokenFlags: string[];
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
    sandbox = makeSandbox();
    tokenFlags = [
      '--instance-url',
      t.org.instanceUrl,
      '--access-token',
      t.org.accessToken
    ];
  });
  after(async () => {
    await t.dispose();
    sandbox.dispose();
  });

  it('shows the org, the user and the daily API allowance, spending two API calls', async () => {
    const first = success(
      await runIncident(['org', 'display', ...tokenFlags, '--json'], sandbox)
    );
    assert.deepEqual(first.warnings, []);
    const { dailyApiRequests, ...rest } = first.result;
    assert.deepEqual(rest, {
      orgId: t.org.ctx.orgId,
      userId: t.org.ctx.userId,
      username: t.org.ctx.username,
      instanceUrl: t.org.instanceUrl,
      apiVersion: '64.0',
      source: { kind: 'flags' }
    });
    assert.ok(dailyApiRequests);
    assert.equal(dailyApiRequests.max, 15000);
    const second = success(
      await runIncident(['org', 'display', ...tokenFlags, '--json'], sandbox)
    );
    assert.equal(
      second.result.dailyApiRequests?.remaining,
      dailyApiRequests.remaining - 2
    );
  });

  it('prints a table for people', async () => {
    const result = await runIncident(
      ['org', 'display', ...tokenFlags],
      sandbox
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^Org ID +${t.org.ctx.orgId}$`, 'm')
    );
    assert.match(result.stdout, /^Username +admin@incident-console\.local$/m);
    assert.match(result.stdout, /^API version +64\.0$/m);
    assert.match(
      result.stdout,
      /^Daily API requests +[\d,]+ of 15,000 remaining$/m
    );
    assert.match(
      result.stdout,
      /^Connected with +--instance-url and --access-token$/m
    );
  });

  it('takes the org from SF_INSTANCE_URL and SF_ACCESS_TOKEN, and --api-version', async () => {
    const output = success(
      await runIncident(
        ['org', 'display', '--api-version', '62.0', '--json'],
        sandbox,
        {
          SF_INSTANCE_URL: `${t.org.instanceUrl}/`,
          SF_ACCESS_TOKEN: t.org.accessToken
        }
      )
    );
    assert.equal(output.result.apiVersion, '62.0');
    assert.equal(output.result.instanceUrl, t.org.instanceUrl);
    assert.deepEqual(output.result.source, { kind: 'environment' });
  });

  it('fails with exit 1 and the platform error when the token is refused', async () => {
    const output = failure(
      await runIncident(
        [
          'org',
          'display',
          '--instance-url',
          t.org.instanceUrl,
          '--access-token',
          'not-a-session',
          '--json'
        ],
        sandbox
      ),
      1
    );
    assert.equal(output.name, 'INVALID_SESSION_ID');
    assert.match(output.message, /Session expired or invalid/);
  });

  it('uses --target-org local from .local-org/auth.json in the working directory', async () => {
    writeLocalAuth(
      {
        instanceUrl: t.org.instanceUrl,
        accessToken: t.org.accessToken,
        dbPath: t.dbPath,
        pid: process.pid
      },
      path.join(sandbox.cwd, '.local-org', 'auth.json')
    );
    const output = success(
      await runIncident(['org', 'display', '-o', 'local', '--json'], sandbox)
    );
    assert.equal(output.result.orgId, t.org.ctx.orgId);
    assert.deepEqual(output.result.source, {
      kind: 'local-org',
      authFile: path.join(sandbox.cwd, '.local-org', 'auth.json')
    });
  });

  it('uses --target-org local from INCIDENT_LOCAL_ORG_DIR', async () => {
    const dir = path.join(sandbox.home, 'elsewhere');
    writeLocalAuth(
      {
        instanceUrl: t.org.instanceUrl,
        accessToken: t.org.accessToken,
        dbPath: t.dbPath,
        pid: process.pid
      },
      path.join(dir, 'auth.json')
    );
    const output = success(
      await runIncident(
        ['org', 'display', '--target-org', 'local', '--json'],
        sandbox,
        {
          INCIDENT_LOCAL_ORG_DIR: dir
        }
      )
    );
    assert.deepEqual(output.result.source, {
      kind: 'local-org',
      authFile: path.join(dir, 'auth.json')
    });
  });

  it("without a target, exits 2 and names --target-org; with the sf config's target-org it uses that", async () => {
    const bare = makeSandbox();
    try {
      const missing = failure(
        await runIncident(['org', 'display', '--json'], bare),
        2
      );
      assert.match(missing.message, /^No org given\. Pass --target-org ORG/);
      mkdirSync(path.join(bare.home, '.sf'), { recursive: true });
      writeFileSync(
        path.join(bare.home, '.sf', 'config.json'),
        JSON.stringify({ 'target-org': 'nowhere' })
      );
      const unknown = failure(
        await runIncident(['org', 'display', '--json'], bare),
        2
      );
      assert.match(
        unknown.message,
        /^The sf config's target-org 'nowhere' has no authorization in the sf CLI/
      );
      // 'local' as the configured default means the local org, as --target-org local does.
      writeFileSync(
        path.join(bare.home, '.sf', 'config.json'),
        JSON.stringify({ 'target-org': 'local' })
      );
      writeLocalAuth(
        {
          instanceUrl: t.org.instanceUrl,
          accessToken: t.org.accessToken,
          dbPath: t.dbPath,
          pid: process.pid
        },
        path.join(bare.cwd, '.local-org', 'auth.json')
      );
      const configured = success(
        await runIncident(['org', 'display', '--json'], bare)
      );
      assert.equal(configured.result.orgId, t.org.ctx.orgId);
      assert.equal(configured.result.source.kind, 'local-org');
    } finally {
      bare.dispose();
    }
  });
});

describe('incident org start (child process)', { timeout: TIMEOUT }, () => {
  let sandbox: Sandbox;
  before(() => {
    sandbox = makeSandbox();
  });
  after(() => {
    sandbox.dispose();
  });

  it('starts the local org, records it for --target-org local, and forgets it on Ctrl+C', async () => {
    const dbPath = path.join(sandbox.home, 'org.db');
    const org = startIncident(
      ['org', 'start', '--port', '0', '--db', dbPath, '--json'],
      sandbox
    );
    try {
      const started = await firstJsonDocument<JsonSuccess<OrgStartResult>>(
        org.child.stdout
      );
      const authFile = path.join(sandbox.cwd, '.local-org', 'auth.json');
      assert.equal(started.status, 0);
      assert.match(started.result.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(started.result.authFile, authFile);
      assert.equal(started.result.dbPath, dbPath);
      assert.ok(existsSync(authFile));
      assert.ok(existsSync(dbPath));

      const display = success(
        await runIncident(
          ['org', 'display', '--target-org', 'local', '--json'],
          sandbox
        )
      );
      assert.equal(display.result.instanceUrl, started.result.instanceUrl);
      assert.match(display.result.orgId, /^00D[A-Za-z0-9]{15}$/);

      org.child.kill('SIGINT');
      assert.equal(await org.exited, 0, org.stderr());
      // --json: the stop result goes to stdout as a second document (org-start-faults.test.ts).
      assert.equal(org.stderr(), '');
      assert.equal(existsSync(authFile), false);
      const stopped = failure(
        await runIncident(['org', 'display', '-o', 'local', '--json'], sandbox),
        2
      );
      assert.match(stopped.message, /no local org is recorded/);
    } finally {
      org.child.kill('SIGKILL');
    }
  });
});

/** Reads a stream until what arrived parses as one JSON document (the --json result of a long-running command). */
function firstJsonDocument<T>(stream: NodeJS.ReadableStream): Promise<T> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      try {
        const parsed = JSON.parse(text) as T;
        stream.off('data', onData);
        resolve(parsed);
      } catch {
        // not complete yet
      }
    };
    stream.on('data', onData);
    stream.once('end', () => {
      reject(new Error(`stream ended before a JSON document: ${text}`));
    });
  });
}
