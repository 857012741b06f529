/**
 * Benchmark of the incident timeline's automation (issue 13): events written and event DML
 * statements per save, when sObject Collections updates change severity, status and owner on N
 * incidents at once (default 200, one call's worth), against the DML floor of one statement per
 * save whatever the event count; beside a per-record baseline in the same run (the same first
 * change, one REST call per incident: one save, and one statement, per record).
 *
 *   node --import tsx scripts/bench/timeline.ts [--records N] [--out FILE]
 *
 * The local org counts the upsert statements its timeline automation issues
 * (timelineWrites); the events are then counted in the org, so a figure that does not match
 * what is stored fails the run (exit 1). The Apex side is read statically: the DML statements
 * on the trigger's after-save path (IncidentEventService), which IncidentEventServiceTest and
 * IncidentTriggerHandlerTest assert in an org (Limits.getDmlStatements).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { timelineWrites } from '../local-org/automation-timeline.ts';
import { startLocalOrg, type LocalOrg } from '../local-org/server.ts';
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
import { measure } from './measure.ts';

export const DEFAULT_RECORDS = 200;
/** sObject Collections take 200 records a call: one call is one save. */
const MAX_RECORDS = 200;
export const DEFAULT_OUT = path.join('bench-results', 'timeline.json');
const API_VERSION = '64.0';
const EVENT_SERVICE = fileURLToPath(
  new URL(
    '../../force-app/main/default/classes/IncidentEventService.cls',
    import.meta.url
  )
);

const USAGE = `usage: node --import tsx scripts/bench/timeline.ts [--records N] [--out FILE]
  --records N   incidents changed by each save (1..${String(MAX_RECORDS)}, default ${String(DEFAULT_RECORDS)})
  --out FILE    JSON results file (default ${DEFAULT_OUT})`;

export { DataError, UsageError };

export function parseBenchArgs(argv: string[]): {
  records: number;
  out: string;
} {
  const values = readFlags(argv, ['records', 'out']);
  return {
    records: wholeNumberFlag(
      values.records,
      '--records',
      { min: 1, max: MAX_RECORDS },
      DEFAULT_RECORDS
    ),
    out: outFlag(values.out, DEFAULT_OUT)
  };
}

export interface SaveFigures {
  name: string;
  /** Fields every record of the save changes. */
  changes: string[];
  records: number;
  events: number;
  eventStatements: number;
  /** The floor: one statement per save. */
  floor: number;
  metGoal: boolean;
  wallMs: number;
  cpuMs: number;
}

export interface TimelineBenchResult {
  records: number;
  node: string;
  saves: SaveFigures[];
  /** The first save's change made one REST call per incident. */
  perRecordBaseline: {
    calls: number;
    events: number;
    eventStatements: number;
    wallMs: number;
    cpuMs: number;
  };
  apex: {
    /** DML statements on IncidentEventService's after-save path, read from the source. */
    dmlStatementsPerSave: number;
    statements: string[];
    assertedBy: string[];
  };
  note: string;
}

type Rec = Record<string, unknown>;

interface SaveResult {
  success: boolean;
  errors: { message: string }[];
}

async function collectionUpdate(
  conn: Connection,
  records: Rec[]
): Promise<void> {
  const results = await conn.request<SaveResult[]>({
    method: 'PATCH',
    url: `/services/data/v${API_VERSION}/composite/sobjects`,
    body: JSON.stringify({
      allOrNone: true,
      records: records.map((record) => ({
        attributes: { type: 'Incident' },
        ...record
      }))
    }),
    headers: { 'content-type': 'application/json' }
  });
  const failed = results.find((result) => !result.success);
  if (failed)
    throw new DataError(
      `a save failed: ${failed.errors.map((e) => e.message).join('; ')}`
    );
}

