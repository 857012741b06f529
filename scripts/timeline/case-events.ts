/**
 * The timeline events of the cases tooling (T2): one aggregated CaseLinked event per incident
 * per run of `incident link` or `incident sync` (never one per case), and the Created event of an
 * incident `incident detect --create` opened for a storm.
 *
 * A run gathers what it linked in a CaseLinkEvents and writes it once at the end through
 * writeEvents: one call per 200 incidents touched, whatever the number of cases, so the cases
 * commands keep their call floors.
 */
import type { OrgClient } from '../org-client/index.ts';
import {
  writeEvents,
  type TimelineEventInput,
  type TimelineEventSource,
  type WriteEventsResult
} from './events.ts';
import { eventKey, idSetHash } from './keys.ts';

/** The command whose run linked the cases; part of the event's key. */
export type LinkOrigin = 'link' | 'sync';

/** How many ids a CaseLinked payload lists; past that it gives the count only. */
export const PAYLOAD_IDS = 50;

export interface LinkedCase {
  id: string;
  accountId: string | null;
}

/** Cases synced in came from another org; cases linked by `incident link` are this org's. */
const SOURCE_OF: Record<LinkOrigin, TimelineEventSource> = {
  link: 'CLI',
  sync: 'Another Org'
};

interface Pending {
  firstAt: Date;
  cases: Map<string, string | null>;
  affectedAccounts: number;
}

/** What one run linked, per incident, until it is written as one event each. */
export class CaseLinkEvents {
  private readonly byIncident = new Map<string, Pending>();

  constructor(
    readonly origin: LinkOrigin,
    private readonly now: () => Date = () => new Date()
  ) {}

  /**
   * Cases this run linked to the incident; `affectedAccounts` is the incident's count of
   * affected accounts after the link (the latest one counts).
   */
  add(
    incidentId: string,
    cases: readonly LinkedCase[],
    affectedAccounts: number
  ): void {
    if (cases.length === 0) return;
    let pending = this.byIncident.get(incidentId);
    if (!pending) {
      pending = { firstAt: this.now(), cases: new Map(), affectedAccounts };
      this.byIncident.set(incidentId, pending);
    }
    for (const c of cases) pending.cases.set(c.id, c.accountId);
    pending.affectedAccounts = affectedAccounts;
  }

  /** The events gathered so far, one per incident. */
  events(): TimelineEventInput[] {
    return [...this.byIncident].map(([incidentId, pending]) =>
      caseLinkedEvent(this.origin, incidentId, pending)
    );
  }

  /** Writes the gathered events and forgets them; no call when nothing was linked. */
  async write(client: OrgClient): Promise<WriteEventsResult> {
    const events = this.events();
    this.byIncident.clear();
    return writeEvents(client, events);
  }
}

function caseLinkedEvent(
  origin: LinkOrigin,
  incidentId: string,
  pending: Pending
): TimelineEventInput {
  const caseIds = [...pending.cases.keys()];
  const accountIds = [
    ...new Set([...pending.cases.values()].filter((a) => a !== null))
  ];
  const cases = plural(caseIds.length, 'case');
  const accounts = plural(accountIds.length, 'account');
  return {
    incidentId,
    type: 'CaseLinked',
    key: eventKey(incidentId, 'CaseLinked', `${origin}:${idSetHash(caseIds)}`),
    occurredAt: pending.firstAt.toISOString(),
    summary: `${cases} of ${accounts} linked by incident ${origin}; ${plural(pending.affectedAccounts, 'account')} affected in all`,
    payload: {
      origin,
      count: caseIds.length,
      caseIds: caseIds.slice(0, PAYLOAD_IDS),
      accountCount: accountIds.length,
      accountIds: accountIds.slice(0, PAYLOAD_IDS),
      affectedAccounts: pending.affectedAccounts
    },
    source: SOURCE_OF[origin]
  };
}

/**
 * What the Created event reads of detect's storm report, stated here rather than imported, so
 * the timeline does not depend on the cases module that writes through it.
 */
export interface OpenedStorm {
  level: string;
  label: string;
  caseCount: number;
  accountCount: number;
  firstAt: string;
  lastAt: string;
  peak: number;
  proposal: { urgency: string; impact: string };
  created: { incidentId: string; linked: number };
}

/** The Created event of an incident `incident detect --create` opened for a storm. */
export function stormCreatedEvent(
  storm: OpenedStorm,
  stormKey: string,
  at: Date
): TimelineEventInput {
  const incidentId = storm.created.incidentId;
  return {
    incidentId,
    type: 'Created',
    key: eventKey(incidentId, 'Created', `storm:${stormKey}`),
    occurredAt: at.toISOString(),
    summary: `Opened by incident detect for a storm of ${plural(storm.caseCount, 'case')} from ${plural(storm.accountCount, 'account')} on ${storm.level} ${storm.label}`,
    payload: {
      stormKey,
      level: storm.level,
      label: storm.label,
      caseCount: storm.caseCount,
      accountCount: storm.accountCount,
      firstAt: storm.firstAt,
      lastAt: storm.lastAt,
      peak: storm.peak,
      linked: storm.created.linked,
      urgency: storm.proposal.urgency,
      impact: storm.proposal.impact
    },
    source: 'CLI'
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
