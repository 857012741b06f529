/**
 * The plan's communications section: its value rules, and seedPlan writing the cadence onto the
 * SLA policy and the templates by stage, against a local org over jsforce.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestOrg, type TestOrg } from '../local-org/test-org.ts';
import { OrgClient } from '../org-client/index.ts';
import {
  loadPlan,
  parsePlan,
  PlanError,
  seedPlan,
  type Plan
} from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PLAN_FILE = path.join(here, '..', '..', 'config', 'incident-plan.json');

let org: TestOrg;
before(async () => {
  org = await startTestOrg();
});
after(async () => {
  await org.dispose();
});

function client(): OrgClient {
  return new OrgClient(org.conn, { sleep: () => Promise.resolve() });
}

function problemsOf(plan: unknown): string[] {
  try {
    parsePlan(JSON.stringify(plan), 'plan.json');
  } catch (error) {
    assert.ok(error instanceof PlanError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

test('the project plan has the default cadence and one template per stage', () => {
  const comms = loadPlan(PLAN_FILE).communications;
  assert.ok(comms);
  assert.deepEqual(
    comms.cadence.map((c) => [c.severity, c.updateMinutes]),
    [
      [1, 30],
      [2, 60],
      [3, 1440]
    ]
  );
  assert.deepEqual(
    comms.templates.map((t) => t.stage),
    ['First Alert', 'Update', 'Webinar Invitation', 'Service Restored']
  );
});

test('bad communications: every problem named by its JSON path and rule', () => {
  const plan = loadPlan(PLAN_FILE) as Plan & Record<string, unknown>;
  const bad = structuredClone(plan);
  bad.communications = {
    cadence: [
      { severity: 1, updateMinutes: 0 },
      { severity: 1, updateMinutes: 30 },
      { severity: 5, updateMinutes: 60 }
    ],
    templates: [
      { stage: 'Update', subject: 'Hi {!Contact.FirstName}', body: 'ok' },
      { stage: 'Update', subject: 'ok', body: 'ok {!Nope}' }
    ]
  };
  const problems = problemsOf(bad);
  const paths = problems.map((p) => p.split(':')[0]).sort();
  assert.deepEqual(paths, [
    'communications.cadence[0].updateMinutes',
    'communications.cadence[1].severity',
    'communications.cadence[2].severity',
    'communications.templates[0].subject',
    'communications.templates[1].body',
    'communications.templates[1].stage'
  ]);
  const about = (path: string): string =>
    problems.find((p) => p.startsWith(`${path}:`)) ?? '';
  assert.match(
    about('communications.cadence[2].severity'),
    /no slaPolicy\.targets entry/
  );
  assert.match(
    about('communications.templates[0].subject'),
    /\{!Contact\.FirstName\}/
  );
});

test('seed writes the cadence and the templates once; a plan without the section keeps them', async () => {
  const plan = loadPlan(PLAN_FILE);
  const changed = structuredClone(plan);
  const update = changed.communications?.templates.find(
    (t) => t.stage === 'Update'
  );
  assert.ok(update && changed.communications);
  update.subject = 'News on {!Incident.Subject}';
  changed.communications.cadence = [{ severity: 1, updateMinutes: 15 }];

  const first = await seedPlan(client(), changed, { createUsers: true });
  assert.deepEqual(first.failures, []);
  assert.equal(first.written.communications, 1, 'only the changed template');
  const cadence = await org.conn.query<{
    Severity__c: number;
    Update_Minutes__c: number | null;
  }>(
    'SELECT Severity__c, Update_Minutes__c FROM Incident_Sla_Policy__mdt ORDER BY Severity__c'
  );
  assert.deepEqual(
    cadence.records.map((r) => [r.Severity__c, r.Update_Minutes__c]),
    [
      [1, 15],
      [2, 60],
      [3, 1440]
    ],
    'severity 1 from the plan; 2 and 3 kept from the deployed defaults'
  );
  const templates = await org.conn.query<{ Subject__c: string }>(
    "SELECT Subject__c FROM Incident_Comm_Template__mdt WHERE Stage__c = 'Update'"
  );
  assert.deepEqual(
    templates.records.map((r) => r.Subject__c),
    ['News on {!Incident.Subject}']
  );

  const rerun = await seedPlan(client(), changed, { createUsers: true });
  assert.equal(rerun.written.communications, 0);
  assert.equal(rerun.written.slaPolicy, 0);

  const without = structuredClone(changed);
  delete without.communications;
  without.slaPolicy.targets = without.slaPolicy.targets.map((t) =>
    t.severity === 2 ? { ...t, warningPercent: 80 } : t
  );
  const kept = await seedPlan(client(), without, { createUsers: true });
  assert.deepEqual(kept.failures, []);
  const after2 = await org.conn.query<{ Update_Minutes__c: number | null }>(
    'SELECT Update_Minutes__c FROM Incident_Sla_Policy__mdt WHERE Severity__c = 2'
  );
  assert.equal(
    after2.records[0]?.Update_Minutes__c,
    60,
    'a changed SLA row keeps its cadence'
  );
});
