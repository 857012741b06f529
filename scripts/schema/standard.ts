/**
 * The standard objects the product uses, as derived from Salesforce's field reference by
 * generate-standard-schema.ts (committed, so a fresh clone needs no reference data).
 */
import { readFileSync } from 'node:fs';
import type { ObjectSchema } from './types.ts';

interface StandardSchemaFile {
  version: number;
  objects: ObjectSchema[];
}

let cached: readonly ObjectSchema[] | undefined;

/** A fresh deep copy each call, so callers may merge custom fields without sharing state. */
export function loadStandardObjects(): ObjectSchema[] {
  if (!cached) {
    const file = JSON.parse(
      readFileSync(new URL('./standard-objects.json', import.meta.url), 'utf8')
    ) as StandardSchemaFile;
    if (file.version !== 1)
      throw new Error(
        `standard-objects.json: unsupported version ${String(file.version)}`
      );
    cached = file.objects;
  }
  return structuredClone(cached) as ObjectSchema[];
}
