/**
 * Test support: the project's standard schema plus a few custom fields and a custom metadata
 * type, and an in-memory SQLite database laid out by the storage contract (one table per
 * object, one column per stored field).
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { buildRegistry, mergeFields } from '../../schema/registry.ts';
import { loadStandardObjects } from '../../schema/standard.ts';
import type {
  FieldSchema,
  FieldType,
  ObjectSchema,
  SchemaRegistry
} from '../../schema/types.ts';
import { defineField, type FieldOverrides } from '../../schema/field.ts';
import { toId18 } from './literals.ts';

/** Test fields are writable and groupable; every field but ids and lookups is 255 long. */
export function field(
  name: string,
  type: FieldType,
  extra: FieldOverrides = {}
): FieldSchema {
  return defineField(name, type, {
    length: type === 'reference' || type === 'id' ? 18 : 255,
    createable: true,
    updateable: true,
    groupable: true,
    ...extra
  });
}

const severityRule: ObjectSchema = {
  name: 'Incident_Severity_Rule__mdt',
  label: 'Incident Severity Rule',
  labelPlural: 'Incident Severity Rules',
  keyPrefix: 'm01',
  custom: true,
  customSetting: false,
  customMetadata: true,
  createable: false,
  updateable: false,
  deletable: false,
  queryable: true,
  fields: [
    field('Id', 'id'),
    field('DeveloperName', 'string'),
    field('MasterLabel', 'string'),
    field('Urgency__c', 'double'),
    field('Impact__c', 'double'),
    field('Severity__c', 'double')
  ],
  childRelationships: []
};

export function testRegistry(): SchemaRegistry {
  const objects = mergeFields(
    loadStandardObjects(),
    new Map([
      [
        'Case',
        [
          field('Impact_Areas__c', 'multipicklist'),
          field('Score__c', 'double'),
          field('Escalated_Incident__c', 'reference', {
            referenceTo: ['Incident'],
            relationshipName: 'Escalated_Incident__r'
          })
        ]
      ]
    ])
  );
  return buildRegistry([...objects, severityRule]);
}

function columnType(type: FieldType): string {
  if (type === 'boolean' || type === 'int' || type === 'long') return 'INTEGER';
  if (type === 'double' || type === 'currency' || type === 'percent')
    return 'REAL';
  return 'TEXT';
}

export function createDb(registry: SchemaRegistry): Db {
  const db = new Database(':memory:');
  for (const object of registry.objects()) {
    // Column names are case-insensitive in SQLite; the first spelling wins.
    const seen = new Set<string>(['id']);
    const columns = object.fields
      .filter((f) => f.type !== 'address' && f.type !== 'location')
      .filter(
        (f) => !seen.has(f.name.toLowerCase()) && seen.add(f.name.toLowerCase())
      )
      .map((f) => `"${f.name}" ${columnType(f.type)}`);
    db.exec(
      `CREATE TABLE "${object.name}" ("Id" TEXT PRIMARY KEY${columns.map((c) => `, ${c}`).join('')})`
    );
  }
  return db;
}

let keyPrefixes: ReadonlyMap<string, string> | undefined;

/** A valid 18-character id of record number n of the object, with the object's key prefix. */
export function idFor(objectName: string, n: number): string {
  keyPrefixes ??= new Map(
    testRegistry()
      .objects()
      .map((object) => [object.name, object.keyPrefix])
  );
  const keyPrefix = keyPrefixes.get(objectName);
  if (keyPrefix === undefined)
    throw new Error(`idFor: ${objectName} is not in the test schema`);
  return toId18(`${keyPrefix}${String(n).padStart(12, '0')}`);
}

export function insert(
  db: Db,
  object: string,
  rows: Record<string, string | number | null>[]
): void {
  for (const row of rows) {
    const names = Object.keys(row);
    db.prepare(
      `INSERT INTO "${object}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
    ).run(...names.map((n) => row[n] ?? null));
  }
}