async function createIncidents(
  conn: Connection,
  count: number,
  label: string
): Promise<string[]> {
  const results = await conn.request<(SaveResult & { id: string })[]>({
    method: 'POST',
    url: `/services/data/v${API_VERSION}/composite/sobjects`,
    body: JSON.stringify({
      allOrNone: true,
      records: Array.from({ length: count }, (_, i) => ({
        attributes: { type: 'Incident' },
        Subject: `${label} ${String(i + 1)}`,
        Urgency: 'Low',
        Impact: 'Low',
        Status: 'New'
      }))
    }),
    headers: { 'content-type': 'application/json' }
  });
  if (!results.every((result) => result.success))
    throw new DataError('creating the incidents failed');
  return results.map((result) => result.id);
}

async function countEvents(conn: Connection, ids: string[]): Promise<number> {
  let total = 0;
  // Type ResponseStep is the response plan's, not this automation's.
  for (let i = 0; i < ids.length; i += 100) {
    const list = ids
      .slice(i, i + 100)
      .map((id) => `'${id}'`)
      .join(', ');
    total += (
      await conn.query(
        `SELECT COUNT() FROM Incident_Event__c WHERE Incident__c IN (${list}) AND Type__c != 'ResponseStep'`
      )
    ).totalSize;
  }
  return total;
}

/**
 * The bodies of a class's methods by name (brace matching from each declaration; Apex here has
 * no braces in strings that would throw it off), so the bench can follow one path through them.
 */
