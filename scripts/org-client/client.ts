/**
 * The one API client every command uses (contract C7). It wraps a jsforce Connection (from
 * `jsforce` or from @salesforce/core's Org.getConnection()) so that:
 *
 * - every HTTP request the connection sends, through this client or straight through the
 *   connection, is counted, in total and per endpoint (`apiCalls`, `callsByEndpoint`), so a
 *   command can report its API usage in --json;
 * - transient failures (HTTP 503, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, a dropped
 *   connection) are retried with bounded exponential backoff and full jitter. jsforce's own
 *   silent retries are switched off on the wrapped connection, so every attempt is counted and
 *   waits follow one policy;
 * - a write is retried only when the caller states why that is safe: it is idempotent (an
 *   upsert by key, an update by Id to fixed values), or a re-read tells whether the failed
 *   attempt landed.
 *
 * Reads:  `read(what, call)`, `queryAll(soql)` (every page).
 * Writes: `write(what, call, { idempotent: true } | { reread })`,
 *         `upsertRecords(type, externalIdField, records)` and `updateRecords(type, records)`
 *         (sObject Collections, 200 records a call, transient per-record failures retried),
 *         `createRecords(type, records, reread)`, `upsertMetadata(components)` (Metadata API,
 *         200 custom metadata components a call).
 *
 * Tests make it deterministic with `random` and `sleep` options.
 */
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isTransientCode,
  transientKind,
  type RetryPolicy,
  type TransientKind
} from './retry.ts';

/** sObject Collections and upsertMetadata both take at most 200 records/components a call. */
export const BATCH_SIZE = 200;

/** The request jsforce's transport receives; only what the counter reads. */
interface TransportRequest {
  method?: string;
  url?: string;
}

/**
 * What the client needs of a jsforce Connection, structurally, so both `jsforce`'s and
 * `@jsforce/jsforce-node`'s (the one @salesforce/core returns) classes fit. Method syntax keeps
 * the parameters bivariant, which the two libraries' request types need.
 */
export interface OrgConnection {
  version: string;
  _transport: {
    httpRequest(req: TransportRequest, options?: object): unknown;
  };
  request<R = unknown>(request: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    body?: string;
    headers?: Record<string, string>;
  }): PromiseLike<R>;
  metadata: {
    upsert(
      type: string,
      metadata: CustomMetadataComponent[]
    ): Promise<MetadataUpsertResult[]>;
  };
}

export interface OrgClientOptions {
  retry?: Partial<RetryPolicy>;
  /** 0..1; default Math.random. Tests inject a fixed sequence. */
  random?: () => number;
  /** Default a real timer. Tests inject one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about every retry, e.g. to log it. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  what: string;
  kind: TransientKind;
  /** 1 = the first retry. */
  retry: number;
  delayMs: number;
}

/** How a write may be retried; there is no third option (a blind retry). */
export type WriteSafety<T> =
  | { idempotent: true }
  /** After a transient failure: the result if the attempt landed after all, else undefined. */
  | { reread: () => Promise<T | undefined> };

export interface RecordError {
  statusCode: string;
  message: string;
  fields?: string[];
}

/** One record's outcome of a collections write, in input order. */
export interface RecordOutcome {
  success: boolean;
  id?: string;
  /** Upserts only: whether the record was inserted. */
  created?: boolean;
  errors: RecordError[];
}

interface CollectionResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: RecordError[];
}

/** A custom metadata record as the Metadata API takes it. */
export interface CustomMetadataComponent {
  /** `Type.DeveloperName`, the type without its __mdt suffix. */
  fullName: string;
  label: string;
  values: { field: string; value: string | number | boolean | null }[];
}

export interface MetadataUpsertResult {
  fullName: string;
  success: boolean | string;
  created?: boolean | string;
  errors?:
    | { statusCode?: string; message?: string }
    | { statusCode?: string; message?: string }[];
}

/** One component's outcome of upsertMetadata, in input order. */
export interface MetadataOutcome {
  fullName: string;
  success: boolean;
  created: boolean;
  errors: RecordError[];
}

interface QueryPage<T> {
  done: boolean;
  totalSize: number;
  records: T[];
  nextRecordsUrl?: string;
}

