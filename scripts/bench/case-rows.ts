/**
 * Realistic Case rows for the benchmark: a seeded generator, so every run (and every ingest
 * path within a run) writes exactly the same subjects, picklist values and descriptions.
 * Descriptions are a few hundred characters, like a customer's first message, because row
 * width drives both JSON/CSV encoding and SQLite page cost.
 */
import { seededRandom } from '../shared/seeded-random.ts';

export interface CaseRow {
  Subject: string;
  Status: string;
  Priority: string;
  Origin: string;
  Description: string;
  /** Index into the seeded accounts; the ingest path maps it to that org's Account id. */
  accountIndex: number;
  Source_Case_Key__c: string;
}

export const ACCOUNT_NAMES = [
  'Northwind Utilities',
  'Blue Harbor Logistics',
  'Cedar Ridge Clinics',
  'Summit Solar Cooperative',
  'Lakeside Municipal Water'
];

/** Case picklist values from the standard Case schema (Status, Priority, Origin). */
const STATUSES = ['New', 'New', 'Working', 'Working', 'Escalated', 'Closed'];
const PRIORITIES = ['High', 'Medium', 'Medium', 'Low'];
const ORIGINS = ['Phone', 'Email', 'Web'];

const SYMPTOMS = [
  'Portal login fails with a timeout',
  'Smart meter stopped reporting readings',
  'Invoice shows duplicate charges',
  'Outage notification never arrived',
  'Mobile app crashes on the usage screen',
  'Field technician visit was not scheduled',
  'Payment was declined twice',
  'Data export is missing last month',
  'Password reset email is delayed',
  'Dashboard shows stale consumption figures'
];

const SITES = [
  'main office',
  'warehouse 3',
  'the Elm Street site',
  'our branch in Portland',
  'the north substation',
  'the call centre'
];

const SENTENCES = [
  'Since this morning several users at {site} have reported the same problem.',
  'We first noticed it after the maintenance window announced last week.',
  'Restarting the device and clearing the browser cache did not help.',
  'The error appears roughly every ten minutes and lasts for a few seconds.',
  'Our operations team needs this resolved before the end of the billing cycle.',
  'Attached are the screenshots and the reference number from the last call.',
  'Please call back on the main number; the account owner is travelling.',
  'This is affecting customer-facing services, so we would appreciate an update today.',
  'A colleague at {site} says the issue started after the firmware update.',
  'We have checked the network and other services at {site} work normally.'
];

function pick<T>(random: () => number, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new RangeError('pick from an empty list');
  return value;
}

/** `count` case rows; the same seed always gives the same rows. */
export function caseRows(count: number, seed = 20240611): CaseRow[] {
  const random = seededRandom(seed);
  const rows: CaseRow[] = [];
  for (let i = 0; i < count; i++) {
    const site = pick(random, SITES);
    const sentenceCount = 3 + Math.floor(random() * 4);
    const sentences: string[] = [];
    for (let s = 0; s < sentenceCount; s++)
      sentences.push(pick(random, SENTENCES).replaceAll('{site}', site));
    rows.push({
      Subject: `${pick(random, SYMPTOMS)} at ${site}`,
      Status: pick(random, STATUSES),
      Priority: pick(random, PRIORITIES),
      Origin: pick(random, ORIGINS),
      Description: sentences.join(' '),
      accountIndex: Math.floor(random() * ACCOUNT_NAMES.length),
      // <source org id>:<case id>: the key the sync gives a case copied from another org.
      Source_Case_Key__c: `00D5g000004SrcAEAS:5005g00000${String(i).padStart(8, '0')}`
    });
  }
  return rows;
}

export interface CaseRecord {
  Subject: string;
  Status: string;
  Priority: string;
  Origin: string;
  Description: string;
  AccountId: string;
  Source_Case_Key__c: string;
}

/** The row as an sObject for one org: the account index replaced by that org's Account id. */
export function caseRecord(
  row: CaseRow,
  accountIds: readonly string[]
): CaseRecord {
  const accountId = accountIds[row.accountIndex];
  if (accountId === undefined)
    throw new RangeError(`no seeded account ${String(row.accountIndex)}`);
  return {
    Subject: row.Subject,
    Status: row.Status,
    Priority: row.Priority,
    Origin: row.Origin,
    Description: row.Description,
    AccountId: accountId,
    Source_Case_Key__c: row.Source_Case_Key__c
  };
}
