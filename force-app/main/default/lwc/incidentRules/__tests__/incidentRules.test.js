import * as incidentRules from 'c/incidentRules';
import {
  addBusinessMinutes,
  compilePolicy,
  compileRules,
  businessMinutesBetween,
  isBusinessTime,
  levelLabel,
  priorityFor,
  severityFor,
  shiftStatus,
  slaState,
  slaTargets,
  toLevel,
  validateCalendar,
  validatePolicy,
  validateRules,
  validateShift,
  wallClockMillis
} from 'c/incidentRules';
import vectors from '../../../staticresources/incidentRulesVectors.json';

const RULES = vectors.rules;
const POLICY = vectors.policy;
const NEW_YORK_OFFICE = vectors.calendars.newYorkOffice;

function weekdays(hours, days) {
  const names = [
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday'
  ];
  return Object.fromEntries(
    names.map((n) => [n, days.includes(n) ? hours : null])
  );
}

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

describe('contract', () => {
  it('exports the functions other modules code against', () => {
    for (const name of [
      'toLevel',
      'levelLabel',
      'severityFor',
      'priorityFor',
      'validateRules',
      'validatePolicy',
      'addBusinessMinutes',
      'businessMinutesBetween',
      'isBusinessTime',
      'slaTargets',
      'slaState',
      'wallClockMillis',
      'shiftStatus',
      'validateShift',
      'compileRules',
      'compilePolicy',
      'decideIncident',
      'rosterCallOrder'
    ]) {
      expect(typeof incidentRules[name]).toBe('function');
    }
  });
});

describe('levels and priority', () => {
  it('accepts numbers and picklist labels', () => {
    expect([1, 2, 3].map(toLevel)).toEqual([1, 2, 3]);
    expect(['High', 'Medium', 'Low'].map(toLevel)).toEqual([1, 2, 3]);
    expect(toLevel(' medium ')).toBe(2);
    expect([1, 2, 3].map(levelLabel)).toEqual(['High', 'Medium', 'Low']);
    expect(levelLabel('LOW')).toBe('Low');
  });

  it.each([[0], [4], [1.5], ['2'], ['Urgent'], [null], [undefined], [NaN]])(
    'rejects level %p with a RangeError',
    (value) => {
      expect(() => toLevel(value)).toThrow(RangeError);
      expect(() => toLevel(value)).toThrow(
        /Unknown level .*expected 1, 2, 3, 'High'/
      );
    }
  );

  it('maps severity to priority', () => {
    expect([1, 2, 3, 4, 5].map((severity) => priorityFor(severity))).toEqual([
      'Critical',
      'High',
      'Moderate',
      'Low',
      'Low'
    ]);
  });

  it.each([[0], [6], [2.5], ['1'], [null]])('rejects severity %p', (value) => {
    expect(() => priorityFor(value)).toThrow(RangeError);
  });
});

describe('validateRules', () => {
  it('accepts the standard matrix', () => {
    expect(validateRules(RULES)).toEqual([]);
  });

  it('reports a missing cell by urgency and impact', () => {
    const rules = RULES.filter(
      (r) => !(r.Urgency__c === 2 && r.Impact__c === 3)
    );
    expect(validateRules(rules)).toEqual([
      {
        code: 'missing-cell',
        message:
          'Severity rules: no rule for urgency 2 (Medium) × impact 3 (Low)'
      }
    ]);
  });

  it('reports a duplicate cell with the index of the second record', () => {
    const rules = [...RULES, { Urgency__c: 1, Impact__c: 2, Severity__c: 1 }];
    expect(validateRules(rules)).toEqual([
      {
        code: 'duplicate-cell',
        message:
          'Severity rule 9: urgency 1 × impact 2 is already defined by rule 1',
        record: 9,
        field: 'Urgency__c'
      }
    ]);
  });

  it('reports out-of-range and non-integer values by record and field', () => {
    const rules = clone(RULES);
    rules[0].Urgency__c = 4;
    rules[4].Severity__c = 6;
    rules[8].Impact__c = 2.5;
    rules[7].Severity__c = '4';
    rules[6].Severity__c = null;
    const problems = validateRules(rules);
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          code: 'out-of-range',
          message: 'Severity rule 0: Urgency__c must be from 1 to 3, got 4',
          record: 0,
          field: 'Urgency__c'
        },
        {
          code: 'out-of-range',
          message: 'Severity rule 4: Severity__c must be from 1 to 5, got 6',
          record: 4,
          field: 'Severity__c'
        },
        {
          code: 'not-integer',
          message: 'Severity rule 8: Impact__c must be a whole number, got 2.5',
          record: 8,
          field: 'Impact__c'
        },
        {
          code: 'not-integer',
          message:
            "Severity rule 7: Severity__c must be a whole number, got '4'",
          record: 7,
          field: 'Severity__c'
        },
        {
          code: 'missing-field',
          message: 'Severity rule 6: Severity__c is missing',
          record: 6,
          field: 'Severity__c'
        }
      ])
    );
    // The cells of records 0 and 8 are unusable, so they are missing too.
    expect(
      problems.filter((p) => p.code === 'missing-cell').map((p) => p.message)
    ).toEqual([
      'Severity rules: no rule for urgency 1 (High) × impact 1 (High)',
      'Severity rules: no rule for urgency 3 (Low) × impact 3 (Low)'
    ]);
  });

  it('rejects something that is not a list of records', () => {
    expect(validateRules({})).toEqual([
      {
        code: 'not-a-list',
        message: 'Severity rules must be a list of records, got an object'
      }
    ]);
    expect(validateRules([...RULES, 'x'])[0]).toMatchObject({
      code: 'not-a-record',
      record: 9
    });
  });
});

