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
 */
import type { OrgClient, RecordOutcome } from '../org-client/index.ts';
import { literal } from './controller/incident-console-controller.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Fields = Record<string, unknown>;

/** The records the browser tests and the benchmark look for by name. */
export const DEMO = {
  severity1Subject: 'Regional outage: inverters offline in the North region',
  breachedSubject: 'Battery storage alarms at Fjord Energy Coop',
  warningSubject: 'Panels degrading early on Harbour Schools rooftops',
  problemSubject: 'Inverter firmware 4.2 loses grid sync after a voltage dip',
  changeSubject: 'Roll out inverter firmware 4.2.1 to the North region',
  stormCases: 40
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

function shift(timeZone: string, start: string, end: string): string {
  const day = { start, end };
  return JSON.stringify({
    timeZone,
    weekly: {
      monday: day,
      tuesday: day,
      wednesday: day,
      thursday: day,
      friday: day
    }
  });
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
  const productNames = [
    'VoltBridge Inverter',
    'SunPeak 400 Panel',
    'HeliosStore Battery'
  ];
  const products = await create(
    client,
    'Product2',
    productNames.map((Name, i) => ({
      Name,
      ProductCode: `SOL-${100 + i}`,
      Family: 'Solar',
      IsActive: true
    })),
    ['Name']
  );
  const accountRows = [
    ['Nordlys Housing Association', 'North', true],
    ['Fjord Energy Coop', 'North', true],
    ['Birchwood Farm', 'North', false],
    ['Harbour Schools Trust', 'West', true],
    ['Southbank Dental', 'South', false],
    ['Meadow Lane Residents', 'North', false]
  ] as const;
  const accounts = await create(
    client,
    'Account',
    accountRows.map(([Name, Region__c, Key_Account__c]) => ({
      Name,
      Region__c,
      Key_Account__c,
      Type: 'Customer - Direct'
    })),
    ['Name']
  );
  const accountId = (index: number): string => accounts[index] ?? '';
  const assets = await create(
    client,
    'Asset',
    accountRows.map(([name], i) => ({
      Name: `${name} rooftop installation`,
      AccountId: accountId(i),
      Product2Id: products[i % 2 === 0 ? 0 : 1],
      SerialNumber: `INST-${2040 + i}`,
      Status: 'Installed'
    })),
    ['Name']
  );
  // Two support centres in two time zones; holidays apply to both (see the README's local org).
  const [europeHours, americasHours] = await create(
    client,
    'BusinessHours',
    [
      {
        Name: 'Support Europe',
        IsActive: true,
        IsDefault: false,
        TimeZoneSidKey: 'Europe/Berlin',
        ...weekdays('08:00', '18:00')
      },
      {
        Name: 'Support Americas',
        IsActive: true,
        IsDefault: false,
        TimeZoneSidKey: 'America/New_York',
        ...weekdays('09:00', '17:00')
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
          'Dozens of customers in the North region report inverters offline since a grid voltage dip.',
        Urgency: 'High',
        Impact: 'High',
        Status: 'New',
        Category: 'Inverters',
        SubCategory: 'Grid sync',
        DetectedDateTime: iso(at - 8 * MINUTE)
      },
      {
        Subject: DEMO.breachedSubject,
        Description: 'Battery storage units raise over-temperature alarms.',
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'New',
        Category: 'Batteries',
        DetectedDateTime: iso(at - 3 * HOUR)
      },
      {
        Subject: DEMO.warningSubject,
        Description:
          'Several panels lose output faster than rated; a workaround (cleaning schedule) exists.',
        Urgency: 'Medium',
        Impact: 'Medium',
        Status: 'In Progress',
        Category: 'Panels',
        DetectedDateTime: iso(at - 5.5 * DAY),
        Sla_Responded_At__c: iso(at - 5.5 * DAY + 45 * MINUTE)
      },
      {
        Subject: 'Monitoring portal shows stale yields',
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
          'Root cause analysis of the North region outage: firmware 4.2 does not resynchronise.',
        Urgency: 'High',
        Impact: 'Medium',
        Status: 'Root Cause Analysis',
        Category: 'Inverters',
        SubCategory: 'Firmware'
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
          'Staged remote update of every VoltBridge inverter in the North region.',
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
    [
      { ChangeRequestId: changeRequestId, RelatedIssueId: problemId },
      { ChangeRequestId: changeRequestId, RelatedIssueId: severity1 }
    ],
    ['ChangeRequestId', 'RelatedIssueId']
  );
  await create(
    client,
    'IncidentRelatedItem',
    [
      { IncidentId: severity1, Product2Id: products[0] },
      { IncidentId: severity1, AssetId: assets[0] },
      { IncidentId: breached, Product2Id: products[2] }
    ],
    ['IncidentId', 'Product2Id', 'AssetId']
  );

  // The outage storm: North region customers calling about the same failure.
  const north = accountRows.flatMap(([, region], i) =>
    region === 'North' ? [accountId(i)] : []
  );
  const stormCases = await create(
    client,
    'Case',
    Array.from({ length: DEMO.stormCases }, (_, i) => ({
      Subject: `Inverter offline, no power from the panels (call ${String(i + 1).padStart(2, '0')})`,
      AccountId: north[i % north.length],
      Status: i < 6 ? 'Closed' : i % 3 === 0 ? 'Working' : 'New',
      Priority: 'High',
      Origin: i % 2 === 0 ? 'Phone' : 'Web',
      Type: 'Electrical'
    })),
    ['Subject']
  );
  const otherCases = await create(
    client,
    'Case',
    [
      {
        Subject: 'Battery alarm beeping all night',
        AccountId: accountId(1),
        Status: 'New',
        Priority: 'High',
        Origin: 'Phone'
      },
      {
        Subject: 'Rooftop panels produce 20% less than last year',
        AccountId: accountId(3),
        Status: 'Working',
        Priority: 'Medium',
        Origin: 'Email'
      }
    ],
    ['Subject']
  );
  await create(
    client,
    'CaseRelatedIssue',
    [
      ...stormCases.map((CaseId) => ({ CaseId, RelatedIssueId: severity1 })),
      { CaseId: otherCases[0], RelatedIssueId: breached },
      { CaseId: otherCases[1], RelatedIssueId: warning },
      ...stormCases
        .slice(0, 3)
        .map((CaseId) => ({ CaseId, RelatedIssueId: problemId }))
    ],
    ['CaseId', 'RelatedIssueId']
  );

  // The roster, with shifts in two time zones (Europe/Berlin and America/New_York).
  await create(
    client,
    'Incident_Roster_Member__c',
    [
      {
        Name: 'Ingrid Solberg',
        External_Id__c: 'demo-incident-manager',
        Role__c: 'Incident Owner',
        Email__c: 'ingrid.solberg@example.com',
        Phone__c: '+47 22 00 10 01',
        Active__c: true,
        Shift__c: shift('Europe/Berlin', '07:00', '19:00')
      },
      {
        Name: 'Marcus Reed',
        External_Id__c: 'demo-inverter-expert',
        Role__c: 'Technical Expert',
        Email__c: 'marcus.reed@example.com',
        Phone__c: '+1 617 555 0142',
        Expertise__c: 'Inverters;VoltBridge Inverter;Grid sync',
        Active__c: true,
        Shift__c: shift('America/New_York', '08:00', '17:00')
      },
      {
        Name: 'Aiko Tanaka',
        External_Id__c: 'demo-battery-expert',
        Role__c: 'Technical Expert',
        Email__c: 'aiko.tanaka@example.com',
        Phone__c: '+49 30 555 0188',
        Expertise__c: 'Batteries;HeliosStore Battery',
        Active__c: true,
        Shift__c: shift('Europe/Berlin', '09:00', '17:00')
      },
      {
        Name: 'Lena Fischer',
        External_Id__c: 'demo-panel-expert',
        Role__c: 'Technical Expert',
        Email__c: 'lena.fischer@example.com',
        Expertise__c: 'Panels;SunPeak 400 Panel',
        Active__c: true
      },
      {
        Name: 'Olav Berg',
        External_Id__c: 'demo-slm-nordlys',
        Role__c: 'Service Level Manager',
        Email__c: 'olav.berg@example.com',
        Phone__c: '+47 22 00 10 07',
        Account__c: accountId(0),
        Active__c: true,
        Shift__c: shift('Europe/Berlin', '08:00', '16:00')
      },
      {
        Name: 'Sara Lindqvist',
        External_Id__c: 'demo-slm-fjord',
        Role__c: 'Service Level Manager',
        Email__c: 'sara.lindqvist@example.com',
        Account__c: accountId(1),
        Active__c: true
      },
      {
        Name: 'Dana Brooks',
        External_Id__c: 'demo-on-duty-americas',
        Role__c: 'On-Duty Customer Service Manager',
        Email__c: 'dana.brooks@example.com',
        Phone__c: '+1 212 555 0199',
        Active__c: true,
        Shift__c: shift('America/New_York', '09:00', '17:00')
      },
      {
        Name: 'Jonas Weber',
        External_Id__c: 'demo-on-duty-europe',
        Role__c: 'On-Duty Customer Service Manager',
        Email__c: 'jonas.weber@example.com',
        Phone__c: '+49 30 555 0101',
        Active__c: true,
        Shift__c: shift('Europe/Berlin', '08:00', '18:00')
      }
    ],
    ['External_Id__c']
  );
  return {
    severity1IncidentId: severity1,
    breachedIncidentId: breached,
    warningIncidentId: warning,
    problemId,
    changeRequestId
  };
}
