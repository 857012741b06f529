/**
 * `incident sync`: copies the cases changed in a source org since the last run into the hub,
 * with the accounts and contacts they need, each upserted on its source key
 * (`<source org id>:<record id>`), so nothing is ever created twice.
 *
 * Resumable: the watermark (SystemModstamp and Id of the last case copied) lives in the hub, in
 * Incident_Sync_State__c, and moves only after the cases before it are in the hub. A run killed at
 * any point leaves the watermark at or before what was copied; the next run upserts from there,
 * and an upsert of a case already copied changes nothing. Source cases arrive in (SystemModstamp,
 * Id) order, so the pair is a total order and no case is skipped.
 */
import type { OrgClient, RecordOutcome } from '../org-client/index.ts';
import { CaseLinkEvents } from '../timeline/case-events.ts';
import { bulkCell, bulkUpsert } from './bulk.ts';
import { CasesInputError } from './errors.ts';
import {
  findIncidents,
  finishLinks,
  linkCases,
  type LinkResult
} from './link.ts';
import { chunks, queryEvery, queryPages, soqlList } from './org.ts';
import type { CasesPlan } from './plan-schema.ts';
import { apiTime } from './window.ts';

export interface SyncOptions {
  /** Changed cases from which Bulk API 2.0 is used instead of sObject Collections. */
  bulkThreshold?: number;
  /** Close the hub copies of cases deleted in the source. */
  closeDeleted?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Bulk polling interval (tests make it short). */
  bulkPollMs?: number;
  /** Collections path: the least time between two watermark saves (default 30 s). */
  checkpointEveryMs?: number;
}

/**
 * The collections path saves the watermark at the end of the run, and mid-run at most once per
 * this interval: a save per page cost one hub write per 2,000 cases (5 of 56 writes at 10,000),
 * above the floor of one write per 200 cases. A run killed in between loses no case and
 * duplicates none (upserts by key); its successor repeats at most this long a stretch of work.
 */
export const CHECKPOINT_EVERY_MS = 30_000;

export interface SyncFailure {
  key: string;
  object: 'Account' | 'Contact' | 'Case';
  message: string;
}

export interface SyncResult {
  sourceOrgId: string;
  hubOrgId: string;
  path: 'none' | 'collections' | 'bulk';
  changed: number;
  created: number;
  updated: number;
  failed: SyncFailure[];
  accounts: number;
  contacts: number;
  deleted: { keys: string[]; closed: number };
  watermark: string | null;
  /** Watermark saves this run made (hub writes of Incident_Sync_State__c). */
  checkpoints: number;
  linked: Pick<
    LinkResult,
    'linked' | 'alreadyLinked' | 'failed' | 'timeline' | 'outreach'
  > | null;
  /** Bulk only: requests other than status polls, and the polls. */
  bulk?: { calls: number; polls: number };
}

interface SourceCase {
  Id: string;
  SystemModstamp: string;
  Subject: string | null;
  Description: string | null;
  Status: string | null;
  Priority: string | null;
  Origin: string | null;
  AccountId: string | null;
  Account: { Name: string } | null;
  ContactId: string | null;
  Asset: { SerialNumber: string | null } | null;
  Contact: {
    FirstName: string | null;
    LastName: string;
    Email: string | null;
  } | null;
}

interface SyncState {
  Id?: string;
  Watermark__c: string | null;
  Watermark_Case_Id__c: string | null;
  Deleted_Watermark__c: string | null;
  Cases_Synced__c: number | null;
}

const CASE_FIELDS =
  'Id, SystemModstamp, Subject, Description, Status, Priority, Origin, AccountId, Account.Name, Asset.SerialNumber, ContactId, Contact.FirstName, Contact.LastName, Contact.Email';

/** What the hub must have for a sync: the package's keys and the state object. */
const HUB_NEEDS: Record<string, string[]> = {
  Case: ['Source_Case_Key__c'],
  Account: ['Source_Account_Key__c'],
  Contact: ['Source_Contact_Key__c'],
  Incident_Sync_State__c: [
    'Source_Org_Id__c',
    'Watermark__c',
    'Watermark_Case_Id__c',
    'Deleted_Watermark__c',
    'Cases_Synced__c'
  ]
};