describe('severityFor', () => {
  it('looks up every cell', () => {
    expect(severityFor(RULES, 'High', 'High')).toBe(1);
    expect(severityFor(RULES, 3, 'Low')).toBe(5);
  });

  it('uses the rules it is given, not a built-in matrix', () => {
    const rules = clone(RULES);
    rules.find((r) => r.Urgency__c === 2 && r.Impact__c === 2).Severity__c = 1;
    expect(severityFor(rules, 2, 2)).toBe(1);
  });

  it('throws with every problem when the rules are invalid', () => {
    expect(() => severityFor(RULES.slice(1), 1, 1)).toThrow(
      'Invalid severity rules: Severity rules: no rule for urgency 1 (High) × impact 1 (High)'
    );
  });

  it('throws a RangeError for an unknown level', () => {
    expect(() => severityFor(RULES, 'Critical', 1)).toThrow(RangeError);
  });
});

describe('validatePolicy', () => {
  it('accepts the standard policy', () => {
    expect(validatePolicy(POLICY)).toEqual([]);
    expect(validatePolicy([])).toEqual([]);
  });

  it.each([
    [
      { Severity__c: 6 },
      {
        code: 'out-of-range',
        message: 'SLA policy row 0: Severity__c must be from 1 to 5, got 6',
        field: 'Severity__c'
      }
    ],
    [
      { Response_Minutes__c: 0 },
      {
        code: 'not-positive',
        message:
          'SLA policy row 0: Response_Minutes__c must be positive, got 0',
        field: 'Response_Minutes__c'
      }
    ],
    [
      { Resolution_Minutes__c: -5 },
      {
        code: 'not-positive',
        message:
          'SLA policy row 0: Resolution_Minutes__c must be positive, got -5',
        field: 'Resolution_Minutes__c'
      }
    ],
    [
      { Response_Minutes__c: 30.5 },
      {
        code: 'not-integer',
        message:
          'SLA policy row 0: Response_Minutes__c must be a whole number, got 30.5',
        field: 'Response_Minutes__c'
      }
    ],
    [
      { Response_Minutes__c: 240 },
      {
        code: 'response-not-shorter',
        message:
          'SLA policy row 0: Response_Minutes__c (240) must be shorter than Resolution_Minutes__c (240)',
        field: 'Response_Minutes__c'
      }
    ],
    [
      { Warning_Percent__c: 0 },
      {
        code: 'out-of-range',
        message:
          'SLA policy row 0: Warning_Percent__c must be from 1 to 99, got 0',
        field: 'Warning_Percent__c'
      }
    ],
    [
      { Warning_Percent__c: 100 },
      {
        code: 'out-of-range',
        message:
          'SLA policy row 0: Warning_Percent__c must be from 1 to 99, got 100',
        field: 'Warning_Percent__c'
      }
    ],
    [
      { Warning_Percent__c: undefined },
      {
        code: 'missing-field',
        message: 'SLA policy row 0: Warning_Percent__c is missing',
        field: 'Warning_Percent__c'
      }
    ]
  ])('reports %p', (change, problem) => {
    const row = { ...POLICY[0], ...change };
    expect(validatePolicy([row])).toEqual([{ record: 0, ...problem }]);
  });

  it('reports a duplicate severity with both rows', () => {
    const policy = [...POLICY, { ...POLICY[1] }];
    expect(validatePolicy(policy)).toEqual([
      {
        code: 'duplicate-severity',
        message: 'SLA policy row 3: severity 2 already has a row (row 1)',
        record: 3,
        field: 'Severity__c'
      }
    ]);
  });

  it('rejects something that is not a list', () => {
    expect(validatePolicy(null)[0].code).toBe('not-a-list');
  });
});

