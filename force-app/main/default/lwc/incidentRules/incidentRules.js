/**
 * Incident rules: the severity matrix, the SLA policy and the business-time arithmetic behind
 * the SLA clock. One implementation shared by the Lightning components, the TypeScript tooling
 * and the local org, so this module must stay free of platform imports. The Apex services
 * implement the same rules; both are held to the conformance vectors in the static resource
 * `incidentRulesVectors`.
 */

/** @typedef {1 | 2 | 3} Level */
/** @typedef {'High' | 'Medium' | 'Low'} LevelLabel */
/** @typedef {1 | 2 | 3 | 4 | 5} Severity */
/** @typedef {'Critical' | 'High' | 'Moderate' | 'Low'} Priority */

/**
 * One cell of the severity matrix (an `Incident_Severity_Rule__mdt` record). Priority__c,
 * when set, is the Incident priority of the cell's severity (blank = the default mapping).
 * @typedef {{ Urgency__c: number, Impact__c: number, Severity__c: number,
 *   Priority__c?: string | null }} SeverityRule
 */

/**
 * One row of the SLA policy (an `Incident_Sla_Policy__mdt` record). Business_Hours__c names the
 * BusinessHours record to count in when the incident has none (blank = the org default).
 * @typedef {{ Severity__c: number, Response_Minutes__c: number, Resolution_Minutes__c: number,
 *   Warning_Percent__c: number, Business_Hours__c?: string | null }} SlaPolicyRow
 */

/**
 * A problem found by a validator. `record` is the index of the offending record in the input
 * array and `field` its field API name, when the problem belongs to one record.
 * @typedef {{ code: string, message: string, record?: number, field?: string }} Problem
 */

/**
 * Business hours of one weekday in the calendar's local time, 'HH:MM' (Salesforce's
 * 'HH:MM:SS.sssZ' time format is accepted too). start '00:00' and end '00:00' means open all
 * day; an end of '00:00' (or '24:00') after a later start means midnight at the end of the day.
 * @typedef {{ start: string, end: string }} DayHours
 */

/**
 * A closed period of one local date. Without minutes the whole day is closed; otherwise the
 * business is closed from startMinutes to endMinutes after local midnight (Salesforce
 * Holiday.StartTimeInMinutes / EndTimeInMinutes).
 * @typedef {{ date: string, startMinutes?: number | null, endMinutes?: number | null }} Holiday
 */

/**
 * Business hours like a Salesforce BusinessHours record with its holidays. `null` or
 * `undefined` stands for 24x7 (every minute is business time).
 * @typedef {{ timeZone: string,
 *   weekly: { monday?: DayHours | null, tuesday?: DayHours | null, wednesday?: DayHours | null,
 *     thursday?: DayHours | null, friday?: DayHours | null, saturday?: DayHours | null,
 *     sunday?: DayHours | null },
 *   holidays?: Holiday[] }} Calendar
 */

/** @typedef {Date | string} DateInput */

/**
 * @typedef {{ responseDue: Date, resolutionDue: Date, warningPercent: number }} SlaTargets
 */

/**
 * @typedef {{ start: DateInput, due: DateInput, completedAt?: DateInput | null,
 *   warningPercent: number, calendar?: Calendar | null }} SlaClock
 */

/**
 * @typedef {{ state: 'on-track' | 'warning' | 'breached' | 'met' | 'missed', running: boolean,
 *   remainingMinutes: number, overdueMinutes: number, elapsedPercent: number }} SlaState
 */

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const MINUTES_PER_DAY = 24 * 60;

/** @type {Record<Level, LevelLabel>} */
const LABEL_BY_LEVEL = { 1: 'High', 2: 'Medium', 3: 'Low' };
const LEVEL_LABELS = /** @type {const} */ (['High', 'Medium', 'Low']);
/** @type {Level[]} */
const LEVELS = [1, 2, 3];

/** @type {Record<Severity, Priority>} */
const PRIORITY_BY_SEVERITY = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Low'
};

/**
 * The calendar's weekday keys; index = Date#getUTCDay() of the local date (0 = Sunday).
 * Exported so code building calendars (the local org) uses these names rather than its own.
 */
export const WEEKDAYS = Object.freeze(
  /** @type {const} */ ([
    'sunday',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday'
  ])
);

// ---------------------------------------------------------------------------------------------
// Levels, severity and priority
// ---------------------------------------------------------------------------------------------

/**
 * Normalises an urgency or impact value.
 * @param {unknown} value 1, 2 or 3, or the picklist label 'High', 'Medium' or 'Low'
 *   (case-insensitive; High = 1).
 * @returns {Level}
 * @throws {RangeError} for anything else.
 */
export function toLevel(value) {
  if (
    typeof value === 'number' &&
    (value === 1 || value === 2 || value === 3)
  ) {
    return value;
  }
  if (typeof value === 'string') {
    const index = LEVEL_LABELS.findIndex(
      (label) => label.toLowerCase() === value.trim().toLowerCase()
    );
    if (index >= 0) {
      return /** @type {Level} */ (index + 1);
    }
  }
  throw new RangeError(
    `Unknown level ${describe(value)}: expected 1, 2, 3, 'High', 'Medium' or 'Low'`
  );
}

/**
 * @param {unknown} level 1..3 or a label accepted by {@link toLevel}.
 * @returns {LevelLabel}
 */
export function levelLabel(level) {
  return LABEL_BY_LEVEL[toLevel(level)];
}

/**
 * The Incident priority that goes with a severity: the matrix's Priority__c for that severity
 * when the rules name one, else the default.
 * @param {unknown} severity 1..5
 * @param {SeverityRule[] | CompiledRules | null} [rules] the severity rules (or compileRules'
 *   result); without them (undefined or null), the default mapping.
 * @returns {string} 'Critical' (1), 'High' (2), 'Moderate' (3), 'Low' (4 and 5) by default.
 * @throws {RangeError} when severity is not an integer from 1 to 5; {Error} for invalid rules.
 */
export function priorityFor(severity, rules) {
  const level = checkSeverity(severity, 'severity');
  // null too: callers that have no matrix loaded yet pass what they hold.
  const mapped =
    rules === undefined || rules === null
      ? undefined
      : usableRules(rules).priorityBySeverity.get(level);
  return mapped ?? PRIORITY_BY_SEVERITY[level];
}

/**
 * A severity matrix checked once: its problems and, when there are none, its lookups. Hot
 * paths (severityFor, priorityFor, decideIncident) take it instead of re-validating the records
 * on every call.
 * @typedef {{ problems: readonly Problem[],
 *   severityByCell: ReadonlyMap<string, number>,
 *   priorityBySeverity: ReadonlyMap<number, string> }} CompiledRules
 */

/**
 * An SLA policy checked once: its problems and its rows by severity.
 * @typedef {{ problems: readonly Problem[],
 *   rowBySeverity: ReadonlyMap<number, SlaPolicyRow> }} CompiledPolicy
 */

/** Compiled forms by the record list they came from: a list is validated once. */
const compiledRuleLists = new WeakMap();
const compiledPolicyLists = new WeakMap();
/** @type {WeakSet<object>} marks the objects compileRules / compilePolicy returned */
const compiledForms = new WeakSet();

/**
 * Validates a severity matrix once and returns its compiled form. The result is remembered per
 * list, so callers must not change a list after using it (read the records again instead).
 * @param {unknown} rules the Incident_Severity_Rule__mdt records, or an already compiled form.
 * @returns {CompiledRules}
 */
