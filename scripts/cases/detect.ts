/**
 * `incident detect`: streams the open cases opened in the lookback period, finds storms (see
 * storms.ts), leaves out those an open incident already covers, and proposes urgency and impact.
 * With `create`, each new storm becomes an incident, its related items and its case links in ONE
 * all-or-none composite request, so a crash or a failed record leaves no half-made incident, and
 * the next run finds the storm covered and creates nothing. A run racing another is refused by
 * the org on the incident's unique Storm_Key__c and reports the storm as already open.
 */
import { randomUUID } from 'node:crypto';
import type { OrgClient } from '../org-client/index.ts';
import { stormCreatedEvent } from '../timeline/case-events.ts';
import {
  eventWriteSummary,
  writeEvents,
  type EventWriteSummary,
  type TimelineEventInput
} from '../timeline/events.ts';
import { CasesInputError } from './errors.ts';
import {
  createLinks,
  ensureLinkedOutreach,
  type OutreachSummary
} from './link.ts';
import { chunks, queryEvery, queryPages, soqlList } from './org.ts';
import type { CasesPlan } from './plan-schema.ts';
import {
  proposeStorm,
  StormFinder,
  type Proposal,
  type Storm,
  type StormCase
} from './storms.ts';
import {
  apiTime,
  parseDuration,
  soqlDateTime,
  soqlTimeRange
} from './window.ts';

export interface DetectOptions {
  threshold?: number;
  window?: string;
  lookback?: string;
  create?: boolean;
  /** The end of the lookback period; now by default (tests and demos pin it). */
  now?: Date;
  onProgress?: (scanned: number) => void;
}

export interface StormReport {
  level: Storm['level'];
  key: string;
  /** The region name, or the asset's or product's Name. */
  label: string;
  caseCount: number;
  accountCount: number;
  firstAt: string;
  lastAt: string;
  peak: number;
  caseIds: string[];
  proposal: Proposal;
  /** An open incident that already covers the storm (related item or most cases linked). */
  coveredBy: string | null;
  /** With create: the incident opened for it. */
  created?: { incidentId: string; incidentNumber: string; linked: number };
  error?: string;
}

export interface DetectResult {
  scanned: number;
  threshold: number;
  window: string;
  since: string;
  storms: StormReport[];
  created: number;
  failed: number;
  /** Peak groups tracked at once while scanning: what the scan keeps in memory. */
  peakGroups: number;
  /** With create: the Created timeline events of the incidents opened (one call for all). */
  timeline: EventWriteSummary | null;
  /** With create: the executive outreach of the incidents opened with linked cases (null: none). */
  outreach: OutreachSummary | null;
}

interface CaseScanRow {
  Id: string;
  CreatedDate: string;
  Subject: string | null;
  AccountId: string | null;
  Account: { Region__c: string | null; Key_Account__c: boolean } | null;
  AssetId: string | null;
  Asset: { Product2Id: string | null } | null;
}

/** Composite allows 25 subrequests; one is the incident. */
const MAX_SUBREQUESTS = 25;
const PER_COLLECTION = 200;

