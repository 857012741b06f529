/**
 * Bulk API 2.0 upsert of one object through the shared client: one job for all rows, so the
 * calls per object stay fixed (create, upload, close, results) whatever the row count; status
 * polls are counted apart, as the benchmark reports calls without them.
 */
import { stringify } from 'csv-stringify/sync';
import type { OrgClient } from '../org-client/index.ts';

export interface BulkRowResult {
  /** The external id value of the row. */
  key: string;
  id: string | null;
  created: boolean;
  error: string | null;
}

export interface BulkUpsertResult {
  rows: BulkRowResult[];
  /** Requests other than status polls. */
  calls: number;
  polls: number;
}

interface JobInfo {
  id: string;
  state: string;
  errorMessage?: string;
}

/** A field value as a Bulk CSV cell: the API's scalars (text, numbers, booleans) as text, anything else null. */
export function bulkCell(value: unknown): string | null {
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? String(value)
    : null;
}

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/** The first wait before a status poll. */
export const FIRST_POLL_MS = 25;

export interface BulkOptions {
  /** The longest wait between status polls (default 200 ms); the first waits are shorter. */
  pollMs?: number;
  /** Give up waiting for the org after this long. */
  timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Upserts rows on `externalIdField`. A job that fails transiently before it is closed is aborted
 * and a new one started: an upsert by key converges, so a whole-job retry cannot duplicate. After
 * the close, polls and result reads are plain reads and retry through the client.
 */
export async function bulkUpsert(
  client: OrgClient,
  object: string,
  externalIdField: string,
  columns: readonly string[],
  rows: readonly Record<string, string | null>[],
  options: BulkOptions = {}
): Promise<BulkUpsertResult> {
  const base = `/services/data/v${client.conn.version}/jobs/ingest`;
  // '#N/A' is Bulk API's null; an empty cell would leave the field as it is.
  const csv = stringify(
    [columns, ...rows.map((r) => columns.map((c) => r[c] ?? '#N/A'))],
    { quoted: true, record_delimiter: '\n' }
  );
  const before = client.apiCalls;
  let polls = 0;
  const send = <T>(
    method: 'POST' | 'PUT' | 'PATCH',
    url: string,
    body: string,
    type: string
  ): Promise<T> =>
    Promise.resolve(
      client.conn.request<T>({
        method,
        url,
        body,
        headers: { 'content-type': type }
      })
    );
  // The whole job is one idempotent write: a new job upserting the same keys converges, so the
  // client may run it again after a transient failure before the close.
  let job = await client.write(
    `bulk upsert ${object}`,
    async () => {
      const opened = await send<JobInfo>(
        'POST',
        base,
        JSON.stringify({
          object,
          operation: 'upsert',
          externalIdFieldName: externalIdField,
          contentType: 'CSV',
          lineEnding: 'LF'
        }),
        'application/json'
      );
      try {
        await send('PUT', `${base}/${opened.id}/batches`, csv, 'text/csv');
        return await send<JobInfo>(
          'PATCH',
          `${base}/${opened.id}`,
          JSON.stringify({ state: 'UploadComplete' }),
          'application/json'
        );
      } catch (error) {
        // An open job holds rows nobody will process; abort it (best effort) before a retry.
        await send(
          'PATCH',
          `${base}/${opened.id}`,
          JSON.stringify({ state: 'Aborted' }),
          'application/json'
        ).catch(() => undefined);
        throw error;
      }
    },
    { idempotent: true }
  );
  const id = job.id;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  // The wait doubles from FIRST_POLL_MS up to pollMs: a fixed 200 ms wait made every job, even
  // one the org finished at once, cost at least 200 ms, and a sync runs three jobs one after
  // another (accounts, contacts, cases). At most three polls more per job.
  const maxWait = options.pollMs ?? 200;
  let wait = Math.min(FIRST_POLL_MS, maxWait);
  while (!TERMINAL.has(job.state)) {
    if (Date.now() > deadline)
      throw new Error(
        `Bulk job ${id} for ${object} did not finish in time (state ${job.state}).`
      );
    await sleep(wait);
    wait = Math.min(wait * 2, maxWait);
    polls++;
    job = await client.read('bulk job status', () =>
      client.conn.request<JobInfo>({ method: 'GET', url: `${base}/${id}` })
    );
  }
  if (job.state !== 'JobComplete')
    throw new Error(
      `Bulk job ${id} for ${object} ended ${job.state}: ${job.errorMessage ?? 'no reason given'}`
    );
  const [ok, bad] = await Promise.all([
    client.read('bulk successful results', () =>
      client.conn.request<Record<string, string>[]>({
        method: 'GET',
        url: `${base}/${id}/successfulResults`
      })
    ),
    client.read('bulk failed results', () =>
      client.conn.request<Record<string, string>[]>({
        method: 'GET',
        url: `${base}/${id}/failedResults`
      })
    )
  ]);
  const results: BulkRowResult[] = [
    ...asRows(ok).map((r) => ({
      key: r[externalIdField] ?? '',
      id: r.sf__Id ?? null,
      created: r.sf__Created === 'true',
      error: null
    })),
    ...asRows(bad).map((r) => ({
      key: r[externalIdField] ?? '',
      id: null,
      created: false,
      error: r.sf__Error ?? 'failed'
    }))
  ];
  return { rows: results, calls: client.apiCalls - before - polls, polls };
}

/** jsforce parses a CSV body into records, and an empty one into '' (no rows). */
function asRows(body: unknown): Record<string, string>[] {
  return Array.isArray(body) ? (body as Record<string, string>[]) : [];
}