export function compileRules(rules) {
  if (isCompiled(rules)) {
    return /** @type {CompiledRules} */ (rules);
  }
  const known = Array.isArray(rules) ? compiledRuleLists.get(rules) : undefined;
  if (known) {
    return known;
  }
  /** @type {Map<string, number>} cell key → severity */
  const severityByCell = new Map();
  /** @type {Map<string, number>} cell key → index of the record that defines it */
  const cells = new Map();
  /** @type {Map<number, { priority: string, index: number }>} */
  const priorities = new Map();
  const problems = validateRecords(
    rules,
    'Severity rules',
    'Severity rule',
    (check) => {
      const urgency = check.integer('Urgency__c', 1, 3);
      const impact = check.integer('Impact__c', 1, 3);
      const severity = check.integer('Severity__c', 1, 5);
      const priority = check.text('Priority__c', 20);
      if (severity !== undefined && priority !== undefined) {
        const first = priorities.get(severity);
        if (first === undefined) {
          priorities.set(severity, { priority, index: check.index });
        } else if (first.priority !== priority) {
          check.problem(
            'priority-conflict',
            `severity ${severity} is mapped to priority '${priority}' here and to '${first.priority}' by rule ${first.index}; one severity has one priority`,
            'Priority__c'
          );
        }
      }
      if (urgency === undefined || impact === undefined) {
        return;
      }
      const key = `${urgency}:${impact}`;
      const first = cells.get(key);
      if (first === undefined) {
        cells.set(key, check.index);
        if (severity !== undefined) {
          severityByCell.set(key, severity);
        }
      } else {
        check.problem(
          'duplicate-cell',
          `urgency ${urgency} × impact ${impact} is already defined by rule ${first}`,
          'Urgency__c'
        );
      }
    },
    (list) => {
      for (const urgency of LEVELS) {
        for (const impact of LEVELS) {
          if (!cells.has(`${urgency}:${impact}`)) {
            list.push({
              code: 'missing-cell',
              message: `Severity rules: no rule for urgency ${urgency} (${LABEL_BY_LEVEL[urgency]}) × impact ${impact} (${LABEL_BY_LEVEL[impact]})`
            });
          }
        }
      }
    }
  );
  /** @type {CompiledRules} */
  const compiled = Object.freeze({
    problems: Object.freeze(problems),
    severityByCell,
    priorityBySeverity: new Map(
      [...priorities].map(([severity, { priority }]) => [severity, priority])
    )
  });
  compiledForms.add(compiled);
  if (Array.isArray(rules)) {
    compiledRuleLists.set(rules, compiled);
  }
  return compiled;
}

/**
 * Checks a severity matrix: nine records, one per urgency × impact cell, urgency and impact
 * integers 1..3, severity an integer 1..5, an optional Priority__c (text up to 20 characters)
 * that is the same on every cell of one severity.
 * @param {unknown} rules the severity rule records.
 * @returns {Problem[]} empty when the matrix is valid.
 */
export function validateRules(rules) {
  return [...compileRules(rules).problems];
}

/**
 * Looks up the severity of an urgency × impact cell.
 * @param {SeverityRule[] | CompiledRules} rules the nine severity rule records, or
 *   compileRules' result.
 * @param {unknown} urgency 1..3 or 'High' | 'Medium' | 'Low'.
 * @param {unknown} impact 1..3 or 'High' | 'Medium' | 'Low'.
 * @returns {number} severity 1..5.
 * @throws {Error} when the rules are invalid (the message lists every problem);
 *   {RangeError} for an unknown level.
 */
export function severityFor(rules, urgency, impact) {
  const compiled = usableRules(rules);
  const u = toLevel(urgency);
  const i = toLevel(impact);
  const severity = compiled.severityByCell.get(`${u}:${i}`);
  // A valid matrix has every cell; this keeps the type honest.
  if (severity === undefined) {
    throw new Error(`Severity rules: no rule for urgency ${u} × impact ${i}`);
  }
  return severity;
}

/**
 * @param {unknown} rules
 * @returns {CompiledRules} the compiled rules.
 * @throws {Error} listing every problem when they are invalid.
 */
function usableRules(rules) {
  const compiled = compileRules(rules);
  if (compiled.problems.length > 0) {
    throw new Error(
      `Invalid severity rules: ${compiled.problems.map((p) => p.message).join('; ')}`
    );
  }
  return compiled;
}

/**
 * Validates an SLA policy once and returns its compiled form, remembered per list like
 * {@link compileRules}.
 * @param {unknown} policy the Incident_Sla_Policy__mdt records, or an already compiled form.
 * @returns {CompiledPolicy}
 */
export function compilePolicy(policy) {
  if (isCompiled(policy)) {
    return /** @type {CompiledPolicy} */ (policy);
  }
  const known = Array.isArray(policy)
    ? compiledPolicyLists.get(policy)
    : undefined;
  if (known) {
    return known;
  }
  /** @type {Map<number, SlaPolicyRow>} */
  const rowBySeverity = new Map();
  /** @type {Map<number, number>} severity → index of the first row */
  const seen = new Map();
  const problems = validateRecords(
    policy,
    'SLA policy',
    'SLA policy row',
    (check) => {
      const severity = check.integer('Severity__c', 1, 5);
      const response = check.integer(
        'Response_Minutes__c',
        1,
        Number.MAX_SAFE_INTEGER
      );
      const resolution = check.integer(
        'Resolution_Minutes__c',
        1,
        Number.MAX_SAFE_INTEGER
      );
      check.percent('Warning_Percent__c');
      check.text('Business_Hours__c', 80);
      if (
        response !== undefined &&
        resolution !== undefined &&
        response >= resolution
      ) {
        check.problem(
          'response-not-shorter',
          `Response_Minutes__c (${response}) must be shorter than Resolution_Minutes__c (${resolution})`,
          'Response_Minutes__c'
        );
      }
      if (severity !== undefined) {
        const first = seen.get(severity);
        if (first === undefined) {
          seen.set(severity, check.index);
          rowBySeverity.set(
            severity,
            /** @type {SlaPolicyRow} */ (check.record)
          );
        } else {
          check.problem(
            'duplicate-severity',
            `severity ${severity} already has a row (row ${first})`,
            'Severity__c'
          );
        }
      }
    }
  );
  /** @type {CompiledPolicy} */
  const compiled = Object.freeze({
    problems: Object.freeze(problems),
    rowBySeverity
  });
  compiledForms.add(compiled);
  if (Array.isArray(policy)) {
    compiledPolicyLists.set(policy, compiled);
  }
  return compiled;
}

/**
 * Checks an SLA policy: at most one row per severity (1..5), response and resolution targets
 * positive whole minutes with the response shorter than the resolution, warning percent 1..99,
 * an optional Business_Hours__c (text up to 80 characters).
 * @param {unknown} policy the SLA policy records.
 * @returns {Problem[]} empty when the policy is valid.
 */
export function validatePolicy(policy) {
  return [...compilePolicy(policy).problems];
}

/**
 * @param {unknown} policy
 * @returns {CompiledPolicy} the compiled policy.
 * @throws {Error} listing every problem when it is invalid.
 */
function usablePolicy(policy) {
  const compiled = compilePolicy(policy);
  if (compiled.problems.length > 0) {
    throw new Error(
      `Invalid SLA policy: ${compiled.problems.map((p) => p.message).join('; ')}`
    );
  }
  return compiled;
}

/**
 * @param {unknown} value
 * @returns {boolean} whether value is a form compileRules or compilePolicy returned.
 */
function isCompiled(value) {
  return (
    typeof value === 'object' && value !== null && compiledForms.has(value)
  );
}

/**
 * The name of the business hours an SLA row counts in when the incident has none of its own
 * (Business_Hours__c, trimmed), or null for the org default.
 * @param {SlaPolicyRow} row
 * @returns {string | null}
 */
