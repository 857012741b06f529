/**
 * Benchmark of the local org (issue 4): ingest N cases through sObject Collections and
 * through Bulk API 2.0 with real jsforce, beside raw better-sqlite3 inserts of the same rows,
 * and the time per 2,000-record query page beside the raw SQL read of those rows. A missed
 * overhead goal is a finding, not a failure; wrong data (counts, failures) is a failure.
 *
 *   node --import tsx scripts/bench/local-org.ts [--records N] [--out FILE]
 *
 * The org runs in this process, as the end-to-end tests run it, so every figure includes
 * the jsforce client's share (JSON/CSV encoding, HTTP) as well as the org's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Database as DatabaseType } from 'better-sqlite3';
import { Connection, type QueryResult } from 'jsforce';
import { loadOrgSchema } from '../local-org/schema.ts';
import { startLocalOrg, type LocalOrg } from '../local-org/server.ts';
import { ensureTables } from '../local-org/storage.ts';
import {
  ACCOUNT_NAMES,
  caseRecord,
  caseRows,
  type CaseRecord,
  type CaseRow
} from './case-rows.ts';
import {
  measure,
  round,
  timed,
  type Measured,
  type PhaseMemory
} from './measure.ts';
import { runScale, type ScaleResult } from './local-org-scale.ts';
import { openLikeTheOrg, rawInsert } from './raw-baseline.ts';

export const DEFAULT_RECORDS = 100_000;
export const DEFAULT_OUT = path.join('bench-results', 'local-org.json');
const MAX_OVERHEAD = 10;
const PAGE_SIZE = 2000;
/**
 * Collections are sent as explicit 200-record calls, a few in flight, rather than
 * `create(records, { allowRecursive: true })`: jsforce's recursion sends one call at a time
 * and re-slices the remaining array on every call (quadratic copying at 100,000 records),
 * which would charge the client's own overhead to the org. Four in flight lets jsforce
 * encode the next chunk while the org writes one, as a real loader would; the org still
 * handles requests one at a time.
 */
const COLLECTION_CHUNK = 200;
const COLLECTION_CONCURRENCY = 4;
/** jsforce stops polling a Bulk 2.0 job after 30 s by default; 100,000 rows can take longer. */
const BULK_POLL_TIMEOUT_MS = 10 * 60 * 1000;
const BULK_POLL_INTERVAL_MS = 200;
const QUERY_FIELDS = [
  'Id',
  'CaseNumber',
  'Subject',
  'Status',
  'Priority',
  'Origin',
  'Description',
  'AccountId',
  'Source_Case_Key__c',
  'CreatedDate'
];
const PROJECT_FORCE_APP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../force-app'
);

/** Table sizes of the scale cases (first query page, ingest memory), each in its own process. */
export const DEFAULT_SCALE_SIZES = [10_000, 100_000];

const USAGE = `usage: node --import tsx scripts/bench/local-org.ts [--records N] [--out FILE] [--scale-sizes A,B]
  --records N         cases to ingest per path (positive integer, default ${String(DEFAULT_RECORDS)})
  --out FILE          JSON results file (default ${DEFAULT_OUT})
  --scale-sizes A,B   table sizes for the first-page and peak-memory cases (default ${DEFAULT_SCALE_SIZES.join(',')}; each at least 2000)`;

export class UsageError extends Error {}
/** The benchmark wrote or read wrong data: the figures would be meaningless. */
export class DataError extends Error {}