describe('slaTargets', () => {
  it('throws for an invalid policy or severity', () => {
    const bad = [{ ...POLICY[0], Response_Minutes__c: 500 }];
    expect(() => slaTargets(bad, 1, '2025-03-10T14:00:00Z', null)).toThrow(
      /^Invalid SLA policy: SLA policy row 0: Response_Minutes__c \(500\)/
    );
    expect(() => slaTargets(POLICY, 0, '2025-03-10T14:00:00Z', null)).toThrow(
      RangeError
    );
  });

  it('returns the warning percent of the row', () => {
    expect(
      slaTargets(POLICY, 3, '2025-03-10T14:00:00Z', null).warningPercent
    ).toBe(80);
  });
});

describe('business time inputs', () => {
  it.each([[NaN], [Infinity], ['30'], [undefined]])(
    'rejects minutes %p',
    (minutes) => {
      expect(() =>
        addBusinessMinutes(null, '2025-03-10T14:00:00Z', minutes)
      ).toThrow(/minutes must be a finite number/);
    }
  );

  it('rejects negative minutes', () => {
    expect(() => addBusinessMinutes(null, '2025-03-10T14:00:00Z', -1)).toThrow(
      RangeError
    );
  });

  it.each([
    ['2025-03-10T14:00:00', /ISO 8601 date-time with a time zone/],
    ['2025-13-10T14:00:00Z', /ISO 8601/],
    ['2025-02-30T14:00:00Z', /ISO 8601/],
    ['2025-02-03T24:00:00Z', /ISO 8601/],
    ['tomorrow', /ISO 8601/],
    [new Date('nope'), /start is an invalid Date/],
    [1741615200000, /start must be a Date or an ISO 8601 string/]
  ])('rejects start %p', (start, message) => {
    expect(() => addBusinessMinutes(null, start, 10)).toThrow(message);
  });

  it("accepts Salesforce's +0000 offsets and Date objects", () => {
    expect(
      addBusinessMinutes(null, '2025-03-10T14:00:00.000+0000', 30).toISOString()
    ).toBe('2025-03-10T14:30:00.000Z');
    expect(
      addBusinessMinutes(null, '2025-03-10T10:00:00-04:00', 30).toISOString()
    ).toBe('2025-03-10T14:30:00.000Z');
    expect(
      addBusinessMinutes(
        null,
        new Date('2025-03-10T14:00:00Z'),
        30
      ).toISOString()
    ).toBe('2025-03-10T14:30:00.000Z');
  });

  it('keeps the seconds of the start and drops fractions of a minute', () => {
    expect(
      addBusinessMinutes(
        NEW_YORK_OFFICE,
        '2025-06-10T13:00:30Z',
        30.9
      ).toISOString()
    ).toBe('2025-06-10T13:30:30.000Z');
  });

  it('names an unknown time zone', () => {
    const calendar = { ...NEW_YORK_OFFICE, timeZone: 'Mars/Olympus_Mons' };
    expect(() =>
      businessMinutesBetween(
        calendar,
        '2025-01-01T00:00:00Z',
        '2025-01-02T00:00:00Z'
      )
    ).toThrow(
      "Calendar timeZone 'Mars/Olympus_Mons' is not a known IANA time zone"
    );
  });

  it.each([
    [{ timeZone: 'UTC', weekly: { funday: null } }, "unknown weekday 'funday'"],
    [
      { timeZone: 'UTC', weekly: { monday: { start: '8:00', end: '17:00' } } },
      'weekly.monday.start'
    ],
    [
      { timeZone: 'UTC', weekly: { monday: { start: '17:00', end: '08:00' } } },
      'start 17:00 must be before end 08:00'
    ],
    [
      { timeZone: 'UTC', weekly: { monday: { start: '08:00', end: '08:60' } } },
      'weekly.monday.end'
    ],
    [
      { timeZone: 'UTC', weekly: {}, holidays: [{ date: '2025-02-30' }] },
      'holidays[0].date'
    ],
    [
      {
        timeZone: 'UTC',
        weekly: {},
        holidays: [{ date: '2025-02-03', startMinutes: 600 }]
      },
      'holidays[0]: startMinutes and endMinutes'
    ],
    [
      {
        timeZone: 'UTC',
        weekly: {},
        holidays: [{ date: '2025-02-03', startMinutes: 700, endMinutes: 600 }]
      },
      'holidays[0]: startMinutes and endMinutes'
    ],
    [{ timeZone: '', weekly: {} }, 'timeZone must be an IANA time zone name'],
    [{ timeZone: 'UTC' }, 'weekly must be an object'],
    ['24x7', 'Calendar must be an object or null']
  ])('reports calendar problem %#', (calendar, message) => {
    const problems = validateCalendar(calendar);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(message);
    expect(() => isBusinessTime(calendar, '2025-02-03T12:00:00Z')).toThrow(
      message
    );
  });

  it('cannot add minutes on a calendar that is never open, but can measure it', () => {
    const closed = { timeZone: 'UTC', weekly: {} };
    expect(() => addBusinessMinutes(closed, '2025-02-03T12:00:00Z', 1)).toThrow(
      /no business hours on any weekday/
    );
    expect(
      businessMinutesBetween(
        closed,
        '2025-02-03T12:00:00Z',
        '2025-03-03T12:00:00Z'
      )
    ).toBe(0);
  });

  it('gives up when holidays close every open day for years', () => {
    const calendar = {
      timeZone: 'UTC',
      weekly: weekdays({ start: '09:00', end: '17:00' }, ['monday']),
      holidays: Array.from({ length: 600 }, (_, week) => ({
        date: new Date(Date.UTC(2025, 0, 6 + 7 * week))
          .toISOString()
          .slice(0, 10)
      }))
    };
    expect(() =>
      addBusinessMinutes(calendar, '2025-01-01T00:00:00Z', 60)
    ).toThrow(/no business hours in the ten years/);
  });
});