function businessHoursNameOf(row) {
  const name = row.Business_Hours__c;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

/**
 * One record under validation. Its problems name the record ('Severity rule 3: ...') and
 * carry its index and, when given, the field. `text` checks an optional text field and
 * returns it trimmed (undefined when blank or invalid).
 * @typedef {{ index: number, record: Record<string, unknown>,
 *   problem: (code: string, detail: string, field?: string) => void,
 *   integer: (field: string, min: number, max: number) => number | undefined,
 *   percent: (field: string) => void,
 *   text: (field: string, maxLength: number) => string | undefined }} RecordCheck
 */

/**
 * What every list of custom metadata records must be: a list, each entry a record. Each record
 * goes to checkRecord in list order, so the problems of one record stay together.
 * @param {unknown} value the records.
 * @param {string} listName names the list in messages, e.g. 'Severity rules'.
 * @param {string} recordName names one record in messages, e.g. 'Severity rule'.
 * @param {(check: RecordCheck) => void} checkRecord checks one record.
 * @param {(problems: Problem[]) => void} [checkList] pushes problems of the list as a whole,
 *   after the records; not called when value is not a list.
 * @returns {Problem[]} empty when the records are valid.
 */
function validateRecords(value, listName, recordName, checkRecord, checkList) {
  if (!Array.isArray(value)) {
    return [
      {
        code: 'not-a-list',
        message: `${listName} must be a list of records, got ${describe(value)}`
      }
    ];
  }
  /** @type {Problem[]} */
  const problems = [];
  value.forEach((record, index) => {
    if (!isPlainRecord(record)) {
      problems.push({
        code: 'not-a-record',
        message: `${recordName} ${index}: expected a record, got ${describe(record)}`,
        record: index
      });
      return;
    }
    /** @type {RecordCheck['problem']} */
    const problem = (code, detail, field) => {
      problems.push({
        code,
        message: `${recordName} ${index}: ${detail}`,
        record: index,
        ...(field === undefined ? {} : { field })
      });
    };
    checkRecord({
      index,
      record,
      problem,
      text: (field, maxLength) =>
        checkTextField(problem, record, field, maxLength),
      integer: (field, min, max) =>
        checkIntegerField(problem, record, field, min, max),
      percent: (field) => checkPercentField(problem, record, field)
    });
  });
  checkList?.(problems);
  return problems;
}

/**
 * @param {RecordCheck['problem']} problem receives the problem, if any.
 * @param {Record<string, unknown>} record
 * @param {string} field
 * @param {number} min
 * @param {number} max
 * @returns {number | undefined} the value when valid.
 */
function checkIntegerField(problem, record, field, min, max) {
  const value = record[field];
  if (value === undefined || value === null) {
    problem('missing-field', `${field} is missing`, field);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problem(
      'not-integer',
      `${field} must be a whole number, got ${describe(value)}`,
      field
    );
    return undefined;
  }
  if (value < min || value > max) {
    if (min === 1 && max === Number.MAX_SAFE_INTEGER) {
      problem('not-positive', `${field} must be positive, got ${value}`, field);
    } else {
      problem(
        'out-of-range',
        `${field} must be from ${min} to ${max}, got ${value}`,
        field
      );
    }
    return undefined;
  }
  return value;
}

/**
 * An optional text field: blank (missing, null or only spaces) is fine; otherwise text of at
 * most maxLength characters, as the custom field stores it.
 * @param {RecordCheck['problem']} problem receives the problem, if any.
 * @param {Record<string, unknown>} record
 * @param {string} field
 * @param {number} maxLength
 * @returns {string | undefined} the trimmed text, undefined when blank or invalid.
 */
function checkTextField(problem, record, field, maxLength) {
  const value = record[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    problem('not-text', `${field} must be text, got ${describe(value)}`, field);
    return undefined;
  }
  const text = value.trim();
  if (text.length > maxLength) {
    problem(
      'too-long',
      `${field} must be at most ${maxLength} characters, got ${text.length}`,
      field
    );
    return undefined;
  }
  return text === '' ? undefined : text;
}

/**
 * @param {RecordCheck['problem']} problem receives the problem, if any.
 * @param {Record<string, unknown>} record
 * @param {string} field
 */
function checkPercentField(problem, record, field) {
  const value = record[field];
  if (value === undefined || value === null) {
    problem('missing-field', `${field} is missing`, field);
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    problem(
      'not-a-number',
      `${field} must be a number, got ${describe(value)}`,
      field
    );
  } else if (value < 1 || value > 99) {
    problem(
      'out-of-range',
      `${field} must be from 1 to 99, got ${value}`,
      field
    );
  }
}

/**
 * @param {unknown} severity
 * @param {string} name what the value is, for the error message.
 * @returns {Severity}
 */
function checkSeverity(severity, name) {
  if (
    typeof severity !== 'number' ||
    !Number.isInteger(severity) ||
    severity < 1 ||
    severity > 5
  ) {
    throw new RangeError(
      `Invalid ${name} ${describe(severity)}: expected a whole number from 1 to 5`
    );
  }
  return /** @type {Severity} */ (severity);
}

// ---------------------------------------------------------------------------------------------
// Business time
// ---------------------------------------------------------------------------------------------
//
// Semantics (Salesforce BusinessHours at minute precision):
// - A weekday's hours are local wall-clock times in the calendar's IANA time zone; each open
//   period is turned into a pair of instants, and business time is the real time elapsed
//   between them. So 08:00-17:00 is 9 hours on every day, daylight-saving days included, and
//   an all-day (00:00-00:00) day lasts 23 or 25 hours on the days the clocks change.
// - A wall time that does not exist (skipped by spring-forward) is read as the instant the
//   same distance past the gap (02:30 → 03:30 new time); a wall time that occurs twice
//   (fall-back) is its first occurrence.
// - Open periods are half-open: the opening minute is business time, the closing instant is
//   not.
// - Holidays close the whole local date, or the minutes from startMinutes to endMinutes.

/**
 * A calendar reduced to what the arithmetic needs.
 * @typedef {{ timeZone: string, days: Array<[number, number] | null>,
 *   holidays: Map<string, Array<[number, number]>>, windowCache: Map<number, Array<[number, number]>> }} CompiledCalendar
 */

/**
 * Adds business minutes to a start time, like Salesforce `BusinessHours.addGmt` with
 * `minutes * 60000` milliseconds.
 *
 * - A start outside business hours (before opening, after closing, on a weekend or holiday)
 *   starts the clock at the next opening.
 * - When the minutes run out exactly at a closing time the result is that closing time, not
 *   the next opening (as Salesforce returns it).
 * - Zero minutes returns the start unchanged: nothing is traversed.
 * - Seconds of the start are kept; fractions of a minute in `minutes` are dropped (Salesforce
 *   ignores precision below one minute).
 * Whole days are skipped at once, so a week of business minutes costs a few dozen day steps.
 *
 * @param {Calendar | null | undefined} calendar business hours; null/undefined = 24x7.
 * @param {DateInput} start
 * @param {number} minutes non-negative business minutes to add.
 * @returns {Date}
 * @throws {TypeError | RangeError} for an invalid date, minute count or calendar.
 */
export function addBusinessMinutes(calendar, start, minutes) {
  const startMs = toMillis(start, 'start');
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
    throw new TypeError(
      `minutes must be a finite number, got ${describe(minutes)}`
    );
  }
  if (minutes < 0) {
    throw new RangeError(`minutes must not be negative, got ${minutes}`);
  }
  let remaining = Math.trunc(minutes) * MINUTE_MS;
  const compiled = compileCalendar(calendar);
  if (remaining === 0) {
    return new Date(startMs);
  }
  if (!compiled) {
    return new Date(startMs + remaining);
  }
  if (compiled.days.every((day) => day === null)) {
    throw new RangeError(
      'Calendar has no business hours on any weekday, so business minutes can never be added'
    );
  }
  let cursor = startMs;
  let day = localDayNumber(compiled.timeZone, startMs);
  let closedDays = 0;
  // A long run of closed days means holidays cover everything ahead; stop instead of spinning.
  while (closedDays <= 3660) {
    const windows = dayWindows(compiled, day);
    let open = false;
    for (const [opens, closes] of windows) {
      if (closes <= cursor) {
        continue;
      }
      open = true;
      const from = Math.max(opens, cursor);
      const available = closes - from;
      if (remaining <= available) {
        return new Date(from + remaining);
      }
      remaining -= available;
      cursor = closes;
    }
    closedDays = open ? 0 : closedDays + 1;
    day += 1;
  }
  throw new RangeError(
    'Calendar has no business hours in the ten years after the start'
  );
}

