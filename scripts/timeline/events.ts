/**
 * The TypeScript event writer (contract T8): every tooling writer (link, detect, sync, rollout,
 * the communications sender, the response plan) records timeline events through
 * `writeEvents`, so they all share one field mapping, one batching rule and one retry rule.
 *
 * Events are upserted on Incident_Event__c.Event_Key__c (unique external id) through the shared
 * client's sObject Collections upsert, 200 a call. A key is deterministic (T2), so a retried
 * call, or a rerun after a crash, lands on the same record instead of adding a second one: the
 * client retries transient failures on its own, because an upsert by key is idempotent.
 *
 * The event object is append-only (T1): after insert only Starred__c may change. A retry of a
 * call that landed sends the very same values, which changes nothing. A rerun that builds the
 * same key with other values (a later occurred-at, say) is refused by the org; the writer then
 * re-reads those keys and reports the events that exist as already recorded, not as failures:
 * the key says it is the same event, and the first record of it is the one that counts.
 */
import {
  soqlList,
  type OrgClient,
  type RecordError
} from '../org-client/index.ts';

export const EVENT_OBJECT = 'Incident_Event__c';
export const EVENT_KEY_FIELD = 'Event_Key__c';

/** Incident_Event__c.Type__c's API values (T1, a restricted picklist). */
export type TimelineEventType =
  | 'Created'
  | 'Status'
  | 'Severity'
  | 'UrgencyImpact'
  | 'Owner'
  | 'SlaWarning'
  | 'SlaBreach'
  | 'SlaMet'
  | 'CaseLinked'
  | 'RelatedItemAdded'
  | 'ResponderAdded'
  | 'CommunicationSent'
  | 'ResponseStep'
  | 'Note'
  | 'Milestone';

/** Incident_Event__c.Source__c's API values. */
export type TimelineEventSource =
  'Automation' | 'Console' | 'CLI' | 'Another Org';

/** Incident_Event__c.Visibility__c's API values; Internal when left out. */
export type TimelineVisibility = 'Internal' | 'Customer-Facing';

export interface TimelineEventInput {
  incidentId: string;
  type: TimelineEventType;
  /** Deterministic (T2): the same event always gets the same key. */
  key: string;
  /** ISO 8601. */
  occurredAt: string;
  /** Cut to Summary__c's 255 characters when longer. */
  summary: string;
  /** Stored as JSON in Payload__c. */
  payload?: Record<string, unknown>;
  visibility?: TimelineVisibility;
  source: TimelineEventSource;
  /** For actors that are not users of this org: the CLI's user name, another org. */
  actorName?: string;
  /**
   * The org user who acted, in Actor__c (as Apex records a console user: UserInfo.getUserId()).
   * An event with a user gets no Actor_Name__c from the CLI's username.
   */
  actorId?: string;
}

/** One event's outcome, in input order. */
export interface EventWriteOutcome {
  key: string;
  success: boolean;
  id?: string;
  /** True when this call inserted it; false when it existed (a retry or a rerun). */
  created: boolean;
  errors: RecordError[];
}

export interface WriteEventsResult {
  outcomes: EventWriteOutcome[];
  /** Events inserted by this call. */
  created: number;
  /** Events that were recorded already (same key). */
  existing: number;
  failed: EventWriteOutcome[];
  /** API calls this write made, retries and re-reads included. */
  apiCalls: number;
}

/** Summary__c is Text(255). */
export const SUMMARY_LENGTH = 255;
/** Actor_Name__c is Text(121), a user's full name's length. */
export const ACTOR_NAME_LENGTH = 121;

/** Keys in one re-read query: 200 keys of up to 255 characters keep the URL within limits. */
const KEYS_PER_QUERY = 200;

/** `text` cut to `max` characters, the last one an ellipsis when it was cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The Incident_Event__c record of an event, as the upsert sends it. */
export function eventRecord(
  event: TimelineEventInput
): Record<string, unknown> {
  return {
    [EVENT_KEY_FIELD]: event.key,
    Incident__c: event.incidentId,
    Type__c: event.type,
    Occurred_At__c: event.occurredAt,
    Summary__c: clip(event.summary, SUMMARY_LENGTH),
    Source__c: event.source,
    Visibility__c: event.visibility ?? 'Internal',
    ...(event.payload === undefined
      ? {}
      : { Payload__c: JSON.stringify(event.payload) }),
    ...(event.actorId === undefined ? {} : { Actor__c: event.actorId }),
    ...(event.actorName === undefined
      ? {}
      : { Actor_Name__c: clip(event.actorName, ACTOR_NAME_LENGTH) })
  };
}

