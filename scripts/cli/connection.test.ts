/** resolveConnection: which org the flags and environment choose, and the errors that name the flag to fix. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { Connection } from 'jsforce';
import {
  adaptRefresh,
  chooseTarget,
  DEFAULT_API_VERSION,
  resolveConnection
} from './connection.ts';
import { UsageError } from './errors.ts';
import { writeLocalAuth } from './local-auth.ts';
import { closedPort } from './test-cli.ts';

/** Asserts a UsageError (exit 2) whose message matches. */
function usageError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(
      error instanceof UsageError,
      `expected UsageError, got ${String(error)}`
    );
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('chooseTarget', () => {
  it('uses --instance-url and --access-token, without the trailing slash, at API 64.0', () => {
    const choice = chooseTarget(
      {
        'instance-url': 'https://acme.my.salesforce.com/',
        'access-token': '00Dx!abc'
      },
      {}
    );
    assert.deepEqual(choice, {
      target: {
        kind: 'access-token',
        origin: 'flags',
        instanceUrl: 'https://acme.my.salesforce.com',
        accessToken: '00Dx!abc'
      },
      apiVersion: DEFAULT_API_VERSION,
      warnings: []
    });
    assert.equal(DEFAULT_API_VERSION, '64.0');
  });

  it('completes one flag of the pair from the environment', () => {
    const choice = chooseTarget(
      { 'access-token': 'flag-token' },
      {
        SF_INSTANCE_URL: 'https://env.example.com',
        SF_ACCESS_TOKEN: 'env-token'
      }
    );
    assert.deepEqual(choice.target, {
      kind: 'access-token',
      origin: 'flags',
      instanceUrl: 'https://env.example.com',
      accessToken: 'flag-token'
    });
  });

  it('names the missing half of the pair and its environment variable', () => {
    assert.throws(
      () => chooseTarget({ 'access-token': 'x' }, {}),
      usageError(
        /^--access-token needs --instance-url too \(or set SF_INSTANCE_URL\)/
      )
    );
    assert.throws(
      () => chooseTarget({ 'instance-url': 'https://a.example.com' }, {}),
      usageError(
        /^--instance-url needs --access-token too \(or set SF_ACCESS_TOKEN\)/
      )
    );
  });

  it('refuses --target-org together with --instance-url', () => {
    assert.throws(
      () =>
        chooseTarget(
          {
            'target-org': 'dev',
            'instance-url': 'https://a.example.com',
            'access-token': 'x'
          },
          {}
        ),
      usageError(/either --target-org, or --instance-url with --access-token/)
    );
  });

  it('rejects a URL that is not http(s), naming where it came from', () => {
    assert.throws(
      () =>
        chooseTarget(
          { 'instance-url': 'acme.my.salesforce.com', 'access-token': 'x' },
          {}
        ),
      usageError(
        /^--instance-url must be an http:\/\/ or https:\/\/ URL.*'acme\.my\.salesforce\.com'/
      )
    );
    assert.throws(
      () =>
        chooseTarget(
          {},
          { SF_INSTANCE_URL: 'ftp://a.example.com', SF_ACCESS_TOKEN: 'x' }
        ),
      usageError(/^SF_INSTANCE_URL must be an http:\/\/ or https:\/\/ URL/)
    );
  });

  it('rejects empty flag values and malformed API versions', () => {
    assert.throws(
      () => chooseTarget({ 'target-org': ' ' }, {}),
      usageError(/^--target-org needs a value/)
    );
    assert.throws(
      () => chooseTarget({ 'target-org': 'local', 'api-version': '64' }, {}),
      usageError(/^--api-version must look like 64\.0, got '64'/)
    );
    assert.equal(
      chooseTarget({ 'target-org': 'local', 'api-version': '62.0' }, {})
        .apiVersion,
      '62.0'
    );
  });

  it('treats --target-org local as the local org and anything else as an sf alias or username', () => {
    assert.deepEqual(chooseTarget({ 'target-org': 'local' }, {}).target, {
      kind: 'local-org'
    });
    assert.deepEqual(chooseTarget({ 'target-org': 'me@acme.com' }, {}).target, {
      kind: 'sf-auth',
      targetOrg: 'me@acme.com'
    });
  });

  it('lets an explicit --target-org win over SF_INSTANCE_URL/SF_ACCESS_TOKEN', () => {
    const env = {
      SF_INSTANCE_URL: 'https://env.example.com',
      SF_ACCESS_TOKEN: 'env-token'
    };
    assert.deepEqual(chooseTarget({ 'target-org': 'dev' }, env).target, {
      kind: 'sf-auth',
      targetOrg: 'dev'
    });
    assert.deepEqual(chooseTarget({}, env).target, {
      kind: 'access-token',
      origin: 'environment',
      instanceUrl: 'https://env.example.com',
      accessToken: 'env-token'
    });
  });

  it('falls back to the sf config, warning about half a pair in the environment', () => {
    const choice = chooseTarget(
      {},
      { SF_ACCESS_TOKEN: 'left-over', SF_INSTANCE_URL: '' }
    );
    assert.deepEqual(choice.target, { kind: 'sf-default' });
    assert.deepEqual(choice.warnings, [
      'SF_ACCESS_TOKEN is set but SF_INSTANCE_URL is not, so both are ignored.'
    ]);
  });
});