/**
 * Business minutes between two instants, like Salesforce `BusinessHours.diff` divided by
 * 60000 and truncated toward zero. Negative when `to` is before `from`.
 * @param {Calendar | null | undefined} calendar business hours; null/undefined = 24x7.
 * @param {DateInput} from
 * @param {DateInput} to
 * @returns {number} whole minutes.
 */
export function businessMinutesBetween(calendar, from, to) {
  const ms = businessMillisBetween(
    compileCalendar(calendar),
    toMillis(from, 'from'),
    toMillis(to, 'to')
  );
  return Math.trunc(ms / MINUTE_MS);
}

/**
 * Whether an instant is business time, like Salesforce `BusinessHours.isWithin`. The opening
 * minute counts as business time, the closing instant does not.
 * @param {Calendar | null | undefined} calendar business hours; null/undefined = 24x7.
 * @param {DateInput} at
 * @returns {boolean}
 */
export function isBusinessTime(calendar, at) {
  const atMs = toMillis(at, 'at');
  return isBusinessMillis(compileCalendar(calendar), atMs);
}

/**
 * @param {CompiledCalendar | null} compiled
 * @param {number} ms
 * @returns {boolean}
 */
function isBusinessMillis(compiled, ms) {
  if (!compiled) {
    return true;
  }
  return dayWindows(compiled, localDayNumber(compiled.timeZone, ms)).some(
    ([opens, closes]) => opens <= ms && ms < closes
  );
}

/**
 * Checks a calendar without using it.
 * @param {unknown} calendar
 * @returns {Problem[]} empty when the calendar is valid (null/undefined = 24x7 is valid).
 */
export function validateCalendar(calendar) {
  try {
    compileCalendar(/** @type {Calendar | null | undefined} */ (calendar));
    return [];
  } catch (error) {
    return [
      {
        code: 'invalid-calendar',
        message: /** @type {Error} */ (error).message
      }
    ];
  }
}

/**
 * Business milliseconds between two instants.
 * @param {CompiledCalendar | null} compiled
 * @param {number} fromMs
 * @param {number} toMs
 * @returns {number}
 */
function businessMillisBetween(compiled, fromMs, toMs) {
  if (toMs < fromMs) {
    return -businessMillisBetween(compiled, toMs, fromMs);
  }
  if (!compiled) {
    return toMs - fromMs;
  }
  let total = 0;
  const lastDay = localDayNumber(compiled.timeZone, toMs);
  for (
    let day = localDayNumber(compiled.timeZone, fromMs);
    day <= lastDay;
    day++
  ) {
    for (const [opens, closes] of dayWindows(compiled, day)) {
      const overlap = Math.min(closes, toMs) - Math.max(opens, fromMs);
      if (overlap > 0) {
        total += overlap;
      }
    }
  }
  return total;
}

/**
 * The open periods of one local date as [opens, closes) instant pairs, holidays removed.
 * @param {CompiledCalendar} compiled
 * @param {number} day local date as days since 1970-01-01.
 * @returns {Array<[number, number]>}
 */
function dayWindows(compiled, day) {
  const cached = compiled.windowCache.get(day);
  if (cached) {
    return cached;
  }
  const date = new Date(day * DAY_MS);
  const hours = compiled.days[date.getUTCDay()];
  /** @type {Array<[number, number]>} */
  let periods = hours ? [hours] : [];
  const closures = compiled.holidays.get(date.toISOString().slice(0, 10)) ?? [];
  for (const [closedFrom, closedTo] of closures) {
    periods = periods.flatMap(([from, to]) => {
      /** @type {Array<[number, number]>} */
      const kept = [];
      if (closedFrom > from) {
        kept.push([from, Math.min(to, closedFrom)]);
      }
      if (closedTo < to) {
        kept.push([Math.max(from, closedTo), to]);
      }
      return kept.filter(([a, b]) => a < b);
    });
  }
  /** @type {Array<[number, number]>} */
  const windows = periods
    .map(
      /** @returns {[number, number]} */
      ([from, to]) => [
        wallTimeToMillis(compiled.timeZone, day, from),
        wallTimeToMillis(compiled.timeZone, day, to)
      ]
    )
    .filter(([opens, closes]) => opens < closes);
  compiled.windowCache.set(day, windows);
  return windows;
}

/** @type {WeakMap<object, CompiledCalendar>} */
const compiledCalendars = new WeakMap();

/**
 * Validates and compiles a calendar; compiled calendars are remembered per calendar object,
 * so callers must not mutate a calendar after using it.
 * @param {Calendar | null | undefined} calendar
 * @returns {CompiledCalendar | null} null for 24x7.
 */
function compileCalendar(calendar) {
  if (calendar === null || calendar === undefined) {
    return null;
  }
  if (typeof calendar !== 'object') {
    throw new TypeError(
      `Calendar must be an object or null (24x7), got ${describe(calendar)}`
    );
  }
  const known = compiledCalendars.get(calendar);
  if (known) {
    return known;
  }
  const { timeZone, weekly, holidays } = calendar;
  checkZoneAndWeekly('Calendar', timeZone, weekly);
  const days = WEEKDAYS.map((name) => compileDay(name, weekly[name]));
  /** @type {Map<string, Array<[number, number]>>} */
  const closures = new Map();
  if (holidays !== undefined && holidays !== null) {
    if (!Array.isArray(holidays)) {
      throw new TypeError(
        `Calendar holidays must be a list, got ${describe(holidays)}`
      );
    }
    holidays.forEach((holiday, index) => {
      const [date, period] = compileHoliday(holiday, index);
      closures.set(date, [...(closures.get(date) ?? []), period]);
    });
  }
  /** @type {CompiledCalendar} */
  const compiled = {
    timeZone,
    days,
    holidays: closures,
    windowCache: new Map()
  };
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

/**
 * The parts calendars and shifts share: an IANA time zone and weekly hours keyed by weekday.
 * @param {'Calendar' | 'Shift'} subject names the object in messages.
 * @param {unknown} timeZone
 * @param {unknown} weekly
 * @returns {asserts weekly is Record<string, unknown>}
 * @throws {TypeError | RangeError} naming the field.
 */
function checkZoneAndWeekly(subject, timeZone, weekly) {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new TypeError(
      `${subject} timeZone must be an IANA time zone name, got ${describe(timeZone)}`
    );
  }
  try {
    formatterFor(timeZone);
  } catch {
    throw new RangeError(
      `${subject} timeZone '${timeZone}' is not a known IANA time zone`
    );
  }
  if (!isPlainRecord(weekly)) {
    throw new TypeError(
      `${subject} weekly must be an object of weekday hours, got ${describe(weekly)}`
    );
  }
  for (const key of Object.keys(weekly)) {
    if (!WEEKDAYS.includes(/** @type {typeof WEEKDAYS[number]} */ (key))) {
      throw new RangeError(`${subject} weekly has an unknown weekday '${key}'`);
    }
  }
}

/**
 * @param {string} name weekday name.
 * @param {unknown} hours
 * @returns {[number, number] | null} open minutes after local midnight, end up to 1440.
 */