export async function detectStorms(
  client: OrgClient,
  plan: CasesPlan,
  options: DetectOptions = {}
): Promise<DetectResult> {
  const threshold = options.threshold ?? plan.detect.threshold;
  if (!Number.isInteger(threshold) || threshold < 2)
    throw new CasesInputError(
      `--threshold: ${threshold} is not a whole number of 2 or more.`
    );
  const windowText = options.window ?? plan.detect.window;
  const windowMs = parseDuration(
    windowText,
    options.window === undefined ? 'plan cases.detect.window' : '--window'
  );
  const lookbackMs = parseDuration(
    options.lookback ?? plan.detect.lookback,
    options.lookback === undefined ? 'plan cases.detect.lookback' : '--lookback'
  );
  const now = (options.now ?? new Date()).getTime();
  const since = soqlDateTime(now - lookbackMs);
  const finder = new StormFinder({
    levels: plan.detect.groupBy,
    threshold,
    windowMs
  });
  let scanned = 0;
  let peakGroups = 0;
  for await (const page of queryPages<CaseScanRow>(
    client,
    `SELECT Id, CreatedDate, Subject, AccountId, Account.Region__c, Account.Key_Account__c, AssetId, Asset.Product2Id FROM Case WHERE IsClosed = false AND ${soqlTimeRange('CreatedDate', now - lookbackMs, now)} ORDER BY CreatedDate, Id`
  )) {
    for (const row of page) finder.add(toStormCase(row));
    scanned += page.length;
    peakGroups = Math.max(peakGroups, finder.trackedGroups);
    options.onProgress?.(scanned);
  }
  const storms = finder.finish();
  const coverage = await coveringIncidents(client, storms);
  const labels = await stormLabels(client, storms);
  const reports: StormReport[] = storms.map((storm, index) => ({
    level: storm.level,
    key: storm.key,
    label: labels.get(storm.key) ?? storm.key,
    caseCount: storm.cases.length,
    accountCount: new Set(storm.cases.map((c) => c.accountId).filter(Boolean))
      .size,
    firstAt: new Date(storm.firstAt).toISOString(),
    lastAt: new Date(storm.lastAt).toISOString(),
    peak: storm.peak,
    caseIds: storm.cases.map((c) => c.id),
    proposal: proposeStorm(storm, plan.detect),
    coveredBy: coverage[index] ?? null
  }));
  let created = 0;
  let failed = 0;
  const opened: TimelineEventInput[] = [];
  if (options.create) {
    for (const [index, report] of reports.entries()) {
      const storm = storms[index];
      if (report.coveredBy !== null || !storm) continue;
      try {
        const incident = await createStormIncident(client, plan, storm, report);
        report.created = incident;
        opened.push(
          stormCreatedEvent(
            { ...report, created: incident },
            stormKey(storm),
            new Date()
          )
        );
        created++;
      } catch (error) {
        if (error instanceof StormAlreadyOpenError) {
          // Another run opened it between our coverage check and our composite.
          report.coveredBy = error.incidentId;
          continue;
        }
        report.error = error instanceof Error ? error.message : String(error);
        failed++;
      }
    }
  }
  const timeline = options.create
    ? eventWriteSummary(await writeEvents(client, opened))
    : null;
  return {
    scanned,
    threshold,
    window: windowText,
    since,
    storms: reports,
    created,
    failed,
    peakGroups,
    timeline,
    outreach: await ensureLinkedOutreach(
      client,
      reports.flatMap((r) =>
        r.created && r.created.linked > 0 ? [r.created.incidentId] : []
      )
    )
  };
}

function toStormCase(row: CaseScanRow): StormCase {
  return {
    id: row.Id,
    createdAt: apiTime(row.CreatedDate),
    subject: row.Subject ?? '',
    accountId: row.AccountId,
    keyAccount: row.Account?.Key_Account__c === true,
    assetId: row.AssetId,
    productId: row.Asset?.Product2Id ?? null,
    // A blank region is no region (the text field allows spaces only).
    region: blankToNull(row.Account?.Region__c)
  };
}

function blankToNull(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * The open incident covering each storm, or null: one whose related items name the storm's asset
 * or product, or one that more than half of the storm's cases are already linked to (which is
 * what a storm detect --create opened, or one an agent linked by hand, looks like).
 */
async function coveringIncidents(
  client: OrgClient,
  storms: readonly Storm[]
): Promise<(string | null)[]> {
  if (storms.length === 0) return [];
  const open = new Set(
    (
      await queryEvery<{ Id: string }>(
        client,
        'SELECT Id FROM Incident WHERE IsClosed = false'
      )
    ).map((r) => r.Id)
  );
  if (open.size === 0) return storms.map(() => null);
  const byItem = new Map<string, string>();
  for (const ids of chunks([...open], 200)) {
    for await (const page of queryPages<{
      IncidentId: string;
      AssetId: string | null;
      Product2Id: string | null;
    }>(
      client,
      `SELECT IncidentId, AssetId, Product2Id FROM IncidentRelatedItem WHERE IncidentId IN ${soqlList(ids)}`
    )) {
      for (const item of page) {
        if (item.AssetId) byItem.set(`asset:${item.AssetId}`, item.IncidentId);
        if (item.Product2Id)
          byItem.set(`product:${item.Product2Id}`, item.IncidentId);
      }
    }
  }
  const result: (string | null)[] = [];
  for (const storm of storms) {
    const item = byItem.get(`${storm.level}:${storm.key}`);
    if (item) {
      result.push(item);
      continue;
    }
    const linkedTo = new Map<string, number>();
    for (const ids of chunks(
      storm.cases.map((c) => c.id),
      200
    )) {
      for await (const page of queryPages<{
        CaseId: string;
        RelatedIssueId: string;
      }>(
        client,
        `SELECT CaseId, RelatedIssueId FROM CaseRelatedIssue WHERE CaseId IN ${soqlList(ids)}`
      )) {
        for (const link of page) {
          if (open.has(link.RelatedIssueId))
            linkedTo.set(
              link.RelatedIssueId,
              (linkedTo.get(link.RelatedIssueId) ?? 0) + 1
            );
        }
      }
    }
    const best = [...linkedTo].sort((a, b) => b[1] - a[1])[0];
    result.push(best && best[1] * 2 > storm.cases.length ? best[0] : null);
  }
  return result;
}