async function orgId(client: OrgClient): Promise<string> {
  const rows = await queryEvery<{ Id: string }>(
    client,
    'SELECT Id FROM Organization'
  );
  const id = rows[0]?.Id;
  if (!id) throw new Error('the org did not return its Organization record');
  return id;
}

/** Refuses a hub without the package (before anything is written), naming what is missing. */
async function checkHub(hub: OrgClient): Promise<void> {
  const global = await hub.read('describe global', () =>
    hub.conn.request<{ sobjects: { name: string }[] }>({
      method: 'GET',
      url: `/services/data/v${hub.conn.version}/sobjects`
    })
  );
  const objects = new Set(global.sobjects.map((o) => o.name));
  const missing: string[] = [];
  for (const [object, fields] of Object.entries(HUB_NEEDS)) {
    if (!objects.has(object)) {
      missing.push(object);
      continue;
    }
    const described = await hub.read(`describe ${object}`, () =>
      hub.conn.request<{ fields: { name: string }[] }>({
        method: 'GET',
        url: `/services/data/v${hub.conn.version}/sobjects/${object}/describe`
      })
    );
    const have = new Set(described.fields.map((f) => f.name));
    for (const field of fields)
      if (!have.has(field)) missing.push(`${object}.${field}`);
  }
  if (missing.length > 0)
    throw new CasesInputError(
      `--target-org: the hub org does not have the Incident Console package deployed (missing ${missing.join(', ')}); deploy force-app to it first.`
    );
}

/**
 * An API datetime as a SOQL literal with its milliseconds: the watermark is compared for
 * equality, and cutting it to seconds would read the cases of its last second again.
 */
function soqlInstant(value: string): string {
  const ms = apiTime(value);
  if (Number.isNaN(ms)) throw new Error(`not an API datetime: ${value}`);
  return new Date(ms).toISOString();
}

function afterWatermark(state: SyncState | undefined): string {
  const at = state?.Watermark__c;
  if (!at) return '';
  const id = state.Watermark_Case_Id__c;
  const stamp = soqlInstant(at);
  return id
    ? ` WHERE (SystemModstamp > ${stamp} OR (SystemModstamp = ${stamp} AND Id > '${id}'))`
    : ` WHERE SystemModstamp > ${stamp}`;
}