export interface BenchArgs {
  records: number;
  out: string;
  scaleSizes: number[];
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: { records?: string; out?: string; 'scale-sizes'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        records: { type: 'string' },
        out: { type: 'string' },
        'scale-sizes': { type: 'string' }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const records =
    values.records === undefined ? DEFAULT_RECORDS : Number(values.records);
  if (
    !Number.isSafeInteger(records) ||
    records < 1 ||
    !/^\d+$/.test(values.records ?? '1')
  )
    throw new UsageError(
      `--records: expected a positive integer, got '${values.records ?? ''}'`
    );
  if (values.out === '') throw new UsageError('--out: expected a file path');
  const sizesText = values['scale-sizes'];
  const scaleSizes =
    sizesText === undefined
      ? DEFAULT_SCALE_SIZES
      : sizesText.split(',').map((part) => Number(part));
  // A first page is 2,000 records: a smaller table could not fill it.
  if (
    scaleSizes.length === 0 ||
    scaleSizes.some((n) => !Number.isSafeInteger(n) || n < 2000)
  )
    throw new UsageError(
      `--scale-sizes: expected comma-separated integers of at least 2000, got '${sizesText ?? ''}'`
    );
  return { records, out: values.out ?? DEFAULT_OUT, scaleSizes };
}

export interface Goal {
  maxOverhead: number;
  met: boolean;
}

export interface IngestResult extends PhaseMemory {
  records: number;
  wallMs: number;
  cpuMs: number;
  rowsPerSecond: number;
}

export interface Overhead {
  /** Wall time over the raw baseline's: the figure the goal is about. */
  overheadVsRaw: number;
  /** CPU time over the raw baseline's: steadier than wall time on a busy machine. */
  cpuOverheadVsRaw: number;
  goal: Goal;
}

export interface OrgIngestResult extends IngestResult, Overhead {
  /** Calls per org endpoint during the ingest, from the org's counters. */
  httpCalls: Record<string, number>;
  totalHttpCalls: number;
  failures: number;
}

export interface PageTimes {
  pages: number;
  avgPageMs: number;
  firstPageMs: number;
  minPageMs: number;
  maxPageMs: number;
  totalMs: number;
}

export interface BenchResult {
  benchmark: 'local-org';
  date: string;
  environment: {
    node: string;
    platform: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    totalMemoryMb: number;
  };
  records: number;
  raw: IngestResult & { note: string };
  collections: OrgIngestResult & { chunkSize: number; concurrency: number };
  bulk2: OrgIngestResult & { pollTimeoutMs: number };
  query: PhaseMemory &
    Overhead & {
      pageSize: number;
      soql: string;
      rows: number;
      jsforce: PageTimes & { cpuMs: number; httpCalls: Record<string, number> };
      raw: PageTimes & { cpuMs: number; sql: string };
    };
  /** First query page and peak memory by table size, each case in its own org process. */
  scale?: ScaleResult;
}

export interface BenchOptions {
  records: number;
  /** Table sizes of the scale cases; none when empty or left out. */
  scaleSizes?: readonly number[];
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
}

const rate = (rows: number, ms: number): number => round(rows / (ms / 1000), 0);

function ingestFigures(
  records: number,
  measured: Measured<unknown>
): IngestResult {
  return {
    records,
    wallMs: measured.wallMs,
    cpuMs: measured.cpuMs,
    rowsPerSecond: rate(records, measured.wallMs),
    peakRssMb: measured.peakRssMb,
    maxRssMb: measured.maxRssMb
  };
}

function versus(
  base: { wallMs: number; cpuMs: number },
  figures: { wallMs: number; cpuMs: number }
): Overhead {
  const overheadVsRaw = round(figures.wallMs / base.wallMs, 2);
  return {
    overheadVsRaw,
    cpuOverheadVsRaw: round(figures.cpuMs / Math.max(base.cpuMs, 0.1), 2),
    goal: { maxOverhead: MAX_OVERHEAD, met: overheadVsRaw <= MAX_OVERHEAD }
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new DataError(message);
}

interface OrgSession {
  org: LocalOrg;
  conn: Connection;
  accountIds: string[];
}

async function openOrg(dbPath: string): Promise<OrgSession> {
  const org = await startLocalOrg({
    port: 0,
    dbPath,
    forceAppDir: PROJECT_FORCE_APP
  });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '64.0'
  });
  const accounts = await conn.sobject('Account').create(
    ACCOUNT_NAMES.map((Name) => ({ Name })),
    { allOrNone: true }
  );
  const accountIds = accounts.map((a) => a.id ?? '');
  check(
    accountIds.every((id) => id !== ''),
    'seeding accounts failed'
  );
  const existing = await conn.query('SELECT COUNT() FROM Case');
  check(
    existing.totalSize === 0,
    `a fresh org already has ${String(existing.totalSize)} cases`
  );
  org.counters.reset();
  return { org, conn, accountIds };
}

async function countCases(conn: Connection): Promise<number> {
  return (await conn.query('SELECT COUNT() FROM Case')).totalSize;
}

const totalCalls = (calls: Record<string, number>): number =>
  Object.values(calls).reduce((a, b) => a + b, 0);

