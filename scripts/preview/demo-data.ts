/**
 * The demo data set `npm start` loads into a new local org: a solar company on the day of a
 * regional outage. Accounts with regions and tiers, solar installations (assets of products),
 * two support business hours in two time zones with holidays, a roster with shifts in two time
 * zones, incidents at every severity and SLA state (one breached, one in warning), a problem
 * and a change request, and an outage storm of cases linked to the severity-1 incident.
 *
 * Times are relative to `now`, so the SLA states hold whenever the demo is created. The org's
 * own automation computes severity, priority and due times from urgency, impact and detection
 * time, exactly as for any other client.
 *
 * The tooling loads what it covers: seedPlan (scripts/seed) puts the project's incident plan
 * (config/incident-plan.json: matrix, SLA policy, key accounts, the roster with its users and
 * shifts in America/Los_Angeles and Asia/Tokyo) into the org, and linkCases (scripts/cases)
 * links the outage's cases to the incidents by their installations. The rest (accounts,
 * products, assets, business hours, holidays, incidents, cases, the problem and the change
 * request) has no loader, so it is created here through the REST API.
 */
import path from 'node:path';
import { linkCases } from '../cases/index.ts';
import type { OrgClient, RecordOutcome } from '../org-client/index.ts';
import { loadPlan, seedPlan } from '../seed/index.ts';
import { PROJECT_ROOT } from './build.ts';
import { literal } from './controller/incident-console-controller.ts';

/** The project's incident plan, which the demo org is seeded with. */
export const DEMO_PLAN_FILE = path.join(
  PROJECT_ROOT,
  'config',
  'incident-plan.json'
);

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Fields = Record<string, unknown>;

/** The records the browser tests and the benchmark look for by name. */
export const DEMO = {
  severity1Subject: 'Regional outage: inverters offline in California',
  breachedSubject: 'Battery storage alarms at Kanto Logistics',
  warningSubject: 'Panels degrading early on Pacific Unified Schools rooftops',
  problemSubject: 'Inverter firmware 4.2 loses grid sync after a voltage dip',
  changeSubject: 'Roll out inverter firmware 4.2.1 in California',
  stormCases: 40,
  /** Storm cases closed after linking (the linked-case counts show open and closed). */
  closedStormCases: 6
} as const;

export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

function failures(type: string, outcomes: RecordOutcome[]): string[] {
  return outcomes.flatMap((outcome, index) =>
    outcome.success
      ? []
      : [
          `${type} #${index + 1}: ${outcome.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`
        ]
  );
}

/**
 * Creates records through the shared client; `keys` are fields that identify a record of this
 * batch, so a create that landed despite a dropped connection is found again, never doubled.
 */
export async function create(
  client: OrgClient,
  type: string,
  records: Fields[],
  keys: string[]
): Promise<string[]> {
  const outcomes = await client.createRecords(type, records, async (batch) => {
    const first = keys[0] ?? 'Id';
    const values = [...new Set(batch.map((r) => String(r[first])))];
    const found = await client.queryAll<Fields>(
      `SELECT Id, ${keys.join(', ')} FROM ${type} WHERE ${first} IN (${values.map(literal).join(', ')})`
    );
    return batch.map(
      (record) =>
        found.find((row) => keys.every((key) => row[key] === record[key]))
          ?.Id as string | undefined
    );
  });
  const problems = failures(type, outcomes);
  if (problems.length > 0)
    throw new DemoSeedError(
      `The demo data could not be created: ${problems.join(' | ')}`
    );
  return outcomes.map((outcome) => String(outcome.id));
}

const iso = (ms: number): string => new Date(ms).toISOString();

function weekdays(start: string, end: string): Fields {
  const fields: Fields = {};
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    fields[`${day}StartTime`] = `${start}:00.000Z`;
    fields[`${day}EndTime`] = `${end}:00.000Z`;
  }
  return fields;
}

export interface DemoIds {
  severity1IncidentId: string;
  breachedIncidentId: string;
  warningIncidentId: string;
  problemId: string;
  changeRequestId: string;
}

