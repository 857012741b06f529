import vectors from '../../../staticresources/incidentCommsVectors.json';
import {
  communicationAudience,
  draftSendKey,
  draftToSend,
  mergeTemplate,
  nextUpdateDue,
  outreachFor,
  outreachKey
} from 'c/incidentRules';

/** Runs one vector through the module and returns what should equal `expect`. */
function run(testCase) {
  const { input } = testCase;
  switch (testCase.kind) {
    case 'mergeTemplate': {
      const merged = mergeTemplate(input.template, input.context);
      if (testCase.expect.problemFields) {
        return {
          subject: merged.subject,
          body: merged.body,
          problemFields: merged.problems.map((p) => p.field),
          missing: merged.missing
        };
      }
      return merged;
    }
    case 'nextUpdateDue': {
      const due = nextUpdateDue({ ...input, cadence: vectors.cadence });
      return {
        dueAt: due.dueAt,
        state: due.state,
        remainingMinutes: due.remainingMinutes,
        overdueMinutes: due.overdueMinutes
      };
    }
    case 'communicationAudience':
      return communicationAudience(input.cases, input.contacts);
    case 'outreachFor':
      return outreachFor(input);
    case 'draftToSend':
      return {
        draftKey: draftSendKey(input.incidentId, input.stage),
        sendKey: draftToSend(input.incidentId, input.stage, input.ledger)
      };
    default:
      throw new Error(`${testCase.id}: unknown kind ${testCase.kind}`);
  }
}

describe('incidentCommsVectors', () => {
  it.each(vectors.cases.map((c) => [`${c.kind} ${c.id}`, c]))(
    '%s',
    (_name, testCase) => {
      expect(run(testCase)).toEqual(testCase.expect);
    }
  );

  it('covers every kind', () => {
    const kinds = new Set(vectors.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual([
      'communicationAudience',
      'draftToSend',
      'mergeTemplate',
      'nextUpdateDue',
      'outreachFor'
    ]);
  });
});

describe('communications rules beyond the vectors', () => {
  it('refuses a draft key without an incident or of an unknown stage', () => {
    expect(() => draftSendKey('', 'First Alert')).toThrow(TypeError);
    expect(() => draftSendKey('0Ip000000000001CAA', 'Teaser')).toThrow(
      /one of First Alert, Update/
    );
  });

  it('never writes "undefined" for a missing value', () => {
    const merged = mergeTemplate(
      { subject: '{!Incident.Subject}', body: '{!WebinarDetails}' },
      { 'Incident.Subject': undefined }
    );
    expect(merged.subject).not.toMatch(/undefined/);
    expect(merged.body).toBe('[webinar details to follow]');
  });

  it('reports an unknown field once even when used twice', () => {
    const merged = mergeTemplate(
      { subject: '{!Nope}', body: '{!Nope} and {!Nope}' },
      {}
    );
    expect(merged.problems).toHaveLength(1);
    expect(merged.problems[0].message).toContain('{!Nope}');
  });

  it('refuses a bad warning percent and a bad date', () => {
    const cadence = vectors.cadence;
    expect(() =>
      nextUpdateDue({ severity: 1, cadence, now: 'yesterday' })
    ).toThrow(/now must be a date-time/);
    expect(() =>
      nextUpdateDue({
        severity: 1,
        cadence,
        now: '2025-03-10T14:00:00Z',
        warningPercent: 100
      })
    ).toThrow(/between 1 and 99/);
  });

  it('keys outreach by incident and account', () => {
    expect(outreachKey('0ny1', '0012')).toBe('0ny1:0012');
  });

  it('gives a contact on many cases one message, whatever the case order', () => {
    const cases = [
      { Id: '500B', ContactId: '003A' },
      { Id: '500A', ContactId: '003A' }
    ];
    const contacts = [{ Id: '003A', Email: 'a@example.com' }];
    const forward = communicationAudience(cases, contacts);
    const backward = communicationAudience([...cases].reverse(), contacts);
    expect(forward).toEqual(backward);
    expect(forward).toHaveLength(1);
    expect(forward[0].caseId).toBe('500A');
  });
});
