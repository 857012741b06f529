/** parseFaultOptions: every rule a drill's fault file or a test's options must follow, good and bad; and what the injector counts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  FAULT_KINDS,
  FaultInjector,
  FaultOptionsError,
  parseFaultOptions
} from './faults.ts';
import { buildRoutes, ENDPOINTS } from './router.ts';
import { ApiUsage } from './usage.ts';

const EXAMPLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../config/local-org-faults.example.json'
);

/** Asserts that parsing fails at `at` with a problem matching `problem`, in a message naming the source. */
function rejects(value: unknown, at: string, problem: RegExp): void {
  assert.throws(
    () => parseFaultOptions(value, 'drill.json'),
    (error: unknown) => {
      assert.ok(error instanceof FaultOptionsError, String(error));
      assert.ok(error instanceof RangeError);
      assert.equal(error.source, 'drill.json');
      assert.equal(error.path, at);
      assert.match(error.problem, problem);
      assert.equal(error.message, `drill.json: ${at}: ${error.problem}`);
      return true;
    }
  );
}

function rule(fields: Record<string, unknown>): unknown {
  return {
    rules: [
      { endpoint: 'query', kind: 'SERVER_UNAVAILABLE', calls: [1] },
      fields
    ]
  };
}

describe('parseFaultOptions accepts', () => {
  it('the example file of the project, as written', () => {
    const example: unknown = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    assert.deepEqual(parseFaultOptions(example, EXAMPLE), example);
  });

  it('schedules, rates (0 and 1 included), both at once, and no seed', () => {
    const options = {
      rules: [
        { endpoint: '*', kind: 'SERVER_UNAVAILABLE', calls: [3, 7] },
        { endpoint: 'collections.create', kind: 'UNABLE_TO_LOCK_ROW', rate: 0 },
        { endpoint: 'metadata', kind: 'DROP_CONNECTION', rate: 1 },
        {
          endpoint: 'limits',
          kind: 'REQUEST_LIMIT_EXCEEDED',
          calls: [1],
          rate: 0.25
        }
      ]
    };
    assert.deepEqual(parseFaultOptions(options, 'drill.json'), options);
  });

  it('per-record lock failures on collection writes, and returns a copy', () => {
    const records = [2, 5];
    const options = {
      seed: -7,
      rules: [
        {
          endpoint: 'collections.upsert',
          kind: 'UNABLE_TO_LOCK_ROW',
          calls: [1],
          records
        }
      ]
    };
    const parsed = parseFaultOptions(options, 'drill.json');
    assert.deepEqual(parsed, options);
    records.push(9);
    assert.deepEqual(parsed.rules[0]?.records, [2, 5]);
  });

  it('every kind of fault', () => {
    for (const kind of FAULT_KINDS)
      assert.equal(
        parseFaultOptions(
          { rules: [{ endpoint: 'query', kind, calls: [1] }] },
          'drill.json'
        ).rules[0]?.kind,
        kind
      );
  });
});