/** Collections ingest: 200-record calls, COLLECTION_CONCURRENCY in flight. Returns the failures. */
async function ingestByCollections(
  session: OrgSession,
  rows: CaseRow[]
): Promise<{ created: number; failures: number }> {
  const records = rows.map((row) => caseRecord(row, session.accountIds));
  const chunks: CaseRecord[][] = [];
  for (let start = 0; start < records.length; start += COLLECTION_CHUNK)
    chunks.push(records.slice(start, start + COLLECTION_CHUNK));
  let next = 0;
  let created = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const chunk = chunks[next++] ?? [];
      const results = await session.conn
        .sobject('Case')
        .create(chunk, { allOrNone: true });
      for (const result of results) {
        if (result.success) created++;
        else failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: COLLECTION_CONCURRENCY }, worker));
  return { created, failures };
}

async function ingestByBulk2(
  session: OrgSession,
  rows: CaseRow[]
): Promise<{ created: number; failures: number; unprocessed: number }> {
  const records = rows.map((row) => caseRecord(row, session.accountIds));
  const results = await session.conn.bulk2.loadAndWaitForResults({
    object: 'Case',
    operation: 'insert',
    input: records,
    pollTimeout: BULK_POLL_TIMEOUT_MS,
    pollInterval: BULK_POLL_INTERVAL_MS
  });
  // jsforce hands back the raw CSV text when it cannot parse a result file; counting its
  // characters as records would hide that the client never saw the results.
  for (const [name, list] of Object.entries(results)) {
    check(
      Array.isArray(list),
      `bulk2: jsforce could not parse the job's ${name} CSV and returned it as text. Its parser treats , ; | ^ \` and tab all as delimiters, so every field must be quoted, as the platform quotes them`
    );
  }
  return {
    created: results.successfulResults.length,
    failures: results.failedResults.length,
    unprocessed: results.unprocessedRecords.length
  };
}

function pageTimes(times: number[]): PageTimes {
  const total = times.reduce((a, b) => a + b, 0);
  return {
    pages: times.length,
    avgPageMs: round(total / Math.max(1, times.length), 2),
    firstPageMs: round(times[0] ?? 0, 2),
    minPageMs: round(Math.min(...times), 2),
    maxPageMs: round(Math.max(...times), 2),
    totalMs: round(total, 1)
  };
}

interface IdRecord {
  Id: string;
}

interface QueryPages {
  times: number[];
  ids: string[];
}

/** query + queryMore until done, timing each page as the client sees it. */
async function readPagesWithJsforce(
  conn: Connection,
  soql: string
): Promise<QueryPages> {
  const times: number[] = [];
  const ids: string[] = [];
  const fetchPage = async (next?: string): Promise<QueryResult<IdRecord>> =>
    next === undefined
      ? await conn.query<IdRecord>(soql, { autoFetch: false })
      : await conn.queryMore<IdRecord>(next);
  let next: string | undefined;
  for (;;) {
    const page = await timed(() => fetchPage(next));
    times.push(page.ms);
    for (const record of page.value.records) ids.push(record.Id);
    next = page.value.nextRecordsUrl;
    if (page.value.done || next === undefined) break;
  }
  return { times, ids };
}

function readPagesWithSql(
  db: DatabaseType,
  sql: string,
  total: number
): QueryPages {
  const statement = db.prepare(sql);
  const times: number[] = [];
  const ids: string[] = [];
  for (let offset = 0; offset < total; offset += PAGE_SIZE) {
    const started = performance.now();
    const rows = statement.all(PAGE_SIZE, offset) as { Id: string }[];
    times.push(performance.now() - started);
    for (const row of rows) ids.push(row.Id);
  }
  return { times, ids };
}

function sameIds(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const left = [...a].sort();
  const right = [...b].sort();
  return left.every((id, i) => id === right[i]);
}

