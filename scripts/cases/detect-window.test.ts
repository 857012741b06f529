/**
 * incident detect counts the cases of the current second: the org's clock is set in the middle
 * of a second, cases are created then (the org stamps CreatedDate), and detect runs later in the
 * same second. A scan ending at the whole second before it left them for the next run.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { detectStorms } from './index.ts';

let org: TestOrg;
/** The org's clock: a whole second a minute ago, plus the milliseconds each step sets. */
const second = Math.floor((Date.now() - 60_000) / 1000) * 1000;
let clock = second + 400;

before(async () => {
  org = await startTestOrg({ now: () => new Date(clock) });
});
after(async () => {
  await org.dispose();
});

test('a storm whose cases were created in the current second is found by a run in that second', async () => {
  const accounts = await org.conn.sobject('Account').create(
    ['North 1', 'North 2', 'North 3'].map((Name) => ({
      Name,
      Region__c: 'North'
    }))
  );
  const cases = await org.conn.sobject('Case').create(
    accounts.map((account, i) => ({
      Subject: `No power ${i}`,
      AccountId: account.id
    }))
  );
  const caseIds = cases.map((c) => String(c.id)).sort();
  const stamped = await org.conn.query<{ CreatedDate: string }>(
    `SELECT CreatedDate FROM Case WHERE Id IN ('${caseIds.join("','")}')`
  );
  // The cases carry the org's clock, milliseconds and all, inside the current second.
  for (const row of stamped.records)
    assert.equal(Date.parse(row.CreatedDate), second + 400);

  clock = second + 700;
  const result = await detectStorms(org.conn, {
    threshold: 3,
    now: new Date(clock)
  });
  assert.equal(result.scanned, 3);
  const storm = result.storms.find((s) => s.level === 'region');
  assert.ok(storm, JSON.stringify(result.storms));
  assert.equal(storm.label, 'North');
  assert.deepEqual([...storm.caseIds].sort(), caseIds);
});

test('a case created after the current second is left for the next run', async () => {
  clock = second + 1_000;
  const account = await org.conn
    .sobject('Account')
    .create({ Name: 'North 4', Region__c: 'North' });
  await org.conn
    .sobject('Case')
    .create({ Subject: 'Later', AccountId: account.id });
  const result = await detectStorms(org.conn, {
    threshold: 3,
    now: new Date(second + 999)
  });
  assert.equal(result.scanned, 3, 'the scan ends with the second it ran in');
});