describe('isBusinessTime', () => {
  it('counts the opening minute but not the closing instant', () => {
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-06-10T12:00:00Z')).toBe(true); // 08:00 EDT
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-06-10T11:59:00Z')).toBe(false);
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-06-10T20:59:00Z')).toBe(true);
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-06-10T21:00:00Z')).toBe(false); // 17:00 EDT
  });

  it('honours weekends, holidays and partial holidays', () => {
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-06-14T15:00:00Z')).toBe(false); // Saturday
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-07-04T15:00:00Z')).toBe(false); // holiday
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-12-31T14:59:00Z')).toBe(true); // 09:59 EST
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-12-31T15:00:00Z')).toBe(false); // closed 10-13
    expect(isBusinessTime(NEW_YORK_OFFICE, '2025-12-31T18:00:00Z')).toBe(true); // 13:00 EST
  });

  it('treats no calendar as 24x7', () => {
    expect(isBusinessTime(null, '2025-06-14T03:00:00Z')).toBe(true);
    expect(isBusinessTime(undefined, '2025-06-14T03:00:00Z')).toBe(true);
  });
});

describe('daylight-saving edge cases', () => {
  it('moves an opening inside the spring-forward gap past the gap', () => {
    // Open Sundays 02:30-05:00 New York. On 9 Mar 2025 02:30 does not exist: the day opens at
    // 03:30 EDT (07:30Z) and closes 05:00 EDT (09:00Z): 90 minutes.
    const calendar = {
      timeZone: 'America/New_York',
      weekly: weekdays({ start: '02:30', end: '05:00' }, ['sunday'])
    };
    expect(
      businessMinutesBetween(
        calendar,
        '2025-03-09T00:00:00Z',
        '2025-03-10T00:00:00Z'
      )
    ).toBe(90);
    expect(
      addBusinessMinutes(calendar, '2025-03-09T00:00:00Z', 1).toISOString()
    ).toBe('2025-03-09T07:31:00.000Z');
  });

  it('reads an opening in the repeated fall-back hour as its first occurrence', () => {
    // Open Sundays 01:30-03:00 New York. On 2 Nov 2025 01:30 happens twice; the first is EDT
    // (05:30Z); 03:00 EST is 08:00Z: 150 minutes.
    const calendar = {
      timeZone: 'America/New_York',
      weekly: weekdays({ start: '01:30', end: '03:00' }, ['sunday'])
    };
    expect(
      businessMinutesBetween(
        calendar,
        '2025-11-02T00:00:00Z',
        '2025-11-03T00:00:00Z'
      )
    ).toBe(150);
    expect(isBusinessTime(calendar, '2025-11-02T05:30:00Z')).toBe(true);
    expect(isBusinessTime(calendar, '2025-11-02T05:29:00Z')).toBe(false);
  });

  it('accepts the Salesforce time format for weekday hours', () => {
    const calendar = {
      timeZone: 'Europe/Berlin',
      weekly: weekdays({ start: '09:00:00.000Z', end: '17:00:00.000Z' }, [
        'monday'
      ])
    };
    expect(
      businessMinutesBetween(
        calendar,
        '2025-03-31T00:00:00Z',
        '2025-04-01T00:00:00Z'
      )
    ).toBe(480);
  });
});

