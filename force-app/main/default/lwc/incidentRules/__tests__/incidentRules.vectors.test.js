import vectors from '../../../staticresources/incidentRulesVectors.json';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  compilePolicy,
  compileRules,
  decideIncident,
  priorityFor,
  rosterCallOrder,
  severityFor,
  shiftStatus,
  slaState,
  slaTargets,
  validateCalendar,
  validatePolicy,
  validateRules,
  validateShift
} from 'c/incidentRules';

const KINDS = [
  'severity',
  'addBusinessMinutes',
  'businessMinutesBetween',
  'slaTargets',
  'slaState',
  'severityChange'
];

function calendarOf(testCase) {
  if (testCase.calendar === '24x7') {
    return null;
  }
  const calendar = vectors.calendars[testCase.calendar];
  if (!calendar) {
    throw new Error(`${testCase.id}: unknown calendar '${testCase.calendar}'`);
  }
  return calendar;
}

function isoOrNull(date) {
  return date === null ? null : date.toISOString();
}

function targetsOf(targets) {
  return targets === null
    ? null
    : {
        responseDue: targets.responseDue.toISOString(),
        resolutionDue: targets.resolutionDue.toISOString()
      };
}

/** Runs one case through the module and returns what it should equal `expect`. */
function run(testCase) {
  const { input } = testCase;
  const calendar = calendarOf(testCase);
  switch (testCase.kind) {
    case 'severity': {
      const severity = severityFor(vectors.rules, input.urgency, input.impact);
      return { severity, priority: priorityFor(severity) };
    }
    case 'addBusinessMinutes':
      return {
        result: isoOrNull(
          addBusinessMinutes(calendar, input.start, input.minutes)
        )
      };
    case 'businessMinutesBetween':
      return {
        minutes: businessMinutesBetween(calendar, input.from, input.to)
      };
    case 'slaTargets':
      return targetsOf(
        slaTargets(vectors.policy, input.severity, input.start, calendar)
      );
    case 'severityChange': {
      // The targets before the change must not influence the targets after it.
      slaTargets(vectors.policy, input.severityBefore, input.start, calendar);
      return targetsOf(
        slaTargets(vectors.policy, input.severityAfter, input.start, calendar)
      );
    }
    case 'slaState':
      return slaState(
        {
          start: input.start,
          due: input.due,
          completedAt: input.completedAt,
          warningPercent: input.warningPercent,
          calendar
        },
        input.now
      );
    default:
      throw new Error(`${testCase.id}: unknown kind '${testCase.kind}'`);
  }
}

