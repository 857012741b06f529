/**
 * Reads the project's own data model from force-app source (custom objects, custom metadata
 * types, custom fields on standard objects, custom metadata records) into the shared schema
 * shapes, the way a deploy would create them in an org. The local org loads it at start and
 * the offline checks validate against it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type {
  ChildRelationship,
  CustomMetadataRecord,
  FieldSchema,
  FieldType,
  ObjectSchema,
  PicklistValue
} from './types.ts';
import { defineField, type FieldOverrides } from './field.ts';

export interface ForceAppSchema {
  objects: ObjectSchema[];
  fieldsOnStandardObjects: Record<string, FieldSchema[]>;
  customMetadataRecords: CustomMetadataRecord[];
  /** Children that custom lookups add to standard parents (e.g. Account → roster members). */
  childRelationshipsOnStandardObjects: Record<string, ChildRelationship[]>;
  /** `permissionsets/<Name>.permissionset-meta.xml`: what a deploy creates as PermissionSet records. */
  permissionSets: SourcePermissionSet[];
}

export interface SourcePermissionSet {
  name: string;
  label: string;
  description: string | null;
  sourcePath: string;
}

/** A field as declared in `*.field-meta.xml`, with the metadata type kept for record typing. */
export interface SourceField {
  objectName: string;
  metadataType: string;
  schema: FieldSchema;
  /** Child relationship name on the parent (`<relationshipName>__r`) for lookups. */
  childRelationshipName: string | null;
  sourcePath: string;
}

export class ForceAppSourceError extends Error {
  constructor(
    readonly file: string,
    /** What is wrong, without the file (the message leads with it). */
    readonly detail: string
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ForceAppSourceError';
  }
}

type XmlNode = Record<string, unknown>;

/** Elements that may repeat in the files read here; the parser must always give arrays. */
const REPEATED_ELEMENTS = new Set([
  'CustomField.valueSet.valueSetDefinition.value',
  'CustomField.referenceTo',
  'CustomMetadata.values'
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, jpath) => REPEATED_ELEMENTS.has(String(jpath))
});

/** Parses a metadata XML file and returns its root element, failing with the file's name. */
export function readMetadataXml(file: string, rootElement: string): XmlNode {
  const text = readFileSync(file, 'utf8');
  // fast-xml-parser 5 still ships XMLValidator; its successor package is not a dependency.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ForceAppSourceError(
      file,
      `malformed XML at line ${valid.err.line}: ${valid.err.msg}`
    );
  }
  const doc = parser.parse(text) as XmlNode;
  const root = doc[rootElement];
  if (root === undefined) {
    throw new ForceAppSourceError(
      file,
      `expected root element <${rootElement}>`
    );
  }
  // An empty element such as <CustomObject/> parses as ''.
  return isNode(root) ? root : {};
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isNode(value) && typeof value['#text'] === 'string')
    return value['#text'];
  return undefined;
}

function bool(node: XmlNode, name: string, file: string): boolean | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ForceAppSourceError(
    file,
    `<${name}> must be true or false, found "${value}"`
  );
}

function integer(
  node: XmlNode,
  name: string,
  file: string
): number | undefined {
  const value = text(node, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new ForceAppSourceError(
      file,
      `<${name}> must be a whole number, found "${value}"`
    );
  }
  return Number(value);
}

