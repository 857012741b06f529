/**
 * Event keys (T2): deterministic, so a retried or repeated write of the same event upserts the
 * same Incident_Event__c record instead of adding a second one.
 */
import { createHash } from 'node:crypto';

/**
 * `<incidentId>:<Type>:<discriminator>`: incidentRules' eventKey, which the automation uses too
 * (imported from its own file: TypeScript cannot follow incidentRules.js's extensionless
 * re-export, the platform's form).
 */
export { eventKey } from '../../force-app/main/default/lwc/incidentRules/timeline.js';

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
