/**
 * The rollout benchmark: `incident rollout` of a change request fixing incidents with N linked
 * cases (default 10,000) on a local org, written as JSON beside what it is compared with.
 *
 *   node --import tsx scripts/bench/rollout.ts [--cases 10000] [--incidents 4] [--out FILE]
 *
 * Figures: the run's write calls against the floor, the sum over every object it writes of
 * ceil(records / 200) (sObject Collections' 200 records a call), goal at most 1.05x, with its
 * reads (query pages, fixed per incident or per 2,000 linked cases) beside them; its wall time;
 * and a one-call-per-record baseline: the same kinds of records written one REST call each
 * (a case's closing comment, then its close), timed on at most NAIVE_MAX cases of a second
 * change request in the same org and projected to every record the rollout wrote. Not a test:
 * no figure here fails anything; `npm test` runs it at a small size to check every figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestOrg } from '../local-org/test-org.ts';
import { BATCH_SIZE, type OrgClient } from '../org-client/index.ts';
import {
  loadRolloutScenario,
  ownClient as clientOf
} from '../respond/rollout-data.ts';
import {
  rolloutChangeRequest,
  type RolloutFailure
} from '../respond/rollout.ts';
import { measure, round } from './measure.ts';

export const DEFAULT_CASES = 10_000;
export const DEFAULT_INCIDENTS = 4;
export const DEFAULT_OUT = path.join('bench-results', 'rollout.json');
/** The one-call-per-record baseline is timed on at most this many cases, then projected. */
export const NAIVE_MAX = 500;

export class UsageError extends Error {}

export interface BenchArgs {
  cases: number;
  incidents: number;
  out: string;
}

function wholeNumber(
  value: string | undefined,
  flag: string,
  min: number,
  fallback: number
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(
      `${flag}: expected a whole number of ${String(min)} or more, got '${value}'`
    );
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: { cases?: string; incidents?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cases: { type: 'string' },
        incidents: { type: 'string' },
        out: { type: 'string' }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.out === '') throw new UsageError('--out: expected a file path');
  return {
    cases: wholeNumber(values.cases, '--cases', 100, DEFAULT_CASES),
    incidents: wholeNumber(
      values.incidents,
      '--incidents',
      1,
      DEFAULT_INCIDENTS
    ),
    out: values.out ?? DEFAULT_OUT
  };
}

export interface BenchResult {
  generatedAt: string;
  node: string;
  cases: number;
  incidents: number;
  contacts: number;
  loadMs: number;
  rollout: {
    wallMs: number;
    cpuMs: number;
    peakRssMb: number;
    casesClosed: number;
    recipients: number;
    failures: number;
    /** The first few failures, to say why when there are any. */
    failureSamples: RolloutFailure[];
    /** Records written per object. */
    records: Record<string, number>;
    /** Per object: ceil(records / 200), and their sum. */
    floorByObject: Record<string, number>;
    floor: number;
    writeCalls: number;
    readCalls: number;
    byEndpoint: Record<string, number>;
    writeRatio: number;
    goal: { maxRatio: 1.05; met: boolean };
  };
  rerun: { wallMs: number; writeCalls: number; readCalls: number };
  naive: {
    measuredCases: number;
    /** Calls of the measured sample: two per case (comment, then close). */
    calls: number;
    wallMs: number;
    msPerCall: number;
    /** One call per record the rollout wrote, at the measured time per call. */
    projectedCalls: number;
    projectedWallMs: number;
  };
  /** Rollout's wall time over the naive projection (lower is better). */
  speedup: number;
}

function split(calls: Record<string, number>): {
  reads: number;
  writes: number;
} {
  let reads = 0;
  let writes = 0;
  for (const [endpoint, n] of Object.entries(calls))
    if (endpoint.startsWith('GET')) reads += n;
    else writes += n;
  return { reads, writes };
}

/** Comments on and closes each case with its own REST calls: the baseline's way. */
async function naiveClose(
  client: OrgClient,
  caseIds: readonly string[]
): Promise<void> {
  const base = `/services/data/v${client.conn.version}/sobjects`;
  // A new headers object per request: jsforce writes the body's content-length into it.
  const headers = (): Record<string, string> => ({
    'content-type': 'application/json'
  });
  for (const id of caseIds) {
    await client.write(
      'naive comment',
      () =>
        client.conn.request({
          method: 'POST',
          url: `${base}/CaseComment`,
          body: JSON.stringify({
            ParentId: id,
            IsPublished: true,
            CommentBody: 'Fixed; closing this case.'
          }),
          headers: headers()
        }),
      { reread: () => Promise.resolve(undefined) }
    );
    await client.write(
      'naive close',
      () =>
        client.conn.request({
          method: 'PATCH',
          url: `${base}/Case/${id}`,
          body: JSON.stringify({ Status: 'Closed' }),
          headers: headers()
        }),
      { idempotent: true }
    );
  }
}

