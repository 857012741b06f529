/**
 * `incident link`: attaches the open cases on an incident's affected deployments (its
 * IncidentRelatedItem assets and products) to the incident with CaseRelatedIssue. A case names
 * its installation by AssetId; Case has no product field of its own, so a product item matches
 * the cases whose asset is of that product (Asset.Product2Id).
 *
 * Never a second link: the cases already linked are read first, and the platform itself refuses
 * a second CaseRelatedIssue for the same case and issue (DUPLICATE_VALUE), which is what keeps two
 * concurrent runs safe: the loser of a race is counted as already linked, not as a failure.
 */
import type { OrgClient } from '../org-client/index.ts';
import { ensureOutreach } from '../respond/outreach.ts';
import { CaseLinkEvents, type LinkedCase } from '../timeline/case-events.ts';
import {
  eventWriteSummary,
  type EventWriteSummary
} from '../timeline/events.ts';
import { CasesInputError } from './errors.ts';
import { chunks, queryEvery, queryPages, soqlList } from './org.ts';
import type { CasesPlan } from './plan-schema.ts';
import { apiTime, parseDuration, soqlDateTime } from './window.ts';

export interface LinkOptions {
  /** An incident number or Id; all open incidents when absent. */
  incident?: string;
  /** How long before DetectedDateTime a case may have been opened (90m, 24h, 2d); the plan's default. */
  window?: string;
  dryRun?: boolean;
  /** Only these cases are considered (sync links the cases it has just brought in). */
  caseIds?: readonly string[];
  /**
   * Gathers the run's CaseLinked timeline events (one per incident). Sync passes its own and
   * writes them at the end of its run; without one, link writes its own when it is done.
   */
  events?: CaseLinkEvents;
  onProgress?: (done: number, total: number) => void;
}

export interface LinkFailure {
  caseId: string;
  statusCode: string;
  message: string;
}

export interface IncidentLinkReport {
  id: string;
  number: string;
  subject: string;
  windowStart: string;
  /** Cases linked by this run (dry run: that it would link). */
  linked: number;
  alreadyLinked: number;
  failed: LinkFailure[];
  /** Distinct accounts of all cases linked to the incident after the run. */
  affectedAccounts: number;
  /** Dry run only: the cases it would link. */
  wouldLink?: {
    caseId: string;
    caseNumber: string;
    accountId: string | null;
  }[];
}

export interface LinkResult {
  dryRun: boolean;
  incidents: IncidentLinkReport[];
  linked: number;
  alreadyLinked: number;
  failed: number;
  affectedAccounts: number;
  /** The CaseLinked events written (null: a dry run, or the caller writes them). */
  timeline: EventWriteSummary | null;
  /**
   * The executive outreach the incidents that got new links needed (null: nothing was linked, a
   * dry run, or the caller ensures it).
   */
  outreach: OutreachSummary | null;
}

/** What a command reports of its outreach call (in --json and as text): keys created, each failure. */
export interface OutreachSummary {
  created: string[];
  failed: { key: string; statusCode: string; message: string }[];
}

/**
 * After a run's links: its CaseLinked events (one per incident), then the executive outreach
 * (T10) of the incidents that got new links. On a real org nothing else creates that outreach
 * when a case is linked (no trigger on CaseRelatedIssue ships), so every tooling path that links
 * (link, sync, detect --create) ends here or in ensureLinkedOutreach. No call when nothing was
 * linked; ensureOutreach writes only the missing records, so a rerun and the local org's own
 * after-save leave one record per incident and account.
 */
export async function finishLinks(
  client: OrgClient,
  events: CaseLinkEvents
): Promise<{ timeline: EventWriteSummary; outreach: OutreachSummary | null }> {
  const incidentIds = events.events().map((e) => e.incidentId);
  const timeline = eventWriteSummary(await events.write(client));
  return {
    timeline,
    outreach: await ensureLinkedOutreach(client, incidentIds)
  };
}

/** ensureOutreach for incidents that got new links, as a command reports it; null for none. */
export async function ensureLinkedOutreach(
  client: OrgClient,
  incidentIds: readonly string[]
): Promise<OutreachSummary | null> {
  if (incidentIds.length === 0) return null;
  const result = await ensureOutreach(client, incidentIds);
  return {
    created: result.created,
    failed: result.failed.map((f) => ({
      key: f.key,
      statusCode: f.errors[0]?.statusCode ?? 'UNKNOWN',
      message: f.errors[0]?.message ?? 'the org gave no reason'
    }))
  };
}