/** Names for the storms' assets and products, so people read "Inverter X", not an id. */
async function stormLabels(
  client: OrgClient,
  storms: readonly Storm[]
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const [level, type] of [
    ['asset', 'Asset'],
    ['product', 'Product2']
  ] as const) {
    const ids = [
      ...new Set(storms.filter((s) => s.level === level).map((s) => s.key))
    ];
    for (const batch of chunks(ids, 200)) {
      const rows = await queryEvery<{ Id: string; Name: string }>(
        client,
        `SELECT Id, Name FROM ${type} WHERE Id IN ${soqlList(batch)}`
      );
      for (const row of rows) labels.set(row.Id, row.Name);
    }
  }
  return labels;
}

/** The subject of a storm's incident; also how a retry after a lost answer finds it. */
export function stormSubject(report: StormReport): string {
  const what =
    report.level === 'region'
      ? `region ${report.label}`
      : `${report.level} ${report.label}`;
  return `Case storm: ${report.caseCount} cases on ${what} since ${report.firstAt}`.slice(
    0,
    255
  );
}

/**
 * The storm's identity on the incident opened for it (Incident.Storm_Key__c, unique): its level,
 * its group and its first case. Two runs over the same cases find the same first case, so a
 * second run racing the first is refused by the org (DUPLICATE_VALUE) instead of opening a twin;
 * a later storm on the same asset starts with another case and may open its own incident.
 */
export function stormKey(
  storm: Pick<Storm, 'level' | 'key' | 'cases'>
): string {
  return `${storm.level}:${storm.key}:${storm.cases[0]?.id ?? ''}`;
}

/** The org refused the incident because one with the storm's key exists (another run's). */
export class StormAlreadyOpenError extends Error {
  constructor(
    readonly stormKey: string,
    readonly incidentId: string
  ) {
    super(`the storm ${stormKey} already has incident ${incidentId}`);
  }
}

interface CompositeSubrequest {
  method: 'POST';
  url: string;
  referenceId: string;
  body: unknown;
}

interface CompositeAnswer {
  compositeResponse: {
    httpStatusCode: number;
    referenceId: string;
    body: unknown;
  }[];
}

/**
 * Opens the incident for a storm: the incident, its related items and the case links in one
 * all-or-none composite request (25 subrequests: the incident, then sObject Collections of 200
 * that refer to it as @{incident.id}). With allOrNone on the composite, the platform rolls every
 * subrequest back when any record fails. Cases beyond what 25 subrequests hold are linked after
 * the incident exists, as `incident link` would.
 */
export async function createStormIncident(
  client: OrgClient,
  plan: CasesPlan,
  storm: Storm,
  report: StormReport
): Promise<{ incidentId: string; incidentNumber: string; linked: number }> {
  const version = client.conn.version;
  const items = relatedItems(storm);
  const itemRequests = chunks(items, PER_COLLECTION);
  const caseIds = storm.cases.map((c) => c.id);
  const room = (MAX_SUBREQUESTS - 1 - itemRequests.length) * PER_COLLECTION;
  const inComposite = caseIds.slice(0, Math.max(room, 0));
  const later = caseIds.slice(inComposite.length);
  const subject = stormSubject(report);
  const key = stormKey(storm);
  // This run's mark on the incident it opens: after a dropped connection the re-read must tell
  // the incident this composite made from one a racing run made for the same storm key.
  const opener = `Opened by incident detect run ${randomUUID()}.`;
  const reasons = [
    ...report.proposal.urgencyReasons.map(
      (r) => `Urgency: ${r.label} (${r.evidence})`
    ),
    ...report.proposal.impactReasons.map(
      (r) => `Impact: ${r.label} (${r.evidence})`
    )
  ];
  const subrequests: CompositeSubrequest[] = [
    {
      method: 'POST',
      url: `/services/data/v${version}/sobjects/Incident`,
      referenceId: 'incident',
      body: {
        Subject: subject,
        Description: [
          `Found by incident detect: ${report.caseCount} new cases from ${report.accountCount} accounts on ${report.level} ${report.label} between ${report.firstAt} and ${report.lastAt}.`,
          ...reasons,
          opener
        ].join('\n'),
        Urgency: report.proposal.urgency,
        Impact: report.proposal.impact,
        Status: 'New',
        DetectedDateTime: report.firstAt,
        Storm_Key__c: key
      }
    },
    ...itemRequests.map((batch, i) =>
      collection(version, `items${i}`, 'IncidentRelatedItem', batch)
    ),
    ...chunks(inComposite, PER_COLLECTION).map((batch, i) =>
      collection(
        version,
        `links${i}`,
        'CaseRelatedIssue',
        batch.map((CaseId) => ({
          CaseId,
          RelatedIssueId: '@{incident.id}',
          RelationshipType: plan.relationshipType
        }))
      )
    )
  ];
  const withKey = async (): Promise<
    { Id: string; Description: string | null } | undefined
  > =>
    (
      await queryEvery<{ Id: string; Description: string | null }>(
        client,
        `SELECT Id, Description FROM Incident WHERE Storm_Key__c = ${soqlList([key]).slice(1, -1)}`
      )
    )[0];
  const incidentWithKey = async (): Promise<string | undefined> =>
    (await withKey())?.Id;
  // Landed only if the incident with the key carries this run's mark; another run's incident
  // means this composite did not land (the retry is then refused as DUPLICATE_VALUE, below).
  const findLanded = async (): Promise<CompositeAnswer | undefined> => {
    const found = await withKey();
    const landed = found?.Description?.includes(opener) ? found.Id : undefined;
    return landed
      ? {
          compositeResponse: [
            {
              httpStatusCode: 201,
              referenceId: 'incident',
              body: { id: landed }
            }
          ]
        }
      : undefined;
  };
  const answer = await client.write(
    `create incident for ${report.level} ${report.label}`,
    () =>
      client.conn.request<CompositeAnswer>({
        method: 'POST',
        url: `/services/data/v${version}/composite`,
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: subrequests
        }),
        headers: { 'content-type': 'application/json' }
      }),
    { reread: findLanded }
  );
  const problem = compositeProblem(answer);
  if (problem) {
    if (incidentErrorCode(answer) === 'DUPLICATE_VALUE') {
      const existing = await incidentWithKey();
      if (existing) throw new StormAlreadyOpenError(key, existing);
    }
    throw new Error(problem);
  }
  const incidentId = (
    answer.compositeResponse[0]?.body as { id?: string } | undefined
  )?.id;
  if (!incidentId) throw new Error('the org returned no incident id');
  let linked = inComposite.length;
  if (later.length > 0) {
    const outcomes = await createLinks(
      client,
      incidentId,
      later,
      plan.relationshipType
    );
    linked += outcomes.filter((o) => o.kind !== 'failed').length;
  }
  const number = await queryEvery<{ IncidentNumber: string }>(
    client,
    `SELECT IncidentNumber FROM Incident WHERE Id = '${incidentId}'`
  );
  return {
    incidentId,
    incidentNumber: number[0]?.IncidentNumber ?? '',
    linked
  };
}

