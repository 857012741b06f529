/**
 * Benchmark of the seed (issue 7): API calls and wall time of seedPlan for an N-member roster
 * (default 2,000), beside a one-call-per-member baseline that upserts each member with its own
 * REST call, in the same run, each against a fresh local org holding the same users.
 *
 *   node --import tsx scripts/bench/seed.ts [--members N] [--out FILE]
 *
 * The call floor is what any correct seed must spend: one upsert call per 200 members, one
 * Metadata API call for the changed matrix and policy, and the fixed reads (matrix, policy,
 * business hours, users, accounts, roster), one page each per 2,000 rows read. The goal is at
 * most 1.05 times the floor. A missed goal is a finding; wrong data is a failure (exit 1).
 */
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../local-org/server.ts';
import { Connection } from 'jsforce';
import { BATCH_SIZE, OrgClient, soqlList } from '../org-client/index.ts';
import { loadPlan, seedPlan, type Plan } from '../seed/index.ts';
import { expertiseText } from '../seed/plan.ts';
import { syntheticPlan } from '../seed/synthetic.ts';
import {
  benchMain,
  DataError,
  isEntryPoint,
  outFlag,
  readFlags,
  UsageError,
  wholeNumberFlag,
  type Print
} from './cli.ts';
import { measure, round } from './measure.ts';

export const DEFAULT_MEMBERS = 2000;
export const DEFAULT_OUT = path.join('bench-results', 'seed.json');
const PLAN_FILE = path.join('config', 'incident-plan.json');
const GOAL_RATIO = 1.05;
/** REST query pages hold 2,000 records. */
const PAGE = 2000;
/**
 * The reads seedPlan makes before it writes: matrix, policy, business hours, users, accounts,
 * roster, and, for a plan with those sections (the shipped one has both), the communication
 * templates and the response plan's steps.
 */
const FIXED_READS = 8;

const USAGE = `usage: node --import tsx scripts/bench/seed.ts [--members N] [--out FILE]
  --members N   roster members to seed (positive integer, default ${String(DEFAULT_MEMBERS)})
  --out FILE    JSON results file (default ${DEFAULT_OUT})`;

export { DataError, UsageError };

export function parseBenchArgs(argv: string[]): {
  members: number;
  out: string;
} {
  const values = readFlags(argv, ['members', 'out']);
  return {
    members: wholeNumberFlag(
      values.members,
      '--members',
      { min: 1 },
      DEFAULT_MEMBERS
    ),
    out: outFlag(values.out, DEFAULT_OUT)
  };
}

interface Phase {
  apiCalls: number;
  callsByEndpoint: Record<string, number>;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  membersPerSecond: number;
}

export interface SeedBenchResult {
  members: number;
  node: string;
  floor: {
    rosterWrites: number;
    metadataWrites: number;
    fixedReads: number;
    total: number;
  };
  seed: Phase & { ratioToFloor: number; goalRatio: number; metGoal: boolean };
  rerun: Phase & { writes: number };
  baseline: Phase;
  /** baseline wall time / seed wall time. */
  speedup: number;
}

/** A fresh org holding the plan's users and key accounts, so both runs start equal. */
async function orgFor(
  plan: Plan
): Promise<{ org: LocalOrg; conn: Connection }> {
  const org = await startLocalOrg({ port: 0, dbPath: ':memory:' });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '64.0'
  });
  const client = new OrgClient(conn);
  const [profile] = await client.queryAll<{ Id: string }>(
    "SELECT Id FROM Profile WHERE Name = 'Standard User'"
  );
  if (!profile)
    throw new DataError('the local org has no Standard User profile');
  const users = await client.createRecords(
    'User',
    plan.roster.map((m, i) => ({
      Username: m.user,
      Email: m.user,
      LastName: m.name,
      Alias: `u${String(i)}`.slice(0, 8),
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      ProfileId: profile.Id
    })),
    () => Promise.resolve([])
  );
  const accounts = await client.createRecords(
    'Account',
    (plan.keyAccounts ?? []).map((a) => ({
      Name: a.name,
      Key_Account__c: true
    })),
    () => Promise.resolve([])
  );
  if ([...users, ...accounts].some((o) => !o.success))
    throw new DataError('could not provision the users and accounts');
  return { org, conn };
}

function phase(
  measured: { wallMs: number; cpuMs: number; peakRssMb: number },
  client: OrgClient,
  members: number
): Phase {
  return {
    apiCalls: client.apiCalls,
    callsByEndpoint: client.callsByEndpoint,
    wallMs: measured.wallMs,
    cpuMs: measured.cpuMs,
    peakRssMb: measured.peakRssMb,
    membersPerSecond: round((members / Math.max(measured.wallMs, 1)) * 1000)
  };
}