describe('incidentRules conformance vectors', () => {
  it('is version 1 with valid rules, policy and calendars', () => {
    expect(vectors.version).toBe(1);
    expect(validateRules(vectors.rules)).toEqual([]);
    expect(validatePolicy(vectors.policy)).toEqual([]);
    for (const [name, calendar] of Object.entries(vectors.calendars)) {
      expect({ name, problems: validateCalendar(calendar) }).toEqual({
        name,
        problems: []
      });
    }
  });

  it('has unique ids, known kinds and a note on every case', () => {
    const ids = vectors.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const testCase of vectors.cases) {
      expect(KINDS).toContain(testCase.kind);
      expect(typeof testCase.note).toBe('string');
      expect(testCase.note.length).toBeGreaterThan(10);
    }
  });

  it('covers what the contract promises', () => {
    const cases = vectors.cases;
    const count = (predicate) => cases.filter(predicate).length;
    expect(cases.length).toBeGreaterThanOrEqual(60);
    // Every matrix cell.
    const cells = new Set(
      cases
        .filter((c) => c.kind === 'severity')
        .map(
          (c) =>
            `${levelNumber(c.input.urgency)}:${levelNumber(c.input.impact)}`
        )
    );
    expect(cells.size).toBe(9);
    // Every SLA row, on 24x7 and on business calendars, and severities without a row.
    const slaRows = (severity) =>
      cases.filter(
        (c) => c.kind === 'slaTargets' && c.input.severity === severity
      );
    for (const severity of [1, 2, 3, 4, 5]) {
      expect(slaRows(severity).some((c) => c.calendar === '24x7')).toBe(true);
    }
    for (const severity of [1, 2, 3]) {
      expect(slaRows(severity).some((c) => c.calendar !== '24x7')).toBe(true);
    }
    for (const severity of [4, 5]) {
      expect(slaRows(severity).every((c) => c.expect === null)).toBe(true);
    }
    // DST in two time zones, several 24x7 cases of each kind.
    const zones = new Set(
      cases
        .filter((c) => c.calendar !== '24x7' && /dst|spring|fall/i.test(c.id))
        .map((c) => vectors.calendars[c.calendar].timeZone)
    );
    expect([...zones].sort()).toEqual(['America/New_York', 'Europe/Berlin']);
    for (const kind of KINDS) {
      expect(
        count((c) => c.kind === kind && c.calendar === '24x7')
      ).toBeGreaterThanOrEqual(3);
    }
    const states = new Set(
      cases.filter((c) => c.kind === 'slaState').map((c) => c.expect.state)
    );
    expect([...states].sort()).toEqual([
      'breached',
      'met',
      'missed',
      'on-track',
      'warning'
    ]);
  });

  test.each(vectors.cases.map((c) => [`${c.kind} ${c.id}`, c]))(
    '%s',
    (_name, testCase) => {
      // elapsedPercent is rounded to two decimals by the module, so exact equality holds.
      expect(run(testCase)).toEqual(testCase.expect);
    }
  );
});

function levelNumber(value) {
  return typeof value === 'number'
    ? value
    : ['High', 'Medium', 'Low'].indexOf(value) + 1;
}

describe('shiftStatus conformance vectors', () => {
  const { shifts, cases } = vectors.shiftStatus;

  /** 'none' is no shift, 'blank' a whitespace Shift__c; other names are keys of shifts. */
  function shiftOf(testCase) {
    if (testCase.shift === 'none') {
      return null;
    }
    if (testCase.shift === 'blank') {
      return '  ';
    }
    const shift = shifts[testCase.shift];
    if (!shift) {
      throw new Error(`${testCase.id}: unknown shift '${testCase.shift}'`);
    }
    return shift;
  }

  it('has valid shifts, unique ids and a note on every case', () => {
    for (const [name, shift] of Object.entries(shifts)) {
      expect({ name, problems: validateShift(shift) }).toEqual({
        name,
        problems: []
      });
    }
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const testCase of cases) {
      expect(testCase.note.length).toBeGreaterThan(10);
    }
  });

  it('covers what contract C1 promises', () => {
    const ids = cases.map((c) => c.id).join(' ');
    for (const topic of [
      'no-shift',
      'overnight',
      'spring-dst',
      'fall-dst',
      '24x7',
      'across-weekend'
    ]) {
      expect(ids).toContain(topic);
    }
    const outcomes = new Set(
      cases.map(
        (c) =>
          `${c.expect.onDuty}:${c.expect.endsAt !== null}:${c.expect.nextStartAt !== null}`
      )
    );
    // on duty with and without an end, off duty with and without a next start.
    expect([...outcomes].sort()).toEqual([
      'false:false:false',
      'false:false:true',
      'true:false:false',
      'true:true:false'
    ]);
  });

  test.each(cases.map((c) => [c.id, c]))('%s', (_name, testCase) => {
    const status = shiftStatus(shiftOf(testCase), testCase.at);
    expect({
      onDuty: status.onDuty,
      endsAt: isoOrNull(status.endsAt),
      nextStartAt: isoOrNull(status.nextStartAt)
    }).toEqual(testCase.expect);
  });

  test.each(vectors.shiftStatus.rosterOrder.map((c) => [c.id, c]))(
    'roster order %s',
    (_name, testCase) => {
      const entries = testCase.entries.map((entry) => ({
        ...entry,
        shift: shifts[entry.shift] ?? entry.shift
      }));
      const ordered = rosterCallOrder(entries, testCase.at);
      expect(
        ordered.map((entry) => {
          const unreadable = entry.reason.includes('shift not readable');
          return {
            name: entry.name,
            callOrder: entry.callOrder,
            onDuty: entry.onDuty,
            shiftEndsAt: entry.shiftEndsAt,
            nextOnDutyAt: entry.nextOnDutyAt,
            timeZone: entry.timeZone,
            ...(unreadable ? { shiftUnreadable: true } : {})
          };
        })
      ).toEqual(testCase.expect);
      expect(ordered.every((entry) => !('shift' in entry))).toBe(true);
    }
  );

  test.each(cases.filter((c) => c.shift in shifts).map((c) => [c.id, c]))(
    '%s reads the same from Shift__c JSON text',
    (_name, testCase) => {
      const status = shiftStatus(
        JSON.stringify(shifts[testCase.shift]),
        testCase.at
      );
      expect(status.onDuty).toBe(testCase.expect.onDuty);
      expect(isoOrNull(status.endsAt)).toBe(testCase.expect.endsAt);
      expect(isoOrNull(status.nextStartAt)).toBe(testCase.expect.nextStartAt);
    }
  );
});

