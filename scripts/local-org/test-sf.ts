/** Test helper: logs the real `sf` CLI in to a test org, in an isolated HOME (makeSandbox). */
import assert from 'node:assert/strict';
import { makeSandbox, run, SF_BIN, type Sandbox } from '../cli/test-cli.ts';
import type { TestOrg } from './test-org.ts';

/** A fresh sf sandbox logged in to the org under `alias` (an access-token login, as users do). */
export async function sfLoggedIn(t: TestOrg, alias: string): Promise<Sandbox> {
  const sandbox = makeSandbox();
  const login = await run(
    SF_BIN,
    [
      'org',
      'login',
      'access-token',
      '--instance-url',
      t.org.instanceUrl,
      '--alias',
      alias,
      '--no-prompt',
      '--json'
    ],
    {
      cwd: sandbox.cwd,
      env: { ...sandbox.env, SF_ACCESS_TOKEN: t.org.accessToken }
    }
  );
  assert.equal(login.code, 0, login.stdout + login.stderr);
  return sandbox;
}
