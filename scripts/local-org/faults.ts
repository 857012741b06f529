/**
 * Fault injection for tests and drills. A rule matches calls to one endpoint (by route name,
 * e.g. 'sobject.create', or '*') and fails them either on given call numbers (1-based, per
 * endpoint) or at a rate drawn from a seeded generator, so a run is reproducible.
 *
 * A fault fails the whole call, except UNABLE_TO_LOCK_ROW with `records` on an sObject
 * Collections write: as on the platform, the call then answers 200 and only the records at
 * those positions fail (or, under allOrNone, roll the others back).
 */
import { ENDPOINTS } from './router.ts';
import { seededRandom } from '../shared/seeded-random.ts';

export const FAULT_KINDS = [
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'DROP_CONNECTION'
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  endpoint: string;
  kind: FaultKind;
  /** Fail these calls of the endpoint (1 = its first call since the org started). */
  calls?: number[];
  /** Or fail this fraction of calls (0..1), drawn from the seeded generator. */
  rate?: number;
  /**
   * UNABLE_TO_LOCK_ROW on a collections write only: the 1-based positions in the batch of the
   * records whose row lock fails, reported per record instead of failing the call.
   */
  records?: number[];
}

/** The endpoints whose batches report failures per record. */
export const COLLECTION_WRITES: ReadonlySet<string> = new Set([
  'collections.create',
  'collections.update',
  'collections.upsert',
  'collections.delete'
]);

/** What a faulted call gets: a call-level failure, or the batch positions (0-based) that fail to lock. */
export type Fault =
  { kind: FaultKind } | { kind: 'UNABLE_TO_LOCK_ROW'; lockedRecords: number[] };

export interface FaultOptions {
  seed?: number;
  rules: FaultRule[];
}

/** A fault option that breaks a rule: where it came from, the JSON path of the value, and the rule. */
export class FaultOptionsError extends RangeError {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly problem: string
  ) {
    super(`${source}: ${path}: ${problem}`);
    this.name = 'FaultOptionsError';
  }
}

const OPTION_KEYS = ['seed', 'rules'] as const;
const RULE_KEYS = ['endpoint', 'kind', 'calls', 'rate', 'records'] as const;
const TOP_LEVEL = '(top level)';

/**
 * Checks fault options from anywhere (a drill's JSON file, a test's literal) and returns a copy
 * holding only the known fields. Throws FaultOptionsError naming `source`, the JSON path of the
 * first offending value (e.g. `rules[1].rate`) and the rule it breaks.
 */
export function parseFaultOptions(
  value: unknown,
  source: string
): FaultOptions {
  const fail = (path: string, problem: string): never => {
    throw new FaultOptionsError(source, path, problem);
  };
  if (!isPlainObject(value))
    return fail(
      TOP_LEVEL,
      `must be an object { "seed": number, "rules": [...] }, got ${asWritten(value)}`
    );
  rejectUnknownKeys(value, OPTION_KEYS, '', 'a fault option', fail);
  const { seed, rules } = value;
  if (seed !== undefined && !Number.isSafeInteger(seed))
    fail('seed', `must be a whole number, got ${asWritten(seed)}`);
  if (!Array.isArray(rules))
    return fail(
      rules === undefined ? TOP_LEVEL : 'rules',
      rules === undefined
        ? '"rules" is required: an array of fault rules'
        : `must be an array of fault rules, got ${asWritten(rules)}`
    );
  return {
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    rules: rules.map((rule: unknown, index) =>
      parseRule(rule, `rules[${String(index)}]`, fail)
    )
  };
}

function parseRule(
  value: unknown,
  at: string,
  fail: (path: string, problem: string) => never
): FaultRule {
  if (!isPlainObject(value))
    return fail(
      at,
      `must be an object with endpoint, kind and calls or rate, got ${asWritten(value)}`
    );
  rejectUnknownKeys(value, RULE_KEYS, `${at}.`, 'a fault rule field', fail);
  const { endpoint, kind, calls, rate, records } = value;
  if (
    typeof endpoint !== 'string' ||
    (endpoint !== '*' && !(ENDPOINTS as readonly string[]).includes(endpoint))
  )
    return fail(
      `${at}.endpoint`,
      `must be '*' or an endpoint of the local org (${ENDPOINTS.join(', ')}), got ${asWritten(endpoint)}`
    );
  if (
    typeof kind !== 'string' ||
    !(FAULT_KINDS as readonly string[]).includes(kind)
  )
    return fail(
      `${at}.kind`,
      `must be one of ${FAULT_KINDS.join(', ')}, got ${asWritten(kind)}`
    );
  const rule: FaultRule = { endpoint, kind: kind as FaultKind };
  if (calls !== undefined)
    rule.calls = positiveIntegers(
      calls,
      `${at}.calls`,
      'call numbers of the endpoint (1 = its first call)',
      fail
    );
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      fail(
        `${at}.rate`,
        `must be a number from 0 to 1, got ${asWritten(rate)}`
      );
    rule.rate = rate;
  }
  if (records !== undefined) {
    if (kind !== 'UNABLE_TO_LOCK_ROW')
      fail(`${at}.records`, `applies to UNABLE_TO_LOCK_ROW only, not ${kind}`);
    if (endpoint !== '*' && !COLLECTION_WRITES.has(endpoint))
      fail(
        `${at}.records`,
        `applies to collection writes only (${[...COLLECTION_WRITES].join(', ')}), not ${endpoint}`
      );
    rule.records = positiveIntegers(
      records,
      `${at}.records`,
      '1-based batch positions',
      fail
    );
  }
  if (calls === undefined && rate === undefined)
    fail(
      at,
      'needs calls (the call numbers to fail, 1 = the first) or rate (the fraction of calls to fail, 0..1)'
    );
  return rule;
}