function collection(
  version: string,
  referenceId: string,
  type: string,
  records: Record<string, unknown>[]
): CompositeSubrequest {
  return {
    method: 'POST',
    url: `/services/data/v${version}/composite/sobjects`,
    referenceId,
    body: {
      allOrNone: true,
      records: records.map((r) => ({ attributes: { type }, ...r }))
    }
  };
}

/** The related items of a storm: its asset or product, or for a region the assets of its cases. */
function relatedItems(storm: Storm): Record<string, unknown>[] {
  const incident = { IncidentId: '@{incident.id}' };
  switch (storm.level) {
    case 'asset':
      return [{ ...incident, AssetId: storm.key }];
    case 'product':
      return [{ ...incident, Product2Id: storm.key }];
    case 'region': {
      const assets = [
        ...new Set(storm.cases.map((c) => c.assetId).filter((a) => a !== null))
      ];
      return assets.map((AssetId) => ({ ...incident, AssetId }));
    }
  }
}

/** The error code the org gave the composite's incident subrequest, if it refused it. */
function incidentErrorCode(answer: CompositeAnswer): string | undefined {
  const incident = answer.compositeResponse.find(
    (sub) => sub.referenceId === 'incident'
  );
  if (!incident || incident.httpStatusCode < 400) return undefined;
  const body = incident.body;
  return Array.isArray(body)
    ? (body[0] as { errorCode?: string } | undefined)?.errorCode
    : undefined;
}

/**
 * The first failure in a composite answer: a subrequest's error status, or a record an sObject
 * Collections subrequest could not save (collections answer 200 with per-record results).
 */
export function compositeProblem(answer: CompositeAnswer): string | null {
  for (const sub of answer.compositeResponse) {
    const body = sub.body;
    if (sub.httpStatusCode >= 400) {
      const first = Array.isArray(body)
        ? (body[0] as { errorCode?: string; message?: string } | undefined)
        : undefined;
      if (first?.errorCode === 'PROCESSING_HALTED') continue;
      return `${sub.referenceId}: ${first?.errorCode ?? sub.httpStatusCode} ${first?.message ?? ''}`.trim();
    }
    if (Array.isArray(body)) {
      const bad = (
        body as {
          success?: boolean;
          errors?: { statusCode: string; message: string }[];
        }[]
      ).find((r) => r.success === false);
      const error = bad?.errors?.[0];
      if (bad)
        return `${sub.referenceId}: ${error?.statusCode ?? 'FAILED'} ${error?.message ?? ''}`.trim();
    }
  }
  return null;
}