interface IncidentRow {
  Id: string;
  IncidentNumber: string;
  Subject: string | null;
  DetectedDateTime: string | null;
  CreatedDate: string;
}

interface ItemRow {
  IncidentId: string;
  AssetId: string | null;
  Product2Id: string | null;
}

interface CaseRow {
  Id: string;
  CaseNumber: string;
  AccountId: string | null;
}

interface LinkRow {
  CaseId: string;
  Case: { AccountId: string | null } | null;
}

/** Ids in a SOQL IN list per query: keeps the URL well under the platform's limits. */
const IDS_PER_QUERY = 200;

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** An incident reference: an Id (15 or 18 characters, not all digits) or an IncidentNumber. */
function incidentFilter(ref: string): string {
  const trimmed = ref.trim();
  if (trimmed === '')
    throw new CasesInputError('--incident: give an incident number or Id.');
  return ID_SHAPE.test(trimmed) && !/^\d+$/.test(trimmed)
    ? `Id = ${soqlList([trimmed]).slice(1, -1)}`
    : `IncidentNumber = ${soqlList([trimmed]).slice(1, -1)}`;
}

const INCIDENT_FIELDS =
  'Id, IncidentNumber, Subject, DetectedDateTime, CreatedDate';

export async function findIncidents(
  client: OrgClient,
  ref: string | undefined
): Promise<IncidentRow[]> {
  if (ref === undefined) {
    return queryEvery<IncidentRow>(
      client,
      `SELECT ${INCIDENT_FIELDS} FROM Incident WHERE IsClosed = false ORDER BY CreatedDate, Id`
    );
  }
  const found = await queryEvery<IncidentRow>(
    client,
    `SELECT ${INCIDENT_FIELDS} FROM Incident WHERE ${incidentFilter(ref)}`
  );
  if (found.length === 0)
    throw new CasesInputError(
      `--incident: no incident ${ref} in the org (give an incident number or Id).`
    );
  return found;
}