function compileDay(name, hours) {
  if (hours === null || hours === undefined) {
    return null;
  }
  if (!isPlainRecord(hours)) {
    throw new TypeError(
      `Calendar weekly.${name} must be { start, end } or null, got ${describe(hours)}`
    );
  }
  const start = parseTimeOfDay(hours.start, `weekly.${name}.start`);
  let end = parseTimeOfDay(hours.end, `weekly.${name}.end`);
  // Salesforce stores midnight at the end of the day as 00:00.
  if (end === 0) {
    end = MINUTES_PER_DAY;
  }
  if (start >= end) {
    throw new RangeError(
      `Calendar weekly.${name}: start ${String(hours.start)} must be before end ${String(hours.end)}`
    );
  }
  return [start, end];
}

/**
 * @param {unknown} holiday
 * @param {number} index
 * @returns {[string, [number, number]]} local date and closed minutes.
 */
function compileHoliday(holiday, index) {
  const where = `Calendar holidays[${index}]`;
  if (!isPlainRecord(holiday)) {
    throw new TypeError(
      `${where} must be { date, startMinutes?, endMinutes? }, got ${describe(holiday)}`
    );
  }
  const { date, startMinutes, endMinutes } = holiday;
  if (typeof date !== 'string' || !isCalendarDate(date)) {
    throw new RangeError(
      `${where}.date must be a YYYY-MM-DD date, got ${describe(date)}`
    );
  }
  const noStart = startMinutes === undefined || startMinutes === null;
  const noEnd = endMinutes === undefined || endMinutes === null;
  if (noStart && noEnd) {
    return [date, [0, MINUTES_PER_DAY]];
  }
  if (
    typeof startMinutes !== 'number' ||
    typeof endMinutes !== 'number' ||
    !Number.isInteger(startMinutes) ||
    !Number.isInteger(endMinutes) ||
    startMinutes < 0 ||
    endMinutes > MINUTES_PER_DAY ||
    startMinutes >= endMinutes
  ) {
    throw new RangeError(
      `${where}: startMinutes and endMinutes must be whole minutes with 0 <= start < end <= 1440, got ${describe(startMinutes)} and ${describe(endMinutes)}`
    );
  }
  return [date, [startMinutes, endMinutes]];
}

/**
 * @param {unknown} value 'HH:MM', 'HH:MM:SS' or Salesforce's 'HH:MM:SS.sssZ'; '24:00' allowed.
 * @param {string} field for the error message.
 * @param {string} [subject] what the time belongs to, for the error message.
 * @returns {number} minutes after midnight (seconds are ignored: minute precision).
 */
function parseTimeOfDay(value, field, subject = 'Calendar') {
  const match =
    typeof value === 'string'
      ? /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?Z?$/.exec(value)
      : null;
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > MINUTES_PER_DAY) {
    throw new RangeError(
      `${subject} ${field} must be a time 'HH:MM', got ${describe(value)}`
    );
  }
  return minutes;
}

/**
 * @param {string} value
 * @returns {boolean} whether value is a real YYYY-MM-DD date.
 */
function isCalendarDate(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  );
}

// ---------------------------------------------------------------------------------------------
// Time zones (Intl only: no time zone database of our own)
// ---------------------------------------------------------------------------------------------

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/**
 * @param {string} timeZone
 * @returns {Intl.DateTimeFormat}
 */
function formatterFor(timeZone) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric'
      });
    } catch {
      throw new RangeError(
        `Time zone '${timeZone}' is not a known IANA time zone`
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The wall-clock time of an instant in a time zone, as if that wall time were UTC. Exported
 * for the local org's SOQL date literals, which count days in the org's time zone.
 * @param {string} timeZone IANA name; an unknown one throws a RangeError naming it.
 * @param {number} ms epoch milliseconds.
 * @returns {number} the wall clock as epoch milliseconds of the same reading in UTC.
 */
export function wallClockMillis(timeZone, ms) {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const { type, value } of formatterFor(timeZone).formatToParts(
    new Date(ms)
  )) {
    if (type in fields) {
      fields[/** @type {keyof typeof fields} */ (type)] = Number(value);
    }
  }
  const wall = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour % 24,
    fields.minute,
    fields.second
  );
  // Intl drops milliseconds; keep them so the offset is exact.
  return wall + (((ms % 1000) + 1000) % 1000);
}

/**
 * @param {string} timeZone
 * @param {number} ms
 * @returns {number} UTC offset in milliseconds at that instant (local = UTC + offset).
 */
function offsetAt(timeZone, ms) {
  return wallClockMillis(timeZone, ms) - ms;
}

/**
 * @param {string} timeZone
 * @param {number} ms
 * @returns {number} the local date of the instant as days since 1970-01-01.
 */
function localDayNumber(timeZone, ms) {
  return Math.floor(wallClockMillis(timeZone, ms) / DAY_MS);
}

/**
 * The instant of a local wall time. Gaps (spring-forward) resolve past the gap, repeated
 * times (fall-back) to their first occurrence. Exported for the local org's SOQL date
 * literals, whose days start at the same instants as the calendar's days here.
 * @param {string} timeZone
 * @param {number} day local date as days since 1970-01-01.
 * @param {number} minuteOfDay 0..1440 (1440 = midnight ending the day).
 * @returns {number}
 */
export function wallTimeToMillis(timeZone, day, minuteOfDay) {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  // Offsets a day either side: no zone changes its offset twice within two days.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter(
    (ms) => offsetAt(timeZone, ms) === wall - ms
  );
  if (candidates.length === 0) {
    return wall - before;
  }
  return Math.min(...candidates);
}

/**
 * @param {unknown} value a Date or an ISO 8601 string with a time zone (Z or ±hh:mm, also
 *   Salesforce's ±hhmm).
 * @param {string} name parameter name for the error message.
 * @returns {number} epoch milliseconds.
 */
function toMillis(value, name) {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) {
      throw new RangeError(`${name} is an invalid Date`);
    }
    return ms;
  }
  if (typeof value === 'string') {
    const match =
      /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(
        value
      );
    if (match && isRealDateTime(match)) {
      const zone = match[7] ?? 'Z';
      // Salesforce writes offsets as +0000, which Date.parse does not promise to read.
      const normalized =
        zone.length === 5
          ? `${value.slice(0, -5)}${zone.slice(0, 3)}:${zone.slice(3)}`
          : value;
      const ms = Date.parse(normalized);
      if (!Number.isNaN(ms)) {
        return ms;
      }
    }
    throw new RangeError(
      `${name} must be an ISO 8601 date-time with a time zone (e.g. 2025-03-10T14:00:00Z), got ${describe(value)}`
    );
  }
  throw new TypeError(
    `${name} must be a Date or an ISO 8601 string, got ${describe(value)}`
  );
}

/**
 * Date.parse rolls 2025-02-30 over to March; a typo must be an error instead.
 * @param {RegExpExecArray} match year, month, day, hour, minute, second groups.
 * @returns {boolean}
 */
function isRealDateTime(match) {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6] ?? 0);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

// ---------------------------------------------------------------------------------------------
// On-duty shifts
// ---------------------------------------------------------------------------------------------
//
// A shift (Incident_Roster_Member__c.Shift__c) is the calendar shape without holidays: weekly
// hours in a time zone. One difference: a day whose start is after its end is an overnight
// shift that ends at `end` on the next day (friday 22:00-06:00 ends on Saturday at 06:00), which
// business hours cannot express but rosters need. Wall times are turned into instants exactly as
// the business-time arithmetic does (wallTimeToMillis), so DST gaps and repeats resolve the same.

/**
 * Weekly on-duty hours; a day with start after end runs overnight into the next day.
 * @typedef {{ timeZone: string, weekly: Calendar['weekly'] }} Shift
 */

/**
 * @typedef {{ onDuty: boolean, endsAt: Date | null, nextStartAt: Date | null }} ShiftStatus
 */

/**
 * A validated shift: its zone and, per weekday (0 = Sunday), the on-duty minutes after that
 * day's local midnight; the end may pass 1440 for an overnight shift.
 * @typedef {{ timeZone: string, days: Array<[number, number] | null> }} CompiledShift
 */