describe('wallClockMillis', () => {
  it('reads the local wall clock, milliseconds included, on both sides of a DST change', () => {
    expect(
      wallClockMillis(
        'America/New_York',
        Date.parse('2025-03-09T06:59:59.250Z')
      )
    ).toBe(Date.parse('2025-03-09T01:59:59.250Z'));
    expect(
      wallClockMillis(
        'America/New_York',
        Date.parse('2025-03-09T07:00:00.000Z')
      )
    ).toBe(Date.parse('2025-03-09T03:00:00.000Z'));
    expect(
      wallClockMillis('Asia/Kolkata', Date.parse('2025-12-31T18:30:00.000Z'))
    ).toBe(Date.parse('2026-01-01T00:00:00.000Z'));
  });

  it('names an unknown time zone without assuming it came from a calendar', () => {
    expect(() => wallClockMillis('Mars/Olympus_Mons', 0)).toThrow(
      "Time zone 'Mars/Olympus_Mons' is not a known IANA time zone"
    );
  });
});

describe('large minute counts', () => {
  it('adds a one-week target across holidays', () => {
    // Same as the vector add-ny-one-week-across-holidays, but with a start in seconds.
    expect(
      addBusinessMinutes(
        NEW_YORK_OFFICE,
        '2025-12-01T13:00:00Z',
        10080
      ).toISOString()
    ).toBe('2025-12-29T15:00:00.000Z');
    expect(
      businessMinutesBetween(
        NEW_YORK_OFFICE,
        '2025-12-01T13:00:00Z',
        '2025-12-29T15:00:00Z'
      )
    ).toBe(10080);
  });

  it('adds 140 weeks of weekday business time without drifting', () => {
    // UTC Mon-Fri all day = 7200 min/week. 1,008,000 min = 140 weeks from Mon 1 Jan 2024;
    // the last minute is consumed at the end of Friday of week 140 (Sat 5 Sep 2026 00:00Z).
    const calendar = {
      timeZone: 'UTC',
      weekly: weekdays({ start: '00:00', end: '00:00' }, [
        'monday',
        'tuesday',
        'wednesday',
        'thursday',
        'friday'
      ])
    };
    expect(
      addBusinessMinutes(
        calendar,
        '2024-01-01T00:00:00Z',
        1008000
      ).toISOString()
    ).toBe('2026-09-05T00:00:00.000Z');
  });
});

describe('slaState inputs', () => {
  const clock = {
    start: '2025-03-10T14:00:00Z',
    due: '2025-03-10T18:00:00Z',
    completedAt: null,
    warningPercent: 75,
    calendar: null
  };

  it('rejects a missing or out-of-range warning percent', () => {
    expect(() =>
      slaState({ ...clock, warningPercent: undefined }, clock.start)
    ).toThrow(/warningPercent must be a number from 1 to 99/);
    expect(() =>
      slaState({ ...clock, warningPercent: 120 }, clock.start)
    ).toThrow(RangeError);
  });

  it('rejects a due time before the start and bad dates', () => {
    expect(() =>
      slaState({ ...clock, due: '2025-03-10T13:00:00Z' }, clock.start)
    ).toThrow('clock.due must not be before clock.start');
    expect(() => slaState(clock, 'now')).toThrow(/now must be an ISO 8601/);
    expect(() => slaState(null, clock.start)).toThrow(TypeError);
  });

  it('treats a zero-length clock as fully elapsed at its due time', () => {
    const zero = { ...clock, due: clock.start };
    expect(slaState(zero, clock.start)).toEqual({
      state: 'warning',
      running: true,
      remainingMinutes: 0,
      overdueMinutes: 0,
      elapsedPercent: 100
    });
  });
});

