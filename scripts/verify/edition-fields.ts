/**
 * Standard fields that exist only in some editions, with some features or from some API
 * version on (scripts/verify/data/edition-dependent-fields.json, written by
 * generate-edition-fields.ts from Salesforce's object reference). A deploy that names one
 * statically (SOQL, a typed field access, a field token, a permission set's fieldPermissions)
 * fails as a whole in an org that lacks it, so the Apex and permission-set checks refuse static
 * uses; Apex reaches such a field dynamically (describe, then SObject.get) instead.
 */
import { readFileSync } from 'node:fs';

export const EDITION_FIELDS_FILE = new URL(
  './data/edition-dependent-fields.json',
  import.meta.url
);

export interface EditionFieldsData {
  description: string;
  /** `Object.Field` to why it may be missing from an org. */
  fields: Record<string, string>;
}

/** Looks up why `Object.Field` may be missing from an org (case-insensitive), or undefined. */
export type EditionDependence = (
  objectName: string,
  fieldName: string
) => string | undefined;

export function editionDependence(data: EditionFieldsData): EditionDependence {
  const byName = new Map(
    Object.entries(data.fields).map(([name, reason]) => [
      name.toLowerCase(),
      reason
    ])
  );
  return (objectName, fieldName) =>
    byName.get(`${objectName}.${fieldName}`.toLowerCase());
}

export function loadEditionFields(
  file: URL | string = EDITION_FIELDS_FILE
): EditionDependence {
  const data = JSON.parse(readFileSync(file, 'utf8')) as EditionFieldsData;
  return editionDependence(data);
}