export async function syncCases(
  source: OrgClient,
  hub: OrgClient,
  plan: CasesPlan,
  options: SyncOptions = {}
): Promise<SyncResult> {
  const bulkThreshold = options.bulkThreshold ?? plan.sync.bulkThreshold;
  if (!Number.isInteger(bulkThreshold) || bulkThreshold < 1)
    throw new CasesInputError(
      `--bulk-threshold: ${bulkThreshold} is not a whole number of 1 or more.`
    );
  const [sourceOrgId, hubOrgId] = await Promise.all([
    orgId(source),
    orgId(hub)
  ]);
  if (sourceOrgId === hubOrgId)
    throw new CasesInputError(
      `--source-org and --target-org are the same org (${hubOrgId}); sync copies cases from another org into the hub.`
    );
  await checkHub(hub);

  const states = await queryEvery<SyncState>(
    hub,
    `SELECT Id, Watermark__c, Watermark_Case_Id__c, Deleted_Watermark__c, Cases_Synced__c FROM Incident_Sync_State__c WHERE Source_Org_Id__c = '${sourceOrgId}'`
  );
  const state = states[0];
  const where = afterWatermark(state);
  const counted = await source.read('count changed cases', () =>
    source.conn.request<{ totalSize: number }>({
      method: 'GET',
      url: `/services/data/v${source.conn.version}/query?q=${encodeURIComponent(`SELECT COUNT() FROM Case${where}`)}`
    })
  );
  const changed = counted.totalSize;
  const result: SyncResult = {
    sourceOrgId,
    hubOrgId,
    path:
      changed === 0
        ? 'none'
        : changed >= bulkThreshold
          ? 'bulk'
          : 'collections',
    changed,
    created: 0,
    updated: 0,
    failed: [],
    accounts: 0,
    contacts: 0,
    deleted: { keys: [], closed: 0 },
    watermark: state?.Watermark__c ?? null,
    checkpoints: 0,
    linked: null
  };
  const openIncidents =
    changed > 0 ? (await findIncidents(hub, undefined)).length : 0;
  const keys = new Keys(sourceOrgId);
  let synced = state?.Cases_Synced__c ?? 0;
  const soql = `SELECT ${CASE_FIELDS} FROM Case${where} ORDER BY SystemModstamp, Id`;

  const checkpoint = async (last: SourceCase, count: number): Promise<void> => {
    synced += count;
    const outcome = await hub.upsertRecords(
      'Incident_Sync_State__c',
      'Source_Org_Id__c',
      [
        {
          Source_Org_Id__c: sourceOrgId,
          Name: sourceOrgId,
          Watermark__c: last.SystemModstamp,
          Watermark_Case_Id__c: last.Id,
          Cases_Synced__c: synced
        }
      ]
    );
    if (!outcome[0]?.success)
      throw new Error(
        `could not save the sync watermark: ${outcome[0]?.errors[0]?.message ?? 'no result'}`
      );
    result.watermark = last.SystemModstamp;
    result.checkpoints++;
  };

  // One CaseLinked event per incident for the whole run, written once the cases are linked,
  // then the outreach of the incidents that got new links.
  const linkEvents = new CaseLinkEvents('sync');
  const recordLinks = async (): Promise<void> => {
    if (result.linked)
      Object.assign(result.linked, await finishLinks(hub, linkEvents));
  };
  const link = async (caseIds: string[]): Promise<void> => {
    if (openIncidents === 0 || caseIds.length === 0) return;
    const linked = await linkCases(hub, plan, { caseIds, events: linkEvents });
    result.linked ??= {
      linked: 0,
      alreadyLinked: 0,
      failed: 0,
      timeline: null,
      outreach: null
    };
    result.linked.linked += linked.linked;
    result.linked.alreadyLinked += linked.alreadyLinked;
    result.linked.failed += linked.failed;
  };

  let done = 0;
  if (result.path === 'collections') {
    const every = options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS;
    // The last case of the pages in the hub since the last save, and how many they hold.
    let pending: { last: SourceCase; count: number } | undefined;
    let savedAt = Date.now();
    const save = async (): Promise<void> => {
      if (!pending) return;
      await checkpoint(pending.last, pending.count);
      pending = undefined;
      savedAt = Date.now();
    };
    try {
      // The source's next page is read while the hub writes this one: two orgs, two servers.
      for await (const page of readAhead(
        queryPages<SourceCase>(source, soql)
      )) {
        // A failed case stops the watermark before it, so the next run tries it again.
        const ids = await upsertPageCollections(hub, keys, page, result);
        await link(ids.hubIds);
        const last = ids.lastContiguous;
        if (last) pending = { last, count: (pending?.count ?? 0) + ids.count };
        done += page.length;
        options.onProgress?.(done, changed);
        if (ids.stopped) break;
        if (Date.now() - savedAt >= every) await save();
      }
    } catch (error) {
      // Keep what landed before the failure; if the hub cannot take the save either, the
      // failure that stopped the run is the one to report.
      await save().catch(() => undefined);
      await recordLinks().catch(() => undefined);
      throw error;
    }
    await save();
  } else if (result.path === 'bulk') {
    const cases: SourceCase[] = [];
    for await (const page of queryPages<SourceCase>(source, soql))
      cases.push(...page);
    const ids = await upsertBulk(hub, keys, cases, result, options.bulkPollMs);
    await link(ids.hubIds);
    if (ids.lastContiguous) await checkpoint(ids.lastContiguous, ids.count);
    options.onProgress?.(cases.length, changed);
  }
  await recordLinks();
  result.accounts = keys.accounts.size;
  result.contacts = keys.contacts.size;
  await handleDeleted(
    source,
    hub,
    sourceOrgId,
    state,
    result,
    options.closeDeleted === true
  );
  return result;
}

