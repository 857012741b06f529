/**
 * End-to-end: the real `incident` CLI (node bin/incident.js) as a child process, in a sandbox
 * HOME: `org start` logs the local org in to the sf auth store as incident-local, `org
 * display` finds it there, and the exit codes stay 0 / 1 / 2. The org starts and one `org
 * display` are child processes; the other runs are in process (runIncidentInProcess), which
 * loads the CLI's modules once instead of once per run.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OrgDisplayResult } from './commands/incident/org/display.ts';
import type { OrgStopResult } from './commands/incident/org/start.ts';
import {
  jsonDocuments,
  jsonOf,
  makeSandbox,
  runIncident,
  startCliOrg,
  startIncident,
  waitForOutput,
  type CliOrg,
  type RunResult,
  type Sandbox,
  type SfFailure,
  type SfSuccess
} from './test-cli.ts';
import { runIncidentInProcess } from './test-in-process.ts';

const TIMEOUT = 240_000;

function success<R>(result: RunResult): SfSuccess<R> {
  assert.equal(
    result.code,
    0,
    `exit ${String(result.code)}: ${result.stdout}${result.stderr}`
  );
  return jsonOf(result) as SfSuccess<R>;
}

function failure(result: RunResult, code: 1 | 2): SfFailure {
  assert.equal(
    result.code,
    code,
    `exit ${String(result.code)}: ${result.stdout}${result.stderr}`
  );
  const output = jsonOf(result) as SfFailure;
  assert.equal(output.status, code);
  return output;
}

describe(
  'incident org start and org display (child processes)',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    let org: CliOrg;
    before(async () => {
      sandbox = makeSandbox();
      org = await startCliOrg(sandbox);
    });
    after(async () => {
      await org.stop('SIGKILL');
      sandbox.dispose();
    });

    it('starts the org and logs it in to the sf auth store as incident-local', () => {
      const { started } = org;
      assert.match(started.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(started.alias, 'incident-local');
      // Every local org database has its own org id and admin username (see identityOf).
      assert.match(
        started.username,
        /^admin@org[0-9a-z]+\.incident-console\.local$/
      );
      assert.match(started.orgId, /^00D[A-Za-z0-9]{15}$/);
      assert.equal(started.dbPath, path.join(sandbox.home, 'org.db'));
      assert.equal(started.faultsFile, null);
      assert.ok(existsSync(started.dbPath));
      const aliases = JSON.parse(
        readFileSync(path.join(sandbox.home, '.sfdx', 'alias.json'), 'utf8')
      ) as { orgs: Record<string, string> };
      assert.equal(aliases.orgs['incident-local'], started.username);
    });

    it('org display --target-org incident-local shows the org, the user and the daily API allowance, spending two calls', async () => {
      const before = (await org.conn.limits()).DailyApiRequests?.Remaining ?? 0;
      const display = success<OrgDisplayResult>(
        await runIncident(
          ['org', 'display', '--target-org', 'incident-local', '--json'],
          sandbox
        )
      );
      assert.deepEqual(display.warnings, []);
      const { dailyApiRequests, ...rest } = display.result;
      assert.deepEqual(rest, {
        orgId: org.started.orgId,
        userId: rest.userId,
        username: org.started.username,
        instanceUrl: org.started.instanceUrl,
        apiVersion: '64.0',
        alias: 'incident-local'
      });
      assert.match(rest.userId, /^005[A-Za-z0-9]{15}$/);
      assert.ok(dailyApiRequests);
      assert.equal(dailyApiRequests.max, 15_000);
      // Our limits call above, then the command's userinfo and limits; @salesforce/core may add
      // its own reads while connecting (the API version), so at least two, not exactly two.
      assert.ok(dailyApiRequests.remaining <= before - 2);
    });

    it('prints a key/value table for people, naming the alias', async () => {
      const result = await runIncidentInProcess(
        ['org', 'display', '-o', 'incident-local', '--api-version', '62.0'],
        sandbox
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /│ Org ID +│ 00D\w{15} +│/);
      assert.match(result.stdout, /│ Alias +│ incident-local +│/);
      assert.match(result.stdout, /│ API version +│ 62\.0 +│/);
      assert.match(
        result.stdout,
        /│ Daily API requests +│ [\d,]+ of 15,000 remaining +│/
      );
    });

    it('exits 2 naming --target-org for an alias the auth store does not know, and without any org', async () => {
      const unknown = failure(
        await runIncidentInProcess(
          ['org', 'display', '-o', 'nope', '--json'],
          sandbox
        ),
        2
      );
      assert.equal(unknown.name, 'NamedOrgNotFoundError');
      assert.match(unknown.message, /nope/);
      const none = failure(
        await runIncidentInProcess(['org', 'display', '--json'], sandbox),
        2
      );
      assert.equal(none.name, 'NoDefaultEnvError');
      assert.match(none.message, /--target-org/);
    });

    it('exits 2 for an unknown flag or a bad value, naming it', async () => {
      const flag = await runIncidentInProcess(
        ['org', 'display', '-o', 'incident-local', '--bogus'],
        sandbox
      );
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /Nonexistent flag: --bogus/);
      const port = await runIncidentInProcess(
        ['org', 'start', '--port', '70000'],
        sandbox
      );
      assert.equal(port.code, 2);
      assert.match(
        port.stderr,
        /Parsing --port[\s\S]*less than or equal to 65535/
      );
    });
  }
);

describe(
  'incident org start, stopped (child process)',
  { timeout: TIMEOUT },
  () => {
    let sandbox: Sandbox;
    before(() => {
      sandbox = makeSandbox();
    });
    after(() => {
      sandbox.dispose();
    });

    it('removes its login on Ctrl+C and reports the calls as a second JSON document', async () => {
      const org = await startCliOrg(sandbox, ['--alias', 'my-local']);
      try {
        await org.conn.query('SELECT Id FROM Account');
        assert.equal(await org.stop('SIGINT'), 0, org.spawned.stderr());
        const documents = jsonDocuments(org.spawned.stdout());
        assert.equal(documents.length, 2, org.spawned.stdout());
        const stopped = documents[1] as SfSuccess<OrgStopResult>;
        assert.equal(stopped.status, 0);
        assert.deepEqual(stopped.result, {
          instanceUrl: org.started.instanceUrl,
          calls: { query: 1 },
          faultsInjected: { total: 0, byEndpoint: {} }
        } satisfies OrgStopResult);
        // @salesforce/core warns about the local org's plain http; nothing else.
        for (const warning of stopped.warnings)
          assert.match(warning, /^Using insecure protocol: http:/);
        const gone = failure(
          await runIncidentInProcess(
            ['org', 'display', '-o', 'my-local', '--json'],
            sandbox
          ),
          2
        );
        assert.equal(gone.name, 'NamedOrgNotFoundError');
      } finally {
        org.spawned.child.kill('SIGKILL');
      }
    });

    it('keeps its data in INCIDENT_LOCAL_ORG_DIR/org.db by default', async () => {
      const dirSandbox = {
        ...sandbox,
        env: { ...sandbox.env, INCIDENT_LOCAL_ORG_DIR: 'elsewhere' }
      };
      const spawned = await runDefaultDb(dirSandbox);
      assert.equal(spawned, path.join(sandbox.cwd, 'elsewhere', 'org.db'));
    });
  }
);

/** Starts `org start` without --db, reads where it put the database, and stops it. */
async function runDefaultDb(sandbox: Sandbox): Promise<string> {
  const spawned = startIncident(['org', 'start', '--json'], sandbox);
  try {
    const out = await waitForOutput(
      spawned,
      (text) => jsonDocuments(text).length > 0
    );
    const [first] = jsonDocuments(out) as [SfSuccess<{ dbPath: string }>];
    return first.result.dbPath;
  } finally {
    spawned.child.kill('SIGINT');
    await spawned.exited;
  }
}
