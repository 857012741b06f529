import vectors from '../../../staticresources/incidentTimelineVectors.json';
import {
  decideMilestones,
  durationText,
  eventKey,
  EVENT_TYPES,
  incidentEvents,
  milestones,
  slaEvents,
  warningMinutes
} from 'c/incidentRules';

/** Runs one vector through the module and returns what should equal `expect`. */
function run(testCase) {
  const { input } = testCase;
  switch (testCase.kind) {
    case 'incidentEvents':
      return incidentEvents(input.before, input.after, input.context);
    case 'slaEvents':
      return slaEvents(input.incident, input.targets, input.now);
    case 'decideMilestones': {
      const decision = decideMilestones(input);
      return {
        changes: decision.changes,
        errorFields: decision.errors.map((error) => error.field)
      };
    }
    case 'warningMinutes':
      return warningMinutes(input.allowedMinutes, input.warningPercent);
    case 'durationText':
      return durationText(input.minutes);
    case 'eventKey':
      return eventKey(input.incidentId, input.type, input.discriminator);
    default:
      throw new Error(`${testCase.id}: unknown kind ${testCase.kind}`);
  }
}

describe('incidentTimelineVectors', () => {
  it.each(vectors.cases.map((c) => [c.id, c]))('%s', (_id, testCase) => {
    expect(run(testCase)).toEqual(testCase.expect);
  });

  it('covers every kind the Apex test reads', () => {
    const kinds = new Set(vectors.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(
      [
        'decideMilestones',
        'durationText',
        'eventKey',
        'incidentEvents',
        'slaEvents',
        'warningMinutes'
      ].sort()
    );
  });

  it('writes only the types Incident_Event__c.Type__c allows, with keys unique per save', () => {
    for (const testCase of vectors.cases) {
      if (!Array.isArray(testCase.expect)) continue;
      const keys = testCase.expect.map((event) => event.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const event of testCase.expect) {
        expect(EVENT_TYPES).toContain(event.type);
        expect(event.summary.length).toBeLessThanOrEqual(255);
      }
    }
  });
});

describe('timeline rules', () => {
  const incident = {
    Id: '0ny000000000009AAA',
    Status: 'New',
    Urgency: 'Low',
    Impact: 'Low',
    Severity__c: 5,
    CreatedDate: '2026-02-01T08:00:00.000Z',
    DetectedDateTime: '2026-02-01T08:00:00.000Z'
  };

  it('reads a raise as a smaller severity number, with the urgency and impact that drove it', () => {
    const [severity] = incidentEvents(
      incident,
      { ...incident, Urgency: 'High', Impact: 'High', Severity__c: 1 },
      { now: '2026-02-01T08:10:00.000Z' }
    );
    expect(severity.summary).toBe(
      'Severity raised 5 -> 1 (urgency High, impact High)'
    );
    expect(severity.key).toBe(
      '0ny000000000009AAA:Severity:2026-02-01T08:10:00.000Z'
    );
  });

  it('gives two saves of the same change two events, and the same save the same keys', () => {
    const changed = { ...incident, Status: 'In Progress' };
    const first = incidentEvents(incident, changed, {
      now: '2026-02-01T08:10:00.000Z'
    });
    const again = incidentEvents(incident, changed, {
      now: '2026-02-01T08:10:00.000Z'
    });
    const later = incidentEvents(incident, changed, {
      now: '2026-02-01T09:10:00.000Z'
    });
    expect(again).toEqual(first);
    expect(later[0].key).not.toBe(first[0].key);
  });

  it('lists the milestones of a record', () => {
    expect(
      milestones({
        ...incident,
        ResolutionDateTime: '2026-02-01T10:00:00.000+0000'
      })
    ).toEqual({
      detected: '2026-02-01T08:00:00.000Z',
      acknowledged: null,
      mitigated: null,
      resolved: '2026-02-01T10:00:00.000Z'
    });
  });

  it('refuses bad input with the rule broken', () => {
    expect(() => eventKey('', 'Note', 'x')).toThrow(/incidentId/);
    expect(() => eventKey('0j9', 'Nope', 'x')).toThrow(/type must be one of/);
    expect(() => eventKey('0j9', 'Note', ' ')).toThrow(/discriminator/);
    expect(() => incidentEvents(null, {}, { now: new Date() })).toThrow(
      /saved incident/
    );
    expect(() => incidentEvents(null, incident, { now: 'soon' })).toThrow(
      /context.now/
    );
    expect(() => warningMinutes(10, 100)).toThrow(/1 to 99/);
    expect(() => warningMinutes(-1, 50)).toThrow(/allowedMinutes/);
  });

  it('keeps summaries within Summary__c (255 characters)', () => {
    const [owner] = incidentEvents(
      incident,
      { ...incident, OwnerId: '005000000000003AAA' },
      {
        now: '2026-02-01T08:10:00.000Z',
        names: { '005000000000003AAA': 'x'.repeat(400) }
      }
    );
    expect(owner.summary).toHaveLength(255);
    expect(owner.summary.endsWith('…')).toBe(true);
  });
});
