/**
 * The preview's local org is reachable by alias from the real CLI while the preview runs, and
 * the login is gone after it stops. The sf auth store lives in a temporary HOME.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { makeSandbox, runIncident, type Sandbox } from '../cli/test-cli.ts';

let sandbox: Sandbox;
let t: TestOrg;

before(async () => {
  sandbox = makeSandbox();
  // @salesforce/core finds the auth store under HOME: point this process at the sandbox's
  // before the module loads, as the child processes below are.
  for (const [key, value] of Object.entries(sandbox.env))
    if (/^(HOME|USERPROFILE|SF_)/.test(key)) process.env[key] = value;
  t = await startTestOrg({ dbPath: ':memory:' });
});
after(async () => {
  await t.dispose();
  sandbox.dispose();
});

test('npm start logs its org in as incident-preview for the CLI, and the stop removes it', async () => {
  const { loginForCli, PREVIEW_ORG_ALIAS } = await import('./cli-login.ts');
  const login = await loginForCli(t.org);

  const shown = await runIncident(
    ['org', 'display', '--target-org', PREVIEW_ORG_ALIAS, '--json'],
    sandbox
  );
  assert.equal(shown.code, 0, shown.stderr);
  const display = JSON.parse(shown.stdout) as {
    result: { username: string; instanceUrl: string };
  };
  assert.equal(display.result.username, login.username);
  assert.equal(
    display.result.instanceUrl.replace(/\/+$/, ''),
    t.org.instanceUrl.replace(/\/+$/, '')
  );

  await login.forget();
  const gone = await runIncident(
    ['org', 'display', '--target-org', PREVIEW_ORG_ALIAS, '--json'],
    sandbox
  );
  assert.notEqual(gone.code, 0);
});