/** The naive seed: resolve the users in one query, then one upsert call per member. */
async function baselineSeed(client: OrgClient, plan: Plan): Promise<void> {
  const users = await client.queryAll<{ Id: string; Username: string }>(
    `SELECT Id, Username FROM User WHERE Username LIKE '%@bench.example'`
  );
  const idOf = new Map(users.map((u) => [u.Username, u.Id]));
  const accounts = await client.queryAll<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM Account WHERE Name IN ${soqlList((plan.keyAccounts ?? []).map((a) => a.name))}`
  );
  for (const member of plan.roster) {
    const record = {
      Name: member.name,
      Role__c: member.role,
      User__c: idOf.get(member.user ?? '') ?? null,
      Email__c: member.user ?? null,
      Phone__c: member.phone ?? null,
      Expertise__c: expertiseText(member.expertise) || null,
      Account__c: accounts.find((a) => a.Name === member.account)?.Id ?? null,
      Active__c: member.active,
      Shift__c: member.shift === undefined ? null : JSON.stringify(member.shift)
    };
    await client.write(
      `upsert ${member.key}`,
      () =>
        client.conn.request({
          method: 'PATCH',
          url: `/services/data/v${client.conn.version}/sobjects/Incident_Roster_Member__c/External_Id__c/${encodeURIComponent(member.key)}`,
          body: JSON.stringify(record),
          headers: { 'content-type': 'application/json' }
        }),
      { idempotent: true }
    );
  }
}

async function countMembers(client: OrgClient): Promise<number> {
  const [row] = await client.queryAll<{ expr0: number }>(
    'SELECT COUNT(Id) FROM Incident_Roster_Member__c'
  );
  return row?.expr0 ?? 0;
}

export async function runBench(members: number): Promise<SeedBenchResult> {
  const plan = syntheticPlan(loadPlan(PLAN_FILE), members);
  const floor = {
    rosterWrites: Math.ceil(members / BATCH_SIZE),
    metadataWrites: 1,
    // The user read returns `members` rows; the roster read none on the first run.
    fixedReads: FIXED_READS - 1 + Math.ceil(members / PAGE),
    total: 0
  };
  floor.total = floor.rosterWrites + floor.metadataWrites + floor.fixedReads;

  const a = await orgFor(plan);
  const b = await orgFor(plan);
  try {
    const seedClient = new OrgClient(a.conn);
    const seeded = await measure(() => seedPlan(seedClient, plan));
    // Before any other read: a client made later on the same connection counts into this one.
    const seedPhase = phase(seeded, seedClient, members);
    if (
      seeded.value.failures.length > 0 ||
      (await countMembers(new OrgClient(a.conn))) !== members
    )
      throw new DataError(
        `seedPlan left the wrong roster: ${JSON.stringify(seeded.value.failures.slice(0, 3))}`
      );

    const rerunClient = new OrgClient(a.conn);
    const rerun = await measure(() => seedPlan(rerunClient, plan));
    const rerunPhase = phase(rerun, rerunClient, members);
    if (!rerun.value.noChanges) throw new DataError('the rerun found changes');
    const writes = Object.values(rerun.value.written).reduce(
      (x, y) => x + y,
      0
    );

    const baselineClient = new OrgClient(b.conn);
    const baseline = await measure(() => baselineSeed(baselineClient, plan));
    const baselinePhase = phase(baseline, baselineClient, members);
    if ((await countMembers(new OrgClient(b.conn))) !== members)
      throw new DataError('the baseline left the wrong roster');

    const ratio = round(seedPhase.apiCalls / floor.total, 3);
    return {
      members,
      node: process.version,
      floor,
      seed: {
        ...seedPhase,
        ratioToFloor: ratio,
        goalRatio: GOAL_RATIO,
        metGoal: ratio <= GOAL_RATIO
      },
      rerun: { ...rerunPhase, writes },
      baseline: baselinePhase,
      speedup: round(baseline.wallMs / Math.max(seeded.wallMs, 1), 1)
    };
  } finally {
    await a.org.stop();
    await b.org.stop();
  }
}

export function main(argv: string[], print?: Print): Promise<number> {
  return benchMain(
    {
      name: 'seed',
      usage: USAGE,
      parse: parseBenchArgs,
      run: (args) => runBench(args.members),
      summary: (result) => [
        `seed: ${result.seed.apiCalls} calls (floor ${result.floor.total}, ${result.seed.ratioToFloor}x, goal <= ${GOAL_RATIO}x: ${result.seed.metGoal ? 'met' : 'missed'}), ${result.seed.wallMs} ms`,
        `rerun: ${result.rerun.apiCalls} calls, ${result.rerun.writes} writes, ${result.rerun.wallMs} ms`,
        `baseline (one call per member): ${result.baseline.apiCalls} calls, ${result.baseline.wallMs} ms (${result.speedup}x the seed's time)`
      ]
    },
    argv,
    print
  );
}

if (isEntryPoint(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
