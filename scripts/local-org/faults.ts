/**
 * Fault injection for tests and drills. A rule matches calls to one endpoint (by route name,
 * e.g. 'sobject.create', or '*') and fails them either on given call numbers (1-based, per
 * endpoint) or at a rate drawn from a seeded generator, so a run is reproducible.
 *
 * A fault fails the whole call, except UNABLE_TO_LOCK_ROW with `records` on an sObject
 * Collections write: as on the platform, the call then answers 200 and only the records at
 * those positions fail (or, under allOrNone, roll the others back).
 */
export type FaultKind =
  | 'SERVER_UNAVAILABLE'
  | 'UNABLE_TO_LOCK_ROW'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'DROP_CONNECTION';

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

/** mulberry32: small, fast, good enough for reproducible fault schedules. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number = generator(1);

  constructor(options?: FaultOptions) {
    if (options) this.configure(options);
  }

  configure(options: FaultOptions): void {
    for (const rule of options.rules) {
      if (rule.rate !== undefined && (rule.rate < 0 || rule.rate > 1))
        throw new RangeError(
          `fault rate must be within 0..1, got ${String(rule.rate)}`
        );
      if (rule.records !== undefined) checkRecordRule(rule);
    }
    this.rules = [...options.rules];
    this.random = generator(options.seed ?? 1);
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this call of the endpoint, if any. `call` is the endpoint's 1-based call number. */
  pick(endpoint: string, call: number): Fault | undefined {
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
}

function checkRecordRule(rule: FaultRule): void {
  if (rule.kind !== 'UNABLE_TO_LOCK_ROW')
    throw new RangeError(
      `fault rule for ${rule.endpoint}: records applies to UNABLE_TO_LOCK_ROW only, not ${rule.kind}`
    );
  if (rule.endpoint !== '*' && !COLLECTION_WRITES.has(rule.endpoint))
    throw new RangeError(
      `fault rule for ${rule.endpoint}: records applies to collection writes only (${[...COLLECTION_WRITES].join(', ')})`
    );
  const bad = rule.records?.find((p) => !Number.isInteger(p) || p < 1);
  if (bad !== undefined)
    throw new RangeError(
      `fault rule for ${rule.endpoint}: records are 1-based batch positions, got ${String(bad)}`
    );
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