/** How far ahead shiftStatus looks for the next start, and how long a duty may run on. */
const SHIFT_HORIZON_DAYS = 14;

/**
 * Whether a roster member is on duty at an instant, when that duty ends and, when off duty,
 * when the next duty starts.
 *
 * - No shift (null, undefined, or a blank string, as an empty Shift__c reads) means always on
 *   duty: { onDuty: true, endsAt: null, nextStartAt: null }.
 * - Duty periods that touch (monday 00:00-00:00 and tuesday 00:00-00:00, or an overnight shift
 *   followed by a day shift starting at its end) are one duty: endsAt is the end of the whole
 *   run. A run longer than 14 days (every day 00:00-00:00) never ends: endsAt null.
 * - Periods are half-open, like business hours: on duty from the start instant, off duty at
 *   the end instant.
 * - Off duty, nextStartAt is the next start after `at` within 14 days, else null.
 * @param {Shift | string | null | undefined} shift the shift, or Shift__c's JSON text.
 * @param {DateInput} at
 * @returns {ShiftStatus}
 * @throws {TypeError | RangeError} for an invalid shift (the message names the field) or date.
 */
export function shiftStatus(shift, at) {
  const atMs = toMillis(at, 'at');
  const compiled = compileShift(shift);
  if (!compiled) {
    return { onDuty: true, endsAt: null, nextStartAt: null };
  }
  const horizonMs = atMs + SHIFT_HORIZON_DAYS * DAY_MS;
  const firstDay = localDayNumber(compiled.timeZone, atMs) - 1;
  /** @type {Array<[number, number]>} duty periods merged where they touch, in time order */
  const runs = [];
  // One extra day either side: an overnight shift of the day before may cover `at`, and a run
  // that is still going at the horizon must be seen to go past it.
  for (let day = firstDay; day <= firstDay + SHIFT_HORIZON_DAYS + 2; day++) {
    const hours = compiled.days[new Date(day * DAY_MS).getUTCDay()];
    if (!hours) {
      continue;
    }
    const opens = wallTimeToMillis(compiled.timeZone, day, hours[0]);
    const closes = wallTimeToMillis(compiled.timeZone, day, hours[1]);
    const last = runs[runs.length - 1];
    if (last && opens <= last[1]) {
      last[1] = Math.max(last[1], closes);
    } else if (opens < closes) {
      runs.push([opens, closes]);
    }
  }
  const current = runs.find(
    ([opens, closes]) => opens <= atMs && atMs < closes
  );
  if (current) {
    return {
      onDuty: true,
      endsAt: current[1] > horizonMs ? null : new Date(current[1]),
      nextStartAt: null
    };
  }
  const next = runs.find(([opens]) => opens > atMs && opens <= horizonMs);
  return {
    onDuty: false,
    endsAt: null,
    nextStartAt: next ? new Date(next[0]) : null
  };
}

/**
 * Checks a shift without using it; the messages name the field ('Shift weekly.monday.end ...').
 * @param {unknown} shift a shift object, Shift__c's JSON text, or blank (always on duty).
 * @returns {Problem[]} empty when the shift is valid.
 */
export function validateShift(shift) {
  try {
    compileShift(/** @type {Shift | string | null | undefined} */ (shift));
    return [];
  } catch (error) {
    return [
      { code: 'invalid-shift', message: /** @type {Error} */ (error).message }
    ];
  }
}

/** Roster roles in the order they are called (IncidentRosterService's role constants). */
export const ROSTER_ROLES = Object.freeze(
  /** @type {const} */ ([
    'Incident Owner',
    'On-Duty Customer Service Manager',
    'Technical Expert',
    'Service Level Manager'
  ])
);

/**
 * A roster entry as the console receives it, with its shift (Shift__c) still attached.
 * @typedef {{ role: string, shift?: Shift | string | null, reason?: string,
 *   [key: string]: unknown }} RosterCandidate
 */

/**
 * @typedef {{ onDuty: boolean, shiftEndsAt: string | null, nextOnDutyAt: string | null,
 *   timeZone: string | null, callOrder: number }} RosterDuty
 */

/**
 * Puts roster entries in the order to call them at an instant, with their duty (contract C2,
 * IncidentRosterService.inCallOrder in Apex): by role (owner, on-duty customer service
 * managers, technical experts, service level managers, then any other role), everyone on duty
 * before everyone off duty, the given order kept within each group; callOrder numbers the
 * result from 1. A shift that cannot be read leaves the member reachable (on duty) and says why
 * in the reason, so a typo never hides someone.
 * @template {RosterCandidate} T
 * @param {T[]} entries
 * @param {DateInput} at
 * @returns {Array<Omit<T, 'shift'> & RosterDuty>} new objects; `shift` is left out.
 */
export function rosterCallOrder(entries, at) {
  const atDate = new Date(toMillis(at, 'at'));
  const rank = (/** @type {string} */ role) => {
    const index = ROSTER_ROLES.indexOf(
      /** @type {typeof ROSTER_ROLES[number]} */ (role)
    );
    return index < 0 ? ROSTER_ROLES.length : index;
  };
  const withDuty = entries.map((entry, index) => {
    const { shift, ...rest } = entry;
    /** @type {RosterDuty} */
    const duty = {
      onDuty: true,
      shiftEndsAt: null,
      nextOnDutyAt: null,
      timeZone: null,
      callOrder: 0
    };
    let reason = entry.reason;
    try {
      const status = shiftStatus(shift, atDate);
      duty.onDuty = status.onDuty;
      duty.shiftEndsAt = status.endsAt?.toISOString() ?? null;
      duty.nextOnDutyAt = status.nextStartAt?.toISOString() ?? null;
      duty.timeZone = compileShift(shift)?.timeZone ?? null;
    } catch (error) {
      reason = `${reason ?? ''} (shift not readable: ${/** @type {Error} */ (error).message})`;
    }
    return {
      index,
      rank: rank(entry.role),
      entry: { ...rest, ...(reason === undefined ? {} : { reason }), ...duty }
    };
  });
  withDuty.sort(
    (a, b) =>
      Number(b.entry.onDuty) - Number(a.entry.onDuty) ||
      a.rank - b.rank ||
      a.index - b.index
  );
  return withDuty.map(({ entry }, index) => ({
    ...entry,
    callOrder: index + 1
  }));
}

/** @type {WeakMap<object, CompiledShift>} */
const compiledShifts = new WeakMap();

/**
 * Validates and compiles a shift; compiled shifts are remembered per shift object (callers must
 * not mutate a shift after using it) and per JSON text.
 * @param {Shift | string | null | undefined} shift
 * @returns {CompiledShift | null} null for no shift (always on duty).
 */
function compileShift(shift) {
  if (shift === null || shift === undefined) {
    return null;
  }
  if (typeof shift === 'string') {
    if (shift.trim() === '') {
      return null;
    }
    /** @type {unknown} */
    let parsed;
    try {
      parsed = JSON.parse(shift);
    } catch (error) {
      throw new TypeError(
        `Shift must be JSON text of { timeZone, weekly }: ${/** @type {Error} */ (error).message}`
      );
    }
    if (parsed === null) {
      return null;
    }
    return compileShift(/** @type {Shift} */ (parsed));
  }
  if (!isPlainRecord(shift)) {
    throw new TypeError(
      `Shift must be { timeZone, weekly } or blank (always on duty), got ${describe(shift)}`
    );
  }
  const known = compiledShifts.get(shift);
  if (known) {
    return known;
  }
  for (const key of Object.keys(shift)) {
    if (key !== 'timeZone' && key !== 'weekly') {
      throw new RangeError(
        `Shift has an unknown field '${key}': expected timeZone and weekly only (holidays do not apply to shifts)`
      );
    }
  }
  const { timeZone, weekly } = shift;
  checkZoneAndWeekly('Shift', timeZone, weekly);
  /** @type {CompiledShift} */
  const compiled = {
    timeZone,
    days: WEEKDAYS.map((name) => compileShiftDay(name, weekly[name]))
  };
  compiledShifts.set(shift, compiled);
  return compiled;
}

