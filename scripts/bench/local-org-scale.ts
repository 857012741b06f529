/**
 * The local org's scale figures (issue #11, "Scale"), each case measured in a fresh child
 * process running only the org (org-process.ts), so one case's memory cannot inflate the
 * next and the client's memory is not counted: the first query page (2,000 records) over a
 * table of N cases, and a Bulk API 2.0 ingest of N cases, at every size asked for. Goals:
 * the largest size's first page within 2x the smallest's, and peak memory that does not grow
 * with the row count on either path.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { ACCOUNT_NAMES, caseRecord, caseRows } from './case-rows.ts';
import { startLocalOrg } from '../local-org/server.ts';
import { openLikeTheOrg, rawInsert } from './raw-baseline.ts';
import { round } from './measure.ts';

const FORCE_APP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../force-app'
);

const ORG_PROCESS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'org-process.ts'
);

export interface ScaleCase {
  rows: number;
  ms: number;
  /**
   * The org process's CPU time during the case (user + system). On a shared machine wall time
   * also counts waiting for a core; CPU time is the org's own work.
   */
  cpuMs: number;
  peakRssMb: number;
  /** Why the case could not be measured (the figures are then 0). */
  error?: string;
}

export interface ScaleResult {
  /** Peak memory of an org process that only starts and stops: the floor of every case. */
  idlePeakRssMb: number;
  firstPage: ScaleCase[];
  ingest: ScaleCase[];
  goals: {
    /** Largest size over smallest; null when fewer than two sizes were measured. */
    firstPageRatio: number | null;
    firstPageWithin2x: boolean | null;
    queryMemoryRatio: number | null;
    ingestMemoryRatio: number | null;
  };
}

interface OrgProcess {
  conn: Connection;
  explain(error: unknown): Error;
  /** Asks the org for its peak memory and CPU time and waits for it to stop. */
  finish(): Promise<{ peakRssMb: number; cpuMs: number }>;
}

async function startOrgProcess(dbPath: string): Promise<OrgProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', ORG_PROCESS, dbPath],
    { stdio: ['pipe', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited = '';
  child.once('exit', (code, signal) => {
    exited = `org process exited (code ${String(code)}, signal ${String(signal)}): ${stderr}`;
  });
  const lines = createInterface({ input: child.stdout })[
    Symbol.asyncIterator
  ]();
  const nextLine = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done === true)
      throw new Error(`org process ended early: ${stderr}`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const hello = await nextLine();
  /** A failed call says whether the org process died under it (out of memory, say). */
  const explain = (error: unknown): Error =>
    new Error(
      `${error instanceof Error ? error.message : String(error)}${exited === '' ? '' : `; ${exited}`}`
    );
  const conn = new Connection({
    instanceUrl: String(hello.instanceUrl),
    accessToken: String(hello.accessToken),
    version: '64.0'
  });
  return {
    conn,
    explain,
    finish: async () => {
      child.stdin.write('report\n');
      const report = await nextLine();
      await new Promise((resolve) => child.once('exit', resolve));
      return {
        peakRssMb: round(Number(report.peakRssMb)),
        cpuMs: round(Number(report.cpuMs))
      };
    }
  };
}

async function loadAccounts(conn: Connection): Promise<string[]> {
  const results = await conn
    .sobject('Account')
    .create(ACCOUNT_NAMES.map((Name) => ({ Name })));
  return results.map((r) => r.id ?? '');
}

/** Bulk API 2.0 ingest of `rows` cases into a fresh org; the org process's peak memory. */
async function ingestCase(workDir: string, rows: number): Promise<ScaleCase> {
  const org = await startOrgProcess(
    path.join(workDir, `ingest-${String(rows)}.db`)
  );
  const accountIds = await loadAccounts(org.conn);
  const records = caseRows(rows).map((row) => caseRecord(row, accountIds));
  const started = performance.now();
  const results = await org.conn.bulk2
    .loadAndWaitForResults({
      object: 'Case',
      operation: 'insert',
      input: records,
      pollInterval: 200,
      pollTimeout: 1_800_000
    })
    .catch((error: unknown) => {
      throw org.explain(error);
    });
  const ms = performance.now() - started;
  if (results.failedResults.length > 0)
    throw new Error(
      `ingest ${String(rows)}: ${String(results.failedResults.length)} rows failed`
    );
  return { rows, ms: round(ms), ...(await org.finish()) };
}

/**
 * The first 2,000-record page over `rows` cases. The table is filled beforehand with raw
 * inserts of the org's stored columns (the org made the schema), so the case measures the
 * query alone, whatever the ingest path can do.
 */
async function firstPageCase(
  workDir: string,
  rows: number
): Promise<ScaleCase> {
  const dbPath = path.join(workDir, `query-${String(rows)}.db`);
  const made = await startLocalOrg({ port: 0, dbPath, forceAppDir: FORCE_APP });
  await made.stop();
  const db = openLikeTheOrg(dbPath);
  try {
    rawInsert(db, caseRows(rows));
  } finally {
    db.close();
  }
  const org = await startOrgProcess(dbPath);
  const started = performance.now();
  const page = await org.conn.query(
    'SELECT Id, CaseNumber, Subject, Status, Priority, Account.Name FROM Case'
  );
  const ms = performance.now() - started;
  if (page.totalSize !== rows || page.records.length !== 2000)
    throw new Error(
      `first page over ${String(rows)}: totalSize ${String(page.totalSize)}, ${String(page.records.length)} records`
    );
  return { rows, ms: round(ms), ...(await org.finish()) };
}

export async function runScale(
  sizes: readonly number[],
  workDir: string,
  log: (line: string) => void
): Promise<ScaleResult> {
  const idle = await startOrgProcess(path.join(workDir, 'idle.db'));
  const idlePeakRssMb = (await idle.finish()).peakRssMb;
  const ingest: ScaleCase[] = [];
  const firstPage: ScaleCase[] = [];
  for (const rows of sizes) {
    log(`scale: Bulk API 2.0 ingest of ${String(rows)} cases (own process)`);
    ingest.push(
      await ingestCase(workDir, rows).catch((error: unknown): ScaleCase => ({
        rows,
        ms: 0,
        cpuMs: 0,
        peakRssMb: 0,
        error: error instanceof Error ? error.message : String(error)
      }))
    );
    log(`scale: first query page over ${String(rows)} cases (own process)`);
    firstPage.push(await firstPageCase(workDir, rows));
  }
  const ratio = (all: ScaleCase[], key: 'ms' | 'peakRssMb'): number | null => {
    const list = all.filter((c) => c.error === undefined);
    const first = list[0];
    const last = list[list.length - 1];
    return list.length >= 2 && first && last && first[key] > 0
      ? round(last[key] / first[key])
      : null;
  };
  const pageRatio = ratio(firstPage, 'ms');
  return {
    idlePeakRssMb,
    firstPage,
    ingest,
    goals: {
      firstPageRatio: pageRatio,
      firstPageWithin2x: pageRatio === null ? null : pageRatio <= 2,
      queryMemoryRatio: ratio(firstPage, 'peakRssMb'),
      ingestMemoryRatio: ratio(ingest, 'peakRssMb')
    }
  };
}
