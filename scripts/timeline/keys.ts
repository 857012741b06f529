/**
 * Event keys (T2): deterministic, so a retried or repeated write of the same event upserts the
 * same Incident_Event__c record instead of adding a second one.
 */
import { createHash } from 'node:crypto';
import type { TimelineEventType } from './events.ts';

/**
 * `<incidentId>:<Type>:<discriminator>`, the shape every writer of events shares (the Apex
 * automation and incidentRules' timeline.js build the same).
 */
export function eventKey(
  incidentId: string,
  type: TimelineEventType,
  discriminator: string
): string {
  return `${incidentId}:${type}:${discriminator}`;
}

/**
 * A short, stable digest of a set of ids (order and repeats do not matter): the discriminator
 * of an aggregated event's key, so the same set always makes the same key. 32 hex digits keep
 * the key well inside Event_Key__c's 255 characters.
 */
export function idSetHash(ids: Iterable<string>): string {
  const sorted = [...new Set(ids)].sort();
  return createHash('sha256')
    .update(sorted.join(','))
    .digest('hex')
    .slice(0, 32);
}