export async function runBenchmark(
  options: BenchOptions
): Promise<BenchResult> {
  const log = options.log ?? ((): void => undefined);
  const n = options.records;
  const rows = caseRows(n);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bench-local-org-'));
  try {
    // 1. Raw better-sqlite3 baseline.
    log(`raw better-sqlite3: inserting ${String(n)} cases`);
    const rawDb = openLikeTheOrg(path.join(workDir, 'raw.db'));
    ensureTables(rawDb, loadOrgSchema(PROJECT_FORCE_APP).registry);
    const raw = await measure(() => Promise.resolve(rawInsert(rawDb, rows)));
    rawDb.close();
    check(
      raw.value === n,
      `raw insert: COUNT(*) is ${String(raw.value)}, expected ${String(n)}`
    );
    const rawResult: BenchResult['raw'] = {
      ...ingestFigures(n, raw),
      note: 'one prepared INSERT of the same stored columns, in one transaction, on a fresh WAL database with the org schema and indexes'
    };

    // 2. sObject Collections with jsforce; the query pages (4) then read this org's cases.
    log(
      `collections: ${String(n)} cases in ${String(COLLECTION_CHUNK)}-record calls`
    );
    const coll = await openOrg(path.join(workDir, 'collections.db'));
    let collections: BenchResult['collections'];
    let query: BenchResult['query'];
    try {
      const ingest = await measure(() => ingestByCollections(coll, rows));
      const httpCalls = coll.org.counters.snapshot();
      const count = await countCases(coll.conn);
      check(
        ingest.value.failures === 0,
        `collections: ${String(ingest.value.failures)} records failed`
      );
      check(
        ingest.value.created === n,
        `collections: ${String(ingest.value.created)} created, expected ${String(n)}`
      );
      check(
        count === n,
        `collections: COUNT() is ${String(count)}, expected ${String(n)}`
      );
      collections = {
        ...ingestFigures(n, ingest),
        ...versus(rawResult, ingest),
        httpCalls,
        totalHttpCalls: totalCalls(httpCalls),
        failures: ingest.value.failures,
        chunkSize: COLLECTION_CHUNK,
        concurrency: COLLECTION_CONCURRENCY
      };

      log(`query: ${String(n)} cases in pages of ${String(PAGE_SIZE)}`);
      const soql = `SELECT ${QUERY_FIELDS.join(', ')} FROM Case`;
      const sql = `SELECT ${QUERY_FIELDS.map((f) => `"${f}"`).join(', ')} FROM "Case" LIMIT ? OFFSET ?`;
      coll.org.counters.reset();
      const viaApi = await measure(() => readPagesWithJsforce(coll.conn, soql));
      const queryCalls = coll.org.counters.snapshot();
      // The raw read goes through the org's own database handle: the very rows the API served.
      const viaSql = await measure(() =>
        Promise.resolve(readPagesWithSql(coll.org.db, sql, n))
      );
      const expectedPages = Math.ceil(n / PAGE_SIZE);
      check(
        viaApi.value.ids.length === n,
        `query: jsforce read ${String(viaApi.value.ids.length)} rows, expected ${String(n)}`
      );
      check(
        viaApi.value.times.length === expectedPages,
        `query: ${String(viaApi.value.times.length)} pages, expected ${String(expectedPages)}`
      );
      check(
        sameIds(viaApi.value.ids, viaSql.value.ids),
        'query: jsforce pages and the SQL read returned different records'
      );
      const apiPages = pageTimes(viaApi.value.times);
      const sqlPages = pageTimes(viaSql.value.times);
      query = {
        pageSize: PAGE_SIZE,
        soql,
        rows: n,
        peakRssMb: viaApi.peakRssMb,
        maxRssMb: viaApi.maxRssMb,
        jsforce: { ...apiPages, cpuMs: viaApi.cpuMs, httpCalls: queryCalls },
        raw: { ...sqlPages, cpuMs: viaSql.cpuMs, sql },
        // Per page, the same as over the whole read: both read the same number of pages.
        ...versus(
          { wallMs: sqlPages.totalMs, cpuMs: viaSql.cpuMs },
          { wallMs: apiPages.totalMs, cpuMs: viaApi.cpuMs }
        )
      };
    } finally {
      await coll.org.stop();
    }

    // 3. Bulk API 2.0 with jsforce, on its own fresh org (the same external ids again).
    log(`bulk2: ${String(n)} cases in one ingest job`);
    const bulk = await openOrg(path.join(workDir, 'bulk2.db'));
    let bulk2: BenchResult['bulk2'];
    try {
      const ingest = await measure(() => ingestByBulk2(bulk, rows));
      const httpCalls = bulk.org.counters.snapshot();
      const count = await countCases(bulk.conn);
      check(
        ingest.value.failures === 0,
        `bulk2: ${String(ingest.value.failures)} records failed`
      );
      check(
        ingest.value.unprocessed === 0,
        `bulk2: ${String(ingest.value.unprocessed)} records unprocessed`
      );
      check(
        ingest.value.created === n,
        `bulk2: ${String(ingest.value.created)} created, expected ${String(n)}`
      );
      check(
        count === n,
        `bulk2: COUNT() is ${String(count)}, expected ${String(n)}`
      );
      bulk2 = {
        ...ingestFigures(n, ingest),
        ...versus(rawResult, ingest),
        httpCalls,
        totalHttpCalls: totalCalls(httpCalls),
        failures: ingest.value.failures,
        pollTimeoutMs: BULK_POLL_TIMEOUT_MS
      };
    } finally {
      await bulk.org.stop();
    }

    const cpus = os.cpus();
    const sizes = options.scaleSizes ?? [];
    const scale =
      sizes.length > 0 ? await runScale(sizes, workDir, log) : undefined;
    return {
      benchmark: 'local-org',
      date: new Date().toISOString(),
      environment: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: os.availableParallelism(),
        cpuModel: cpus[0]?.model ?? 'unknown',
        totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024))
      },
      records: n,
      raw: rawResult,
      collections,
      bulk2,
      query,
      ...(scale ? { scale } : {})
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function formatTable(result: BenchResult): string {
  const header = [
    'path',
    'rows',
    'wall ms',
    'CPU ms',
    'rows/s',
    'peak RSS MB',
    'HTTP calls',
    'wall vs raw',
    'CPU vs raw',
    `goal ≤${String(MAX_OVERHEAD)}×`
  ];
  const times = (value: number): string => `${value.toFixed(1)}×`;
  const versusCells = (o: Overhead): string[] => [
    times(o.overheadVsRaw),
    times(o.cpuOverheadVsRaw),
    o.goal.met ? 'met' : 'missed'
  ];
  const ingestCells = (name: string, r: IngestResult): string[] => [
    name,
    String(r.records),
    r.wallMs.toFixed(0),
    r.cpuMs.toFixed(0),
    String(r.rowsPerSecond),
    r.peakRssMb.toFixed(0)
  ];
  const q = result.query;
  const page = `query page of ${String(q.pageSize)}`;
  const table = [
    header,
    [...ingestCells('raw better-sqlite3', result.raw), '-', '1×', '1×', '-'],
    ...(
      [
        ['collections (jsforce)', result.collections],
        ['bulk 2.0 (jsforce)', result.bulk2]
      ] as const
    ).map(([name, r]) => [
      ...ingestCells(name, r),
      String(r.totalHttpCalls),
      ...versusCells(r)
    ]),
    [
      `${page} (jsforce)`,
      String(q.rows),
      `${q.jsforce.avgPageMs.toFixed(1)}/page`,
      q.jsforce.cpuMs.toFixed(0),
      '',
      q.peakRssMb.toFixed(0),
      String(q.jsforce.pages),
      ...versusCells(q)
    ],
    [
      `${page} (raw SQL)`,
      String(q.rows),
      `${q.raw.avgPageMs.toFixed(1)}/page`,
      q.raw.cpuMs.toFixed(0),
      '',
      '',
      '-',
      '1×',
      '1×',
      '-'
    ]
  ];
  const widths = header.map((_, c) =>
    Math.max(...table.map((r) => (r[c] ?? '').length))
  );
  const lines = table.map((r) =>
    r
      .map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)
      )
      .join('  ')
  );
  const env = result.environment;
  return [
    `local org benchmark, ${String(result.records)} cases: Node ${env.node}, ${String(env.cpus)} CPUs (${env.cpuModel}), ${result.date}`,
    ...lines,
    `query pages via jsforce: first ${q.jsforce.firstPageMs.toFixed(1)} ms (counts the rows, reads one page), fastest ${q.jsforce.minPageMs.toFixed(1)} ms; raw SQL pages ${q.raw.minPageMs.toFixed(1)}-${q.raw.maxPageMs.toFixed(1)} ms (OFFSET grows with the page number)`
  ].join('\n');
}

/** The command: returns the exit code (0 done, 1 wrong data or error, 2 bad usage). */
export async function main(
  argv: string[],
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)
): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`local-org benchmark: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await runBenchmark({
      records: args.records,
      scaleSizes: args.scaleSizes,
      log
    });
    mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    log(formatTable(result));
    log(`results written to ${args.out}`);
    return 0;
  } catch (error) {
    const message =
      error instanceof DataError
        ? `wrong data: ${error.message}`
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`local-org benchmark: ${message}\n`);
    return 1;
  }
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  process.exitCode = await main(process.argv.slice(2));
}
