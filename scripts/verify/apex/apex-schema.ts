/**
 * The data model Apex code may reference: Salesforce's standard objects as the project
 * derived them (scripts/schema/standard.ts) with force-app's custom objects and
 * custom fields laid over them, as a deploy would. Lookups are case-insensitive, like Apex.
 */
import { readFileSync } from 'node:fs';
import { defineField } from '../../schema/field.ts';
import { loadForceAppSchema } from '../../schema/force-app-source.ts';
import { mergeFields } from '../../schema/registry.ts';
import { loadStandardObjects } from '../../schema/standard.ts';
import type { FieldSchema, ObjectSchema } from '../../schema/types.ts';
import {
  loadEditionFields,
  type EditionDependence
} from '../edition-fields.ts';

export interface SchemaIndex {
  object(name: string): ObjectSchema | undefined;
  field(objectName: string, fieldName: string): FieldSchema | undefined;
  /** Objects a parent relationship (`Account`, `Owner`, `Account__r`) points to. */
  parentRelationship(
    objectName: string,
    relationshipName: string
  ): string[] | undefined;
  /** The child object of a child relationship (`Cases`, `Roster_Members__r`). */
  childRelationship(
    objectName: string,
    relationshipName: string
  ): string | undefined;
  /** Why a standard field may be missing from the target org (edition, feature, version), if it may. */
  editionDependence: EditionDependence;
}

const lower = (name: string): string => name.toLowerCase();

export function indexSchema(
  objects: readonly ObjectSchema[],
  editionDependence: EditionDependence = () => undefined
): SchemaIndex {
  const byName = new Map(objects.map((object) => [lower(object.name), object]));
  const fields = new Map<string, Map<string, FieldSchema>>();
  const parents = new Map<string, Map<string, string[]>>();
  const children = new Map<string, Map<string, string>>();
  for (const object of objects) {
    const key = lower(object.name);
    fields.set(
      key,
      new Map(object.fields.map((field) => [lower(field.name), field]))
    );
    parents.set(
      key,
      new Map(
        object.fields
          .filter(
            (field) =>
              field.relationshipName !== null && field.referenceTo.length > 0
          )
          .map((field) => [
            lower(field.relationshipName ?? ''),
            field.referenceTo
          ])
      )
    );
    children.set(
      key,
      new Map(
        object.childRelationships
          .filter((child) => child.relationshipName !== null)
          .map((child) => [
            lower(child.relationshipName ?? ''),
            child.childSObject
          ])
      )
    );
  }
  return {
    object: (name) => byName.get(lower(name)),
    field: (objectName, fieldName) =>
      fields.get(lower(objectName))?.get(lower(fieldName)),
    parentRelationship: (objectName, name) =>
      parents.get(lower(objectName))?.get(lower(name)),
    childRelationship: (objectName, name) =>
      children.get(lower(objectName))?.get(lower(name)),
    editionDependence
  };
}

/** Standard objects with force-app's fields and child relationships added; custom objects as they are. */
export function mergeSchemas(
  standard: readonly ObjectSchema[],
  forceAppDir: string
): ObjectSchema[] {
  const forceApp = loadForceAppSchema(forceAppDir);
  // mergeFields is the registry's rule for a deploy: custom fields join their standard object.
  const withFields = mergeFields(
    standard,
    new Map(Object.entries(forceApp.fieldsOnStandardObjects))
  );
  const merged = new Map<string, ObjectSchema>(
    withFields.map((object) => [
      lower(object.name),
      { ...object, childRelationships: [...object.childRelationships] }
    ])
  );
  for (const object of forceApp.objects) merged.set(lower(object.name), object);
  for (const [name, added] of Object.entries(
    forceApp.childRelationshipsOnStandardObjects
  )) {
    merged.get(lower(name))?.childRelationships.push(...added);
  }
  return [...merged.values()];
}

export const SUPPLEMENT_FILE = new URL(
  '../data/apex-standard-objects.json',
  import.meta.url
);

/** Only what the field-reference check reads: the name and, for lookups, where they point. */
function referenceOnlyField(
  name: string,
  referenceTo: string[],
  relationshipName: string | null
): FieldSchema {
  return defineField(
    name,
    name === 'Id' ? 'id' : referenceTo.length > 0 ? 'reference' : 'anyType',
    {
      length: 0,
      groupable: true,
      idLookup: name === 'Id',
      referenceTo,
      relationshipName
    }
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Standard objects Apex uses that the standard schema lacks (scripts/verify/data/
 * apex-standard-objects.json): each with its field names and lookups, nothing more.
 */
export function readSupplementObjects(
  file: URL | string = SUPPLEMENT_FILE
): ObjectSchema[] {
  const label = file instanceof URL ? file.pathname : file;
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const objects = isRecord(data) ? data.objects : undefined;
  if (!Array.isArray(objects))
    throw new Error(`${label}: expected { "objects": [...] }`);
  return objects.map((entry: unknown, index): ObjectSchema => {
    if (
      !isRecord(entry) ||
      typeof entry.name !== 'string' ||
      !Array.isArray(entry.fields)
    ) {
      throw new Error(
        `${label}: objects[${index}] needs a "name" and a "fields" array`
      );
    }
    const objectName = entry.name;
    const fields = entry.fields.map(
      (field: unknown, fieldIndex): FieldSchema => {
        if (typeof field === 'string')
          return referenceOnlyField(field, [], null);
        if (
          isRecord(field) &&
          typeof field.name === 'string' &&
          typeof field.relationshipName === 'string' &&
          Array.isArray(field.referenceTo) &&
          field.referenceTo.every((target) => typeof target === 'string')
        ) {
          return referenceOnlyField(
            field.name,
            field.referenceTo,
            field.relationshipName
          );
        }
        throw new Error(
          `${label}: ${objectName}.fields[${fieldIndex}] must be a name or { name, referenceTo, relationshipName }`
        );
      }
    );
    return {
      name: objectName,
      label: objectName,
      labelPlural: objectName,
      keyPrefix: '',
      custom: false,
      customSetting: false,
      customMetadata: false,
      createable: false,
      updateable: false,
      deletable: false,
      queryable: true,
      fields,
      childRelationships: []
    };
  });
}

/** Standard objects plus the supplement; an object in both is a mistake in the supplement. */
export function withSupplement(
  standard: readonly ObjectSchema[],
  supplement: readonly ObjectSchema[]
): ObjectSchema[] {
  const known = new Set(standard.map((object) => lower(object.name)));
  const duplicates = supplement.filter((object) =>
    known.has(lower(object.name))
  );
  if (duplicates.length > 0) {
    throw new Error(
      `${SUPPLEMENT_FILE.pathname}: ${duplicates.map((object) => object.name).join(', ')} already in the standard schema; remove from the supplement`
    );
  }
  return [...standard, ...supplement];
}

export function loadProjectSchema(forceAppDir: string): SchemaIndex {
  return indexSchema(
    mergeSchemas(
      withSupplement(loadStandardObjects(), readSupplementObjects()),
      forceAppDir
    ),
    loadEditionFields()
  );
}