/** Loads the demo data set into an org with no demo data yet. */
export async function seedDemoData(
  client: OrgClient,
  now: Date
): Promise<DemoIds> {
  const at = now.getTime();
  // The plan first: its key accounts, users and roster are what the console's roster shows.
  const seeded = await seedPlan(client, loadPlan(DEMO_PLAN_FILE), {
    createUsers: true,
    file: path.relative(PROJECT_ROOT, DEMO_PLAN_FILE)
  });
  if (seeded.failures.length > 0)
    throw new DemoSeedError(
      `The incident plan could not be seeded: ${seeded.failures.map((f) => JSON.stringify(f)).join(' | ')}`
    );

  // Product names are the ones the plan's experts list as their expertise.
  const [inverter = '', panel = '', battery = ''] = await create(
    client,
    'Product2',
    ['Inverter', 'Solar Panel', 'Battery'].map((Name, i) => ({
      Name,
      ProductCode: `SOL-${100 + i}`,
      Family: 'Solar',
      IsActive: true
    })),
    ['Name']
  );
  const keyAccounts = await client.queryAll<{ Id: string; Name: string }>(
    'SELECT Id, Name FROM Account WHERE Key_Account__c = true ORDER BY Name'
  );
  const keyAccount = (name: string): string => {
    const found = keyAccounts.find((account) => account.Name === name);
    if (!found)
      throw new DemoSeedError(
        `The plan's key account ${name} is not in the org`
      );
    return found.Id;
  };
  const otherAccounts = await create(
    client,
    'Account',
    [
      ['Birchwood Farm', 'California'],
      ['Meadow Lane Residents', 'California'],
      ['Osaka Bakery', 'Kansai']
    ].map(([Name, Region__c]) => ({
      Name,
      Region__c,
      Key_Account__c: false,
      Type: 'Customer - Direct'
    })),
    ['Name']
  );
  // Solar installations: one inverter installation per California customer (the outage),
  // a battery at Kanto Logistics and panels at Pacific Unified Schools.
  const california = [
    keyAccount('Sunrise Apartments'),
    keyAccount('Pacific Unified Schools'),
    ...otherAccounts.slice(0, 2)
  ];
  const installations = [
    ...california.map((AccountId, i) => ({
      Name: `Rooftop inverter installation ${i + 1}`,
      AccountId,
      Product2Id: inverter,
      SerialNumber: `INV-${2040 + i}`
    })),
    {
      Name: 'Warehouse battery storage',
      AccountId: keyAccount('Kanto Logistics'),
      Product2Id: battery,
      SerialNumber: 'BAT-3001'
    },
    {
      Name: 'School rooftop panels',
      AccountId: keyAccount('Pacific Unified Schools'),
      Product2Id: panel,
      SerialNumber: 'PNL-4001'
    }
  ];
  const assets = await create(
    client,
    'Asset',
    installations.map((asset) => ({ ...asset, Status: 'Installed' })),
    ['Name']
  );
  const batteryAsset = assets[california.length] ?? '';
  const panelAsset = assets[california.length + 1] ?? '';
  // Two support centres in two time zones; holidays apply to both (see the README's local org).
  const [europeHours, americasHours] = await create(
    client,
    'BusinessHours',
    [
      {
        Name: 'Support Tokyo',
        IsActive: true,
        IsDefault: false,
        TimeZoneSidKey: 'Asia/Tokyo',
        ...weekdays('09:00', '18:00')
      },
      {
        Name: 'Support California',
        IsActive: true,
        IsDefault: false,
        TimeZoneSidKey: 'America/Los_Angeles',
        ...weekdays('08:00', '17:00')
      }
    ],
    ['Name']
  );
  const year = now.getUTCFullYear();
  await create(
    client,
    'Holiday',
    [
      {
        Name: "New Year's Day",
        IsAllDay: true,
        IsRecurrence: true,
        RecurrenceType: 'RecursYearly',
        RecurrenceInterval: 1,
        RecurrenceMonthOfYear: 'January',
        RecurrenceDayOfMonth: 1,
        RecurrenceStartDate: `${year - 1}-01-01`,
        ActivityDate: `${year - 1}-01-01`
      },
      {
        Name: 'Company training day',
        IsAllDay: true,
        IsRecurrence: false,
        ActivityDate: iso(at + 21 * DAY).slice(0, 10)
      }
    ],
    ['Name']
  );

  // The org's automation derives severity, priority and due times from these inputs.
  const incidents = await create(
    client,
    'Incident',
    [
      {
        Subject: DEMO.severity1Subject,
        Description:
          'Dozens of customers in California report inverters offline since a grid voltage dip.',
        Urgency: 'High',
        Impact: 'High',
        Status: 'New',
        Category: 'Inverters',
        SubCategory: 'Grid Outage',
        // Before the storm's first call, so linkCases' window takes every call in.
        DetectedDateTime: iso(at - 8 * MINUTE)
      },
      {
        Subject: DEMO.breachedSubject,
        Description: 'Battery storage units raise over-temperature alarms.',
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'New',
        Category: 'Batteries',
        SubCategory: 'Battery Fault',
        DetectedDateTime: iso(at - 3 * HOUR)
      },
      {
        Subject: DEMO.warningSubject,
        Description:
          'Several panels lose output faster than rated; a workaround (cleaning schedule) exists.',
        Urgency: 'Medium',
        Impact: 'Medium',
        Status: 'In Progress',
        Category: 'Solar Panels',
        SubCategory: 'Panel Degradation',
        DetectedDateTime: iso(at - 5.5 * DAY),
        Sla_Responded_At__c: iso(at - 5.5 * DAY + 45 * MINUTE)
      },
      {
        Subject: 'Monitoring portal shows stale yields in Tokyo',
        Urgency: 'Medium',
        Impact: 'Medium',
        Status: 'In Progress',
        Category: 'Monitoring',
        BusinessHoursId: europeHours,
        DetectedDateTime: iso(at - 2 * HOUR),
        Sla_Responded_At__c: iso(at - 1.5 * HOUR)
      },
      {
        Subject: 'Installer app crashes on the commissioning screen',
        Urgency: 'Medium',
        Impact: 'Low',
        Status: 'New',
        Category: 'Apps',
        BusinessHoursId: americasHours,
        DetectedDateTime: iso(at - 1 * DAY)
      },
      {
        Subject: 'Meter readings delayed after daylight saving change',
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'Resolved',
        Category: 'Monitoring',
        DetectedDateTime: iso(at - 2 * DAY),
        Sla_Responded_At__c: iso(at - 2 * DAY + 20 * MINUTE),
        ResolutionDateTime: iso(at - 2 * DAY + 5 * HOUR)
      }
    ],
    ['Subject']
  );
  const [severity1, breached, warning] = incidents as [string, string, string];

  const [problemId] = await create(
    client,
    'Problem',
    [
      {
        Subject: DEMO.problemSubject,
        Description:
          'Root cause analysis of the California outage: firmware 4.2 does not resynchronise.',
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'Root Cause Analysis',
        Category: 'Inverters',
        SubCategory: 'Inverter Fault'
      }
    ],
    ['Subject']
  );
  const [changeRequestId] = await create(
    client,
    'ChangeRequest',
    [
      {
        Subject: DEMO.changeSubject,
        Description:
          'Staged remote update of every inverter in California, then notify and close the cases.',
        Impact: 'High',
        Status: 'Scheduled',
        RiskLevel: 'Medium',
        Category: 'Inverters'
      }
    ],
    ['Subject']
  );
  if (!problemId || !changeRequestId)
    throw new DemoSeedError('The demo problem or change request has no id.');
  await create(
    client,
    'ProblemIncident',
    [{ IssueId: problemId, RelatedIssueId: severity1 }],
    ['IssueId', 'RelatedIssueId']
  );
  await create(
    client,
    'ChangeRequestRelatedIssue',
    // The hotfix fixes them (the platform's default, Caused By, would say it broke them), so
    // `incident rollout` on the demo change request resolves both.
    [
      {
        ChangeRequestId: changeRequestId,
        RelatedIssueId: problemId,
        RelationshipType: 'Fixed By'
      },
      {
        ChangeRequestId: changeRequestId,
        RelatedIssueId: severity1,
        RelationshipType: 'Fixed By'
      }
    ],
    ['ChangeRequestId', 'RelatedIssueId']
  );
  // The affected deployments, which linkCases matches the cases against.
  await create(
    client,
    'IncidentRelatedItem',
    [
      { IncidentId: severity1, Product2Id: inverter },
      { IncidentId: breached, AssetId: batteryAsset },
      { IncidentId: warning, AssetId: panelAsset }
    ],
    ['IncidentId', 'Product2Id', 'AssetId']
  );

  // The outage storm: California customers calling about the same failure.
  const stormCases = await create(
    client,
    'Case',
    Array.from({ length: DEMO.stormCases }, (_, i) => ({
      Subject: `Inverter offline, no power from the panels (call ${String(i + 1).padStart(2, '0')})`,
      AccountId: california[i % california.length],
      AssetId: assets[i % california.length],
      Status: i % 3 === 0 ? 'Working' : 'New',
      Priority: 'High',
      Origin: i % 2 === 0 ? 'Phone' : 'Web',
      Type: 'Electrical'
    })),
    ['Subject']
  );
  await create(
    client,
    'Case',
    [
      {
        Subject: 'Battery alarm beeping all night',
        AccountId: keyAccount('Kanto Logistics'),
        AssetId: batteryAsset,
        Status: 'New',
        Priority: 'High',
        Origin: 'Phone'
      },
      {
        Subject: 'Rooftop panels produce 20% less than last year',
        AccountId: keyAccount('Pacific Unified Schools'),
        AssetId: panelAsset,
        Status: 'Working',
        Priority: 'Medium',
        Origin: 'Email'
      }
    ],
    ['Subject']
  );
  for (const incident of [severity1, breached, warning]) {
    const linked = await linkCases(client.conn, { incident });
    if (linked.failed > 0)
      throw new DemoSeedError(
        `linkCases could not link every case to ${incident}: ${JSON.stringify(linked.incidents)}`
      );
  }
  // The problem's cases are linked by hand: linkCases links incidents only.
  await create(
    client,
    'CaseRelatedIssue',
    stormCases
      .slice(0, 3)
      .map((CaseId) => ({ CaseId, RelatedIssueId: problemId })),
    ['CaseId', 'RelatedIssueId']
  );
  // Some customers are already back online: their cases are closed.
  const closed = await client.updateRecords(
    'Case',
    stormCases
      .slice(-DEMO.closedStormCases)
      .map((Id) => ({ Id, Status: 'Closed' }))
  );
  const closeProblems = failures('Case', closed);
  if (closeProblems.length > 0)
    throw new DemoSeedError(
      `Closing cases failed: ${closeProblems.join(' | ')}`
    );
  return {
    severity1IncidentId: severity1,
    breachedIncidentId: breached,
    warningIncidentId: warning,
    problemId,
    changeRequestId
  };
}