/**
 * The items of `items`, the next one asked for as soon as the current one is handed out, so
 * the producer's wait (a read from the source org) overlaps the consumer's work (writes to the
 * hub). A read that fails meanwhile is thrown when its turn comes; one item ahead at most.
 */
export async function* readAhead<T>(
  items: AsyncIterator<T>
): AsyncGenerator<T> {
  // Each read is handled as it is asked for, so one failing while the consumer works is not
  // an unhandled rejection; awaiting it at its turn still throws.
  const ask = (): Promise<IteratorResult<T>> => {
    const read = items.next();
    read.catch(() => undefined);
    return read;
  };
  let next = ask();
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = ask();
      yield current.value;
    }
  } finally {
    // A consumer that stops early (a failed page) closes the source's query too.
    await items.return?.().catch(() => undefined);
  }
}

/** Source keys and the hub ids they were given in this run (so a page does not upsert one twice). */
class Keys {
  readonly accounts = new Map<string, string>();
  readonly contacts = new Map<string, string>();
  /** Asset serial number to the hub's asset of that serial, null when the hub has none. */
  readonly assets = new Map<string, string | null>();
  constructor(readonly orgId: string) {}
  key(id: string): string {
    return `${this.orgId}:${id}`;
  }
}

interface PageOutcome {
  hubIds: string[];
  /** The last case such that it and every case before it in the run are in the hub. */
  lastContiguous: SourceCase | undefined;
  count: number;
  stopped: boolean;
}

function accountRow(keys: Keys, c: SourceCase): Record<string, unknown> | null {
  if (!c.AccountId) return null;
  return {
    Source_Account_Key__c: keys.key(c.AccountId),
    Name: c.Account?.Name ?? c.AccountId
  };
}

function contactRow(keys: Keys, c: SourceCase): Record<string, unknown> | null {
  if (!c.ContactId || !c.Contact) return null;
  return {
    Source_Contact_Key__c: keys.key(c.ContactId),
    FirstName: c.Contact.FirstName,
    LastName: c.Contact.LastName,
    Email: c.Contact.Email,
    AccountId: c.AccountId
      ? (keys.accounts.get(keys.key(c.AccountId)) ?? null)
      : null
  };
}

function caseRow(keys: Keys, c: SourceCase): Record<string, unknown> {
  return {
    Source_Case_Key__c: keys.key(c.Id),
    Subject: c.Subject,
    Description: c.Description,
    Status: c.Status,
    Priority: c.Priority,
    Origin: c.Origin,
    AccountId: c.AccountId
      ? (keys.accounts.get(keys.key(c.AccountId)) ?? null)
      : null,
    ContactId: c.ContactId
      ? (keys.contacts.get(keys.key(c.ContactId)) ?? null)
      : null,
    AssetId: hubAsset(keys, c)
  };
}

function hubAsset(keys: Keys, c: SourceCase): string | null {
  const serial = c.Asset?.SerialNumber;
  return serial ? (keys.assets.get(serial) ?? null) : null;
}

/**
 * The hub's assets for the cases' installations. An installation is the same in every org by
 * its serial number, so a synced case points at the hub's asset of that serial (and `link`
 * can then attach it by deployment); assets are not copied, the hub owns them.
 */
async function resolveAssets(
  hub: OrgClient,
  keys: Keys,
  cases: readonly SourceCase[]
): Promise<void> {
  const serials = [
    ...new Set(
      cases
        .map((c) => c.Asset?.SerialNumber)
        .filter((s): s is string => typeof s === 'string' && s !== '')
        .filter((s) => !keys.assets.has(s))
    )
  ];
  for (const batch of chunks(serials, 200)) {
    for (const serial of batch) keys.assets.set(serial, null);
    const rows = await queryEvery<{ Id: string; SerialNumber: string }>(
      hub,
      `SELECT Id, SerialNumber FROM Asset WHERE SerialNumber IN ${soqlList(batch)}`
    );
    for (const row of rows) keys.assets.set(row.SerialNumber, row.Id);
  }
}

