/**
 * `incident org start --set-audit-fields` (child process, sandbox HOME): the org allows what an
 * org with "Set Audit Fields upon Record Creation" allows, through jsforce. Salesforce Help,
 * "Enable Set Audit Fields upon Record Creation": audit fields are writable on insert only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejectsWithCode } from '../local-org/test-org.ts';
import {
  makeSandbox,
  startCliOrg,
  type CliOrg,
  type Sandbox
} from './test-cli.ts';

describe('incident org start --set-audit-fields', { timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let org: CliOrg;
  before(async () => {
    sandbox = makeSandbox();
    org = await startCliOrg(sandbox, ['--set-audit-fields']);
  });
  after(async () => {
    await org.stop('SIGKILL');
    sandbox.dispose();
  });

  it('lets an insert keep its source dates, and refuses them on update', async () => {
    const created = '2024-03-01T08:30:00.000Z';
    const saved = await org.conn.sobject('Account').create({
      Name: 'History Co',
      CreatedDate: created,
      LastModifiedDate: created
    });
    assert.equal(saved.success, true);
    const row = await org.conn
      .sobject('Account')
      .retrieve(saved.id, { fields: ['CreatedDate'] });
    assert.equal(Date.parse(String(row.CreatedDate)), Date.parse(created));
    await rejectsWithCode(
      org.conn
        .sobject('Account')
        .update({ Id: saved.id, CreatedDate: '2024-03-02T00:00:00Z' }),
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
  });
});