function positiveIntegers(
  value: unknown,
  path: string,
  meaning: string,
  fail: (path: string, problem: string) => never
): number[] {
  if (!Array.isArray(value) || value.length === 0)
    return fail(
      path,
      `must be a non-empty array of ${meaning}, got ${asWritten(value)}`
    );
  return value.map((item: unknown, index) =>
    Number.isSafeInteger(item) && Number(item) >= 1
      ? Number(item)
      : fail(
          `${path}[${String(index)}]`,
          `must be a whole number of 1 or more (${meaning}), got ${asWritten(item)}`
        )
  );
}

function rejectUnknownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  what: string,
  fail: (path: string, problem: string) => never
): void {
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    fail(
      `${prefix}${unknown}`,
      `is not ${what}; allowed: ${allowed.join(', ')}`
    );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bad value as the user wrote it, for error messages. */
function asWritten(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array ${JSON.stringify(value)}`;
  if (isPlainObject(value)) return 'an object';
  // JSON.stringify would show NaN and Infinity (possible from code, not from a file) as null.
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number = seededRandom(1);
  private readonly injected = new Map<string, Map<FaultKind, number>>();

  constructor(options?: FaultOptions) {
    if (options) this.configure(options);
  }

  /** Replaces the rules and reseeds; throws FaultOptionsError on a rule that breaks parseFaultOptions. */
  configure(options: FaultOptions): void {
    const parsed = parseFaultOptions(options, 'fault options');
    this.rules = parsed.rules;
    this.random = seededRandom(parsed.seed ?? 1);
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The fault for this call of the endpoint, if any, counted as injected. `call` is the
   * endpoint's 1-based call number; the server asks once per call.
   */
  pick(endpoint: string, call: number): Fault | undefined {
    const fault = this.match(endpoint, call);
    if (fault) {
      const kinds = this.injected.get(endpoint) ?? new Map<FaultKind, number>();
      kinds.set(fault.kind, (kinds.get(fault.kind) ?? 0) + 1);
      this.injected.set(endpoint, kinds);
    }
    return fault;
  }

  private match(endpoint: string, call: number): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
      const hit =
        rule.calls?.includes(call) === true ||
        (rule.rate !== undefined && this.random() < rule.rate);
      if (!hit) continue;
      // A per-record rule matched by '*' still fails other endpoints' calls whole.
      if (rule.records && COLLECTION_WRITES.has(endpoint))
        return {
          kind: 'UNABLE_TO_LOCK_ROW',
          lockedRecords: rule.records.map((position) => position - 1)
        };
      return { kind: rule.kind };
    }
    return undefined;
  }

  /** How many faults were injected since start. */
  injectedCount(): number {
    let total = 0;
    for (const kinds of this.injected.values())
      for (const count of kinds.values()) total += count;
    return total;
  }

  /** Faults injected since start, per endpoint (sorted) and kind. */
  injectedSnapshot(): Record<string, Partial<Record<FaultKind, number>>> {
    return Object.fromEntries(
      [...this.injected]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([endpoint, kinds]) => [endpoint, Object.fromEntries(kinds)])
    );
  }
}

/** Calls per endpoint since start, readable by tests and benchmarks. */
export class CallCounters {
  private readonly counts = new Map<string, number>();

  increment(endpoint: string): number {
    const next = (this.counts.get(endpoint) ?? 0) + 1;
    this.counts.set(endpoint, next);
    return next;
  }

  get(endpoint: string): number {
    return this.counts.get(endpoint) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(
      [...this.counts].sort(([a], [b]) => a.localeCompare(b))
    );
  }

  reset(): void {
    this.counts.clear();
  }
}
