import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateLiteralRange,
  formatCivil,
  parseDateTimeLiteral,
  rangeBounds,
  startOfDayUtc,
  toApiDateTime
} from './dates.ts';
import { SoqlError } from './errors.ts';
import { executeSoql } from './index.ts';
import { createDb, idFor, insert, testRegistry } from './test-db.ts';

/** Wednesday 2026-03-11, 15:30 UTC. */
const now = new Date('2026-03-11T15:30:00.000Z');

function days(literal: string, timeZone = 'UTC'): [string, string] {
  const range = dateLiteralRange(literal, now, timeZone);
  return [formatCivil(range.start), formatCivil(range.end)];
}

void describe('date literal ranges ([start, end) in days)', () => {
  void it('covers days, weeks (Sunday start), months, quarters and years', () => {
    assert.deepEqual(days('TODAY'), ['2026-03-11', '2026-03-12']);
    assert.deepEqual(days('yesterday'), ['2026-03-10', '2026-03-11']);
    assert.deepEqual(days('TOMORROW'), ['2026-03-12', '2026-03-13']);
    assert.deepEqual(days('THIS_WEEK'), ['2026-03-08', '2026-03-15']);
    assert.deepEqual(days('LAST_WEEK'), ['2026-03-01', '2026-03-08']);
    assert.deepEqual(days('NEXT_WEEK'), ['2026-03-15', '2026-03-22']);
    assert.deepEqual(days('THIS_MONTH'), ['2026-03-01', '2026-04-01']);
    assert.deepEqual(days('LAST_MONTH'), ['2026-02-01', '2026-03-01']);
    assert.deepEqual(days('NEXT_MONTH'), ['2026-04-01', '2026-05-01']);
    assert.deepEqual(days('THIS_QUARTER'), ['2026-01-01', '2026-04-01']);
    assert.deepEqual(days('LAST_QUARTER'), ['2025-10-01', '2026-01-01']);
    assert.deepEqual(days('NEXT_QUARTER'), ['2026-04-01', '2026-07-01']);
    assert.deepEqual(days('THIS_YEAR'), ['2026-01-01', '2027-01-01']);
    assert.deepEqual(days('LAST_FISCAL_YEAR'), ['2025-01-01', '2026-01-01']);
    assert.deepEqual(days('LAST_90_DAYS'), ['2025-12-11', '2026-03-12']);
    assert.deepEqual(days('NEXT_90_DAYS'), ['2026-03-12', '2026-06-10']);
  });

  void it('covers the :n forms', () => {
    assert.deepEqual(
      days('LAST_N_DAYS:1'),
      ['2026-03-10', '2026-03-12'],
      'includes today'
    );
    assert.deepEqual(
      days('NEXT_N_DAYS:3'),
      ['2026-03-12', '2026-03-15'],
      'starts tomorrow'
    );
    assert.deepEqual(days('N_DAYS_AGO:2'), ['2026-03-09', '2026-03-10']);
    assert.deepEqual(days('LAST_N_WEEKS:2'), ['2026-02-22', '2026-03-08']);
    assert.deepEqual(days('NEXT_N_WEEKS:1'), ['2026-03-15', '2026-03-22']);
    assert.deepEqual(days('N_WEEKS_AGO:1'), ['2026-03-01', '2026-03-08']);
    assert.deepEqual(days('LAST_N_MONTHS:2'), ['2026-01-01', '2026-03-01']);
    assert.deepEqual(days('NEXT_N_MONTHS:10'), ['2026-04-01', '2027-02-01']);
    assert.deepEqual(days('N_MONTHS_AGO:3'), ['2025-12-01', '2026-01-01']);
    assert.deepEqual(days('LAST_N_QUARTERS:1'), ['2025-10-01', '2026-01-01']);
    assert.deepEqual(days('N_QUARTERS_AGO:2'), ['2025-07-01', '2025-10-01']);
    assert.deepEqual(days('NEXT_N_YEARS:2'), ['2027-01-01', '2029-01-01']);
    assert.deepEqual(days('LAST_N_FISCAL_YEARS:1'), [
      '2025-01-01',
      '2026-01-01'
    ]);
    assert.deepEqual(days('N_YEARS_AGO:1'), ['2025-01-01', '2026-01-01']);
  });

  void it('uses the day of the org time zone', () => {
    assert.deepEqual(days('TODAY', 'Asia/Tokyo'), ['2026-03-12', '2026-03-13']);
    assert.deepEqual(days('TODAY', 'Pacific/Honolulu'), [
      '2026-03-11',
      '2026-03-12'
    ]);
  });

  void it('gives datetime bounds at local midnight, across DST changes', () => {
    // US DST starts on 2026-03-08: Los Angeles midnight is 08:00Z that day (PST), 07:00Z after (PDT).
    assert.equal(
      startOfDayUtc(
        { year: 2026, month: 3, day: 8 },
        'America/Los_Angeles'
      ).toISOString(),
      '2026-03-08T08:00:00.000Z'
    );
    assert.equal(
      startOfDayUtc(
        { year: 2026, month: 3, day: 9 },
        'America/Los_Angeles'
      ).toISOString(),
      '2026-03-09T07:00:00.000Z'
    );
    const bounds = rangeBounds(
      dateLiteralRange('TODAY', now, 'America/Los_Angeles'),
      'datetime',
      'America/Los_Angeles'
    );
    assert.deepEqual(bounds, {
      start: '2026-03-11T07:00:00.000Z',
      end: '2026-03-12T07:00:00.000Z'
    });
    assert.deepEqual(
      rangeBounds(dateLiteralRange('TODAY', now, 'UTC'), 'date', 'UTC'),
      { start: '2026-03-11', end: '2026-03-12' }
    );
  });

  void it('starts a day whose midnight a DST change skips at the first wall time after the gap', () => {
    // Santiago moves from -04:00 to -03:00 at 2024-09-08 00:00 local (04:00Z): clocks jump to 01:00.
    assert.equal(
      startOfDayUtc(
        { year: 2024, month: 9, day: 8 },
        'America/Santiago'
      ).toISOString(),
      '2024-09-08T04:00:00.000Z'
    );
    // Back from -03:00 to -04:00 at 2024-04-07 00:00 local (03:00Z): 23:00 on the 6th repeats.
    assert.equal(
      startOfDayUtc(
        { year: 2024, month: 4, day: 7 },
        'America/Santiago'
      ).toISOString(),
      '2024-04-07T04:00:00.000Z'
    );
  });

  void it('names an org time zone Intl does not know', () => {
    assert.throws(() => dateLiteralRange('TODAY', now, 'Mars/Olympus_Mons'), {
      name: 'RangeError',
      message: "Time zone 'Mars/Olympus_Mons' is not a known IANA time zone"
    });
  });

  void it('rejects literals it does not know', () => {
    assert.throws(
      () => dateLiteralRange('LAST_N_FORTNIGHTS:2', now, 'UTC'),
      SoqlError
    );
  });
});

