/**
 * The plan file's responsePlan section: rule problems in the plan's words and paths, the steps
 * as custom metadata values, and the shipped plan file equal to the shipped
 * Incident_Response_Step__mdt records (so seeding the default plan changes nothing).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestOrg } from '../local-org/test-org.ts';
import { loadPlan, seedPlan } from '../seed/index.ts';
import { responsePlanProblems, responseStepValues, stepLabel } from './plan.ts';
import { responsePlanSchema } from './plan-schema.ts';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..'
);
const METADATA = path.join(root, 'force-app/main/default/customMetadata');

/** The shipped Incident_Response_Step records' values, by DeveloperName. */
function shippedSteps(): Map<string, Record<string, unknown>> {
  const steps = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(METADATA)) {
    const match = /^Incident_Response_Step\.(\w+)\.md-meta\.xml$/.exec(file);
    if (!match?.[1]) continue;
    const xml = readFileSync(path.join(METADATA, file), 'utf8');
    const values: Record<string, unknown> = {
      Severity__c: null,
      Status_Value__c: null,
      label: /<label>([^<]*)<\/label>/.exec(xml)?.[1]
    };
    for (const [, field, type, value] of xml.matchAll(
      /<field>(\w+)<\/field>\s*<value xsi:type="xsd:(\w+)">([^<]*)<\/value>/g
    ))
      if (field) values[field] = type === 'double' ? Number(value) : value;
    steps.set(match[1], values);
  }
  return steps;
}

describe('responsePlan section', () => {
  it('the shipped plan file lists exactly the shipped steps, value for value', () => {
    const plan = JSON.parse(
      readFileSync(path.join(root, 'config/incident-plan.json'), 'utf8')
    ) as { responsePlan?: unknown };
    const steps = responsePlanSchema.parse(plan.responsePlan);
    assert.deepEqual(responsePlanProblems(plan), []);
    const shipped = shippedSteps();
    assert.deepEqual(
      steps.map((s) => s.name).sort(),
      [...shipped.keys()].sort()
    );
    for (const { name, label, values } of responseStepValues(steps))
      assert.deepEqual({ ...values, label }, shipped.get(name), name);
  });

  it("puts incidentRules' rules in the plan's words and paths", () => {
    const problems = responsePlanProblems({
      responsePlan: [
        {
          name: 'Post',
          trigger: 'Severity Reached',
          action: 'Feed Post',
          order: 1
        },
        {
          name: 'post',
          severity: 1,
          trigger: 'Status Change',
          action: 'Feed Post',
          order: 2
        },
        {
          name: 'Sev1__Task',
          severity: 7,
          trigger: 'SLA Breach',
          action: 'Owner Task',
          order: 1000,
          statusValue: 'Resolved'
        },
        'not a step'
      ]
    });
    assert.deepEqual(problems, [
      {
        path: 'responsePlan[0].severity',
        message: 'is required for the Severity Reached trigger'
      },
      {
        path: 'responsePlan[1].name',
        message:
          '"post" is already the name of responsePlan[0] (names ignore case)'
      },
      {
        path: 'responsePlan[1].statusValue',
        message:
          'is required for the Status Change trigger (the status that fires the step)'
      },
      {
        path: 'responsePlan[2].name',
        message:
          'must be up to 40 letters, digits and single underscores, starting with a letter and not ending with _, got "Sev1__Task"'
      },
      {
        path: 'responsePlan[2].severity',
        message: 'must be a whole number from 1 to 5, got 7'
      },
      {
        path: 'responsePlan[2].order',
        message: 'must be a whole number from 0 to 999, got 1000'
      },
      {
        path: 'responsePlan[2].statusValue',
        message:
          'applies to the Status Change trigger only, not to "SLA Breach"'
      },
      { path: 'responsePlan[3]', message: 'must be a record' }
    ]);
  });

  it('leaves a plan without the section alone', () => {
    assert.deepEqual(responsePlanProblems({ severityMatrix: [] }), []);
  });

  it('labels a step by its name unless the plan gives one', () => {
    assert.equal(
      stepLabel({
        name: 'Sev1_Feed_Post',
        trigger: 'Severity Reached',
        action: 'Feed Post',
        order: 1
      }),
      'Sev1 Feed Post'
    );
    assert.equal(
      stepLabel({
        name: 'X',
        label: 'Page the bridge',
        trigger: 'SLA Breach',
        action: 'Feed Post',
        order: 1
      }),
      'Page the bridge'
    );
  });

  it('is written by the seed as Incident_Response_Step__mdt records: only what differs, once', async () => {
    const t = await startTestOrg({ dbPath: ':memory:' });
    try {
      const plan = loadPlan(path.join(root, 'config/incident-plan.json'));
      const shipped = await seedPlan(t.conn, plan, { createUsers: true });
      assert.deepEqual(
        shipped.changes.filter((c) => c.section === 'responsePlan'),
        [],
        'the deployed defaults are the shipped plan'
      );
      plan.responsePlan = [
        ...(plan.responsePlan ?? []).map((step) =>
          step.name === 'Sev3_Owner_Task' ? { ...step, order: 20 } : step
        ),
        {
          name: 'Resolved_Feed_Post',
          trigger: 'Status Change',
          action: 'Feed Post',
          order: 10,
          statusValue: 'Resolved'
        }
      ];
      const changed = await seedPlan(t.conn, plan, {});
      assert.deepEqual(changed.failures, []);
      assert.deepEqual(
        changed.changes
          .filter((c) => c.section === 'responsePlan')
          .map((c) => [c.kind, c.key]),
        [
          ['changed', 'Incident_Response_Step.Sev3_Owner_Task'],
          ['added', 'Incident_Response_Step.Resolved_Feed_Post']
        ]
      );
      assert.equal(changed.written.responsePlan, 2);
      const rows = (
        await t.conn.query<Record<string, unknown>>(
          "SELECT DeveloperName, Order__c, Status_Value__c, Severity__c FROM Incident_Response_Step__mdt WHERE DeveloperName IN ('Sev3_Owner_Task', 'Resolved_Feed_Post') ORDER BY DeveloperName"
        )
      ).records.map(({ attributes: _attributes, ...fields }) => fields);
      assert.deepEqual(rows, [
        {
          DeveloperName: 'Resolved_Feed_Post',
          Order__c: 10,
          Status_Value__c: 'Resolved',
          Severity__c: null
        },
        {
          DeveloperName: 'Sev3_Owner_Task',
          Order__c: 20,
          Status_Value__c: null,
          Severity__c: 3
        }
      ]);
      const again = await seedPlan(t.conn, plan, {});
      assert.equal(again.written.responsePlan, 0);
    } finally {
      await t.dispose();
    }
  });
});
