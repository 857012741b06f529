/**
 * A custom field on a standard object deploys only if the platform lets that object take custom
 * fields, and one refused field fails the whole deploy. Nothing offline can tell (the object
 * reference rarely says), so force-app may add custom fields only to the standard objects in
 * scripts/verify/data/custom-field-objects.json, each listed with the source that says it takes
 * them. Anything else (BroadcastCommunication, for one) keeps its data on a custom object of ours.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from './problems.ts';
import { displayPath, type SfdxProject } from './project.ts';

const CHECK = 'custom-field-objects';

export const CUSTOM_FIELD_OBJECTS_FILE = new URL(
  '../data/custom-field-objects.json',
  import.meta.url
);

export interface CustomFieldObjectsData {
  description: string;
  /** Standard object API name to the source that says it takes custom fields. */
  objects: Record<string, string>;
}

export function loadCustomFieldObjects(
  file: URL | string = CUSTOM_FIELD_OBJECTS_FILE
): CustomFieldObjectsData {
  return JSON.parse(readFileSync(file, 'utf8')) as CustomFieldObjectsData;
}

/** Custom objects, settings, metadata types, events and the like end in a double-underscore suffix. */
function isStandardObject(name: string): boolean {
  return !/__[a-z]+$/i.test(name);
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir)
      .sort()
      .filter((entry) => statSync(join(dir, entry)).isDirectory());
  } catch {
    // A package directory without this folder has nothing to check.
    return [];
  }
}

/** Every `objects/<Object>` folder under the package directories (any depth). */
function objectFolders(project: SfdxProject): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of subdirectories(dir)) {
      const path = join(dir, entry);
      if (entry === 'objects')
        found.push(...subdirectories(path).map((o) => join(path, o)));
      else if (entry !== '__tests__' && entry !== 'node_modules') walk(path);
    }
  };
  for (const dir of project.packageDirs) walk(dir);
  return found;
}

export function checkCustomFieldObjects(
  project: SfdxProject,
  data: CustomFieldObjectsData = loadCustomFieldObjects()
): Problem[] {
  const known = new Set(Object.keys(data.objects));
  const problems: Problem[] = [];
  for (const folder of objectFolders(project)) {
    const objectName = folder.split(/[\\/]/).pop() ?? '';
    if (!isStandardObject(objectName) || known.has(objectName)) continue;
    const fieldsDir = join(folder, 'fields');
    let files: string[];
    try {
      files = readdirSync(fieldsDir).sort();
    } catch {
      continue;
    }
    for (const file of files) {
      if (!file.endsWith('.field-meta.xml')) continue;
      const path = join(fieldsDir, file);
      if (project.forceIgnore.denies(path)) continue;
      problems.push({
        check: CHECK,
        file: displayPath(project, path),
        message: `custom field ${file.replace(/\.field-meta\.xml$/, '')} on the standard object ${objectName}, which is not known to take custom fields (known: ${[...known].sort().join(', ')}; scripts/verify/data/custom-field-objects.json). Keep the data on a custom object of the project, or add ${objectName} there with the source that says it takes custom fields`
      });
    }
  }
  return problems;
}
