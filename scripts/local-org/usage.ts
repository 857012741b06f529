/**
 * Daily API request accounting, like the platform's DailyApiRequests limit: every
 * authenticated call counts, the count resets each UTC day and survives restarts.
 */
import type { Database } from 'better-sqlite3';
import { getMeta, setMeta } from './storage.ts';

export const DAILY_API_REQUESTS = 15000;

/**
 * Daily counters the Bulk API 2.0 handlers add to and /limits reads: ingest batches (one per
 * 10,000 records, as Bulk API 2.0 counts them against DailyBulkApiBatches), query jobs and the
 * bytes of their results.
 */
export const BULK_BATCHES = 'bulk-batches';
export const BULK_QUERY_JOBS = 'bulk2-query-jobs';
export const BULK_QUERY_BYTES = 'bulk2-query-bytes';

/** A per-UTC-day count kept in the database (bulk jobs and batches), for /limits. */
export function dailyCount(db: Database, name: string, now: Date): number {
  return Number(
    getMeta(db, `${name}:${now.toISOString().slice(0, 10)}`) ?? '0'
  );
}

export function addDaily(db: Database, name: string, now: Date, n = 1): void {
  setMeta(
    db,
    `${name}:${now.toISOString().slice(0, 10)}`,
    String(dailyCount(db, name, now) + n)
  );
}

export class ApiUsage {
  constructor(
    private readonly db: Database,
    readonly max = DAILY_API_REQUESTS
  ) {}

  used(now: Date): number {
    return dailyCount(this.db, 'api-usage', now);
  }

  /** The Sforce-Limit-Info header value every REST response carries. */
  header(now: Date): string {
    return `api-usage=${String(this.used(now))}/${String(this.max)}`;
  }

  remaining(now: Date): number {
    return Math.max(0, this.max - this.used(now));
  }

  /** Counts one call; false when the day's allowance was already spent. */
  take(now: Date): boolean {
    const used = this.used(now);
    if (used >= this.max) return false;
    addDaily(this.db, 'api-usage', now);
    return true;
  }
}