/** The parent rows of a page not yet upserted in this run, once each. */
function newParents(
  page: readonly SourceCase[],
  make: (c: SourceCase) => Record<string, unknown> | null,
  field: string,
  known: Map<string, string>
): Record<string, unknown>[] {
  const rows = new Map<string, Record<string, unknown>>();
  for (const c of page) {
    const row = make(c);
    const key = row ? String(row[field]) : undefined;
    if (row && key && !known.has(key)) rows.set(key, row);
  }
  return [...rows.values()];
}

function remember(
  rows: readonly Record<string, unknown>[],
  outcomes: readonly RecordOutcome[],
  field: string,
  known: Map<string, string>,
  object: SyncFailure['object'],
  result: SyncResult
): void {
  rows.forEach((row, index) => {
    const outcome = outcomes[index];
    const key = String(row[field]);
    if (outcome?.success && outcome.id) known.set(key, outcome.id);
    else
      result.failed.push({
        key,
        object,
        message: outcome?.errors[0]?.message ?? 'no result'
      });
  });
}

async function upsertPageCollections(
  hub: OrgClient,
  keys: Keys,
  page: readonly SourceCase[],
  result: SyncResult
): Promise<PageOutcome> {
  // Accounts before contacts: a contact row carries its account's hub id.
  for (const parent of PARENTS) {
    const known = parent.known(keys);
    const rows = newParents(
      page,
      (c) => parent.row(keys, c),
      parent.field,
      known
    );
    if (rows.length > 0)
      remember(
        rows,
        await hub.upsertRecords(parent.object, parent.field, rows),
        parent.field,
        known,
        parent.object,
        result
      );
  }
  await resolveAssets(hub, keys, page);
  const rows = page.map((c) => caseRow(keys, c));
  const outcomes = await hub.upsertRecords('Case', 'Source_Case_Key__c', rows);
  return settle(
    page,
    rows,
    outcomes.map((o) => ({
      id: o.id ?? null,
      created: o.created === true,
      error: o.success ? null : (o.errors[0]?.message ?? 'failed')
    })),
    result
  );
}

function settle(
  page: readonly SourceCase[],
  rows: readonly Record<string, unknown>[],
  outcomes: readonly {
    id: string | null;
    created: boolean;
    error: string | null;
  }[],
  result: SyncResult
): PageOutcome {
  const hubIds: string[] = [];
  let lastContiguous: SourceCase | undefined;
  let stopped = false;
  let count = 0;
  page.forEach((c, index) => {
    const outcome = outcomes[index];
    const key = String(rows[index]?.Source_Case_Key__c);
    if (outcome?.error === null && outcome.id) {
      hubIds.push(outcome.id);
      if (outcome.created) result.created++;
      else result.updated++;
      if (!stopped) {
        lastContiguous = c;
        count++;
      }
    } else {
      result.failed.push({
        key,
        object: 'Case',
        message: outcome?.error ?? 'no result'
      });
      stopped = true;
    }
  });
  return { hubIds, lastContiguous, count, stopped };
}

/**
 * The columns sync writes to the hub per object, keyed first: the Bulk jobs' CSV headers, and
 * the benchmark's baseline ingests rows of exactly these columns.
 */
export const SYNC_COLUMNS = {
  Account: ['Source_Account_Key__c', 'Name'],
  Contact: [
    'Source_Contact_Key__c',
    'FirstName',
    'LastName',
    'Email',
    'AccountId'
  ],
  Case: [
    'Source_Case_Key__c',
    'Subject',
    'Description',
    'Status',
    'Priority',
    'Origin',
    'AccountId',
    'ContactId',
    'AssetId'
  ]
} as const;
/** The parents a case needs in the hub, in the order they are written (accounts first). */
const PARENTS = [
  {
    object: 'Account',
    field: 'Source_Account_Key__c',
    columns: SYNC_COLUMNS.Account,
    row: accountRow,
    known: (keys: Keys) => keys.accounts
  },
  {
    object: 'Contact',
    field: 'Source_Contact_Key__c',
    columns: SYNC_COLUMNS.Contact,
    row: contactRow,
    known: (keys: Keys) => keys.contacts
  }
] as const;

function csvRow(
  row: Record<string, unknown> | null,
  columns: readonly string[]
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const column of columns) out[column] = bulkCell(row?.[column]);
  return out;
}

