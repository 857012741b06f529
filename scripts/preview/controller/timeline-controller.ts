/**
 * The preview's stand-in for the Apex IncidentTimelineController (getTimeline, addNote,
 * setStarred): the same answers and messages, in the same JSON shape, read from and written to
 * an org's Incident_Event__c through its REST API. It follows
 * force-app/main/default/classes/IncidentTimelineController.cls; the contract cases in
 * staticresources/incidentConsoleContract.json hold both to the same records-in, answer-out
 * cases (contract.test.ts here, IncidentConsoleContractTest in Apex).
 *
 * Differences that are the local org's, not the controller's: there is one user, who may read
 * and edit everything, so the user-mode and sharing checks pass (the permission flags come from
 * the describe, as Apex's Schema checks do). A note is written through the tooling's event
 * writer (scripts/timeline/events.ts) with the session user in Actor__c, as Apex sets
 * UserInfo.getUserId(), and no Actor_Name__c (that is for actors outside the org).
 */
import type { OrgClient } from '../../org-client/index.ts';
import { writeEvents, type TimelineVisibility } from '../../timeline/events.ts';
import {
  ApexError,
  ID_PATTERN,
  iso,
  literal,
  objectTypeOf,
  queryAll,
  restGet,
  text,
  type ControllerOptions
} from './incident-console-controller.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const NEWEST_FIRST = 'newest';
const OLDEST_FIRST = 'oldest';
const ALL_VISIBILITIES = 'All';
const INTERNAL = 'Internal';
const SUMMARY_LENGTH = 255;
const CLIENT_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const CURSOR_SEPARATOR = '_';
const EVENT_OBJECT = 'Incident_Event__c';
const EVENT_FIELDS =
  'Id, Type__c, Occurred_At__c, Recorded_At__c, Actor__c, Actor__r.Name, Actor_Name__c, Source__c, Visibility__c, Starred__c, Summary__c, Payload__c';
/** Apex's formatGmt('yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\''), the cursor's time. */
const ISO_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export interface TimelineQuery {
  order?: string | null;
  types?: string[] | null;
  visibility?: string | null;
  starredOnly?: boolean | null;
  pageSize?: number | null;
  cursor?: string | null;
}

export interface TimelineEvent {
  id: string;
  type: string;
  typeLabel: string;
  occurredAt: string | null;
  recordedAt: string | null;
  actorName: string | null;
  source: string | null;
  visibility: string | null;
  starred: boolean;
  summary: string | null;
  payload: string | null;
}

export interface TypeCount {
  type: string;
  label: string;
  count: number;
}

export interface TimelinePage {
  events: TimelineEvent[];
  nextCursor: string | null;
  counts: TypeCount[];
  total: number;
  canAddNote: boolean;
  canStar: boolean;
  /** The mitigated milestone (Incident.Mitigated_At__c); null when not set. */
  mitigatedAt: string | null;
  /** Whether the user may set the mitigated milestone now: it is blank and editable. */
  canMarkMitigated: boolean;
}

type Row = Record<string, unknown>;

interface EventDescribe {
  createable: boolean;
  fields: {
    name: string;
    updateable: boolean;
    picklistValues: { value: string; label: string; active: boolean }[];
  }[];
}

/** The event object's describe per connection: Apex's Schema describes cost no call either. */
const describeCache = new WeakMap<OrgClient, Promise<EventDescribe>>();

function describeEvents(org: OrgClient): Promise<EventDescribe> {
  let describe = describeCache.get(org);
  if (!describe) {
    describe = restGet<EventDescribe>(
      org,
      'describe',
      `/sobjects/${EVENT_OBJECT}/describe`
    );
    describeCache.set(org, describe);
    describe.catch(() => describeCache.delete(org));
  }
  return describe;
}

/** A picklist's active values and labels, in the picklist's order. */
async function picklist(
  org: OrgClient,
  field: string
): Promise<Map<string, string>> {
  const describe = await describeEvents(org);
  const values =
    describe.fields.find((candidate) => candidate.name === field)
      ?.picklistValues ?? [];
  return new Map(
    values
      .filter((entry) => entry.active)
      .map((entry) => [entry.value, entry.label])
  );
}