void describe('datetime literals', () => {
  void it('normalises offsets and precision to stored UTC text', () => {
    assert.equal(
      parseDateTimeLiteral('2026-01-01T00:00:00Z'),
      '2026-01-01T00:00:00.000Z'
    );
    assert.equal(
      parseDateTimeLiteral('2026-01-01T01:30:00+01:30'),
      '2026-01-01T00:00:00.000Z'
    );
    assert.equal(
      parseDateTimeLiteral('2025-12-31T19:00:00-05:00'),
      '2026-01-01T00:00:00.000Z'
    );
    assert.equal(
      parseDateTimeLiteral('2026-01-01T00:00:00.5Z'),
      '2026-01-01T00:00:00.500Z'
    );
    assert.throws(
      () => parseDateTimeLiteral('2026-13-01T00:00:00Z'),
      SoqlError
    );
  });

  void it('formats stored datetimes as the REST API does', () => {
    assert.equal(
      toApiDateTime('2026-01-01T00:00:00.000Z'),
      '2026-01-01T00:00:00.000+0000'
    );
  });
});

void describe('date literals in queries on a day without midnight', () => {
  void it('counts CreatedDate = TODAY from the first wall time after the gap', () => {
    const registry = testRegistry();
    const db = createDb(registry);
    const created = {
      // 22:59 on 2024-09-07 at -04:00
      dayBefore: '2024-09-08T02:59:00.000Z',
      // 23:30 on 2024-09-07 at -04:00: an hour before the gap, still the previous day
      lastHourBefore: '2024-09-08T03:30:00.000Z',
      // 01:00 on 2024-09-08 at -03:00, the day's first instant
      dayStart: '2024-09-08T04:00:00.000Z',
      // 01:30 on 2024-09-08 at -03:00
      afterGap: '2024-09-08T04:30:00.000Z',
      // 23:59 on 2024-09-08 at -03:00
      dayEnd: '2024-09-09T02:59:00.000Z',
      // 00:00 on 2024-09-09 at -03:00
      nextDay: '2024-09-09T03:00:00.000Z'
    };
    insert(
      db,
      'Case',
      Object.entries(created).map(([subject, at], i) => ({
        Id: idFor('Case', i + 1),
        Subject: subject,
        CreatedDate: at
      }))
    );
    const subjects = (where: string): unknown[] =>
      executeSoql(
        db,
        registry,
        `SELECT Subject FROM Case WHERE ${where} ORDER BY CreatedDate`,
        {
          apiVersion: '64.0',
          // 12:00 on 2024-09-08 in Santiago
          now: new Date('2024-09-08T15:00:00.000Z'),
          timeZone: 'America/Santiago'
        }
      ).records.map((r) => r.Subject);
    assert.deepEqual(subjects('CreatedDate = TODAY'), [
      'dayStart',
      'afterGap',
      'dayEnd'
    ]);
    assert.deepEqual(subjects('CreatedDate = YESTERDAY'), [
      'dayBefore',
      'lastHourBefore'
    ]);
  });
});