describe('shifts', () => {
  const DAY_SHIFT = {
    timeZone: 'Europe/Berlin',
    weekly: { monday: { start: '09:00', end: '17:00' } }
  };

  it('names the field and the rule of an invalid shift', () => {
    const problem = (shift) => validateShift(shift).map((p) => p.message);
    expect(problem({ timeZone: 'Mars/Olympus', weekly: {} })).toEqual([
      "Shift timeZone 'Mars/Olympus' is not a known IANA time zone"
    ]);
    expect(
      problem({ timeZone: 'UTC', weekly: { mondays: DAY_SHIFT.weekly.monday } })
    ).toEqual(["Shift weekly has an unknown weekday 'mondays'"]);
    expect(
      problem({
        timeZone: 'UTC',
        weekly: { friday: { start: '9', end: '17:00' } }
      })
    ).toEqual(["Shift weekly.friday.start must be a time 'HH:MM', got '9'"]);
    expect(
      problem({
        timeZone: 'UTC',
        weekly: { friday: { start: '08:00', end: '08:00' } }
      })
    ).toEqual([
      'Shift weekly.friday: start and end are both 08:00; use 00:00-00:00 for all day'
    ]);
    expect(
      problem({ ...DAY_SHIFT, holidays: [{ date: '2025-12-25' }] })
    ).toEqual([
      "Shift has an unknown field 'holidays': expected timeZone and weekly only (holidays do not apply to shifts)"
    ]);
    expect(problem('{"timeZone": ')[0]).toMatch(
      /^Shift must be JSON text of \{ timeZone, weekly \}: /
    );
    expect(problem(42)).toEqual([
      'Shift must be { timeZone, weekly } or blank (always on duty), got 42'
    ]);
  });

  it('treats null, undefined, blank text and JSON null as no shift', () => {
    for (const blank of [null, undefined, '', ' \n', 'null']) {
      expect(validateShift(blank)).toEqual([]);
      expect(shiftStatus(blank, '2025-03-10T12:00:00Z')).toEqual({
        onDuty: true,
        endsAt: null,
        nextStartAt: null
      });
    }
  });

  it('throws for an invalid shift or instant instead of guessing', () => {
    expect(() =>
      shiftStatus({ timeZone: 'UTC', weekly: [] }, '2025-03-10T12:00:00Z')
    ).toThrow('Shift weekly must be an object of weekday hours, got a list');
    expect(() => shiftStatus(DAY_SHIFT, '2025-03-10 12:00')).toThrow(
      RangeError
    );
  });

  it('joins an overnight shift and the next day shift that starts at its end', () => {
    const shift = {
      timeZone: 'UTC',
      weekly: {
        monday: { start: '18:00', end: '06:00' },
        tuesday: { start: '06:00', end: '14:00' }
      }
    };
    expect(shiftStatus(shift, '2025-03-10T20:00:00Z')).toEqual({
      onDuty: true,
      endsAt: new Date('2025-03-11T14:00:00Z'),
      nextStartAt: null
    });
  });

  it('does not look further than 14 days for the next start', () => {
    const shift = {
      timeZone: 'UTC',
      weekly: { monday: { start: '09:00', end: '10:00' } }
    };
    // Monday 10:00 exactly: the next start is a week later, well inside the horizon.
    expect(shiftStatus(shift, '2025-03-10T10:00:00Z').nextStartAt).toEqual(
      new Date('2025-03-17T09:00:00Z')
    );
  });
});

