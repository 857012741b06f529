/**
 * What the preview's record page shows around the console, as the flexipage lays it out: the
 * header's highlights (force:highlightsPanel), the Details tab (force:detailPanel) and the
 * sidebar's related lists (force:relatedListContainer) of an Incident, Problem or Change Request.
 */
import type { OrgClient } from '../../org-client/index.ts';
import {
  ApexError,
  literal,
  objectTypeOf,
  queryAll,
  restGet
} from './incident-console-controller.ts';

type Row = Record<string, unknown>;
type IssueType = 'Incident' | 'Problem' | 'ChangeRequest';

export interface FieldValue {
  name: string;
  label: string;
  value: string | number | boolean | null;
  /** 'datetime' values are ISO strings the page formats in the viewer's zone. */
  type: string;
}

export interface RelatedItem {
  id: string;
  objectApiName: string;
  label: string;
  /** A preview route when the preview has a page for the record. */
  href: string | null;
}

export interface RecordDetail {
  id: string;
  objectApiName: IssueType;
  objectLabel: string;
  title: string;
  highlights: FieldValue[];
  details: FieldValue[];
  related: { key: string; title: string; items: RelatedItem[] }[];
}

const LAYOUT: Record<
  IssueType,
  { label: string; number: string; highlights: string[]; details: string[] }
> = {
  Incident: {
    label: 'Incident',
    number: 'IncidentNumber',
    highlights: ['Severity__c', 'Priority', 'Status', 'DetectedDateTime'],
    details: [
      'IncidentNumber',
      'Subject',
      'Status',
      'Urgency',
      'Impact',
      'Severity__c',
      'Priority',
      'Category',
      'SubCategory',
      'DetectedDateTime',
      'Sla_Response_Due__c',
      'Sla_Resolution_Due__c',
      'Sla_Responded_At__c',
      'ResolutionDateTime',
      'Description'
    ]
  },
  Problem: {
    label: 'Problem',
    number: 'ProblemNumber',
    highlights: ['Priority', 'Status', 'Category'],
    details: [
      'ProblemNumber',
      'Subject',
      'Status',
      'Urgency',
      'Impact',
      'Priority',
      'Category',
      'SubCategory',
      'RootCauseSummary',
      'Description'
    ]
  },
  ChangeRequest: {
    label: 'Change Request',
    number: 'ChangeRequestNumber',
    highlights: ['Priority', 'Status', 'RiskLevel'],
    details: [
      'ChangeRequestNumber',
      'Subject',
      'Status',
      'Impact',
      'Priority',
      'RiskLevel',
      'Category',
      'EstimatedStartTime',
      'EstimatedEndTime',
      'Description'
    ]
  }
};

const NUMBER_FIELD: Record<string, string> = {
  Incident: 'IncidentNumber',
  Problem: 'ProblemNumber',
  ChangeRequest: 'ChangeRequestNumber'
};

const lit = literal;
const text = (value: unknown): string =>
  typeof value === 'string' ? value : '';
const rows = queryAll;

/** Issues (incidents, problems) by id, labelled "INC-0001 · Subject" with their preview route. */
async function issueItems(
  org: OrgClient,
  ids: string[]
): Promise<RelatedItem[]> {
  const items: RelatedItem[] = [];
  for (const type of Object.keys(NUMBER_FIELD)) {
    const ofType: string[] = [];
    for (const id of ids)
      if ((await objectTypeOf(org, id)) === type) ofType.push(id);
    if (ofType.length === 0) continue;
    const numberField = NUMBER_FIELD[type] ?? 'Id';
    for (const row of await rows(
      org,
      `SELECT Id, ${numberField}, Subject FROM ${type} WHERE Id IN (${ofType.map(lit).join(', ')}) ORDER BY ${numberField}`
    ))
      items.push({
        id: String(row.Id),
        objectApiName: type,
        label: `${String(row[numberField])} · ${text(row.Subject)}`,
        href: `#/r/${type}/${String(row.Id)}`
      });
  }
  return items;
}

