/**
 * The shape in which the project describes Salesforce objects, whatever their source:
 * the standard objects derived from Salesforce's reference (standard-objects.json) and the
 * custom objects and fields read from force-app source. The local org serves describe
 * results from it and stores records by it; the offline checks validate against it.
 */

/** Field types as the Salesforce REST describe names them (`DescribeFieldResult.type`). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'encryptedstring'
  | 'address'
  | 'location'
  | 'base64'
  | 'anyType';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldSchema {
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types; 18 for ids and references. */
  length: number;
  precision: number;
  scale: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** The platform fills it on create when the caller leaves it out. */
  defaultedOnCreate: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  autoNumber: boolean;
  calculated: boolean;
  /** Restricted picklist: a value outside picklistValues is rejected. */
  restrictedPicklist: boolean;
  picklistValues: PicklistValue[];
  /** Default value for picklists/booleans/numbers, as the platform would apply it. */
  defaultValue: string | number | boolean | null;
  referenceTo: string[];
  relationshipName: string | null;
  /** For custom fields: true when the source file declares it (not a standard field). */
  custom: boolean;
  inlineHelpText: string | null;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface ObjectSchema {
  name: string;
  label: string;
  labelPlural: string;
  /** Three-character id prefix, e.g. 500 for Case. */
  keyPrefix: string;
  custom: boolean;
  customSetting: boolean;
  /** true for X__mdt types: records are written through the Metadata API, not DML. */
  customMetadata: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: FieldSchema[];
  childRelationships: ChildRelationship[];
}

/** A custom metadata record as deployed from `customMetadata/<Type>.<Record>.md-meta.xml`. */
export interface CustomMetadataRecord {
  /** e.g. Incident_Severity_Rule__mdt */
  type: string;
  /** DeveloperName, e.g. Urgency1_Impact1 */
  developerName: string;
  label: string;
  protected: boolean;
  /** Field API name to typed value (numbers as numbers, booleans as booleans, null for nil). */
  values: Record<string, string | number | boolean | null>;
  /** Source file, for error messages. */
  sourcePath: string;
}

/** Every object the org knows (standard + force-app), looked up case-insensitively as Salesforce does. */
export interface SchemaRegistry {
  objects(): readonly ObjectSchema[];
  object(name: string): ObjectSchema | undefined;
  field(objectName: string, fieldName: string): FieldSchema | undefined;
  /** The object whose keyPrefix starts this id (polymorphic lookups such as OwnerId). */
  objectForId(id: string): ObjectSchema | undefined;
}