/** One Bulk API 2.0 job per object: accounts, then contacts (they need account ids), then cases. */
async function upsertBulk(
  hub: OrgClient,
  keys: Keys,
  cases: readonly SourceCase[],
  result: SyncResult,
  pollMs: number | undefined
): Promise<PageOutcome> {
  const calls = { calls: 0, polls: 0 };
  const run = async (
    object: SyncFailure['object'],
    field: string,
    columns: readonly string[],
    rows: readonly Record<string, unknown>[],
    known?: Map<string, string>
  ): Promise<
    Map<string, { id: string | null; created: boolean; error: string | null }>
  > => {
    const out = new Map<
      string,
      { id: string | null; created: boolean; error: string | null }
    >();
    if (rows.length === 0) return out;
    const answer = await bulkUpsert(
      hub,
      object,
      field,
      columns,
      rows.map((r) => csvRow(r, columns)),
      pollMs === undefined ? {} : { pollMs }
    );
    calls.calls += answer.calls;
    calls.polls += answer.polls;
    for (const row of answer.rows) {
      out.set(row.key, row);
      if (known && row.id) known.set(row.key, row.id);
      if (known && row.error)
        result.failed.push({ key: row.key, object, message: row.error });
    }
    return out;
  };
  for (const parent of PARENTS) {
    const known = parent.known(keys);
    await run(
      parent.object,
      parent.field,
      parent.columns,
      newParents(cases, (c) => parent.row(keys, c), parent.field, known),
      known
    );
  }
  await resolveAssets(hub, keys, cases);
  const rows = cases.map((c) => caseRow(keys, c));
  const answers = await run(
    'Case',
    'Source_Case_Key__c',
    SYNC_COLUMNS.Case,
    rows
  );
  result.bulk = calls;
  return settle(
    cases,
    rows,
    rows.map(
      (r) =>
        answers.get(String(r.Source_Case_Key__c)) ?? {
          id: null,
          created: false,
          error: 'no result from the bulk job'
        }
    ),
    result
  );
}

/**
 * Cases deleted in the source since the last run (queryAll sees them with IsDeleted): reported,
 * and with closeDeleted their hub copies are closed. Never deleted in the hub: the hub's
 * history (links to incidents) stays.
 */
async function handleDeleted(
  source: OrgClient,
  hub: OrgClient,
  sourceOrgId: string,
  state: SyncState | undefined,
  result: SyncResult,
  close: boolean
): Promise<void> {
  const since = state?.Deleted_Watermark__c;
  const filter = since ? ` AND SystemModstamp > ${soqlInstant(since)}` : '';
  let newest: string | null = since ?? null;
  for await (const page of queryPages<{ Id: string; SystemModstamp: string }>(
    source,
    `SELECT Id, SystemModstamp FROM Case WHERE IsDeleted = true${filter} ORDER BY SystemModstamp, Id`,
    { all: true }
  )) {
    const pageKeys = page.map((c) => `${sourceOrgId}:${c.Id}`);
    result.deleted.keys.push(...pageKeys);
    if (close) {
      const copies = await queryEvery<{ Id: string; IsClosed: boolean }>(
        hub,
        `SELECT Id, IsClosed FROM Case WHERE Source_Case_Key__c IN ${soqlList(pageKeys)}`
      );
      const open = copies
        .filter((c) => !c.IsClosed)
        .map((c) => ({ Id: c.Id, Status: 'Closed' }));
      if (open.length > 0) {
        const outcomes = await hub.updateRecords('Case', open);
        result.deleted.closed += outcomes.filter((o) => o.success).length;
      }
    }
    newest = page[page.length - 1]?.SystemModstamp ?? newest;
  }
  // Only a run that closes moves the deleted watermark: a report-only run must not hide deletions from a later --close-deleted.
  if (close && newest && newest !== since) {
    await hub.upsertRecords('Incident_Sync_State__c', 'Source_Org_Id__c', [
      {
        Source_Org_Id__c: sourceOrgId,
        Name: sourceOrgId,
        Deleted_Watermark__c: newest
      }
    ]);
  }
}