describe('parseFaultOptions rejects, naming the JSON path and the rule', () => {
  it('anything but an object at the top level', () => {
    rejects([], '(top level)', /^must be an object .*got an array \[\]$/);
    rejects(null, '(top level)', /got null$/);
  });

  it('unknown top-level keys', () => {
    rejects(
      { seed: 1, rule: [] },
      'rule',
      /^is not a fault option; allowed: seed, rules$/
    );
  });

  it('a seed that is not a whole number', () => {
    rejects(
      { seed: '42', rules: [] },
      'seed',
      /^must be a whole number, got "42"$/
    );
    rejects({ seed: 1.5, rules: [] }, 'seed', /got 1\.5$/);
  });

  it('rules missing or not an array', () => {
    rejects({ seed: 1 }, '(top level)', /^"rules" is required/);
    rejects(
      { rules: { endpoint: 'query' } },
      'rules',
      /^must be an array of fault rules, got an object$/
    );
  });

  it('a rule that is not an object, or has unknown fields', () => {
    rejects({ rules: ['query'] }, 'rules[0]', /^must be an object/);
    rejects(
      rule({ endpoint: 'query', kind: 'SERVER_UNAVAILABLE', rates: 0.5 }),
      'rules[1].rates',
      /^is not a fault rule field; allowed: endpoint, kind, calls, rate, records$/
    );
  });

  it('an endpoint that is not a route of the local org', () => {
    rejects(
      rule({
        endpoint: 'collection.create',
        kind: 'SERVER_UNAVAILABLE',
        rate: 1
      }),
      'rules[1].endpoint',
      /^must be '\*' or an endpoint of the local org \(versions, .*collections\.create, .*metadata, partner\), got "collection\.create"$/
    );
    rejects(
      rule({ kind: 'SERVER_UNAVAILABLE', rate: 1 }),
      'rules[1].endpoint',
      /got nothing$/
    );
  });

  it('a kind that is not one of the four', () => {
    rejects(
      rule({ endpoint: 'query', kind: 'TIMEOUT', calls: [1] }),
      'rules[1].kind',
      /^must be one of SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, DROP_CONNECTION, got "TIMEOUT"$/
    );
  });

  it('a rule with neither calls nor rate', () => {
    rejects(
      rule({ endpoint: 'query', kind: 'SERVER_UNAVAILABLE' }),
      'rules[1]',
      /^needs calls \(.*\) or rate \(.*\)$/
    );
  });

  it('calls that are not positive whole numbers', () => {
    const base = { endpoint: 'query', kind: 'SERVER_UNAVAILABLE' };
    rejects(
      rule({ ...base, calls: [3, 0] }),
      'rules[1].calls[1]',
      /^must be a whole number of 1 or more \(call numbers .*\), got 0$/
    );
    rejects(rule({ ...base, calls: [2.5] }), 'rules[1].calls[0]', /got 2\.5$/);
    rejects(rule({ ...base, calls: ['3'] }), 'rules[1].calls[0]', /got "3"$/);
    rejects(
      rule({ ...base, calls: 3 }),
      'rules[1].calls',
      /^must be a non-empty array of call numbers .*, got 3$/
    );
    rejects(
      rule({ ...base, calls: [] }),
      'rules[1].calls',
      /got an array \[\]$/
    );
  });

  it('a rate outside 0..1 or not a number', () => {
    const base = { endpoint: 'query', kind: 'SERVER_UNAVAILABLE' };
    rejects(
      rule({ ...base, rate: 1.5 }),
      'rules[1].rate',
      /^must be a number from 0 to 1, got 1\.5$/
    );
    rejects(rule({ ...base, rate: -0.1 }), 'rules[1].rate', /got -0\.1$/);
    rejects(rule({ ...base, rate: '0.1' }), 'rules[1].rate', /got "0\.1"$/);
    rejects(rule({ ...base, rate: Number.NaN }), 'rules[1].rate', /got NaN$/);
  });

  it('per-record rules the platform has no form for', () => {
    rejects(
      rule({
        endpoint: 'collections.create',
        kind: 'SERVER_UNAVAILABLE',
        calls: [1],
        records: [1]
      }),
      'rules[1].records',
      /^applies to UNABLE_TO_LOCK_ROW only, not SERVER_UNAVAILABLE$/
    );
    rejects(
      rule({
        endpoint: 'sobject.create',
        kind: 'UNABLE_TO_LOCK_ROW',
        calls: [1],
        records: [1]
      }),
      'rules[1].records',
      /^applies to collection writes only \(collections\.create, .*\), not sobject\.create$/
    );
    rejects(
      rule({
        endpoint: '*',
        kind: 'UNABLE_TO_LOCK_ROW',
        calls: [1],
        records: [1, -2]
      }),
      'rules[1].records[1]',
      /^must be a whole number of 1 or more \(1-based batch positions\), got -2$/
    );
  });
});

describe('fault endpoints', () => {
  it('are exactly the route names, plus the SOAP Metadata and partner APIs', () => {
    const db = new Database(':memory:');
    try {
      const routeNames = new Set(
        buildRoutes(new ApiUsage(db)).map((r) => r.name)
      );
      assert.deepEqual(
        [...routeNames, 'metadata', 'partner'].sort(),
        [...ENDPOINTS].sort()
      );
    } finally {
      db.close();
    }
  });
});

describe('FaultInjector', () => {
  it('checks its options with parseFaultOptions', () => {
    assert.throws(
      () =>
        new FaultInjector({
          rules: [{ endpoint: 'query', kind: 'SERVER_UNAVAILABLE', rate: 2 }]
        }),
      {
        name: 'FaultOptionsError',
        message:
          'fault options: rules[0].rate: must be a number from 0 to 1, got 2'
      }
    );
  });

  it('counts the faults it injects, per endpoint and kind', () => {
    const faults = new FaultInjector({
      rules: [
        { endpoint: '*', kind: 'SERVER_UNAVAILABLE', calls: [2] },
        {
          endpoint: 'collections.create',
          kind: 'UNABLE_TO_LOCK_ROW',
          calls: [1],
          records: [1]
        },
        { endpoint: 'query', kind: 'DROP_CONNECTION', calls: [3] }
      ]
    });
    assert.equal(faults.injectedCount(), 0);
    assert.deepEqual(faults.injectedSnapshot(), {});
    for (let call = 1; call <= 3; call++) {
      faults.pick('query', call);
      faults.pick('collections.create', call);
    }
    assert.equal(faults.injectedCount(), 4);
    assert.deepEqual(faults.injectedSnapshot(), {
      'collections.create': { UNABLE_TO_LOCK_ROW: 1, SERVER_UNAVAILABLE: 1 },
      query: { SERVER_UNAVAILABLE: 1, DROP_CONNECTION: 1 }
    });
  });
});