/**
 * Upserts the events on Event_Key__c, 200 a call. Two events with one key in a call are one
 * event (the first is sent; both get its outcome), since the platform refuses a batch that
 * names an external id twice. Never throws for a refused record: failures are in `failed`, per
 * event; it throws only when the org stays unreachable after the client's retries.
 */
export async function writeEvents(
  client: OrgClient,
  events: readonly TimelineEventInput[]
): Promise<WriteEventsResult> {
  const callsBefore = client.apiCalls;
  const firstByKey = new Map<string, TimelineEventInput>();
  for (const event of events)
    if (!firstByKey.has(event.key)) firstByKey.set(event.key, event);
  const unique = [...firstByKey.values()];
  const actorName = cliUsername(client.conn);
  const answers =
    unique.length === 0
      ? []
      : await client.upsertRecords(
          EVENT_OBJECT,
          EVENT_KEY_FIELD,
          unique.map((event) =>
            eventRecord(
              event.actorName === undefined &&
                event.actorId === undefined &&
                actorName !== undefined
                ? { ...event, actorName }
                : event
            )
          )
        );
  const byKey = new Map<string, EventWriteOutcome>();
  unique.forEach((event, index) => {
    const answer = answers[index];
    byKey.set(event.key, {
      key: event.key,
      success: answer?.success ?? false,
      ...(answer?.id ? { id: answer.id } : {}),
      created: answer?.success === true && answer.created !== false,
      errors: answer?.errors ?? [
        { statusCode: 'NO_RESULT', message: 'no result for this event' }
      ]
    });
  });
  await settleRefused(client, [...byKey.values()]);
  const outcomes = events.map((event) => {
    const outcome = byKey.get(event.key);
    // Every key was answered above; the fallback only satisfies the type.
    return (
      outcome ?? {
        key: event.key,
        success: false,
        created: false,
        errors: []
      }
    );
  });
  const settled = [...byKey.values()];
  return {
    outcomes,
    created: settled.filter((o) => o.success && o.created).length,
    existing: settled.filter((o) => o.success && !o.created).length,
    failed: settled.filter((o) => !o.success),
    apiCalls: client.apiCalls - callsBefore
  };
}

/**
 * The sf username the command runs as, when the connection comes from the sf auth store
 * (@salesforce/core's Connection knows it; a bare jsforce connection does not): the actor of
 * the tooling's events that name none, in Actor_Name__c, as T1 asks for the CLI's user.
 */
export function cliUsername(conn: object): string | undefined {
  const getUsername = (conn as { getUsername?: unknown }).getUsername;
  if (typeof getUsername !== 'function') return undefined;
  const username: unknown = getUsername.call(conn);
  return typeof username === 'string' && username !== '' ? username : undefined;
}

/**
 * The refused events whose key exists in the org were recorded before (by an earlier run, with
 * other values the append-only rule keeps): they become successes that created nothing. One
 * query per 200 refused keys, and none when nothing was refused.
 */
async function settleRefused(
  client: OrgClient,
  outcomes: EventWriteOutcome[]
): Promise<void> {
  const refused = outcomes.filter((o) => !o.success);
  for (let at = 0; at < refused.length; at += KEYS_PER_QUERY) {
    const batch = refused.slice(at, at + KEYS_PER_QUERY);
    const rows = await client.queryAll<{ Id: string; Event_Key__c: string }>(
      `SELECT Id, ${EVENT_KEY_FIELD} FROM ${EVENT_OBJECT} WHERE ${EVENT_KEY_FIELD} IN ${soqlList(batch.map((o) => o.key))}`
    );
    const existing = new Map(rows.map((r) => [r.Event_Key__c, r.Id]));
    for (const outcome of batch) {
      const id = existing.get(outcome.key);
      if (id === undefined) continue;
      outcome.success = true;
      outcome.id = id;
      outcome.created = false;
      outcome.errors = [];
    }
  }
}

/** What a command reports of its event writes (in --json): counts, and each failure. */
export interface EventWriteSummary {
  created: number;
  existing: number;
  failed: { key: string; statusCode: string; message: string }[];
}

export function eventWriteSummary(
  result: WriteEventsResult
): EventWriteSummary {
  return {
    created: result.created,
    existing: result.existing,
    failed: result.failed.map((o) => ({
      key: o.key,
      statusCode: o.errors[0]?.statusCode ?? 'UNKNOWN',
      message: o.errors[0]?.message ?? 'the org gave no reason'
    }))
  };
}