export async function runBenchmark(
  args: Pick<BenchArgs, 'cases' | 'incidents'>,
  log: (line: string) => void
): Promise<BenchResult> {
  const org = await startTestOrg();
  try {
    const contacts = Math.ceil(args.cases / 4);
    const loaded = await measure(() =>
      loadRolloutScenario(clientOf(org), {
        incidents: args.incidents,
        cases: args.cases,
        contacts,
        tag: 'bench'
      })
    );
    const scenario = loaded.value;
    log(`loaded ${String(args.cases)} cases in ${String(loaded.wallMs)} ms`);

    const client = clientOf(org);
    const run = await measure(() =>
      rolloutChangeRequest(client, {
        changeRequest: scenario.changeRequestNumber
      })
    );
    const records = run.value.writes;
    const floorByObject = Object.fromEntries(
      Object.entries(records).map(([object, n]) => [
        object,
        Math.ceil(n / BATCH_SIZE)
      ])
    );
    const floor = Object.values(floorByObject).reduce((a, b) => a + b, 0);
    const calls = split(client.callsByEndpoint);
    log(
      `rollout: ${String(run.wallMs)} ms, ${String(calls.writes)} write calls (floor ${String(floor)}), ${String(calls.reads)} reads`
    );

    const rerunClient = clientOf(org);
    const rerun = await measure(() =>
      rolloutChangeRequest(rerunClient, {
        changeRequest: scenario.changeRequestNumber
      })
    );
    const rerunCalls = split(rerunClient.callsByEndpoint);

    // The baseline on a second change request's cases, in the same org.
    const sample = await loadRolloutScenario(clientOf(org), {
      incidents: 1,
      cases: Math.min(NAIVE_MAX, args.cases),
      tag: 'naive'
    });
    const naiveClient = clientOf(org);
    const naive = await measure(() =>
      naiveClose(naiveClient, sample.openCaseIds)
    );
    const msPerCall = naive.wallMs / Math.max(naiveClient.apiCalls, 1);
    const projectedCalls = Object.values(records).reduce((a, b) => a + b, 0);
    const projectedWallMs = round(msPerCall * projectedCalls);
    return {
      generatedAt: new Date().toISOString(),
      node: process.version,
      cases: args.cases,
      incidents: args.incidents,
      contacts,
      loadMs: loaded.wallMs,
      rollout: {
        wallMs: run.wallMs,
        cpuMs: run.cpuMs,
        peakRssMb: run.peakRssMb,
        casesClosed: run.value.cases.closed,
        recipients: run.value.notices.recipients,
        failures: run.value.failures.length,
        failureSamples: run.value.failures.slice(0, 5),
        records,
        floorByObject,
        floor,
        writeCalls: calls.writes,
        readCalls: calls.reads,
        byEndpoint: client.callsByEndpoint,
        writeRatio: round(calls.writes / floor, 3),
        goal: { maxRatio: 1.05, met: calls.writes <= floor * 1.05 }
      },
      rerun: {
        wallMs: rerun.wallMs,
        writeCalls: rerunCalls.writes,
        readCalls: rerunCalls.reads
      },
      naive: {
        measuredCases: sample.openCaseIds.length,
        calls: naiveClient.apiCalls,
        wallMs: naive.wallMs,
        msPerCall: round(msPerCall, 2),
        projectedCalls,
        projectedWallMs
      },
      speedup: round(projectedWallMs / run.wallMs, 2)
    };
  } finally {
    await org.dispose();
  }
}

const USAGE =
  'usage: node --import tsx scripts/bench/rollout.ts [--cases 10000] [--incidents 4] [--out FILE]';

export async function main(
  argv: string[],
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)
): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`rollout benchmark: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await runBenchmark(args, log);
    mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    const r = result.rollout;
    log(
      `${String(result.cases)} cases, ${String(result.incidents)} incidents: ${String(r.writeCalls)} write calls against a floor of ${String(r.floor)} (${String(r.writeRatio)}x, goal 1.05x) plus ${String(r.readCalls)} reads; ${String(r.wallMs)} ms against ${String(result.naive.projectedWallMs)} ms projected for ${String(result.naive.projectedCalls)} one-record calls; rerun ${String(result.rerun.writeCalls)} writes, ${String(result.rerun.readCalls)} reads`
    );
    log(`results written to ${args.out}`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `rollout benchmark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    return 1;
  }
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  process.exitCode = await main(process.argv.slice(2));
}