describe('priorities from the matrix (Priority__c)', () => {
  const withPriority = (mapping) =>
    RULES.map((rule) => ({
      ...rule,
      Priority__c: mapping(rule)
    }));

  it('uses the default when the rules name no priority', () => {
    expect(priorityFor(3, RULES)).toBe('Moderate');
    expect(priorityFor(1, null)).toBe('Critical');
    expect(priorityFor(5, compileRules(RULES))).toBe('Low');
  });

  it("uses the severity's Priority__c, blank cells following the named ones", () => {
    // Only urgency 2 × impact 3 (severity 4) names a priority; 3 × 2 is blank.
    const rules = withPriority(
      ({ Severity__c, Urgency__c }) =>
        (Severity__c === 4 && Urgency__c === 2 && ' Moderate ') || null
    );
    expect(validateRules(rules)).toEqual([]);
    expect(priorityFor(4, rules)).toBe('Moderate');
    expect(priorityFor(5, rules)).toBe('Low');
  });

  it('refuses a severity mapped to two priorities, naming both rules', () => {
    const named = { '1:2': 'High', '2:1': 'Critical' };
    const rules = withPriority(
      ({ Urgency__c, Impact__c }) => named[`${Urgency__c}:${Impact__c}`] ?? ''
    );
    expect(validateRules(rules)).toEqual([
      {
        code: 'priority-conflict',
        message:
          "Severity rule 3: severity 2 is mapped to priority 'Critical' here and to 'High' by rule 1; one severity has one priority",
        record: 3,
        field: 'Priority__c'
      }
    ]);
    expect(() => priorityFor(2, rules)).toThrow('Invalid severity rules');
  });

  it('refuses a priority that is not text or longer than the field', () => {
    const bad = { '1:1': 'x'.repeat(21), '3:3': 5 };
    const rules = withPriority(
      ({ Urgency__c, Impact__c }) => bad[`${Urgency__c}:${Impact__c}`]
    );
    expect(validateRules(rules).map((p) => p.message)).toEqual([
      'Severity rule 0: Priority__c must be at most 20 characters, got 21',
      'Severity rule 8: Priority__c must be text, got 5'
    ]);
  });
});

describe('compiled rules and policy', () => {
  it('validates a list once and returns the same compiled form', () => {
    const rules = RULES.map((rule) => ({ ...rule }));
    const first = compileRules(rules);
    expect(compileRules(rules)).toBe(first);
    expect(compileRules(first)).toBe(first);
    // The cache is per list: a new list of the same records is compiled again.
    expect(compileRules([...rules])).not.toBe(first);
    expect(compilePolicy(POLICY)).toBe(compilePolicy(POLICY));
  });

  it('does not read a record again once compiled', () => {
    let reads = 0;
    const rules = RULES.map((rule) => {
      const copy = { ...rule };
      Object.defineProperty(copy, 'Severity__c', {
        enumerable: true,
        get() {
          reads += 1;
          return rule.Severity__c;
        }
      });
      return copy;
    });
    severityFor(rules, 1, 1);
    const afterFirst = reads;
    for (let i = 0; i < 100; i++) {
      severityFor(rules, 'Low', 'Low');
      priorityFor(5, rules);
    }
    expect(afterFirst).toBeGreaterThan(0);
    expect(reads).toBe(afterFirst);
  });

  it('keeps the problems of an invalid list and throws them on use', () => {
    const compiled = compileRules(RULES.slice(1));
    expect(compiled.problems.map((p) => p.code)).toEqual(['missing-cell']);
    expect(() => severityFor(compiled, 2, 2)).toThrow(
      'Invalid severity rules: Severity rules: no rule for urgency 1 (High) × impact 1 (High)'
    );
  });
});

describe('policy business hours (Business_Hours__c)', () => {
  it('accepts a name up to 80 characters and blank', () => {
    const policy = POLICY.map((row, index) => ({
      ...row,
      Business_Hours__c: index === 0 ? 'Support Berlin' : '  '
    }));
    expect(validatePolicy(policy)).toEqual([]);
    expect(slaTargets(policy, 1, '2025-03-10T14:00:00Z', null)).not.toBeNull();
  });

  it('refuses a name longer than the field', () => {
    const policy = [{ ...POLICY[0], Business_Hours__c: 'B'.repeat(81) }];
    expect(validatePolicy(policy)).toEqual([
      {
        code: 'too-long',
        message:
          'SLA policy row 0: Business_Hours__c must be at most 80 characters, got 81',
        record: 0,
        field: 'Business_Hours__c'
      }
    ]);
  });
});
