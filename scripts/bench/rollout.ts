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
import path from 'node:path';
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
import {
  benchMain,
  isEntryPoint,
  outFlag,
  readFlags,
  stdoutLine,
  UsageError,
  wholeNumberFlag,
  type Print
} from './cli.ts';
import { measure, round } from './measure.ts';

export const DEFAULT_CASES = 10_000;
export const DEFAULT_INCIDENTS = 4;
export const DEFAULT_OUT = path.join('bench-results', 'rollout.json');
/** The one-call-per-record baseline is timed on at most this many cases, then projected. */
export const NAIVE_MAX = 500;

export { UsageError };

export interface BenchArgs {
  cases: number;
  incidents: number;
  out: string;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const values = readFlags(argv, ['cases', 'incidents', 'out']);
  return {
    cases: wholeNumberFlag(
      values.cases,
      '--cases',
      { min: 100 },
      DEFAULT_CASES
    ),
    incidents: wholeNumberFlag(
      values.incidents,
      '--incidents',
      { min: 1 },
      DEFAULT_INCIDENTS
    ),
    out: outFlag(values.out, DEFAULT_OUT)
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

export function main(argv: string[], log?: Print): Promise<number> {
  return benchMain(
    {
      name: 'rollout',
      usage: USAGE,
      parse: parseBenchArgs,
      run: (args) => runBenchmark(args, log ?? stdoutLine),
      summary: (result) => {
        const r = result.rollout;
        return [
          `${String(result.cases)} cases, ${String(result.incidents)} incidents: ${String(r.writeCalls)} write calls against a floor of ${String(r.floor)} (${String(r.writeRatio)}x, goal 1.05x) plus ${String(r.readCalls)} reads; ${String(r.wallMs)} ms against ${String(result.naive.projectedWallMs)} ms projected for ${String(result.naive.projectedCalls)} one-record calls; rerun ${String(result.rerun.writeCalls)} writes, ${String(result.rerun.readCalls)} reads`
        ];
      }
    },
    argv,
    log
  );
}

if (isEntryPoint(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