describe('automation conformance vectors (decideIncident)', () => {
  const { rules, policies, cases } = vectors.automation;

  /**
   * What a case expects: errors by field and code (messages differ between Apex and JS).
   * rulesByName / policiesByName: the named record lists, or their compiled forms.
   */
  function decide(testCase, rulesByName = rules, policiesByName = policies) {
    const decision = decideIncident({
      record: testCase.record,
      old: testCase.old,
      rules: rulesByName[testCase.rules ?? 'standard'],
      policy: policiesByName[testCase.policy ?? 'standard'],
      now: testCase.now
    });
    return {
      errors: decision.errors.map(({ field, code }) => ({ field, code })),
      changes: decision.changes,
      sla: decision.sla
    };
  }

  it('has unique ids, a note on every case and every path of the policy', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const testCase of cases) {
      expect(testCase.note.length).toBeGreaterThan(10);
    }
    const codes = new Set(
      cases.flatMap((c) => c.expect.errors.map((e) => e.code))
    );
    expect([...codes].sort()).toEqual([
      'invalid-policy',
      'invalid-rules',
      'unknown-level'
    ]);
    const changed = new Set(
      cases.flatMap((c) => Object.keys(c.expect.changes))
    );
    expect([...changed].sort()).toEqual([
      'Priority',
      'ResolutionDateTime',
      'Severity__c',
      'Sla_Resolution_Due__c',
      'Sla_Responded_At__c',
      'Sla_Response_Due__c'
    ]);
    expect(cases.filter((c) => c.old === null).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.old !== null).length).toBeGreaterThan(10);
  });

  it('has the named rules and policies valid or invalid as their names say', () => {
    expect(validateRules(rules.standard)).toEqual([]);
    expect(validateRules(rules.customPriority)).toEqual([]);
    expect(validateRules(rules.incomplete)).not.toEqual([]);
    expect(validatePolicy(policies.standard)).toEqual([]);
    expect(validatePolicy(policies.namedHours)).toEqual([]);
    expect(validatePolicy(policies.invalid)).not.toEqual([]);
  });

  test.each(cases.map((c) => [c.id, c]))('%s', (_name, testCase) => {
    expect(decide(testCase)).toEqual(testCase.expect);
  });

  it('decides the same from compiled rules and policy', () => {
    const compiledRules = Object.fromEntries(
      Object.entries(rules).map(([name, list]) => [name, compileRules(list)])
    );
    const compiledPolicies = Object.fromEntries(
      Object.entries(policies).map(([name, list]) => [
        name,
        compilePolicy(list)
      ])
    );
    for (const testCase of cases) {
      expect({
        id: testCase.id,
        ...decide(testCase, compiledRules, compiledPolicies)
      }).toEqual({ id: testCase.id, ...testCase.expect });
    }
  });
});