export async function linkCases(
  client: OrgClient,
  plan: CasesPlan,
  options: LinkOptions = {}
): Promise<LinkResult> {
  const windowMs = parseDuration(
    options.window ?? plan.link.window,
    options.window === undefined ? 'plan cases.link.window' : '--window'
  );
  const incidents = await findIncidents(client, options.incident);
  const reports: IncidentLinkReport[] = [];
  const accounts = new Set<string>();
  const events = options.events ?? new CaseLinkEvents('link');
  let done = 0;
  for (const incident of incidents) {
    const { report, accountIds, newlyLinked } = await linkIncident(
      client,
      plan,
      incident,
      windowMs,
      options
    );
    reports.push(report);
    events.add(incident.Id, newlyLinked, report.affectedAccounts);
    for (const id of accountIds) accounts.add(id);
    options.onProgress?.(++done, incidents.length);
  }
  const recorded =
    options.dryRun || options.events
      ? { timeline: null, outreach: null }
      : await finishLinks(client, events);
  return {
    dryRun: options.dryRun === true,
    incidents: reports,
    linked: sum(reports, (r) => r.linked),
    alreadyLinked: sum(reports, (r) => r.alreadyLinked),
    failed: sum(reports, (r) => r.failed.length),
    affectedAccounts: accounts.size,
    ...recorded
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

async function linkIncident(
  client: OrgClient,
  plan: CasesPlan,
  incident: IncidentRow,
  windowMs: number,
  options: LinkOptions
): Promise<{
  report: IncidentLinkReport;
  accountIds: Set<string>;
  newlyLinked: LinkedCase[];
}> {
  const detected = apiTime(incident.DetectedDateTime ?? incident.CreatedDate);
  const windowStart = soqlDateTime(detected - windowMs);
  const items = await queryEvery<ItemRow>(
    client,
    `SELECT IncidentId, AssetId, Product2Id FROM IncidentRelatedItem WHERE IncidentId = '${incident.Id}'`
  );
  const assets = unique(items.map((i) => i.AssetId));
  const products = unique(items.map((i) => i.Product2Id));

  // What is linked already, with its accounts (they count as affected too).
  const accountIds = new Set<string>();
  const linkedCases = new Set<string>();
  for await (const page of queryPages<LinkRow>(
    client,
    `SELECT CaseId, Case.AccountId FROM CaseRelatedIssue WHERE RelatedIssueId = '${incident.Id}'`
  )) {
    for (const link of page) {
      linkedCases.add(link.CaseId);
      if (link.Case?.AccountId) accountIds.add(link.Case.AccountId);
    }
  }

  const candidates = new Map<string, CaseRow>();
  const only = options.caseIds ? new Set(options.caseIds) : undefined;
  const filters: string[] = [
    ...chunks(assets, IDS_PER_QUERY).map(
      (ids) => `AssetId IN ${soqlList(ids)}`
    ),
    ...chunks(products, IDS_PER_QUERY).map(
      (ids) => `Asset.Product2Id IN ${soqlList(ids)}`
    )
  ];
  const scope = only
    ? chunks([...only], IDS_PER_QUERY).map(
        (ids) => ` AND Id IN ${soqlList(ids)}`
      )
    : [''];
  for (const filter of filters) {
    for (const restrict of scope) {
      for await (const page of queryPages<CaseRow>(
        client,
        `SELECT Id, CaseNumber, AccountId FROM Case WHERE IsClosed = false AND CreatedDate >= ${windowStart} AND ${filter}${restrict} ORDER BY CreatedDate, Id`
      )) {
        for (const c of page) candidates.set(c.Id, c);
      }
    }
  }

  let alreadyLinked = 0;
  const toLink: CaseRow[] = [];
  for (const c of candidates.values()) {
    if (linkedCases.has(c.Id)) alreadyLinked++;
    else toLink.push(c);
  }
  const report: IncidentLinkReport = {
    id: incident.Id,
    number: incident.IncidentNumber,
    subject: incident.Subject ?? '',
    windowStart,
    linked: 0,
    alreadyLinked,
    failed: [],
    affectedAccounts: 0
  };
  const newlyLinked: LinkedCase[] = [];
  if (options.dryRun) {
    report.linked = toLink.length;
    report.wouldLink = toLink.map((c) => ({
      caseId: c.Id,
      caseNumber: c.CaseNumber,
      accountId: c.AccountId
    }));
    for (const c of toLink) if (c.AccountId) accountIds.add(c.AccountId);
  } else if (toLink.length > 0) {
    const outcomes = await createLinks(
      client,
      incident.Id,
      toLink.map((c) => c.Id),
      plan.relationshipType
    );
    toLink.forEach((c, index) => {
      const outcome = outcomes[index];
      if (outcome?.kind === 'linked' || outcome?.kind === 'duplicate') {
        if (outcome.kind === 'linked') {
          report.linked++;
          newlyLinked.push({ id: c.Id, accountId: c.AccountId });
        } else report.alreadyLinked++;
        if (c.AccountId) accountIds.add(c.AccountId);
      } else {
        report.failed.push({
          caseId: c.Id,
          statusCode: outcome?.statusCode ?? 'NO_RESULT',
          message: outcome?.message ?? 'no result for this case'
        });
      }
    });
  }
  report.affectedAccounts = accountIds.size;
  return { report, accountIds, newlyLinked };
}

export type LinkOutcome =
  | { kind: 'linked'; id: string }
  | { kind: 'duplicate' }
  | { kind: 'failed'; statusCode: string; message: string };

/**
 * Creates CaseRelatedIssue rows for the cases, 200 a call. A create is not idempotent, so after a
 * failed call the client re-reads which links landed before sending the rest again; a
 * DUPLICATE_VALUE answer means another run linked the case first.
 */
export async function createLinks(
  client: OrgClient,
  issueId: string,
  caseIds: readonly string[],
  relationshipType: string
): Promise<LinkOutcome[]> {
  const records = caseIds.map((CaseId) => ({
    CaseId,
    RelatedIssueId: issueId,
    RelationshipType: relationshipType
  }));
  const outcomes = await client.createRecords(
    'CaseRelatedIssue',
    records,
    async (batch) => {
      const ids = batch.map((r) => String(r.CaseId));
      const rows = await queryEvery<{ Id: string; CaseId: string }>(
        client,
        `SELECT Id, CaseId FROM CaseRelatedIssue WHERE RelatedIssueId = '${issueId}' AND CaseId IN ${soqlList(ids)}`
      );
      const byCase = new Map(rows.map((r) => [r.CaseId, r.Id]));
      return ids.map((id) => byCase.get(id));
    }
  );
  return outcomes.map((o): LinkOutcome => {
    if (o.success && o.id) return { kind: 'linked', id: o.id };
    const error = o.errors[0];
    if (error?.statusCode === 'DUPLICATE_VALUE') return { kind: 'duplicate' };
    return {
      kind: 'failed',
      statusCode: error?.statusCode ?? 'UNKNOWN',
      message: error?.message ?? 'the org gave no reason'
    };
  });
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