/** A parameter as Apex's string concatenation shows it ('null' for null). */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function newestFirst(order: unknown): boolean {
  if (
    order === undefined ||
    order === null ||
    order === '' ||
    order === NEWEST_FIRST
  )
    return true;
  if (order === OLDEST_FIRST) return false;
  throw new ApexError(
    `The timeline is ordered newest or oldest first (got "${shown(order)}").`
  );
}

function pageSizeOf(asked: unknown): number {
  if (asked !== undefined && asked !== null && !Number.isInteger(asked))
    throw new ApexError(
      "Value provided is invalid for action parameter 'pageSize' of type 'Integer'"
    );
  const size = (asked as number | null | undefined) ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE)
    throw new ApexError(
      `pageSize must be between 1 and ${MAX_PAGE_SIZE} (got ${size}).`
    );
  return size;
}

function typesOf(asked: unknown, labels: Map<string, string>): Set<string> {
  const types = new Set<string>();
  for (const type of Array.isArray(asked) ? (asked as unknown[]) : []) {
    if (typeof type !== 'string' || !labels.has(type))
      throw new ApexError(
        `The timeline cannot be filtered by type "${String(type)}"; use one of: ${[...labels.keys()].join(', ')}.`
      );
    types.add(type);
  }
  return types;
}

/** IncidentTimelineController.visibilityFilter: null = no filter (or Internal for a note). */
async function visibilityOf(
  org: OrgClient,
  asked: unknown,
  allAllowed: boolean
): Promise<string | null> {
  if (
    asked === undefined ||
    asked === null ||
    (typeof asked === 'string' && asked.trim() === '') ||
    (allAllowed && asked === ALL_VISIBILITIES)
  )
    return allAllowed ? null : INTERNAL;
  const values = [...(await picklist(org, 'Visibility__c')).keys()];
  if (typeof asked === 'string' && values.includes(asked)) return asked;
  const allowed = allAllowed ? [ALL_VISIBILITIES, ...values] : values;
  throw new ApexError(
    `Visibility must be one of ${allowed.join(', ')} (got "${shown(asked)}").`
  );
}

interface Cursor {
  occurredAt: string;
  id: string;
}

async function parseCursor(
  org: OrgClient,
  cursor: unknown
): Promise<Cursor | null> {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const value = shown(cursor);
  const split = value.lastIndexOf(CURSOR_SEPARATOR);
  const occurredAt = value.slice(0, Math.max(split, 0));
  const id = value.slice(split + 1);
  if (
    split < 0 ||
    !ISO_PATTERN.test(occurredAt) ||
    Number.isNaN(Date.parse(occurredAt)) ||
    !ID_PATTERN.test(id) ||
    (await objectTypeOf(org, id)) !== EVENT_OBJECT
  )
    throw new ApexError(
      `The timeline cannot continue from "${value}": load it again from the start.`
    );
  return { occurredAt, id };
}

/** The incident, read as the user: its timeline is theirs only when the incident is. */
async function readIncident(org: OrgClient, recordId: unknown): Promise<Row> {
  if (recordId === undefined || recordId === null || recordId === '')
    throw new ApexError('The incident timeline needs an incident Id.');
  if (typeof recordId !== 'string' || !ID_PATTERN.test(recordId))
    throw new ApexError(`Invalid id: ${JSON.stringify(recordId)}`);
  const type = await objectTypeOf(org, recordId);
  if (type !== 'Incident')
    throw new ApexError(
      `Only incidents have a timeline, not ${type} (${recordId}).`
    );
  const rows = await queryAll(
    org,
    `SELECT Id, Mitigated_At__c FROM Incident WHERE Id = ${literal(recordId)} LIMIT 1`
  );
  const [row] = rows;
  if (!row)
    throw new ApexError(
      `The Incident record ${recordId} does not exist or is not shared with you.`
    );
  return row;
}

