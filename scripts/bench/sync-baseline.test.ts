/** The sync baseline ingests exactly what a hub holds, with lookups moved to the target's ids. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { clientOf } from '../cases/test-orgs.ts';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { ingestSyncedRows, readSyncedRows } from './sync-baseline.ts';

const orgs: TestOrg[] = [];
after(() => Promise.all(orgs.map((o) => o.dispose())));

test('rows are read with their source keys and ingested with lookups pointing at the target', async () => {
  const [from, to] = await Promise.all([startTestOrg(), startTestOrg()]);
  orgs.push(from, to);
  // Two fresh local orgs hand out the same ids in the same order: a record made in the target
  // first puts its ids out of step, so an id carried over unmoved would point at the wrong row.
  await to.conn.sobject('Account').create({ Name: 'Already here' });
  await to.conn
    .sobject('Contact')
    .create({ LastName: 'Already here', Source_Contact_Key__c: 'other:1' });
  const account = await from.conn.sobject('Account').create({
    Name: 'Sunrise Solar',
    Source_Account_Key__c: 'src:001A'
  });
  const contact = await from.conn.sobject('Contact').create({
    LastName: 'Ito',
    Email: 'ito@example.com',
    AccountId: account.id,
    Source_Contact_Key__c: 'src:003A'
  });
  await from.conn.sobject('Case').create([
    {
      Subject: 'Inverter offline',
      Status: 'New',
      Origin: 'Phone',
      AccountId: account.id,
      ContactId: contact.id,
      Source_Case_Key__c: 'src:500A'
    },
    { Subject: 'Not synced', Status: 'New', Origin: 'Web' }
  ]);

  const rows = await readSyncedRows(clientOf(from));
  assert.deepEqual(
    [rows.Account.length, rows.Contact.length, rows.Case.length],
    [1, 1, 1],
    'only rows with a source key are read'
  );
  const figures = await ingestSyncedRows(clientOf(to), rows, { pollMs: 10 });
  assert.equal(figures.rows, 3);

  const [hubCase] = (
    await to.conn.query<{
      Subject: string;
      Origin: string;
      Account: { Source_Account_Key__c: string } | null;
      Contact: { Source_Contact_Key__c: string; Email: string } | null;
    }>(
      "SELECT Subject, Origin, Account.Source_Account_Key__c, Contact.Source_Contact_Key__c, Contact.Email FROM Case WHERE Source_Case_Key__c = 'src:500A'"
    )
  ).records;
  assert.ok(hubCase);
  assert.equal(hubCase.Subject, 'Inverter offline');
  assert.equal(hubCase.Origin, 'Phone');
  assert.equal(hubCase.Account?.Source_Account_Key__c, 'src:001A');
  assert.equal(hubCase.Contact?.Source_Contact_Key__c, 'src:003A');
  assert.equal(hubCase.Contact.Email, 'ito@example.com');
});
