/**
 * Which failures are worth another attempt, and how long to wait before it. Pure functions, so
 * the client and its tests share one definition of "transient".
 */

/** Platform error codes that mean "try again later", not "your request is wrong". */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_503',
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED'
]);

/** Socket-level codes of a connection that dropped (undici puts them on the error's cause). */
const DROPPED_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED'
]);

const DROPPED_MESSAGES = /socket hang up|fetch failed|other side closed/i;

export type TransientKind = 'unavailable' | 'locked' | 'limit' | 'dropped';

interface ErrorLike {
  errorCode?: unknown;
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  faultcode?: unknown;
}

function codeOf(error: ErrorLike): string | undefined {
  // jsforce's HttpApiError carries the platform code in errorCode (and name); a SOAP fault
  // arrives as "sf:UNABLE_TO_LOCK_ROW" in faultcode or as the message's prefix.
  for (const value of [error.errorCode, error.name, error.faultcode]) {
    if (typeof value === 'string') {
      const code = value.replace(/^sf:/, '');
      if (TRANSIENT_CODES.has(code)) return code;
    }
  }
  if (typeof error.message === 'string') {
    const prefix = /^(?:sf:)?([A-Z_0-9]+):/.exec(error.message)?.[1];
    if (prefix !== undefined && TRANSIENT_CODES.has(prefix)) return prefix;
  }
  return undefined;
}

function isDropped(error: ErrorLike, depth = 0): boolean {
  if (typeof error.code === 'string' && DROPPED_CODES.has(error.code))
    return true;
  if (typeof error.message === 'string' && DROPPED_MESSAGES.test(error.message))
    return true;
  return (
    depth < 4 &&
    typeof error.cause === 'object' &&
    error.cause !== null &&
    isDropped(error.cause, depth + 1)
  );
}

/**
 * The kind of transient failure `error` is, or undefined when it is not transient (bad
 * input, missing field, expired session...) and retrying would only repeat it.
 */
export function transientKind(error: unknown): TransientKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  switch (codeOf(e)) {
    case 'SERVER_UNAVAILABLE':
    case 'ERROR_HTTP_503':
      return 'unavailable';
    case 'UNABLE_TO_LOCK_ROW':
      return 'locked';
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'limit';
    default:
      return isDropped(e) ? 'dropped' : undefined;
  }
}

/** Whether a per-record error code (sObject Collections, Metadata API results) is transient. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

export interface RetryPolicy {
  /** Attempts in all, the first included; 1 = never retry. */
  maxAttempts: number;
  /** Ceiling of the first retry's wait; doubles per retry. */
  baseDelayMs: number;
  /** No wait exceeds this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000
});

/**
 * Wait before retry number `retry` (1 = the first retry): "full jitter", a uniform draw from
 * 0 to min(maxDelay, base * 2^(retry-1)), so clients that failed together do not retry in step.
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number
): number {
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, retry - 1)
  );
  return Math.floor(random() * ceiling);
}