function eventOf(row: Row, labels: Map<string, string>): TimelineEvent {
  const type = String(row.Type__c);
  const actor = row.Actor__r as { Name?: unknown } | null | undefined;
  return {
    id: String(row.Id),
    type,
    typeLabel: labels.get(type) ?? type,
    occurredAt: iso(row.Occurred_At__c),
    recordedAt: iso(row.Recorded_At__c),
    actorName:
      row.Actor__c && text(actor?.Name)
        ? text(actor?.Name)
        : text(row.Actor_Name__c),
    source: text(row.Source__c),
    visibility: text(row.Visibility__c),
    starred: row.Starred__c === true,
    summary: text(row.Summary__c),
    payload: text(row.Payload__c)
  };
}

export async function getTimeline(
  org: OrgClient,
  params: { recordId?: unknown; query?: unknown },
  _options: ControllerOptions = {}
): Promise<TimelinePage> {
  const asked = (params.query ?? {}) as Record<string, unknown>;
  const newest = newestFirst(asked.order);
  const size = pageSizeOf(asked.pageSize);
  const labels = await picklist(org, 'Type__c');
  const types = typesOf(asked.types, labels);
  const visibility = await visibilityOf(org, asked.visibility, true);
  const after = await parseCursor(org, asked.cursor);
  const incident = await readIncident(org, params.recordId);
  const incidentId = String(incident.Id);

  let filters = `Incident__c = ${literal(incidentId)}`;
  if (visibility !== null)
    filters += ` AND Visibility__c = ${literal(visibility)}`;
  if (asked.starredOnly === true) filters += ' AND Starred__c = true';
  let pageFilters = filters;
  if (types.size > 0)
    pageFilters += ` AND Type__c IN (${[...types].map(literal).join(', ')})`;
  if (after) {
    const direction = newest ? '<' : '>';
    // An ISO time with milliseconds is a SOQL datetime literal as it stands.
    const at = after.occurredAt;
    pageFilters += ` AND (Occurred_At__c ${direction} ${at} OR (Occurred_At__c = ${at} AND Id ${direction} ${literal(after.id)}))`;
  }
  const sort = newest ? 'DESC' : 'ASC';
  const [rows, countRows, describe] = await Promise.all([
    // One row more than the page: whether it exists says whether there is a next page.
    queryAll(
      org,
      `SELECT ${EVENT_FIELDS} FROM ${EVENT_OBJECT} WHERE ${pageFilters} ORDER BY Occurred_At__c ${sort}, Id ${sort} LIMIT ${size + 1}`
    ),
    queryAll(
      org,
      `SELECT Type__c, COUNT(Id) eventCount FROM ${EVENT_OBJECT} WHERE ${filters} GROUP BY Type__c`
    ),
    describeEvents(org)
  ]);
  const byType = new Map(
    countRows.map((row) => [String(row.Type__c), Number(row.eventCount)])
  );
  const counts = [...labels].map(([type, label]) => ({
    type,
    label,
    count: byType.get(type) ?? 0
  }));
  const events = rows.slice(0, size).map((row) => eventOf(row, labels));
  const last = events[size - 1];
  return {
    events,
    nextCursor:
      rows.length > size && last
        ? `${last.occurredAt ?? ''}${CURSOR_SEPARATOR}${last.id}`
        : null,
    counts,
    total: counts
      .filter((count) => types.size === 0 || types.has(count.type))
      .reduce((sum, count) => sum + count.count, 0),
    canAddNote: describe.createable,
    canStar:
      describe.fields.find((field) => field.name === 'Starred__c')
        ?.updateable ?? false,
    // The local org's one user may edit every incident and field.
    mitigatedAt: iso(incident.Mitigated_At__c),
    canMarkMitigated: iso(incident.Mitigated_At__c) === null
  };
}

async function eventByKey(
  org: OrgClient,
  key: string
): Promise<Row | undefined> {
  const [row] = await queryAll(
    org,
    `SELECT ${EVENT_FIELDS} FROM ${EVENT_OBJECT} WHERE Event_Key__c = ${literal(key)} LIMIT 1`
  );
  return row;
}

