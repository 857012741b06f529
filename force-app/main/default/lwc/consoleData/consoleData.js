/**
 * Adapters from IncidentConsoleController's JSON (camelCase, Apex wrapper classes) to the
 * custom-metadata-shaped records that c/incidentRules works on. Keeping the mapping here
 * means the matrix and the timers read the controller's data the same way.
 */
import { toLevel } from 'c/incidentRules';

/** Matrix levels in display order: High (1) first. */
export const LEVELS = [1, 2, 3];

function levelOrRaw(value) {
  try {
    return toLevel(value);
  } catch {
    // Leave it as received so validateRules reports the bad value precisely.
    return value;
  }
}

/**
 * A cell's priority (Incident_Severity_Rule__mdt.Priority__c) is carried only when the
 * controller sends one: blank means the default mapping of the severity.
 * @param {Array<{urgency: number|string, impact: number|string, severity: number, priority?: string|null}>|undefined} rules
 * @returns {Array<{Urgency__c: unknown, Impact__c: unknown, Severity__c: unknown, Priority__c?: string}>}
 */
export function toSeverityRules(rules) {
  return (rules ?? []).map((rule) => ({
    Urgency__c: levelOrRaw(rule.urgency),
    Impact__c: levelOrRaw(rule.impact),
    Severity__c: rule.severity,
    ...(rule.priority ? { Priority__c: rule.priority } : {})
  }));
}

/**
 * @param {Array<{severity: number, responseMinutes: number, resolutionMinutes: number, warningPercent: number}>|undefined} policy
 */
export function toSlaPolicy(policy) {
  return (policy ?? []).map((row) => ({
    Severity__c: row.severity,
    Response_Minutes__c: row.responseMinutes,
    Resolution_Minutes__c: row.resolutionMinutes,
    Warning_Percent__c: row.warningPercent
  }));
}
