/**
 * The demo data supports the README's walkthrough: `incident rollout` on the demo change
 * request (a firmware hotfix) resolves the problem and the severity 1 incident it fixes, which
 * needs their links to say Fixed By (the platform's default, Caused By, means the change broke
 * them, and rollout leaves those alone).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { ownClient } from '../respond/rollout-data.ts';
import { rolloutChangeRequest } from '../respond/rollout.ts';
import { seedDemoData, type DemoIds } from './demo-data.ts';

let t: TestOrg;
let demo: DemoIds;

before(async () => {
  t = await startTestOrg({ dbPath: ':memory:' });
  demo = await seedDemoData(ownClient(t), new Date());
});
after(async () => {
  await t.dispose();
});

test('a dry run of rollout on the demo change request would resolve its problem and incident', async () => {
  const result = await rolloutChangeRequest(ownClient(t), {
    changeRequest: demo.changeRequestId,
    dryRun: true
  });
  assert.deepEqual(result.notFixed, []);
  assert.equal(result.problems.length, 1);
  assert.deepEqual(
    result.incidents.map((i) => i.id),
    [demo.severity1IncidentId]
  );
  assert.equal(result.failures.length, 0);
});