/** An element's occurrences: the parser gives one as a value, several as an array. */
function occurrences(node: XmlNode, name: string): unknown[] {
  const value = node[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function nodes(node: XmlNode, name: string): XmlNode[] {
  return occurrences(node, name).filter(isNode);
}

function strings(node: XmlNode, name: string): string[] {
  return occurrences(node, name).filter(
    (item): item is string => typeof item === 'string'
  );
}

/** How each CustomField `<type>` appears in a REST describe, with its fixed length. */
const DESCRIBE_TYPES: Record<string, { type: FieldType; length?: number }> = {
  AutoNumber: { type: 'string' },
  Checkbox: { type: 'boolean' },
  Currency: { type: 'currency' },
  Date: { type: 'date' },
  DateTime: { type: 'datetime' },
  Email: { type: 'email', length: 80 },
  EncryptedText: { type: 'encryptedstring' },
  Html: { type: 'textarea' },
  Location: { type: 'location' },
  LongTextArea: { type: 'textarea' },
  Lookup: { type: 'reference', length: 18 },
  MasterDetail: { type: 'reference', length: 18 },
  MetadataRelationship: { type: 'reference', length: 18 },
  MultiselectPicklist: { type: 'multipicklist', length: 4099 },
  Number: { type: 'double' },
  Percent: { type: 'percent' },
  Phone: { type: 'phone', length: 40 },
  Picklist: { type: 'picklist', length: 255 },
  Summary: { type: 'double' },
  Text: { type: 'string' },
  TextArea: { type: 'textarea', length: 255 },
  Time: { type: 'time' },
  Url: { type: 'url', length: 255 }
};

/** Describe types whose values are JSON numbers. */
const NUMERIC_TYPES = new Set<FieldType>([
  'double',
  'currency',
  'percent',
  'int',
  'long'
]);
const GROUPABLE_TYPES = new Set<FieldType>([
  'id',
  'string',
  'picklist',
  'boolean',
  'reference',
  'email',
  'phone',
  'url',
  'date',
  'int',
  'long'
]);

/** The describe-visible default: only literal defaults are known without evaluating a formula. */
function literalDefault(
  raw: string | undefined,
  type: FieldType
): string | number | boolean | null {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (type === 'boolean') return value.toLowerCase() === 'true';
  if (NUMERIC_TYPES.has(type) && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  const quoted = /^"(.*)"$/s.exec(value) ?? /^'(.*)'$/s.exec(value);
  if (quoted?.[1] !== undefined) return quoted[1];
  return null;
}

function picklistValues(field: XmlNode): {
  values: PicklistValue[];
  restricted: boolean;
} {
  const valueSet = field.valueSet;
  if (!isNode(valueSet)) return { values: [], restricted: false };
  const definition = valueSet.valueSetDefinition;
  const values = isNode(definition)
    ? nodes(definition, 'value').map((value) => {
        const name = text(value, 'fullName') ?? '';
        return {
          value: name,
          label: text(value, 'label') ?? name,
          active: text(value, 'isActive') !== 'false',
          defaultValue: text(value, 'default') === 'true'
        };
      })
    : [];
  return { values, restricted: text(valueSet, 'restricted') === 'true' };
}

/** Reads one `objects/<Object>/fields/<Field>.field-meta.xml`. */
export function readFieldFile(
  file: string,
  objectName: string,
  customMetadataObject: boolean
): SourceField {
  const field = readMetadataXml(file, 'CustomField');
  const name =
    text(field, 'fullName') ?? basename(file).replace(/\.field-meta\.xml$/, '');
  const expected = basename(file).replace(/\.field-meta\.xml$/, '');
  if (name !== expected) {
    throw new ForceAppSourceError(
      file,
      `<fullName> "${name}" does not match the file name`
    );
  }
  const metadataType = text(field, 'type');
  if (metadataType === undefined) {
    throw new ForceAppSourceError(file, `field ${name} has no <type>`);
  }
  const mapped = DESCRIBE_TYPES[metadataType];
  if (mapped === undefined) {
    throw new ForceAppSourceError(
      file,
      `field ${name} has unknown <type> "${metadataType}"`
    );
  }
  const type = mapped.type;
  const formula =
    text(field, 'formula') !== undefined || metadataType === 'Summary';
  const autoNumber = metadataType === 'AutoNumber';
  const required =
    (bool(field, 'required', file) ?? false) || metadataType === 'MasterDetail';
  const unique = bool(field, 'unique', file) ?? false;
  const externalId = bool(field, 'externalId', file) ?? false;
  const longText = metadataType === 'LongTextArea' || metadataType === 'Html';
  const { values, restricted } = picklistValues(field);
  const reference = type === 'reference';
  const referenceTo = strings(field, 'referenceTo');
  if (reference && referenceTo.length === 0) {
    throw new ForceAppSourceError(
      file,
      `${metadataType} field ${name} has no <referenceTo>`
    );
  }
  const rawDefault = text(field, 'defaultValue');
  const picklistDefault =
    values.find((value) => value.defaultValue)?.value ?? null;
  const defaultValue =
    type === 'picklist' || type === 'multipicklist'
      ? picklistDefault
      : type === 'boolean'
        ? literalDefault(rawDefault ?? 'false', type)
        : literalDefault(rawDefault, type);
  const writable = !formula && !autoNumber && !customMetadataObject;
  const label = text(field, 'label') ?? name;
  const childRelationship = text(field, 'relationshipName');

  const schema: FieldSchema = {
    name,
    label,
    type,
    length: mapped.length ?? declaredLength(field, file, autoNumber),
    precision: integer(field, 'precision', file) ?? 0,
    scale: integer(field, 'scale', file) ?? 0,
    createable: writable,
    updateable: writable && metadataType !== 'MasterDetail',
    nillable: !required && type !== 'boolean' && !autoNumber,
    defaultedOnCreate:
      type === 'boolean' || autoNumber || defaultValue !== null,
    filterable: !longText,
    sortable: !longText && type !== 'multipicklist',
    groupable: !longText && !formula && GROUPABLE_TYPES.has(type),
    unique,
    externalId,
    idLookup: externalId || autoNumber,
    autoNumber,
    calculated: formula,
    restrictedPicklist: restricted,
    picklistValues: values,
    defaultValue,
    referenceTo: reference ? referenceTo : [],
    relationshipName: reference ? name.replace(/__c$/, '__r') : null,
    custom: true,
    inlineHelpText: text(field, 'inlineHelpText') ?? null
  };
  return {
    objectName,
    metadataType,
    schema,
    childRelationshipName:
      reference && childRelationship ? `${childRelationship}__r` : null,
    sourcePath: file
  };
}

/** Text lengths come from `<length>`; auto numbers are 30 characters; other types have none. */
function declaredLength(
  field: XmlNode,
  file: string,
  autoNumber: boolean
): number {
  return integer(field, 'length', file) ?? (autoNumber ? 30 : 0);
}

/** A field the platform adds and fills itself: required, read-only unless `extra` says otherwise. */
function systemField(
  name: string,
  label: string,
  type: FieldType,
  extra: FieldOverrides = {}
): FieldSchema {
  return defineField(name, type, {
    label,
    nillable: false,
    defaultedOnCreate: true,
    groupable: GROUPABLE_TYPES.has(type),
    ...extra
  });
}

function auditFields(): FieldSchema[] {
  const user = (
    name: string,
    label: string,
    relationshipName: string
  ): FieldSchema =>
    systemField(name, label, 'reference', {
      referenceTo: ['User'],
      relationshipName
    });
  return [
    systemField('CreatedDate', 'Created Date', 'datetime'),
    user('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
    user('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'datetime'),
    systemField('IsDeleted', 'Deleted', 'boolean', { defaultValue: false })
  ];
}

/** The fields the platform adds to every custom object (`__c`). */
function customObjectSystemFields(
  object: XmlNode,
  file: string,
  hasMasterDetail: boolean
): FieldSchema[] {
  const nameField = isNode(object.nameField) ? object.nameField : {};
  const autoNumberName = text(nameField, 'type') === 'AutoNumber';
  // A hierarchy custom setting's record belongs to a location, not an owner: SetupOwnerId (the
  // org, a profile or a user, one record each; the org when left out) is its key, and its Name
  // is optional (Salesforce Help, "Custom Settings": hierarchy settings are looked up by
  // user, profile and org). Custom settings have no OwnerId.
  const settingsType = text(object, 'customSettingsType');
  const hierarchy = settingsType === 'Hierarchy';
  const fields = [
    systemField('Id', 'Record ID', 'id', { idLookup: true }),
    systemField('Name', text(nameField, 'label') ?? 'Name', 'string', {
      length: 80,
      createable: !autoNumberName,
      updateable: !autoNumberName,
      defaultedOnCreate: autoNumberName,
      autoNumber: autoNumberName,
      idLookup: true,
      nillable: autoNumberName || hierarchy
    })
  ];
  if (text(object, 'label') === undefined) {
    throw new ForceAppSourceError(file, 'custom object has no <label>');
  }
  if (hierarchy) {
    fields.push(
      systemField('SetupOwnerId', 'Location ID', 'reference', {
        createable: true,
        updateable: true,
        unique: true,
        referenceTo: ['Organization', 'Profile', 'User'],
        relationshipName: 'SetupOwner'
      })
    );
  }
  // Detail records of a master-detail relationship are owned by their master.
  if (!hasMasterDetail && settingsType === undefined) {
    fields.push(
      systemField('OwnerId', 'Owner ID', 'reference', {
        createable: true,
        updateable: true,
        referenceTo: ['Group', 'User'],
        relationshipName: 'Owner'
      })
    );
  }
  return [...fields, ...auditFields()];
}

/** The fields every custom metadata type (`__mdt`) has. */
function customMetadataSystemFields(): FieldSchema[] {
  const string = (name: string, label: string, length: number): FieldSchema =>
    systemField(name, label, 'string', { length, defaultedOnCreate: false });
  return [
    systemField('Id', 'Custom Metadata Record ID', 'id', { idLookup: true }),
    string('DeveloperName', 'Custom Metadata Record Name', 40),
    string('MasterLabel', 'Label', 40),
    string('Label', 'Label', 40),
    string('QualifiedApiName', 'Qualified API Name', 70),
    { ...string('NamespacePrefix', 'Namespace Prefix', 15), nillable: true },
    systemField('Language', 'Master Language', 'picklist', { length: 40 })
  ];
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Deterministic key prefixes: `a01`, `a02`, ... for `__c`; `m00`, `m01`, ... for `__mdt`. */
export function keyPrefixFor(first: string, index: number): string {
  if (index >= BASE62.length * BASE62.length) {
    throw new RangeError(`no key prefix left for object number ${index + 1}`);
  }
  return `${first}${BASE62[Math.floor(index / BASE62.length)] ?? '0'}${BASE62[index % BASE62.length] ?? '0'}`;
}

function listDirectory(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every directory named `name` under root (package directories nest them, e.g. main/default). */
export function findDirectories(root: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of listDirectory(dir)) {
      if (
        entry === 'node_modules' ||
        entry.startsWith('.') ||
        entry === '__tests__'
      )
        continue;
      const path = join(dir, entry);
      if (!isDirectory(path)) continue;
      if (entry === name) found.push(path);
      else walk(path);
    }
  };
  walk(root);
  return found;
}

interface SourceObject {
  name: string;
  dir: string;
  definition: XmlNode | null;
  definitionPath: string;
  fields: SourceField[];
}

function readSourceObjects(
  forceAppDir: string,
  include: (objectName: string) => boolean = () => true
): SourceObject[] {
  const objects: SourceObject[] = [];
  for (const objectsDir of findDirectories(forceAppDir, 'objects')) {
    for (const name of listDirectory(objectsDir)) {
      const dir = join(objectsDir, name);
      if (!include(name) || !isDirectory(dir)) continue;
      const customMetadataObject = name.endsWith('__mdt');
      const definitionPath = join(dir, `${name}.object-meta.xml`);
      const hasDefinition = listDirectory(dir).includes(
        `${name}.object-meta.xml`
      );
      const fieldsDir = join(dir, 'fields');
      const fields = listDirectory(fieldsDir)
        .filter((file) => file.endsWith('.field-meta.xml'))
        .map((file) =>
          readFieldFile(join(fieldsDir, file), name, customMetadataObject)
        );
      objects.push({
        name,
        dir,
        definition: hasDefinition
          ? readMetadataXml(definitionPath, 'CustomObject')
          : null,
        definitionPath,
        fields
      });
    }
  }
  return objects;
}

/** The fields of each custom metadata type in force-app, by type name. */
export function readCustomMetadataTypeFields(
  forceAppDir: string
): Map<string, SourceField[]> {
  return customMetadataFieldsOf(
    readSourceObjects(forceAppDir, (name) => name.endsWith('__mdt'))
  );
}

function customMetadataFieldsOf(
  sources: SourceObject[]
): Map<string, SourceField[]> {
  return new Map(
    sources
      .filter((source) => source.name.endsWith('__mdt'))
      .map((source) => [source.name, source.fields] as const)
  );
}

function isCustomObjectName(name: string): boolean {
  return name.endsWith('__c') || name.endsWith('__mdt');
}

function buildObject(source: SourceObject, keyPrefix: string): ObjectSchema {
  const customMetadata = source.name.endsWith('__mdt');
  if (source.definition === null) {
    throw new ForceAppSourceError(
      source.definitionPath,
      'custom object definition is missing'
    );
  }
  const definition = source.definition;
  const hasMasterDetail = source.fields.some(
    (field) => field.metadataType === 'MasterDetail'
  );
  const systemFields = customMetadata
    ? customMetadataSystemFields()
    : customObjectSystemFields(
        definition,
        source.definitionPath,
        hasMasterDetail
      );
  const label = text(definition, 'label') ?? source.name;
  return {
    name: source.name,
    label,
    labelPlural: text(definition, 'pluralLabel') ?? label,
    keyPrefix,
    custom: true,
    customSetting: text(definition, 'customSettingsType') !== undefined,
    customMetadata,
    createable: !customMetadata,
    updateable: !customMetadata,
    deletable: !customMetadata,
    queryable: true,
    fields: [...systemFields, ...source.fields.map((field) => field.schema)],
    childRelationships: []
  };
}

/** Converts one `<values><value xsi:type=...>` to the JS type its field's metadata type implies. */
export function typedCustomMetadataValue(
  raw: string | null,
  field: SourceField,
  file: string
): string | number | boolean | null {
  if (raw === null) return null;
  const { type } = field.schema;
  if (type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new ForceAppSourceError(
        file,
        `field ${field.schema.name} (Checkbox) must be true or false, found "${raw}"`
      );
    }
    return raw === 'true';
  }
  if (NUMERIC_TYPES.has(type)) {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new ForceAppSourceError(
        file,
        `field ${field.schema.name} (${field.metadataType}) must be a number, found "${raw}"`
      );
    }
    return value;
  }
  return raw;
}

/** One `<values>` entry of a custom metadata record, before typing. */
export interface RawCustomMetadataValue {
  field: string;
  value: string | null;
  /** The `xsi:type` attribute, e.g. `xsd:double`; null when absent or nil. */
  xsiType: string | null;
}

export interface RawCustomMetadataRecord {
  type: string;
  developerName: string;
  label: string | undefined;
  protected: boolean | undefined;
  values: RawCustomMetadataValue[];
  sourcePath: string;
}

/** Reads `customMetadata/<Type>.<Record>.md-meta.xml` without interpreting the values. */
export function readCustomMetadataFile(file: string): RawCustomMetadataRecord {
  const match =
    /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)\.md-meta\.xml$/.exec(
      basename(file)
    );
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new ForceAppSourceError(
      file,
      'custom metadata record files are named <Type>.<DeveloperName>.md-meta.xml'
    );
  }
  const record = readMetadataXml(file, 'CustomMetadata');
  const values = nodes(record, 'values').map((entry) => {
    const field = text(entry, 'field');
    if (field === undefined) {
      throw new ForceAppSourceError(file, '<values> entry without <field>');
    }
    const value = entry.value;
    const attributes = isNode(value) ? value : {};
    const nil = attributes['@_xsi:nil'] === 'true';
    const xsiType =
      typeof attributes['@_xsi:type'] === 'string'
        ? attributes['@_xsi:type']
        : null;
    const content = text(entry, 'value');
    return {
      field,
      value: nil || value === undefined ? null : (content ?? ''),
      xsiType: nil ? null : xsiType
    };
  });
  return {
    type: `${match[1]}__mdt`,
    developerName: match[2],
    label: text(record, 'label'),
    protected: bool(record, 'protected', file),
    values,
    sourcePath: file
  };
}

function readCustomMetadataRecords(
  forceAppDir: string,
  fieldsByType: Map<string, SourceField[]>
): CustomMetadataRecord[] {
  const records: CustomMetadataRecord[] = [];
  for (const dir of findDirectories(forceAppDir, 'customMetadata')) {
    for (const file of listDirectory(dir).filter((name) =>
      name.endsWith('.md-meta.xml')
    )) {
      const path = join(dir, file);
      const raw = readCustomMetadataFile(path);
      const fields = fieldsByType.get(raw.type);
      if (fields === undefined) {
        throw new ForceAppSourceError(
          path,
          `custom metadata type ${raw.type} is not in force-app`
        );
      }
      const values: Record<string, string | number | boolean | null> = {};
      for (const field of fields)
        values[field.schema.name] = field.schema.defaultValue;
      for (const entry of raw.values) {
        const field = fields.find(
          (candidate) => candidate.schema.name === entry.field
        );
        if (field === undefined) {
          throw new ForceAppSourceError(
            path,
            `${raw.type} has no field ${entry.field}`
          );
        }
        values[field.schema.name] = typedCustomMetadataValue(
          entry.value,
          field,
          path
        );
      }
      records.push({
        type: raw.type,
        developerName: raw.developerName,
        label: raw.label ?? raw.developerName,
        protected: raw.protected ?? false,
        values,
        sourcePath: path
      });
    }
  }
  return records;
}

function readPermissionSets(forceAppDir: string): SourcePermissionSet[] {
  const sets: SourcePermissionSet[] = [];
  for (const dir of findDirectories(forceAppDir, 'permissionsets')) {
    for (const entry of listDirectory(dir).sort()) {
      const match = /^(.+)\.permissionset-meta\.xml$/.exec(entry);
      if (!match?.[1]) continue;
      const path = join(dir, entry);
      const root = readMetadataXml(path, 'PermissionSet');
      sets.push({
        name: match[1],
        label: text(root, 'label') ?? match[1],
        description: text(root, 'description') ?? null,
        sourcePath: path
      });
    }
  }
  return sets;
}

/** Loads everything force-app defines about the data model. */
export function loadForceAppSchema(forceAppDir: string): ForceAppSchema {
  if (!isDirectory(forceAppDir)) {
    throw new ForceAppSourceError(forceAppDir, 'not a directory');
  }
  const sources = readSourceObjects(forceAppDir);
  const customSources = sources
    .filter((source) => isCustomObjectName(source.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const counters = { c: 1, mdt: 0 };
  const objects = customSources.map((source) =>
    source.name.endsWith('__mdt')
      ? buildObject(source, keyPrefixFor('m', counters.mdt++))
      : buildObject(source, keyPrefixFor('a', counters.c++))
  );

  const fieldsOnStandardObjects: Record<string, FieldSchema[]> = {};
  for (const source of sources) {
    if (isCustomObjectName(source.name) || source.fields.length === 0) continue;
    fieldsOnStandardObjects[source.name] = source.fields.map(
      (field) => field.schema
    );
  }

  const byName = new Map(objects.map((object) => [object.name, object]));
  const childRelationshipsOnStandardObjects: Record<
    string,
    ChildRelationship[]
  > = {};
  for (const field of sources.flatMap((source) => source.fields)) {
    for (const parent of field.schema.referenceTo) {
      const child: ChildRelationship = {
        childSObject: field.objectName,
        field: field.schema.name,
        relationshipName: field.childRelationshipName,
        cascadeDelete: field.metadataType === 'MasterDetail'
      };
      const custom = byName.get(parent);
      if (custom) custom.childRelationships.push(child);
      else (childRelationshipsOnStandardObjects[parent] ??= []).push(child);
    }
  }

  return {
    objects,
    fieldsOnStandardObjects,
    customMetadataRecords: readCustomMetadataRecords(
      forceAppDir,
      customMetadataFieldsOf(sources)
    ),
    childRelationshipsOnStandardObjects,
    permissionSets: readPermissionSets(forceAppDir)
  };
}