/**
 * @param {string} name weekday name.
 * @param {unknown} hours
 * @returns {[number, number] | null} on-duty minutes after local midnight; an overnight end
 *   is past 1440.
 */
function compileShiftDay(name, hours) {
  if (hours === null || hours === undefined) {
    return null;
  }
  if (!isPlainRecord(hours)) {
    throw new TypeError(
      `Shift weekly.${name} must be { start, end } or null, got ${describe(hours)}`
    );
  }
  const start = parseTimeOfDay(hours.start, `weekly.${name}.start`, 'Shift');
  const end = parseTimeOfDay(hours.end, `weekly.${name}.end`, 'Shift');
  if (start === MINUTES_PER_DAY) {
    throw new RangeError(
      `Shift weekly.${name}.start must be before 24:00, got '24:00'`
    );
  }
  if (end === 0 || end === MINUTES_PER_DAY) {
    // Midnight ending the day: 00:00-00:00 is all day.
    return [start, MINUTES_PER_DAY];
  }
  if (start === end) {
    throw new RangeError(
      `Shift weekly.${name}: start and end are both ${String(hours.start)}; use 00:00-00:00 for all day`
    );
  }
  // A start after the end runs overnight into the next day.
  return [start, start < end ? end : end + MINUTES_PER_DAY];
}

// ---------------------------------------------------------------------------------------------
// SLA
// ---------------------------------------------------------------------------------------------

/**
 * SLA due times for a severity, counted in business time from `start`. When the severity
 * changes, call again with the same start (targets are recomputed retroactively, as
 * ServiceNow does).
 * @param {SlaPolicyRow[] | CompiledPolicy} policy the policy rows, or compilePolicy's result.
 * @param {number} severity 1..5
 * @param {DateInput} start
 * @param {Calendar | null | undefined} calendar business hours; null/undefined = 24x7.
 * @returns {SlaTargets | null} null when the severity has no SLA row.
 * @throws {Error} when the policy is invalid; {RangeError} for a bad severity or date.
 */
export function slaTargets(policy, severity, start, calendar) {
  const compiled = usablePolicy(policy);
  checkSeverity(severity, 'severity');
  const row = compiled.rowBySeverity.get(severity);
  if (!row) {
    return null;
  }
  return {
    responseDue: addBusinessMinutes(calendar, start, row.Response_Minutes__c),
    resolutionDue: addBusinessMinutes(
      calendar,
      start,
      row.Resolution_Minutes__c
    ),
    warningPercent: row.Warning_Percent__c
  };
}

/**
 * The state of one SLA clock (response or resolution) at `now`.
 *
 * - completed: 'met' when completedAt <= due, else 'missed'; remaining/overdue and elapsed
 *   percent are frozen at completedAt.
 * - open: 'breached' when now > due; otherwise 'warning' when the elapsed business time is at
 *   least warningPercent of the business time from start to due, else 'on-track'.
 * - running is false when completed, before start or outside business hours.
 * - remainingMinutes / overdueMinutes are whole business minutes (truncated), 0 when not
 *   applicable; elapsedPercent is business time elapsed / business time allowed × 100, rounded
 *   to two decimals, and exceeds 100 once overdue.
 * @param {SlaClock} clock
 * @param {DateInput} now
 * @returns {SlaState}
 */
export function slaState(clock, now) {
  if (!isPlainRecord(clock)) {
    throw new TypeError(
      `clock must be { start, due, completedAt, warningPercent, calendar }, got ${describe(clock)}`
    );
  }
  const startMs = toMillis(clock.start, 'clock.start');
  const dueMs = toMillis(clock.due, 'clock.due');
  const nowMs = toMillis(now, 'now');
  const completed =
    clock.completedAt === null || clock.completedAt === undefined
      ? null
      : toMillis(clock.completedAt, 'clock.completedAt');
  const { warningPercent } = clock;
  if (
    typeof warningPercent !== 'number' ||
    !(warningPercent >= 1 && warningPercent <= 99)
  ) {
    throw new RangeError(
      `clock.warningPercent must be a number from 1 to 99, got ${describe(warningPercent)}`
    );
  }
  if (dueMs < startMs) {
    throw new RangeError('clock.due must not be before clock.start');
  }
  const compiled = compileCalendar(clock.calendar);
  const at = Math.max(completed ?? nowMs, startMs);
  const allowed = businessMillisBetween(compiled, startMs, dueMs);
  const elapsed = businessMillisBetween(compiled, startMs, at);
  const ratio = allowed > 0 ? elapsed / allowed : Number(at >= dueMs);
  const elapsedPercent = Math.round(ratio * 10000) / 100;
  const late = at > dueMs;
  const remainingMinutes = late
    ? 0
    : Math.trunc(businessMillisBetween(compiled, at, dueMs) / MINUTE_MS);
  const overdueMinutes = late
    ? Math.trunc(businessMillisBetween(compiled, dueMs, at) / MINUTE_MS)
    : 0;
  /** @type {SlaState['state']} */
  let state;
  if (completed !== null) {
    state = late ? 'missed' : 'met';
  } else if (late) {
    state = 'breached';
  } else {
    // Compare the unrounded ratio: rounding must not bring the warning forward.
    state = ratio * 100 >= warningPercent ? 'warning' : 'on-track';
  }
  const running =
    completed === null && nowMs >= startMs && isBusinessMillis(compiled, nowMs);
  return { state, running, remainingMinutes, overdueMinutes, elapsedPercent };
}

// ---------------------------------------------------------------------------------------------
// Incident automation policy (what a save computes, recomputes or refuses)
// ---------------------------------------------------------------------------------------------
//
// One decision for the Apex trigger (IncidentAutomationPolicy mirrors it, held to the vectors'
// 'automation' cases) and the local org (a thin adapter). It says what to change; resolving
// business hours and adding business minutes is left to the caller, because only the caller
// can read BusinessHours records (Apex: BusinessHours.addGmt; local org: its tables).
//
// The policy:
// - Severity__c is derived, never typed: on insert, and on an update that changes Urgency,
//   Impact or Severity__c (or leaves Severity__c blank), it is computed from urgency × impact
//   and a hand-typed value is overwritten. Priority follows the computed severity.
// - A blank Urgency or Impact is allowed (the platform does not require them): the incident
//   has no severity, so Severity__c is cleared and no SLA runs; Priority is left as it is.
// - An urgency or impact outside the matrix (not High, Medium or Low) refuses the save, naming
//   the field; so does an invalid matrix when a severity must be computed.
// - SLA due times are computed on insert and recomputed, from the same start, when the
//   severity, DetectedDateTime or BusinessHoursId changes, or when both due times are blank
//   while there is a severity. A severity without a policy row clears them. An invalid policy
//   refuses the save when due times must be computed.
// - The clock starts at DetectedDateTime, else CreatedDate, else now (an insert).
// - It counts in the incident's BusinessHoursId, else the policy row's Business_Hours__c
//   (by name), else the org default.
// - Sla_Responded_At__c is stamped with now when the status first leaves New (insert with
//   another status, or an update from New), unless already set.
// - ResolutionDateTime is stamped with now when the status becomes Resolved or Completed
//   (from another status, or on insert), unless already set.

const NEW_STATUS = 'New';
const RESOLVED_STATUSES = new Set(['Resolved', 'Completed']);

/**
 * A field value as the automation reads it: Salesforce REST values (text, numbers, ISO dates).
 * @typedef {string | number | boolean | null | undefined} FieldValue
 */

