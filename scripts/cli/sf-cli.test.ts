/**
 * The real `sf` CLI (node_modules/.bin/sf) in an isolated HOME, with this project linked as a
 * plugin (`sf plugins link .`): `sf incident …` runs the same commands as `npx incident …`,
 * and the login `incident org start` saves serves sf's own commands and the config's
 * target-org. sf takes seconds to start, so the calls are few and the timeouts generous.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrgDisplayResult } from './commands/incident/org/display.ts';
import {
  jsonOf,
  makeSandbox,
  PROJECT_ROOT,
  run,
  SF_BIN,
  startCliOrg,
  type CliOrg,
  type RunResult,
  type Sandbox,
  type SfSuccess
} from './test-cli.ts';
import { runIncidentInProcess } from './test-in-process.ts';

interface SfJson {
  status: number;
  result: Record<string, unknown>;
}

describe('sf with the incident plugin linked', { timeout: 300_000 }, () => {
  let sandbox: Sandbox;
  let org: CliOrg;
  const sf = (args: string[]): Promise<RunResult> =>
    run(SF_BIN, args, { cwd: sandbox.cwd, env: sandbox.env });

  before(async () => {
    sandbox = makeSandbox();
    org = await startCliOrg(sandbox);
  });
  after(async () => {
    await org.stop('SIGKILL');
    sandbox.dispose();
  });

  it('sf plugins link . adds the incident commands; sf incident org display reaches incident-local', async () => {
    // --no-install: the dependencies are installed already (npm ci), and linking must not touch them.
    const link = await sf(['plugins', 'link', PROJECT_ROOT, '--no-install']);
    assert.equal(link.code, 0, link.stdout + link.stderr);
    const display = await sf([
      'incident',
      'org',
      'display',
      '--target-org',
      'incident-local',
      '--json'
    ]);
    assert.equal(display.code, 0, display.stdout + display.stderr);
    const output = jsonOf(display) as SfSuccess<OrgDisplayResult>;
    assert.equal(output.result.orgId, org.started.orgId);
    assert.equal(output.result.alias, 'incident-local');
    const help = await sf(['incident', 'org', 'start', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(
      help.stdout,
      /\$ sf incident org start --db \/tmp\/drill\.db --faults/
    );
  });

  it("sf's own commands use the login: org display, data query", async () => {
    const display = await sf([
      'org',
      'display',
      '-o',
      'incident-local',
      '--json'
    ]);
    assert.equal(display.code, 0, display.stdout + display.stderr);
    const shown = jsonOf(display) as SfJson;
    assert.equal(shown.result.id, org.started.orgId);
    assert.equal(shown.result.alias, 'incident-local');
    assert.equal(shown.result.connectedStatus, 'Connected');

    await org.conn.sobject('Account').create({ Name: 'Queried by sf' });
    const query = await sf([
      'data',
      'query',
      '--query',
      'SELECT Id, Name FROM Account',
      '-o',
      'incident-local',
      '--json'
    ]);
    assert.equal(query.code, 0, query.stdout + query.stderr);
    const records = (jsonOf(query) as SfJson).result.records as {
      Name: string;
    }[];
    assert.ok(records.some((record) => record.Name === 'Queried by sf'));
  });

  it('npx incident uses the target-org set with `sf config set`', async () => {
    const set = await sf([
      'config',
      'set',
      'target-org',
      'incident-local',
      '--global',
      '--json'
    ]);
    assert.equal(set.code, 0, set.stdout + set.stderr);
    // In process (the config is read from disk on every run, as a child would).
    const result = await runIncidentInProcess(
      ['org', 'display', '--json'],
      sandbox
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const output = jsonOf(result) as SfSuccess<OrgDisplayResult>;
    assert.equal(output.result.orgId, org.started.orgId);
  });
});