/** Thrown when a call still fails after the last attempt; `cause` is the last failure. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    cause: unknown
  ) {
    super(
      `${what}: still failing after ${attempts} attempts: ${errorText(cause)}`,
      { cause }
    );
    this.name = 'RetriesExhaustedError';
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Short endpoint label of a request URL, e.g. 'GET query', 'PATCH composite/sobjects'. */
export function endpointOf(method: string, url: string): string {
  const pathPart = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
  const clean = pathPart.replace(/\/{2,}/g, '/');
  if (clean.startsWith('/services/Soap/m/')) return `${method} metadata`;
  if (clean.startsWith('/services/Soap/')) return `${method} soap`;
  const rest = /^\/services\/data\/v\d+\.\d\/(.*)$/.exec(clean)?.[1];
  if (rest === undefined) return `${method} ${clean}`;
  const [first = '', second] = rest.split('/');
  // Keep the shape, not the ids or object names: composite/sobjects, sobjects, query.
  if (first === 'composite' && second !== undefined)
    return `${method} composite/${second}`;
  return `${method} ${first}`;
}

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export class OrgClient {
  readonly conn: OrgConnection;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly counts = new Map<string, number>();
  private retryCount = 0;

  /**
   * Wraps `conn` (its transport is replaced, so calls made on `conn` directly are counted
   * too). Make one client per command run: a second client on the same connection wraps the
   * first one's transport, so its calls count in both.
   */
  constructor(conn: OrgConnection, options: OrgClientOptions = {}) {
    this.conn = conn;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (this.policy.maxAttempts < 1)
      throw new RangeError('retry.maxAttempts must be 1 or more');
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
    this.onRetry = options.onRetry;
    const inner = conn._transport;
    const counts = this.counts;
    // A prototype-linked copy keeps every other transport method (and `this` inside them).
    const counting = Object.create(inner) as OrgConnection['_transport'];
    counting.httpRequest = (req: TransportRequest, options?: object) => {
      const key = endpointOf(req.method ?? 'GET', req.url ?? '');
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const retry = (options as { retry?: object } | undefined)?.retry;
      // maxRetries 0: jsforce would otherwise retry GETs itself, unseen by this counter.
      return inner.httpRequest(req, {
        ...options,
        retry: { ...retry, maxRetries: 0 }
      });
    };
    conn._transport = counting;
  }

  /** `conn` itself when it is a client already, else a new client around it. */
  static of(conn: OrgConnection | OrgClient): OrgClient {
    return conn instanceof OrgClient ? conn : new OrgClient(conn);
  }

  /** HTTP requests sent through the connection since the client wrapped it. */
  get apiCalls(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Requests per endpoint label (see endpointOf), sorted. */
  get callsByEndpoint(): Record<string, number> {
    return Object.fromEntries(
      [...this.counts].sort(([a], [b]) => a.localeCompare(b))
    );
  }

  /** Retries made since the client was created. */
  get retries(): number {
    return this.retryCount;
  }

  /** A read: retried on every transient failure. */
  read<T>(what: string, call: () => PromiseLike<T>): Promise<T> {
    return this.withRetry(what, call, undefined);
  }

  /** A write, retried on a transient failure only as `safety` allows. */
  write<T>(
    what: string,
    call: () => PromiseLike<T>,
    safety: WriteSafety<T>
  ): Promise<T> {
    return this.withRetry(
      what,
      call,
      'reread' in safety ? safety.reread : undefined
    );
  }

  /**
   * A query's records one page at a time (2,000 a page on the platform), following
   * nextRecordsUrl, so a caller can stream a large result; every page read is retried. `all`
   * uses queryAll (deleted and archived records too).
   */
  async *queryPages<T>(
    soql: string,
    options: { all?: boolean } = {}
  ): AsyncGenerator<T[]> {
    const resource = options.all ? 'queryAll' : 'query';
    let url: string | undefined =
      `/services/data/v${this.conn.version}/${resource}?q=${encodeURIComponent(soql)}`;
    let what = `${resource} ${soql.slice(0, 60)}`;
    while (url !== undefined) {
      const at: string = url;
      const page: QueryPage<T> = await this.read(what, () =>
        this.conn.request<QueryPage<T>>({ method: 'GET', url: at })
      );
      if (page.records.length > 0) yield page.records;
      url = page.done ? undefined : page.nextRecordsUrl;
      what = 'queryMore';
    }
  }

  /** Every record of a query, all pages. */
  async queryAll<T>(
    soql: string,
    options: { all?: boolean } = {}
  ): Promise<T[]> {
    const records: T[] = [];
    for await (const page of this.queryPages<T>(soql, options))
      records.push(...page);
    return records;
  }

  /**
   * Upserts on an external id field through sObject Collections, 200 records a call. Safe to
   * retry: a record's key decides insert or update, so a repeated call converges.
   */
  upsertRecords(
    type: string,
    externalIdField: string,
    records: Record<string, unknown>[],
    options: { allOrNone?: boolean } = {}
  ): Promise<RecordOutcome[]> {
    return this.collectionsWrite(`upsert ${type}`, records, (batch) =>
      this.collectionsCall(
        'PATCH',
        `/${type}/${externalIdField}`,
        type,
        batch,
        options.allOrNone
      )
    );
  }

  /** Updates records by Id, 200 a call; setting fields to given values is idempotent. */
  updateRecords(
    type: string,
    records: (Record<string, unknown> & { Id: string })[],
    options: { allOrNone?: boolean } = {}
  ): Promise<RecordOutcome[]> {
    return this.collectionsWrite(`update ${type}`, records, (batch) =>
      this.collectionsCall('PATCH', '', type, batch, options.allOrNone)
    );
  }

  /**
   * Creates records, 200 a call. A create is not idempotent: after a call-level transient
   * failure `reread` is given the records of that attempt and answers, per record, the id it
   * got if it landed after all (undefined if not); only the others are sent again.
   */
  createRecords(
    type: string,
    records: Record<string, unknown>[],
    reread: (
      batch: Record<string, unknown>[]
    ) => Promise<(string | undefined)[]>
  ): Promise<RecordOutcome[]> {
    return this.collectionsWrite(
      `create ${type}`,
      records,
      (batch) => this.collectionsCall('POST', '', type, batch, false),
      reread
    );
  }

  /** One sObject Collections call: /composite/sobjects plus `suffix`, records of one type. */
  private collectionsCall(
    method: 'POST' | 'PATCH',
    suffix: string,
    type: string,
    batch: Record<string, unknown>[],
    allOrNone: boolean | undefined
  ): PromiseLike<CollectionResult[]> {
    return this.conn.request<CollectionResult[]>({
      method,
      url: `/services/data/v${this.conn.version}/composite/sobjects${suffix}`,
      body: JSON.stringify({
        allOrNone: allOrNone ?? false,
        records: batch.map((r) => ({ attributes: { type }, ...r }))
      }),
      headers: { 'content-type': 'application/json' }
    });
  }

  /**
   * Upserts custom metadata records through the Metadata API, 200 components a call. An upsert
   * by full name is idempotent, so failed calls and transiently failed components are retried.
   */
  upsertMetadata(
    components: CustomMetadataComponent[]
  ): Promise<MetadataOutcome[]> {
    return inBatches(components, (chunk) =>
      this.batchWithRecordRetry(
        'upsertMetadata',
        chunk,
        async (batch) =>
          resultList(
            await this.conn.metadata.upsert('CustomMetadata', batch)
          ).map(toMetadataOutcome),
        {
          failed: (component, errors) => ({
            fullName: component.fullName,
            success: false,
            created: false,
            errors
          })
        }
      )
    );
  }

  private collectionsWrite<R>(
    what: string,
    records: R[],
    send: (batch: R[]) => PromiseLike<CollectionResult[]>,
    reread?: (batch: R[]) => Promise<(string | undefined)[]>
  ): Promise<RecordOutcome[]> {
    return inBatches(records, (chunk) =>
      this.batchWithRecordRetry<R, RecordOutcome>(
        what,
        chunk,
        async (batch) => (await send(batch)).map(toRecordOutcome),
        {
          failed: (_, errors) => ({ success: false, errors }),
          ...(reread
            ? {
                reread,
                landed: (id: string) => ({ success: true, id, errors: [] })
              }
            : {})
        }
      )
    );
  }

  /**
   * Sends one batch, then again only its records that failed transiently (a record-level lock
   * failure, or every record rolled back with it under allOrNone), within the attempt budget.
   * A call-level failure retries the whole pending batch: at once when the write is idempotent
   * (no reread), else after `reread` has taken out the records that landed.
   */
  private async batchWithRecordRetry<R, O extends { errors: RecordError[] }>(
    what: string,
    batch: R[],
    send: (batch: R[]) => Promise<O[]>,
    make: BatchOutcomes<R, O>
  ): Promise<O[]> {
    const results: (O | undefined)[] = batch.map(() => undefined);
    const { reread } = make;
    let pending = batch.map((_, index) => index);
    for (let attempt = 1; ; attempt++) {
      const sent = pending.map((index) => batch[index] as R);
      let answers: O[];
      try {
        answers = await send(sent);
      } catch (error) {
        const kind = transientKind(error);
        if (kind === undefined) throw error;
        if (attempt >= this.policy.maxAttempts)
          throw new RetriesExhaustedError(what, attempt, error);
        if (reread) {
          const landed = await this.read(`${what} (re-read)`, () =>
            reread(sent)
          );
          pending = pending.filter((index, position) => {
            const id = landed[position];
            if (id === undefined || !make.landed) return true;
            results[index] = make.landed(id);
            return false;
          });
          if (pending.length === 0) break;
        }
        await this.backOff(what, kind, attempt);
        continue;
      }
      const anyTransient = answers.some((answer) =>
        answer.errors.some((e) => isTransientCode(e.statusCode))
      );
      const retryable = (answer: O): boolean =>
        answer.errors.length > 0 &&
        answer.errors.every(
          (e) =>
            isTransientCode(e.statusCode) ||
            (anyTransient &&
              e.statusCode === 'ALL_OR_NONE_OPERATION_ROLLED_BACK')
        );
      const again: number[] = [];
      pending.forEach((index, position) => {
        const answer = answers[position];
        if (answer === undefined) {
          results[index] = make.failed(batch[index] as R, [
            {
              statusCode: 'NO_RESULT',
              message: 'the org returned no result for this record'
            }
          ]);
        } else if (retryable(answer) && attempt < this.policy.maxAttempts) {
          again.push(index);
        } else {
          results[index] = answer;
        }
      });
      pending = again;
      if (pending.length === 0) break;
      await this.backOff(what, 'locked', attempt);
    }
    // Every index got a result or was pending when the loop ended with none pending.
    return results.map(
      (result, index) =>
        result ??
        make.failed(batch[index] as R, [
          { statusCode: 'NO_RESULT', message: 'not attempted' }
        ])
    );
  }

  private async withRetry<T>(
    what: string,
    call: () => PromiseLike<T>,
    reread: (() => Promise<T | undefined>) | undefined
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const kind = transientKind(error);
        if (kind === undefined) throw error;
        if (attempt >= this.policy.maxAttempts)
          throw new RetriesExhaustedError(what, attempt, error);
        if (reread) {
          const landed = await this.read(`${what} (re-read)`, reread);
          if (landed !== undefined) return landed;
        }
        await this.backOff(what, kind, attempt);
      }
    }
  }

  private async backOff(
    what: string,
    kind: TransientKind,
    retry: number
  ): Promise<void> {
    const delayMs = backoffDelay(this.policy, retry, this.random);
    this.retryCount++;
    this.onRetry?.({ what, kind, retry, delayMs });
    await this.sleep(delayMs);
  }
}