export function apexMethodBodies(source: string): Map<string, string> {
  const bodies = new Map<string, string>();
  const declaration =
    /^\s*(?:@\w+\s+)*(?:(?:public|private|protected|global|static|override|virtual)\s+)+[\w<>,.\s]+?\s(\w+)\s*\([^)]*\)\s*\{/gm;
  for (const match of source.matchAll(declaration)) {
    const name = match[1] ?? '';
    let depth = 1;
    let end = match.index + match[0].length;
    while (depth > 0 && end < source.length) {
      const c = source[end++];
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    bodies.set(name, source.slice(match.index, end));
  }
  return bodies;
}

/**
 * The DML statements on the after-save path of IncidentEventService (`recordChanges` and the
 * methods of the class it calls), read from source: other entry points (record, for the
 * tooling's idempotent upserts) are not part of a save.
 */
export function afterSaveDmlStatements(
  source: string,
  entry = 'recordChanges'
): string[] {
  const bodies = apexMethodBodies(source);
  const seen = new Set<string>();
  const queue = [entry];
  const statements: string[] = [];
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    const body = bodies.get(name);
    if (seen.has(name) || body === undefined) continue;
    seen.add(name);
    statements.push(...apexDmlStatements(body));
    for (const call of body.matchAll(/\b(\w+)\s*\(/g))
      if (call[1] !== name && bodies.has(call[1] ?? ''))
        queue.push(call[1] ?? '');
  }
  return statements;
}

/** The DML statements in a piece of Apex source. */
export function apexDmlStatements(source: string): string[] {
  const pattern =
    /\bDatabase\.(insert|update|upsert|delete)\s*\(|^\s*(insert|update|upsert|delete)\s+(as\s+\w+\s+)?\w+/gm;
  return [...source.matchAll(pattern)].map((match) => match[0].trim());
}

export async function runBench(records: number): Promise<TimelineBenchResult> {
  let org: LocalOrg | undefined;
  try {
    org = await startLocalOrg({ port: 0, dbPath: ':memory:', slaSweepMs: 0 });
    const conn = new Connection({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      version: API_VERSION
    });
    const admin = await conn.query<{ Id: string }>(
      'SELECT Id FROM User LIMIT 1'
    );
    const adminId = admin.records[0]?.Id ?? '';
    const profile = await conn.query<{ Id: string }>(
      "SELECT Id FROM Profile WHERE Name = 'Standard User'"
    );
    const other = await conn.sobject('User').create({
      Username: 'bench.owner@timeline.bench',
      LastName: 'Owner',
      FirstName: 'Bench',
      Email: 'bench.owner@example.com',
      Alias: 'bowner',
      TimeZoneSidKey: 'Europe/Lisbon',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profile.records[0]?.Id
    });
    const otherId = String(other.id);
    const ids = await createIncidents(conn, records, 'Timeline bench');
    const writes = timelineWrites(org.ctx);

    const plan: { name: string; change: Rec }[] = [
      {
        name: 'severity raised 5 -> 1, status In Progress, owner changed',
        change: {
          Urgency: 'High',
          Impact: 'High',
          Status: 'In Progress',
          OwnerId: otherId
        }
      },
      {
        name: 'severity lowered 1 -> 2, owner changed back',
        change: { Urgency: 'Medium', OwnerId: adminId }
      },
      { name: 'resolved', change: { Status: 'Resolved' } }
    ];
    const saves: SaveFigures[] = [];
    let stored = await countEvents(conn, ids);
    for (const step of plan) {
      const before = { ...writes };
      const run = await measure(() =>
        collectionUpdate(
          conn,
          ids.map((Id) => ({ Id, ...step.change }))
        )
      );
      const events = writes.events - before.events;
      const statements = writes.statements - before.statements;
      const now = await countEvents(conn, ids);
      if (now - stored !== events)
        throw new DataError(
          `${step.name}: the automation reported ${String(events)} events, the org stores ${String(now - stored)} more`
        );
      stored = now;
      saves.push({
        name: step.name,
        changes: Object.keys(step.change),
        records,
        events,
        eventStatements: statements,
        floor: 1,
        metGoal: statements <= 1,
        wallMs: run.wallMs,
        cpuMs: run.cpuMs
      });
    }

    // The baseline: the first save's change, one REST call (one save) per incident.
    const baselineIds = await createIncidents(
      conn,
      records,
      'Per-record bench'
    );
    const before = { ...writes };
    const baseline = await measure(async () => {
      for (const Id of baselineIds)
        await conn
          .sobject('Incident')
          .update({ Id, ...(plan[0]?.change ?? {}) });
    });
    const baselineEvents = writes.events - before.events;
    if ((await countEvents(conn, baselineIds)) !== records * 2 + baselineEvents)
      throw new DataError(
        'the per-record baseline stored other events than it reported'
      );

    const statements = afterSaveDmlStatements(
      readFileSync(EVENT_SERVICE, 'utf8')
    );
    return {
      records,
      node: process.version,
      saves,
      perRecordBaseline: {
        calls: records,
        events: baselineEvents,
        eventStatements: writes.statements - before.statements,
        wallMs: baseline.wallMs,
        cpuMs: baseline.cpuMs
      },
      apex: {
        dmlStatementsPerSave: statements.length,
        statements,
        assertedBy: [
          'IncidentEventServiceTest.bulkSaveOf200WritesEachEventOnceInOneDml',
          'IncidentTriggerHandlerTest.bulkUpdateOf200UsesAtMostTwoQueriesAndOneDmlForTheTimeline'
        ]
      },
      note: 'Times include every after-save automation of the local org (response plan, outreach), not only the timeline; the statement and event counts are the timeline automation alone. The insert of each incident writes Created and the detected milestone (2 events), counted outside the saves.'
    };
  } finally {
    await org?.stop();
  }
}

export function main(argv: string[], print?: Print): Promise<number> {
  return benchMain(
    {
      name: 'timeline',
      usage: USAGE,
      parse: parseBenchArgs,
      run: (args) => runBench(args.records),
      summary: (result) => {
        const base = result.perRecordBaseline;
        return [
          ...result.saves.map(
            (save) =>
              `${save.name}: ${String(save.records)} records, ${String(save.events)} events in ${String(save.eventStatements)} statement(s) (floor 1: ${save.metGoal ? 'met' : 'missed'}), ${String(save.wallMs)} ms`
          ),
          `per-record baseline: ${String(base.calls)} calls, ${String(base.events)} events in ${String(base.eventStatements)} statements, ${String(base.wallMs)} ms`,
          `apex (static): ${String(result.apex.dmlStatementsPerSave)} DML statement(s) per save on the after-save path`
        ];
      }
    },
    argv,
    print
  );
}

if (isEntryPoint(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
