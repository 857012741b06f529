/**
 * Daily API request accounting, like the platform's DailyApiRequests limit: every
 * authenticated call counts, the count resets each UTC day and survives restarts.
 */
import type { Database } from 'better-sqlite3';
import { getMeta, setMeta } from './storage.ts';

export const DAILY_API_REQUESTS = 15000;

export class ApiUsage {
  constructor(
    private readonly db: Database,
    readonly max = DAILY_API_REQUESTS
  ) {}

  private key(now: Date): string {
    return `api-usage:${now.toISOString().slice(0, 10)}`;
  }

  used(now: Date): number {
    return Number(getMeta(this.db, this.key(now)) ?? '0');
  }

  remaining(now: Date): number {
    return Math.max(0, this.max - this.used(now));
  }

  /** Counts one call; false when the day's allowance was already spent. */
  take(now: Date): boolean {
    const used = this.used(now);
    if (used >= this.max) return false;
    setMeta(this.db, this.key(now), String(used + 1));
    return true;
  }
}
