import vectors from '../../../staticresources/incidentResponseVectors.json';
import {
  dueResponseSteps,
  responseActionKey,
  responseStepSummary,
  validateResponsePlan
} from 'c/incidentRules';

/** Runs one vector through the module and returns what should equal `expect`. */
function run(testCase) {
  const { input } = testCase;
  switch (testCase.kind) {
    case 'dueResponseSteps':
      return dueResponseSteps({ ...input, plan: vectors.plan });
    case 'validateResponsePlan':
      return validateResponsePlan(
        input.steps === 'plan' ? vectors.plan : input.steps
      ).map(({ record, field, code }) => ({
        record: record ?? null,
        field: field ?? null,
        code
      }));
    case 'responseStepSummary':
      return responseStepSummary(input.due, input.outcome);
    default:
      throw new Error(`${testCase.id}: unknown kind ${testCase.kind}`);
  }
}

describe('incidentResponseVectors', () => {
  it.each(vectors.cases.map((c) => [`${c.kind} ${c.id}`, c]))(
    '%s',
    (_name, testCase) => {
      expect(run(testCase)).toEqual(testCase.expect);
    }
  );

  it('covers every kind and every trigger', () => {
    const kinds = new Set(vectors.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual([
      'dueResponseSteps',
      'responseStepSummary',
      'validateResponsePlan'
    ]);
    const fired = new Set(
      vectors.cases
        .filter((c) => c.kind === 'dueResponseSteps')
        .flatMap((c) => c.expect.map((due) => due.trigger))
    );
    expect([...fired].sort()).toEqual([
      'SLA Breach',
      'SLA Warning',
      'Severity Raised',
      'Severity Reached',
      'Status Change'
    ]);
  });
});

describe('response plan rules beyond the vectors', () => {
  const plan = vectors.plan;
  const incident = {
    Id: '0ny000000000009AAA',
    Severity__c: 1,
    Status: 'New',
    Sla_Response_Due__c: '2025-03-10T10:00:00.000Z',
    Sla_Resolution_Due__c: '2025-03-10T14:00:00.000Z'
  };

  it('never repeats a step once its key is taken: a second save finds nothing', () => {
    const now = '2025-03-10T09:00:00.000Z';
    const first = dueResponseSteps({
      before: null,
      after: incident,
      now,
      plan
    });
    expect(first.length).toBeGreaterThan(0);
    const second = dueResponseSteps({
      before: { ...incident, Severity__c: 3 },
      after: incident,
      now,
      plan,
      done: new Set(first.map((due) => due.actionKey))
    });
    expect(second).toEqual([]);
  });

  it('keys each step by incident, step and trigger', () => {
    expect(
      responseActionKey('0nyX', 'Sev1_Feed_Post', 'Severity Reached')
    ).toBe('0nyX:Sev1_Feed_Post:Severity Reached');
  });

  it('refuses an invalid plan with its first problem', () => {
    expect(() =>
      dueResponseSteps({
        after: incident,
        now: new Date(),
        plan: [
          {
            DeveloperName: 'X',
            Trigger__c: 'Severity Reached',
            Action__c: 'Feed Post',
            Order__c: 1
          }
        ]
      })
    ).toThrow(
      'Response step 0: Severity__c is required for the Severity Reached trigger'
    );
  });

  it('needs the incident id and a real time', () => {
    expect(() =>
      dueResponseSteps({ after: { Severity__c: 1 }, now: new Date(), plan })
    ).toThrow(/after\.Id is required/);
    expect(() =>
      dueResponseSteps({ after: incident, now: 'yesterday', plan })
    ).toThrow(/now must be a date-time/);
  });

  it('names the offending value in validation messages', () => {
    const [problem] = validateResponsePlan([
      {
        DeveloperName: 'A',
        Severity__c: 1,
        Trigger__c: 'Severity Lowered',
        Action__c: 'Owner Task',
        Order__c: 1
      }
    ]);
    expect(problem.message).toBe(
      'Response step 0: Trigger__c must be one of Severity Reached, Severity Raised, SLA Warning, SLA Breach, Status Change, got "Severity Lowered"'
    );
    expect(validateResponsePlan({})).toEqual([
      { code: 'not-a-list', message: 'Response plan: must be a list of steps' }
    ]);
  });
});