async function relatedLists(
  org: OrgClient,
  id: string,
  type: IssueType
): Promise<RecordDetail['related']> {
  if (type === 'ChangeRequest') {
    const links = await rows(
      org,
      `SELECT RelatedIssueId FROM ChangeRequestRelatedIssue WHERE ChangeRequestId = ${lit(id)}`
    );
    return [
      {
        key: 'issues',
        title: 'Related Issues',
        items: await issueItems(
          org,
          links.map((l) => String(l.RelatedIssueId))
        )
      }
    ];
  }
  const [problemLinks, changeLinks] = await Promise.all([
    rows(
      org,
      `SELECT IssueId, RelatedIssueId FROM ProblemIncident WHERE IssueId = ${lit(id)} OR RelatedIssueId = ${lit(id)}`
    ),
    rows(
      org,
      `SELECT ChangeRequestId, ChangeRequest.ChangeRequestNumber, ChangeRequest.Subject FROM ChangeRequestRelatedIssue WHERE RelatedIssueId = ${lit(id)}`
    )
  ]);
  const others = problemLinks.map((link) =>
    String(link.IssueId === id ? link.RelatedIssueId : link.IssueId)
  );
  const lists: RecordDetail['related'] = [
    {
      key: 'issues',
      title: type === 'Incident' ? 'Problems' : 'Incidents',
      items: await issueItems(org, others)
    },
    {
      key: 'changes',
      title: 'Change Requests',
      items: changeLinks.map((link) => {
        const change = (link.ChangeRequest ?? {}) as Row;
        return {
          id: String(link.ChangeRequestId),
          objectApiName: 'ChangeRequest',
          label: `${String(change.ChangeRequestNumber)} · ${text(change.Subject)}`,
          href: `#/r/ChangeRequest/${String(link.ChangeRequestId)}`
        };
      })
    }
  ];
  if (type === 'Incident') {
    const items = await rows(
      org,
      `SELECT Id, Asset.Name, Product2.Name FROM IncidentRelatedItem WHERE IncidentId = ${lit(id)}`
    );
    lists.push({
      key: 'items',
      title: 'Related Items',
      items: items.map((item) => {
        const asset = item.Asset as Row | null;
        const product = item.Product2 as Row | null;
        return {
          id: String(item.Id),
          objectApiName: 'IncidentRelatedItem',
          label: [asset?.Name, product?.Name].filter(Boolean).join(' · '),
          href: null
        };
      })
    });
  }
  return lists;
}

const labels = new WeakMap<
  OrgClient,
  Map<string, Promise<Map<string, { label: string; type: string }>>>
>();

async function fieldInfo(
  org: OrgClient,
  type: string
): Promise<Map<string, { label: string; type: string }>> {
  let byType = labels.get(org);
  if (!byType) {
    byType = new Map();
    labels.set(org, byType);
  }
  let info = byType.get(type);
  if (!info) {
    info = restGet<{ fields: { name: string; label: string; type: string }[] }>(
      org,
      `describe ${type}`,
      `/sobjects/${type}/describe`
    ).then(
      (d) =>
        new Map(d.fields.map((f) => [f.name, { label: f.label, type: f.type }]))
    );
    byType.set(type, info);
    info.catch(() => byType.delete(type));
  }
  return info;
}

export async function recordDetail(
  org: OrgClient,
  recordId: string
): Promise<RecordDetail> {
  const type = await objectTypeOf(org, recordId);
  if (type !== 'Incident' && type !== 'Problem' && type !== 'ChangeRequest')
    throw new ApexError(
      `The preview has record pages for incidents, problems and change requests, not for ${type} (${recordId}).`
    );
  const layout = LAYOUT[type];
  const [info, [record], related] = await Promise.all([
    fieldInfo(org, type),
    rows(
      org,
      `SELECT Id, ${[...new Set([layout.number, ...layout.highlights, ...layout.details])].join(', ')} FROM ${type} WHERE Id = ${lit(recordId)}`
    ),
    relatedLists(org, recordId, type)
  ]);
  if (!record)
    throw new ApexError(`The ${type} record ${recordId} does not exist.`);
  const value = (name: string): FieldValue => {
    const raw = record[name];
    return {
      name,
      label: info.get(name)?.label ?? name,
      type: info.get(name)?.type ?? 'string',
      value:
        typeof raw === 'string' ||
        typeof raw === 'number' ||
        typeof raw === 'boolean'
          ? raw
          : null
    };
  };
  return {
    id: recordId,
    objectApiName: type,
    objectLabel: layout.label,
    title: `${String(record[layout.number])} · ${text(record.Subject)}`,
    highlights: layout.highlights.map(value),
    details: layout.details.map(value),
    related
  };
}
