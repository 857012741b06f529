/**
 * sObject Tree (REST API Developer Guide, "Create Nested Records": POST
 * /composite/tree/{type}, 200 records, all or none, { hasErrors, results: [{ referenceId, id
 * }] }) through the client that found it missing: `sf data import tree`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run, SF_BIN, type Sandbox } from '../cli/test-cli.ts';
import { sfLoggedIn } from './test-sf.ts';
import { raw, startTestOrg, type TestOrg } from './test-org.ts';

describe('sObject Tree', { timeout: 240_000 }, () => {
  let t: TestOrg;
  let sandbox: Sandbox;
  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
    sandbox = await sfLoggedIn(t, 'tree-test');
  });
  after(async () => {
    await t.dispose();
    sandbox.dispose();
  });

  it('sf data import tree creates accounts with their nested contacts', async () => {
    const dir = path.join(sandbox.cwd, 'data');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'Account.json');
    writeFileSync(
      file,
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Account', referenceId: 'SolarRef' },
            Name: 'Solar Tree',
            Contacts: {
              records: [
                {
                  attributes: { type: 'Contact', referenceId: 'AnaRef' },
                  LastName: 'Silva'
                },
                {
                  attributes: { type: 'Contact', referenceId: 'RuiRef' },
                  LastName: 'Costa'
                }
              ]
            }
          }
        ]
      })
    );
    const imported = await run(
      SF_BIN,
      [
        'data',
        'import',
        'tree',
        '--files',
        file,
        '--target-org',
        'tree-test',
        '--json'
      ],
      { cwd: sandbox.cwd, env: sandbox.env }
    );
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    const contacts = await t.conn.query<{
      LastName: string;
      Account: { Name: string };
    }>('SELECT LastName, Account.Name FROM Contact ORDER BY LastName');
    assert.deepEqual(
      contacts.records.map((c) => [c.LastName, c.Account.Name]),
      [
        ['Costa', 'Solar Tree'],
        ['Silva', 'Solar Tree']
      ]
    );
  });

  it('is all or none: a bad child rolls back the whole tree and names its reference', async () => {
    const answer = await raw(
      t.org,
      'POST',
      '/services/data/v64.0/composite/tree/Account',
      JSON.stringify({
        records: [
          {
            attributes: { type: 'Account', referenceId: 'ok' },
            Name: 'Never Saved',
            Contacts: {
              records: [{ attributes: { type: 'Contact', referenceId: 'bad' } }]
            }
          }
        ]
      }),
      { 'content-type': 'application/json' }
    );
    assert.equal(answer.status, 400);
    const body = answer.body as {
      hasErrors: boolean;
      results: { referenceId: string; errors: { statusCode: string }[] }[];
    };
    assert.equal(body.hasErrors, true);
    assert.deepEqual(
      body.results.map((r) => [
        r.referenceId,
        r.errors.map((e) => e.statusCode).join()
      ]),
      [['bad', 'REQUIRED_FIELD_MISSING']]
    );
    const saved = await t.conn.query(
      "SELECT Id FROM Account WHERE Name = 'Never Saved'"
    );
    assert.equal(saved.totalSize, 0);
  });
});
