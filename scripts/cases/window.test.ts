/** Durations and the SOQL time range of a scan that ends now (window.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CasesInputError } from './errors.ts';
import { parseDuration, soqlDateTime, soqlTimeRange } from './window.ts';

const MIN = 60_000;

test('parseDuration reads m, h and d and names the flag when it cannot', () => {
  assert.equal(parseDuration('90m', '--window'), 90 * MIN);
  assert.equal(parseDuration('24h', '--window'), 24 * 60 * MIN);
  assert.equal(parseDuration('1.5d', '--window'), 36 * 60 * MIN);
  for (const bad of ['', '10', '-1h', '0h', 'h', '2w', '1 hour']) {
    assert.throws(
      () => parseDuration(bad, '--window'),
      (error: Error) =>
        error instanceof CasesInputError &&
        error.message.startsWith('--window: ') &&
        error.exitCode === 2
    );
  }
});

test('soqlDateTime writes the documented literal: UTC, whole seconds, Z', () => {
  assert.equal(
    soqlDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
    '2026-01-02T03:04:05Z'
  );
});

test('a range ending now holds the whole current second, written in whole-second literals', () => {
  const from = Date.UTC(2026, 0, 1, 3, 4, 5, 250);
  const until = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  assert.equal(
    soqlTimeRange('CreatedDate', from, until),
    'CreatedDate >= 2026-01-01T03:04:05Z AND CreatedDate < 2026-01-02T03:04:06Z'
  );
  // At a whole second the end is still the next one: a record saved at 03:04:05.000 counts.
  assert.equal(
    soqlTimeRange('CreatedDate', from, Date.UTC(2026, 0, 2, 3, 4, 5)),
    'CreatedDate >= 2026-01-01T03:04:05Z AND CreatedDate < 2026-01-02T03:04:06Z'
  );
  // The last millisecond of a minute, a day and a year rolls over to the next whole second.
  assert.match(
    soqlTimeRange('CreatedDate', from, Date.UTC(2026, 11, 31, 23, 59, 59, 999)),
    / AND CreatedDate < 2027-01-01T00:00:00Z$/
  );
});

test('every literal of the range has the documented shape (no fraction of a second)', () => {
  const literal = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  for (const until of [0, 999, 1_000, 1_767_225_600_123]) {
    const [, start, end] =
      /^X >= (\S+) AND X < (\S+)$/.exec(
        soqlTimeRange('X', until - MIN, until)
      ) ?? [];
    assert.match(start ?? '', literal);
    assert.match(end ?? '', literal);
  }
});
