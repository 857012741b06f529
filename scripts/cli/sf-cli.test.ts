/**
 * The real `sf` CLI against the local org, in an isolated HOME: sf logs in with an access
 * token, then `incident --target-org <alias>` finds that login through @salesforce/core.
 * sf takes seconds to start, so the calls are few and the timeouts generous.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import type { JsonSuccess } from './command.ts';
import type { OrgDisplayResult } from './commands/org-display.ts';
import {
  jsonOf,
  makeSandbox,
  run,
  runIncident,
  SF_BIN,
  type RunResult,
  type Sandbox
} from './test-cli.ts';

const ALIAS = 'localtest';

interface SfJson {
  status: number;
  result: Record<string, unknown>;
  warnings?: string[];
  message?: string;
}

function sfJson(result: RunResult): SfJson {
  return jsonOf(result) as SfJson;
}

describe(
  'sf CLI and incident share the sf auth store',
  { timeout: 240_000 },
  () => {
    let t: TestOrg;
    let sandbox: Sandbox;
    const sf = (
      args: string[],
      env: NodeJS.ProcessEnv = {}
    ): Promise<RunResult> =>
      run(SF_BIN, args, { cwd: sandbox.cwd, env: { ...sandbox.env, ...env } });

    before(async () => {
      t = await startTestOrg({ forceAppDir: null });
      sandbox = makeSandbox();
    });
    after(async () => {
      await t.dispose();
      sandbox.dispose();
    });

    it('sf org login access-token logs in to the local org', async () => {
      const login = await sf(
        [
          'org',
          'login',
          'access-token',
          '--instance-url',
          t.org.instanceUrl,
          '--alias',
          ALIAS,
          '--no-prompt',
          '--json'
        ],
        { SF_ACCESS_TOKEN: t.org.accessToken }
      );
      const output = sfJson(login);
      assert.equal(login.code, 0, login.stdout + login.stderr);
      assert.equal(output.status, 0);
      assert.equal(output.result.username, t.org.ctx.username);
      assert.equal(output.result.orgId, t.org.ctx.orgId);
      // sf stores the instance URL with a trailing slash, and so builds '//services/...' paths from it.
      assert.equal(output.result.instanceUrl, `${t.org.instanceUrl}/`);
    });

    it('incident org display --target-org <alias> resolves the login through @salesforce/core', async () => {
      const result = await runIncident(
        ['org', 'display', '--target-org', ALIAS, '--json'],
        sandbox
      );
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const output = jsonOf(result) as JsonSuccess<OrgDisplayResult>;
      assert.equal(output.result.orgId, t.org.ctx.orgId);
      assert.equal(output.result.username, t.org.ctx.username);
      assert.equal(output.result.instanceUrl, t.org.instanceUrl);
      assert.deepEqual(output.result.source, {
        kind: 'sf-auth',
        targetOrg: ALIAS,
        username: t.org.ctx.username,
        fromConfig: false
      });
      // The username works as well as the alias.
      const byUsername = await runIncident(
        ['org', 'display', '-o', t.org.ctx.username, '--json'],
        sandbox
      );
      assert.equal(byUsername.code, 0, byUsername.stdout + byUsername.stderr);
    });

    it('incident uses the target-org set with `sf config set`', async () => {
      const set = await sf([
        'config',
        'set',
        'target-org',
        ALIAS,
        '--global',
        '--json'
      ]);
      assert.equal(set.code, 0, set.stdout + set.stderr);
      const result = await runIncident(['org', 'display', '--json'], sandbox);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const output = jsonOf(result) as JsonSuccess<OrgDisplayResult>;
      assert.equal(output.result.orgId, t.org.ctx.orgId);
      assert.deepEqual(output.result.source, {
        kind: 'sf-auth',
        targetOrg: ALIAS,
        username: t.org.ctx.username,
        fromConfig: true
      });
    });

    it('sf org display reads the login back', async () => {
      const display = await sf([
        'org',
        'display',
        '--target-org',
        ALIAS,
        '--json'
      ]);
      assert.equal(display.code, 0, display.stdout + display.stderr);
      const output = sfJson(display);
      assert.equal(output.result.id, t.org.ctx.orgId);
      assert.equal(output.result.username, t.org.ctx.username);
      assert.equal(output.result.alias, ALIAS);
    });

    // Each of these sends '//services/data/...' (see the login test), as Salesforce tolerates.
    it('sf org display reports the org as connected', async () => {
      const output = sfJson(
        await sf(['org', 'display', '--target-org', ALIAS, '--json'])
      );
      assert.equal(output.result.connectedStatus, 'Connected');
    });

    it('sf data query reads accounts', async () => {
      await t.conn.sobject('Account').create({ Name: 'Queried by sf' });
      const query = await sf([
        'data',
        'query',
        '--query',
        'SELECT Id, Name FROM Account',
        '--target-org',
        ALIAS,
        '--json'
      ]);
      assert.equal(query.code, 0, query.stdout + query.stderr);
      const output = sfJson(query);
      const records = output.result.records as { Name: string }[];
      assert.ok(records.some((record) => record.Name === 'Queried by sf'));
    });
  }
);
