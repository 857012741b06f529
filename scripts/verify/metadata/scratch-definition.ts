/**
 * config/project-scratch-def.json creates an org the project deploys to: a known edition, and
 * settings that name real fields of their Metadata API settings types (where the reference data
 * knows the type) with values of the right kind, including the ones incident management needs.
 * `sf org create scratch` reports a misspelled setting only after it has spent the scratch org.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XSD_TEXT_TYPES, type ElementData } from './element-data.ts';
import type { Problem } from './problems.ts';
import type { SfdxProject } from './project.ts';
import { closestName } from './suggest.ts';

const CHECK = 'scratch-definition';
export const SCRATCH_DEFINITION = join('config', 'project-scratch-def.json');

const EDITIONS = [
  'Developer',
  'Enterprise',
  'Group',
  'Professional',
  'Partner Developer',
  'Partner Enterprise',
  'Partner Group',
  'Partner Professional'
];

/** Settings without which the product cannot work in the scratch org. */
export const REQUIRED_SETTINGS: readonly {
  path: [string, string];
  value: boolean;
  why: string;
}[] = [
  {
    path: ['incidentMgmtSettings', 'enableIncidentMgmt'],
    value: true,
    why: 'Incident, Problem and ChangeRequest exist only with Customer Service Incident Management on'
  }
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value's kind as the XSD names it, for the types a scratch definition uses. */
function valueFits(type: string, value: unknown): boolean {
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'int' || type === 'long' || type === 'double') {
    return typeof value === 'number';
  }
  return typeof value === 'string';
}

function settingsProblems(
  settings: Record<string, unknown>,
  elementData: ElementData
): string[] {
  const problems: string[] = [];
  for (const [key, body] of Object.entries(settings)) {
    const type = key.charAt(0).toUpperCase() + key.slice(1);
    if (!isObject(body)) {
      problems.push(`settings.${key} must be an object`);
      continue;
    }
    // Only the settings types in Salesforce's reference data can be checked offline.
    const rules = elementData.complexTypes[type];
    if (!rules || !elementData.metadataTypes.includes(type)) continue;
    for (const [field, value] of Object.entries(body)) {
      const rule = rules.find((candidate) => candidate.name === field);
      if (!rule) {
        const hint = closestName(
          field,
          rules.map((candidate) => candidate.name)
        );
        problems.push(
          `settings.${key}.${field} is not a field of ${type}${hint ? ` (did you mean ${hint}?)` : ''}`
        );
      } else if (
        XSD_TEXT_TYPES.has(rule.type) &&
        !rule.repeated &&
        !valueFits(rule.type, value)
      ) {
        problems.push(
          `settings.${key}.${field} must be a ${rule.type}, found ${JSON.stringify(value)}`
        );
      }
    }
  }
  return problems;
}

export function scratchDefinitionProblems(
  json: string,
  elementData: ElementData
): string[] {
  let definition: unknown;
  try {
    definition = JSON.parse(json);
  } catch (error) {
    return [`not valid JSON: ${String(error)}`];
  }
  if (!isObject(definition)) return ['must be a JSON object'];
  const problems: string[] = [];
  const { edition, features, settings } = definition;
  if (typeof edition !== 'string' || !EDITIONS.includes(edition)) {
    problems.push(
      `edition must be one of ${EDITIONS.join(', ')}, found ${JSON.stringify(edition)}`
    );
  }
  if (
    features !== undefined &&
    !(
      Array.isArray(features) &&
      features.every((feature) => typeof feature === 'string')
    )
  ) {
    problems.push('features must be a list of feature names');
  }
  const settingsObject = isObject(settings) ? settings : {};
  if (settings !== undefined && !isObject(settings)) {
    problems.push('settings must be an object');
  }
  problems.push(...settingsProblems(settingsObject, elementData));
  for (const required of REQUIRED_SETTINGS) {
    const [type, field] = required.path;
    const group = settingsObject[type];
    if (!isObject(group) || group[field] !== required.value) {
      problems.push(
        `settings.${type}.${field} must be ${String(required.value)}: ${required.why}`
      );
    }
  }
  return problems;
}

export function checkScratchDefinition(
  project: SfdxProject,
  elementData: ElementData
): Problem[] {
  const file = join(project.root, SCRATCH_DEFINITION);
  // Projects without scratch orgs (the test fixtures) have nothing to check.
  if (!existsSync(file)) return [];
  return scratchDefinitionProblems(readFileSync(file, 'utf8'), elementData).map(
    (message) => ({ check: CHECK, file: SCRATCH_DEFINITION, message })
  );
}