/** The session user's Id (OpenID Connect userinfo), the note's actor as Apex's UserInfo.getUserId(). */
async function sessionUserId(org: OrgClient): Promise<string> {
  const info = await org.read('userinfo', () =>
    org.conn.request<{ user_id?: unknown }>({
      method: 'GET',
      url: '/services/oauth2/userinfo'
    })
  );
  if (typeof info.user_id !== 'string' || !ID_PATTERN.test(info.user_id))
    throw new ApexError(
      'The note could not be saved: the org did not say who the session user is.'
    );
  return info.user_id;
}

export async function addNote(
  org: OrgClient,
  params: {
    recordId?: unknown;
    summary?: unknown;
    visibility?: unknown;
    clientKey?: unknown;
  },
  options: ControllerOptions = {}
): Promise<TimelineEvent> {
  const note = typeof params.summary === 'string' ? params.summary.trim() : '';
  if (note === '') throw new ApexError('A note needs some text.');
  if (note.length > SUMMARY_LENGTH)
    throw new ApexError(
      `A note can be at most ${SUMMARY_LENGTH} characters long (this one has ${note.length}).`
    );
  const visibility =
    (await visibilityOf(org, params.visibility, false)) ?? INTERNAL;
  const clientKey = params.clientKey;
  if (typeof clientKey !== 'string' || !CLIENT_KEY.test(clientKey))
    throw new ApexError(
      `A note needs a client key of 1 to 64 letters, digits, - or _ (got "${shown(clientKey)}").`
    );
  const incidentId = String((await readIncident(org, params.recordId)).Id);
  const describe = await describeEvents(org);
  if (!describe.createable)
    throw new ApexError(
      'You do not have permission to add notes to the incident timeline.'
    );
  const key = `${incidentId}:Note:${clientKey}`;
  const labels = await picklist(org, 'Type__c');
  const existing = await eventByKey(org, key);
  if (existing) return eventOf(existing, labels);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const written = await writeEvents(org, [
    {
      incidentId,
      type: 'Note',
      key,
      occurredAt: now,
      summary: note,
      // Checked against Visibility__c's values above.
      visibility: visibility as TimelineVisibility,
      source: 'Console',
      actorId: await sessionUserId(org)
    }
  ]);
  const failure = written.failed[0];
  if (failure)
    throw new ApexError(
      `The note could not be saved: ${failure.errors.map((error) => error.message).join(' ')}`
    );
  const saved = await eventByKey(org, key);
  if (!saved)
    throw new ApexError(
      'The note could not be saved: it was not found after writing.'
    );
  return eventOf(saved, labels);
}

export async function setStarred(
  org: OrgClient,
  params: { eventId?: unknown; starred?: unknown },
  _options: ControllerOptions = {}
): Promise<TimelineEvent> {
  const { eventId, starred } = params;
  if (
    typeof eventId !== 'string' ||
    !ID_PATTERN.test(eventId) ||
    (await objectTypeOf(org, eventId)) !== EVENT_OBJECT
  )
    throw new ApexError(
      `Only incident timeline events can be starred (got ${shown(eventId)}).`
    );
  if (typeof starred !== 'boolean')
    throw new ApexError('Say whether to star or unstar the event.');
  const describe = await describeEvents(org);
  if (!describe.fields.find((field) => field.name === 'Starred__c')?.updateable)
    throw new ApexError('You do not have permission to star timeline events.');
  const [result] = await org.updateRecords(EVENT_OBJECT, [
    { Id: eventId, Starred__c: starred }
  ]);
  if (!result?.success)
    throw new ApexError(
      `The event could not be ${starred ? 'starred' : 'unstarred'}: ${(result?.errors ?? []).map((error) => error.message).join(' ')}`
    );
  const [row] = await queryAll(
    org,
    `SELECT ${EVENT_FIELDS} FROM ${EVENT_OBJECT} WHERE Id = ${literal(eventId)} LIMIT 1`
  );
  if (!row)
    throw new ApexError(
      `The event ${eventId} does not exist or is not shared with you.`
    );
  return eventOf(row, await picklist(org, 'Type__c'));
}

/** The controller's methods by name, as the preview server's /apex route calls them. */
export const TIMELINE_METHODS = {
  getTimeline,
  addNote,
  setStarred
} as const;
