/**
 * The one place that knows every member of a FieldSchema: each source of fields (force-app,
 * the standard-schema generator, the Apex check's supplement, test schemas) states only what
 * its fields have that a plain field does not.
 */
import type { FieldSchema, FieldType } from './types.ts';

/** Everything but the name and type, which are the factory's own arguments. */
export type FieldOverrides = Partial<Omit<FieldSchema, 'name' | 'type'>>;

/**
 * A plain field: labelled by its name, nillable, filterable and sortable, not writable, with
 * no lookup, picklist, default or help text. Ids and references are 18 characters; no other
 * type has a length unless `overrides` gives one. A name ending in `__c` is a custom field,
 * as the platform names them. Members keep the order of FieldSchema, so JSON written from
 * the result keeps a stable layout.
 */
export function defineField(
  name: string,
  type: FieldType,
  overrides: FieldOverrides = {}
): FieldSchema {
  return {
    name,
    label: name,
    type,
    length: type === 'id' || type === 'reference' ? 18 : 0,
    precision: 0,
    scale: 0,
    createable: false,
    updateable: false,
    nillable: true,
    defaultedOnCreate: false,
    filterable: true,
    sortable: true,
    groupable: false,
    unique: false,
    externalId: false,
    idLookup: false,
    autoNumber: false,
    calculated: false,
    restrictedPicklist: false,
    picklistValues: [],
    defaultValue: null,
    referenceTo: [],
    relationshipName: null,
    custom: name.endsWith('__c'),
    inlineHelpText: null,
    ...overrides
  };
}
