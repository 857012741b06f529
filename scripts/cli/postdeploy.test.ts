/**
 * The postdeploy hook, called directly with the payloads sf passes it (a fake DeployResult,
 * bare as `postdeploy` sends it or wrapped as `scopedPostDeploy` does), against a local org
 * seeded with the shipped plan and logged in to a temporary sf auth store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hook } from '@oclif/core';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { PROJECT_ROOT } from './test-cli.ts';

// The sf auth store lives under HOME: point it at a temp folder before @salesforce/core runs.
const home = mkdtempSync(path.join(tmpdir(), 'postdeploy-home-'));
Object.assign(process.env, {
  HOME: home,
  USERPROFILE: home,
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_DISABLE_TELEMETRY: 'true'
});
for (const name of ['SF_TARGET_ORG', 'SFDX_DEFAULTUSERNAME'])
  Reflect.deleteProperty(process.env, name);

type HookModule = typeof import('./hooks/postdeploy.ts');

/** A DeployResult as source-deploy-retrieve builds it, reduced to what the hook reads. */
function deployResult(
  fullNames: string[],
  response: { success: boolean; checkOnly?: boolean } = { success: true }
): {
  response: typeof response;
  getFileResponses(): { fullName: string; type: string }[];
} {
  return {
    response,
    getFileResponses: () =>
      fullNames.map((fullName) => ({ fullName, type: 'CustomMetadata' }))
  };
}

const OURS = ['Incident_Severity_Rule.Urgency1_Impact1', 'Account.Region__c'];

/** Collects what the hook prints: lines, and each table as its rows. */
function capture(): {
  lines: string[];
  tables: Record<string, unknown>[][];
  out: {
    log(text?: string): void;
    table(options: { data: Record<string, unknown>[] }): void;
  };
} {
  const lines: string[] = [];
  const tables: Record<string, unknown>[][] = [];
  return {
    lines,
    tables,
    out: {
      log: (text = '') => {
        lines.push(text);
      },
      table: (options) => {
        tables.push(options.data);
      }
    }
  };
}

describe('postdeploy hook', { timeout: 120_000 }, () => {
  let t: TestOrg;
  let hook: HookModule;
  before(async () => {
    t = await startTestOrg();
    const { loadPlan, seedPlan } = await import('../seed/index.ts');
    await seedPlan(
      t.conn,
      loadPlan(path.join(PROJECT_ROOT, 'config', 'incident-plan.json')),
      { createUsers: true }
    );
    const { registerLocalOrg } = await import('./local-org-auth.ts');
    await registerLocalOrg({
      instanceUrl: t.org.instanceUrl,
      accessToken: t.org.accessToken,
      alias: 'incident-local'
    });
    hook = await import('./hooks/postdeploy.ts');
  });
  after(async () => {
    await t.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('scopedPostDeploy: finds the org by id and prints the readiness summary, once per org', async () => {
    const seen = new Set<string>();
    const { lines, tables, out } = capture();
    const options = {
      argv: ['--source-dir', 'force-app'],
      commandId: 'project:deploy:start',
      result: { deployResult: deployResult(OURS), orgId: t.org.ctx.orgId }
    };
    assert.equal(await hook.reportAfterDeploy(options, out, seen), 'reported');
    assert.equal(
      lines[0]?.startsWith(
        `Incident plan readiness of ${t.org.ctx.username} at `
      ),
      true,
      lines.join('\n')
    );
    const checks = tables[0] ?? [];
    assert.deepEqual(
      checks.slice(0, 3).map((row) => [row.check, row.status, row.detail]),
      [
        ['Severity matrix', 'OK', 'all nine cells'],
        ['SLA policy', 'OK', 'SLA for severities 1, 2, 3'],
        ['Roster', 'OK', '17 members, 17 active, 0 with a problem']
      ]
    );
    // The on-duty managers cover 24x7 in two time zones, so someone is always on duty.
    assert.ok(
      (tables[1] ?? []).some(
        (row) => row.role === 'On-Duty Customer Service Manager'
      ),
      JSON.stringify(tables)
    );
    // The same deploy seen again (postdeploy after scopedPostDeploy) prints nothing more.
    const again = capture();
    assert.equal(
      await hook.reportAfterDeploy(options, again.out, seen),
      'skipped'
    );
    assert.deepEqual(again.lines, []);
  });

  it('postdeploy: takes the org from the deploy command line', async () => {
    const { lines, out } = capture();
    const outcome = await hook.reportAfterDeploy(
      { argv: ['-o', 'incident-local'], result: deployResult(OURS) },
      out,
      new Set()
    );
    assert.equal(outcome, 'reported');
    assert.match(
      lines.at(-1) ?? '',
      /^(Ready: nothing needs attention\.|- .+)$/
    );
  });

  it('stays quiet for other projects, failed or validate-only deploys, and --json', async () => {
    const cases = [
      {
        argv: ['-o', 'incident-local'],
        result: deployResult(['Account.Other__c'])
      },
      {
        argv: ['-o', 'incident-local'],
        result: deployResult(OURS, { success: false })
      },
      {
        argv: ['-o', 'incident-local'],
        result: deployResult(OURS, { success: true, checkOnly: true })
      },
      { argv: ['-o', 'incident-local', '--json'], result: deployResult(OURS) },
      { argv: ['-o', 'incident-local'], result: { something: 'else' } }
    ];
    for (const options of cases) {
      const { lines, tables, out } = capture();
      assert.equal(
        await hook.reportAfterDeploy(options, out, new Set()),
        'skipped'
      );
      assert.deepEqual([lines, tables], [[], []]);
    }
  });

  it('never fails the deploy: an org it cannot reach is one warning line', async () => {
    const warnings: string[] = [];
    const context = {
      warn: (message: string | Error) => {
        warnings.push(String(message));
      }
    } as unknown as Hook.Context;
    const options = {
      argv: ['-o', 'nope'],
      result: deployResult(OURS),
      Command: undefined,
      commandId: 'project:deploy:start'
    } as unknown as Parameters<Hook<'postdeploy'>>[0];
    await hook.default.call(context, options);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? '',
      /^Incident plan readiness could not be checked after the deploy: .*nope/
    );
  });
});