/**
 * Why a save is refused. field is the field the error belongs on (null: the whole record).
 * @typedef {{ field: string | null, code: 'unknown-level' | 'invalid-rules' | 'invalid-policy',
 *   message: string }} DecisionError
 */

/**
 * Due times to compute: add responseMinutes and resolutionMinutes of business time to start,
 * in businessHoursId, else the business hours named businessHoursName, else the org default.
 * @typedef {{ severity: number, start: string, businessHoursId: string | null,
 *   businessHoursName: string | null, responseMinutes: number, resolutionMinutes: number }}
 *   SlaComputation
 */

/**
 * @typedef {{ errors: DecisionError[], changes: Record<string, string | number | null>,
 *   sla: SlaComputation | null }} IncidentDecision
 */

/**
 * Decides what saving an incident computes, recomputes or refuses. Pure: the caller applies
 * `changes` to the record, computes `sla` in business time and writes the due times, or refuses
 * the save with `errors` (then changes and sla are empty).
 * @param {{ record: Record<string, FieldValue>, old?: Record<string, FieldValue> | null,
 *   rules: SeverityRule[] | CompiledRules, policy: SlaPolicyRow[] | CompiledPolicy,
 *   now: DateInput }} input record: the incident as it will be saved (on update, every field,
 *   changed or not); old: as it was (null or absent on insert); rules and policy: the custom
 *   metadata records or their compiled forms (compiled once, reused per record).
 * @returns {IncidentDecision}
 */
export function decideIncident(input) {
  const { record } = input;
  const old = input.old ?? null;
  const nowIso = new Date(toMillis(input.now, 'now')).toISOString();
  /** @type {DecisionError[]} */
  const errors = [];
  /** @type {IncidentDecision['changes']} */
  const changes = {};
  /**
   * @param {string} field
   * @returns {FieldValue} the value as it will be saved: a decided change, else the record's.
   */
  function value(field) {
    return field in changes
      ? (changes[field] ?? null)
      : (record[field] ?? null);
  }
  /** @param {string} field */
  const was = (field) => (old === null ? null : (old[field] ?? null));
  /** @param {string} field */
  const changed = (field) =>
    old === null || !sameFieldValue(record[field] ?? null, was(field));

  // Severity and priority.
  if (
    old === null ||
    value('Severity__c') === null ||
    changed('Urgency') ||
    changed('Impact') ||
    changed('Severity__c')
  ) {
    const urgency = value('Urgency');
    const impact = value('Impact');
    if (isBlankValue(urgency) || isBlankValue(impact)) {
      changes.Severity__c = null;
    } else {
      const rules = compileRules(input.rules);
      if (rules.problems.length > 0) {
        errors.push({
          field: null,
          code: 'invalid-rules',
          message: `The severity matrix (custom metadata Incident_Severity_Rule__mdt) is invalid, so severity cannot be computed: ${rules.problems.map((p) => p.message).join('; ')}. Fix the matrix records in Setup > Custom Metadata Types.`
        });
      } else {
        const u = levelOrNull(urgency);
        const i = levelOrNull(impact);
        if (u === null) {
          errors.push(unknownLevel('Urgency', urgency));
        }
        if (i === null) {
          errors.push(unknownLevel('Impact', impact));
        }
        if (u !== null && i !== null) {
          const severity = severityFor(rules, u, i);
          changes.Severity__c = severity;
          changes.Priority = priorityFor(severity, rules);
        }
      }
    }
  }
  if (errors.length > 0) {
    return { errors, changes: {}, sla: null };
  }

  // SLA due times.
  /** @type {SlaComputation | null} */
  let sla = null;
  const severity = value('Severity__c');
  const oldSeverity = was('Severity__c');
  if (
    !(severity === null && oldSeverity === null) &&
    (old === null ||
      !sameFieldValue(severity, oldSeverity) ||
      changed('DetectedDateTime') ||
      changed('BusinessHoursId') ||
      (severity !== null &&
        value('Sla_Response_Due__c') === null &&
        value('Sla_Resolution_Due__c') === null))
  ) {
    const policy = compilePolicy(input.policy);
    if (policy.problems.length > 0) {
      return {
        errors: [
          {
            field: null,
            code: 'invalid-policy',
            message: `The SLA policy (custom metadata Incident_Sla_Policy__mdt) is invalid, so SLA due times cannot be computed: ${policy.problems.map((p) => p.message).join('; ')}. Fix the policy records in Setup > Custom Metadata Types.`
          }
        ],
        changes: {},
        sla: null
      };
    }
    const row =
      typeof severity === 'number'
        ? policy.rowBySeverity.get(severity)
        : undefined;
    if (row === undefined || typeof severity !== 'number') {
      changes.Sla_Response_Due__c = null;
      changes.Sla_Resolution_Due__c = null;
    } else {
      const businessHoursId = value('BusinessHoursId');
      const start = value('DetectedDateTime') ?? value('CreatedDate') ?? nowIso;
      sla = {
        severity,
        start: new Date(toMillis(start, 'clock start')).toISOString(),
        businessHoursId:
          typeof businessHoursId === 'string' && businessHoursId !== ''
            ? businessHoursId
            : null,
        businessHoursName: businessHoursNameOf(row),
        responseMinutes: row.Response_Minutes__c,
        resolutionMinutes: row.Resolution_Minutes__c
      };
    }
  }

  // Status times.
  const status = value('Status');
  const oldStatus = was('Status');
  if (
    status !== null &&
    status !== NEW_STATUS &&
    (old === null || oldStatus === NEW_STATUS) &&
    value('Sla_Responded_At__c') === null
  ) {
    changes.Sla_Responded_At__c = nowIso;
  }
  if (
    RESOLVED_STATUSES.has(String(status)) &&
    (old === null || !RESOLVED_STATUSES.has(String(oldStatus))) &&
    value('ResolutionDateTime') === null
  ) {
    changes.ResolutionDateTime = nowIso;
  }
  return { errors, changes, sla };
}

/**
 * The refusal when an SLA policy row names business hours that do not exist (or are not
 * active). Shared so that every adapter of decideIncident says the same.
 * @param {number} severity
 * @param {string} name the row's Business_Hours__c.
 * @returns {string}
 */
export function unknownBusinessHoursMessage(severity, name) {
  return `The SLA policy (custom metadata Incident_Sla_Policy__mdt) for severity ${severity} counts in business hours '${name}', but no active business hours have that name. Fix Business_Hours__c in Setup > Custom Metadata Types, or create the business hours.`;
}

/**
 * @param {FieldValue} a
 * @param {FieldValue} b
 * @returns {boolean} whether two field values are the same; date-times written differently
 *   (+0000 or Z, with or without milliseconds) are compared as instants.
 */
function sameFieldValue(a, b) {
  if (a === b) {
    return true;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    try {
      return toMillis(a, 'a') === toMillis(b, 'b');
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * @param {FieldValue} value
 * @returns {boolean} whether a picklist value is blank (null or only spaces).
 */
function isBlankValue(value) {
  return value === null || value === undefined || String(value).trim() === '';
}

/**
 * @param {FieldValue} value
 * @returns {Level | null} the matrix level, or null for a value outside the matrix.
 */
function levelOrNull(value) {
  try {
    return toLevel(value);
  } catch (error) {
    if (error instanceof RangeError) {
      return null;
    }
    throw error;
  }
}

/**
 * @param {'Urgency' | 'Impact'} field
 * @param {FieldValue} value
 * @returns {DecisionError}
 */
function unknownLevel(field, value) {
  return {
    field,
    code: 'unknown-level',
    message: `${field} "${String(value)}" is not in the severity matrix: use High, Medium or Low so that severity and SLA can be computed.`
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isPlainRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {unknown} value
 * @returns {string} a short rendering of a value for error messages.
 */
function describe(value) {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object' && value !== null) {
    return 'an object';
  }
  return String(value);
}
export * from './communications';
export * from './responsePlan';
export * from './timeline';