/** Runs `call` on each run of at most BATCH_SIZE items, one after another, outcomes in order. */
async function inBatches<R, O>(
  items: R[],
  call: (batch: R[]) => Promise<O[]>
): Promise<O[]> {
  const outcomes: O[] = [];
  for (let at = 0; at < items.length; at += BATCH_SIZE)
    outcomes.push(...(await call(items.slice(at, at + BATCH_SIZE))));
  return outcomes;
}

/** How batchWithRecordRetry builds the outcomes it decides itself. */
interface BatchOutcomes<R, O> {
  failed: (record: R, errors: RecordError[]) => O;
  reread?: (batch: R[]) => Promise<(string | undefined)[]>;
  landed?: (id: string) => O;
}

function toRecordOutcome(result: CollectionResult): RecordOutcome {
  return {
    success: result.success,
    ...(result.id ? { id: result.id } : {}),
    ...(result.created === undefined ? {} : { created: result.created }),
    errors: (result.errors ?? []).map((e) => ({
      statusCode: e.statusCode,
      message: e.message,
      ...(e.fields && e.fields.length > 0 ? { fields: e.fields } : {})
    }))
  };
}

/**
 * jsforce 3 has been seen to answer a list of metadata results as an object keyed '0', '1', ...
 * (jsforce/jsforce#1634), or a single result as the object itself; both read as a list here.
 */
export function resultList(
  results:
    | MetadataUpsertResult[]
    | MetadataUpsertResult
    | Record<string, MetadataUpsertResult>
): MetadataUpsertResult[] {
  if (Array.isArray(results)) return results;
  if ('fullName' in results && typeof results.fullName === 'string')
    return [results as MetadataUpsertResult];
  return Object.values(results as Record<string, MetadataUpsertResult>);
}

/** jsforce parses SOAP booleans as strings or booleans depending on its schema: accept both. */
function toMetadataOutcome(result: MetadataUpsertResult): MetadataOutcome {
  const errors =
    result.errors === undefined
      ? []
      : Array.isArray(result.errors)
        ? result.errors
        : [result.errors];
  return {
    fullName: result.fullName,
    success: result.success === true || result.success === 'true',
    created: result.created === true || result.created === 'true',
    errors: errors.map((e) => ({
      statusCode: e.statusCode ?? 'UNKNOWN',
      message: e.message ?? ''
    }))
  };
}
