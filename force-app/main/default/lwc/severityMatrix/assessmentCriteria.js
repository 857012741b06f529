/**
 * The major-incident assessment agents answer for a new incident: an incident is urgent if
 * any urgency criterion applies, and has high impact if any impact criterion applies.
 */
export const URGENCY_CRITERIA = [
  { id: 'damage-grows', label: 'The damage can grow quickly' },
  { id: 'escalates', label: 'It becomes a bigger incident unless fixed soon' },
  { id: 'key-customers', label: 'It affects, or may affect, key customers' }
];

export const IMPACT_CRITERIA = [
  { id: 'injury', label: 'Someone is, or may be, injured' },
  { id: 'many-customers', label: 'Many customers are affected' },
  { id: 'financial', label: 'Large financial impact' },
  { id: 'reputation', label: "It may damage the company's reputation" }
];

/**
 * Proposes a level: High as soon as one criterion of the group is ticked, otherwise the
 * current value stays (the assessment only ever raises a level).
 * @param {Set<string>} ticked ids of ticked criteria of the group
 * @param {string|null|undefined} current current picklist value
 * @returns {string|null}
 */
export function proposeLevel(ticked, current) {
  return ticked.size > 0 ? 'High' : (current ?? null);
}