describe('resolveConnection --target-org local', () => {
  let t: TestOrg;
  let dir: string;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
    dir = mkdtempSync(path.join(tmpdir(), 'incident-local-auth-'));
  });
  after(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const envFor = (name: string): Record<string, string> => ({
    INCIDENT_LOCAL_ORG_DIR: path.join(dir, name)
  });

  it('connects to the org recorded in INCIDENT_LOCAL_ORG_DIR/auth.json', async () => {
    const env = envFor('running');
    writeLocalAuth(
      {
        instanceUrl: t.org.instanceUrl,
        accessToken: t.org.accessToken,
        dbPath: t.dbPath,
        pid: process.pid
      },
      path.join(dir, 'running', 'auth.json')
    );
    const resolved = await resolveConnection(
      { 'target-org': 'local' },
      env,
      dir
    );
    assert.deepEqual(resolved.source, {
      kind: 'local-org',
      authFile: path.join(dir, 'running', 'auth.json')
    });
    assert.equal(resolved.connection.version, '64.0');
    assert.equal(resolved.connection.instanceUrl, t.org.instanceUrl);
    const limits = await resolved.connection.limits();
    assert.equal(typeof limits.DailyApiRequests?.Remaining, 'number');
  });

  it('resolves INCIDENT_LOCAL_ORG_DIR relative to the working directory, .local-org by default', async () => {
    writeLocalAuth(
      {
        instanceUrl: t.org.instanceUrl,
        accessToken: t.org.accessToken,
        dbPath: t.dbPath,
        pid: process.pid
      },
      path.join(dir, 'cwd', '.local-org', 'auth.json')
    );
    const resolved = await resolveConnection(
      { 'target-org': 'local' },
      {},
      path.join(dir, 'cwd')
    );
    assert.deepEqual(resolved.source, {
      kind: 'local-org',
      authFile: path.join(dir, 'cwd', '.local-org', 'auth.json')
    });
  });

  it('says how to start one when none is recorded', async () => {
    await assert.rejects(
      resolveConnection({ 'target-org': 'local' }, envFor('none'), dir),
      usageError(
        /^--target-org local: no local org is recorded in .*none\/auth\.json\. Start one with `incident org start`/
      )
    );
  });

  it('says the recorded org is not answering when nothing listens there', async () => {
    const port = await closedPort();
    writeLocalAuth(
      {
        instanceUrl: `http://127.0.0.1:${String(port)}`,
        accessToken: 'x',
        dbPath: '',
        pid: 0
      },
      path.join(dir, 'stopped', 'auth.json')
    );
    await assert.rejects(
      resolveConnection({ 'target-org': 'local' }, envFor('stopped'), dir),
      usageError(
        new RegExp(
          `^--target-org local: the local org recorded in .*stopped/auth\\.json \\(http://127\\.0\\.0\\.1:${String(port)}\\) is not answering`
        )
      )
    );
  });

  it('names the damaged auth file and what is wrong with it', async () => {
    mkdirSync(path.join(dir, 'damaged'), { recursive: true });
    writeFileSync(
      path.join(dir, 'damaged', 'auth.json'),
      '{"instanceUrl": "http://127.0.0.1:1"}'
    );
    await assert.rejects(
      resolveConnection({ 'target-org': 'local' }, envFor('damaged'), dir),
      usageError(
        /damaged\/auth\.json: "accessToken" must be a non-empty string/
      )
    );
    writeFileSync(path.join(dir, 'damaged', 'auth.json'), '{not json');
    await assert.rejects(
      resolveConnection({ 'target-org': 'local' }, envFor('damaged'), dir),
      usageError(/damaged\/auth\.json: not valid JSON/)
    );
  });
});

describe('adaptRefresh', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
  });
  after(async () => t.dispose());

  it("lets jsforce retry a refused call with the token @salesforce/core's refresh returns", async () => {
    let refreshes = 0;
    const conn = new Connection({
      instanceUrl: t.org.instanceUrl,
      accessToken: 'expired-session',
      version: '64.0',
      refreshFn: adaptRefresh(async (_conn, callback) => {
        refreshes += 1;
        await callback(null, t.org.accessToken);
      })
    });
    const limits = await conn.limits();
    assert.equal(typeof limits.DailyApiRequests?.Remaining, 'number');
    assert.equal(refreshes, 1);
    assert.equal(conn.accessToken, t.org.accessToken);
  });

  it('passes a failed refresh on to the caller', async () => {
    const conn = new Connection({
      instanceUrl: t.org.instanceUrl,
      accessToken: 'expired-session',
      version: '64.0',
      refreshFn: adaptRefresh(() =>
        Promise.reject(new Error('refresh token revoked'))
      )
    });
    await assert.rejects(conn.limits(), /refresh token revoked/);
  });
});
