/**
 * Development-time generator: derives scripts/schema/standard-objects.json from Salesforce's
 * field reference (shared/reference/sobjects/*.json). The project never reads the reference at
 * run or test time; the committed JSON is the project's own copy, in the ObjectSchema shape.
 *
 * Usage: node --import tsx scripts/schema/generate-standard-schema.ts [referenceDir] [outFile]
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ChildRelationship,
  FieldSchema,
  FieldType,
  ObjectSchema,
  PicklistValue
} from './types.ts';

interface ReferenceField {
  type?: string;
  properties?: string;
  description?: string;
  relationship_name?: string;
  refers_to?: string;
}
interface ReferenceFieldSummary {
  field_label?: string;
  type?: string;
  length?: string;
}
interface ReferenceObject {
  title?: string;
  fields: Record<string, ReferenceField>;
  field_reference?: Record<string, ReferenceFieldSummary>;
}

/**
 * Real key prefixes. Those marked LOCAL are not published in the reference and could not be
 * confirmed; the local org uses a prefix from an unassigned range so ids never collide with a
 * real object's prefix.
 */
const KEY_PREFIXES: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Case: '500',
  CaseComment: '00a',
  Asset: '02i',
  Product2: '01t',
  User: '005',
  Group: '00G',
  BusinessHours: '01m',
  Holiday: '0C0',
  Organization: '00D',
  RecordType: '012',
  Entitlement: '550',
  EmailMessage: '02s',
  FeedItem: '0D5',
  // LOCAL: not confirmed against a real org (see README "What the local org does not emulate").
  Incident: '9I0',
  Problem: '9I1',
  ChangeRequest: '9I2',
  CaseRelatedIssue: '9I3',
  ProblemIncident: '9I4',
  ChangeRequestRelatedIssue: '9I5',
  ChangeRequestRelatedItem: '9I6',
  IncidentRelatedItem: '9I7',
  ProblemRelatedItem: '9I8',
  Swarm: '9I9',
  BroadcastCommunication: '9IA',
  BroadcastCommAudience: '9IB'
};

/** Objects the API cannot insert into (the platform provisions them). */
const NOT_CREATEABLE = new Set(['Organization']);

/**
 * Picklist values a new org ships with where the reference only gives examples
 * ("such as New, Closed, or Escalated"): the defaults of a fresh Developer Edition org.
 */
const ORG_DEFAULT_PICKLISTS: Record<
  string,
  { values: string[]; defaultValue?: string }
> = {
  'Case.Status': {
    values: ['New', 'Working', 'Escalated', 'Closed'],
    defaultValue: 'New'
  },
  'Case.Priority': {
    values: ['High', 'Medium', 'Low'],
    defaultValue: 'Medium'
  },
  'Case.Origin': { values: ['Phone', 'Email', 'Web'] },
  'Case.Type': {
    values: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']
  },
  'Case.Reason': {
    values: [
      'Installation',
      'Equipment Complexity',
      'Performance',
      'Breakdown',
      'Equipment Design',
      'Feedback',
      'Other'
    ]
  },
  'Asset.Status': {
    values: ['Purchased', 'Shipped', 'Installed', 'Registered', 'Obsolete']
  },
  'Account.Type': {
    values: [
      'Prospect',
      'Customer - Direct',
      'Customer - Channel',
      'Channel Partner / Reseller',
      'Installation Partner',
      'Technology Partner',
      'Other'
    ]
  },
  'Holiday.RecurrenceType': {
    values: [
      'RecursDaily',
      'RecursEveryWeekday',
      'RecursMonthly',
      'RecursMonthlyNth',
      'RecursWeekly',
      'RecursYearly',
      'RecursYearlyNth'
    ]
  }
};

/** Fields the reference lists without properties, but which the platform lets callers set. */
const WRITABLE_SUMMARY_FIELDS: Record<
  string,
  { refersTo?: string; relationshipName?: string }
> = {
  'Incident.BusinessHoursId': {
    refersTo: 'BusinessHours',
    relationshipName: 'BusinessHours'
  },
  'Incident.EntitlementId': {
    refersTo: 'Entitlement',
    relationshipName: 'Entitlement'
  },
  'Case.AssetId': { refersTo: 'Asset', relationshipName: 'Asset' }
};

const AUDIT_FIELDS = new Set(['CreatedById', 'LastModifiedById']);
const SYSTEM_DATES = new Set([
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp'
]);

const TYPE_MAP: Record<string, FieldType> = {
  string: 'string',
  textarea: 'textarea',
  picklist: 'picklist',
  multipicklist: 'multipicklist',
  combobox: 'combobox',
  reference: 'reference',
  boolean: 'boolean',
  int: 'int',
  long: 'long',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  email: 'email',
  phone: 'phone',
  url: 'url',
  id: 'id',
  address: 'address',
  location: 'location',
  base64: 'base64',
  encryptedstring: 'encryptedstring'
};

function fieldType(raw: string | undefined): FieldType | undefined {
  return raw === undefined ? undefined : TYPE_MAP[raw.toLowerCase()];
}

function splitWords(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ');
}

function plural(name: string): string {
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
}

/**
 * The reference flattens value lists into one line ("Completed In Progress New ..."), so
 * multi-word values have to be re-segmented. Salesforce lists them alphabetically; the
 * segmentation with the most values that stays in strictly ascending order (and starts
 * each value with a capital or digit) recovers "In Progress" and "Fix in Progress".
 */
export function segmentValues(text: string): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const single = words.every(
    (w, i) => i === 0 || compare(words[i - 1] ?? '', w) < 0
  );
  if (single) return words;
  const n = words.length;
  const value = (i: number, j: number): string => words.slice(i, j).join(' ');
  const startsValue = (i: number): boolean => /^[A-Z0-9]/.test(words[i] ?? '');
  // best "i:j" = most values covering words[0..j) whose last value is words[i..j), and where that run started.
  const best = new Map<string, { count: number; prev: number }>();
  const at = (i: number, j: number): number =>
    best.get(`${String(i)}:${String(j)}`)?.count ?? -1;
  if (startsValue(0))
    for (let j = 1; j <= n; j++)
      best.set(`0:${String(j)}`, { count: 1, prev: -1 });
  for (let i = 1; i < n; i++) {
    if (!startsValue(i)) continue;
    for (let j = i + 1; j <= n; j++) {
      for (let k = 0; k < i; k++) {
        const before = at(k, i);
        if (before < 0 || compare(value(k, i), value(i, j)) >= 0) continue;
        if (before + 1 > at(i, j))
          best.set(`${String(i)}:${String(j)}`, { count: before + 1, prev: k });
      }
    }
  }
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (at(i, n) > 0 && (start < 0 || at(i, n) > at(start, n))) start = i;
  }
  if (start < 0) return words;
  const out: string[] = [];
  let end = n;
  while (start >= 0) {
    out.unshift(value(start, end));
    const prev = best.get(`${String(start)}:${String(end)}`)?.prev ?? -1;
    end = start;
    start = prev;
  }
  return out;
}

function compare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' });
}

/** Reads "Possible values are: A B C The default value is 'A'." when the list is plain words. */
export function parsePicklist(
  description: string
): { values: string[]; defaultValue: string | null } | null {
  const match =
    /Possible values are:\s*([A-Za-z0-9 /\-]+?)\s*(?:The default value is\s*'?([^'.]+?)'?\.?)?\s*$/.exec(
      description
    );
  if (!match?.[1]) return null;
  const values = segmentValues(match[1]);
  const defaultValue = match[2]?.trim() ?? null;
  if (defaultValue !== null && !values.includes(defaultValue)) return null;
  return { values, defaultValue };
}

function picklistValues(
  values: string[],
  defaultValue: string | null
): PicklistValue[] {
  return values.map((v) => ({
    value: v,
    label: v,
    active: true,
    defaultValue: v === defaultValue
  }));
}

function defaultLength(type: FieldType): number {
  switch (type) {
    case 'id':
    case 'reference':
      return 18;
    case 'textarea':
      return 32000;
    case 'string':
    case 'picklist':
    case 'multipicklist':
    case 'combobox':
    case 'url':
    case 'email':
    case 'encryptedstring':
      return 255;
    case 'phone':
      return 40;
    default:
      return 0;
  }
}

function baseField(
  name: string,
  label: string,
  type: FieldType,
  length: number | undefined
): FieldSchema {
  const isText = [
    'string',
    'textarea',
    'picklist',
    'multipicklist',
    'combobox',
    'email',
    'phone',
    'url'
  ].includes(type);
  return {
    name,
    label,
    type,
    length:
      length ??
      (isText || type === 'id' || type === 'reference'
        ? defaultLength(type)
        : 0),
    precision:
      type === 'double' || type === 'currency' || type === 'percent' ? 18 : 0,
    scale: type === 'currency' ? 2 : 0,
    createable: false,
    updateable: false,
    nillable: true,
    defaultedOnCreate: false,
    filterable: true,
    sortable: type !== 'textarea' && type !== 'multipicklist',
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
    custom: false,
    inlineHelpText: null
  };
}

function systemField(
  name: string,
  summary: ReferenceFieldSummary | undefined
): FieldSchema | undefined {
  const label = summary?.field_label ?? splitWords(name);
  if (name === 'Id') {
    return {
      ...baseField('Id', label, 'id', 18),
      nillable: false,
      defaultedOnCreate: true,
      idLookup: true,
      groupable: true
    };
  }
  if (SYSTEM_DATES.has(name)) {
    return {
      ...baseField(name, label, 'datetime', 0),
      nillable: false,
      defaultedOnCreate: true
    };
  }
  if (AUDIT_FIELDS.has(name)) {
    return {
      ...baseField(name, label, 'reference', 18),
      nillable: false,
      defaultedOnCreate: true,
      groupable: true,
      referenceTo: ['User'],
      relationshipName: name.replace(/Id$/, '')
    };
  }
  if (name === 'IsDeleted') {
    return {
      ...baseField(name, label, 'boolean', 0),
      nillable: false,
      defaultedOnCreate: true,
      groupable: true,
      defaultValue: false
    };
  }
  return undefined;
}

function fieldFromReference(
  objectName: string,
  name: string,
  ref: ReferenceField,
  summary: ReferenceFieldSummary | undefined,
  timeZones: string[]
): FieldSchema | undefined {
  const type = fieldType(summary?.type) ?? fieldType(ref.type);
  if (!type) return undefined;
  const props = new Set(
    (ref.properties ?? '').split(',').map((p) => p.trim().toLowerCase())
  );
  const length = summary?.length ? Number(summary.length) : undefined;
  const field = baseField(
    name,
    summary?.field_label ?? splitWords(name),
    type,
    length
  );
  field.createable = props.has('create');
  field.updateable = props.has('update');
  field.nillable = props.has('nillable');
  field.defaultedOnCreate = props.has('defaulted on create');
  field.filterable = props.has('filter');
  field.sortable = props.has('sort');
  field.groupable = props.has('group');
  field.idLookup = props.has('idlookup');
  field.autoNumber = props.has('autonumber');
  field.unique = props.has('unique');
  field.externalId = props.has('external id');
  field.restrictedPicklist = props.has('restricted picklist');
  if (type === 'boolean') {
    // Checkboxes are never null on the platform: unset means false.
    field.nillable = false;
    field.defaultedOnCreate = true;
    field.defaultValue = /default value is (true)/i.test(ref.description ?? '');
  }
  if (type === 'reference') {
    field.referenceTo = (ref.refers_to ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^[A-Za-z0-9_]+$/.test(s));
    field.relationshipName = ref.relationship_name?.trim() ?? null;
  }
  if (type === 'picklist' || type === 'multipicklist' || type === 'combobox') {
    const known = ORG_DEFAULT_PICKLISTS[`${objectName}.${name}`];
    const parsed = known
      ? { values: known.values, defaultValue: known.defaultValue ?? null }
      : parsePicklist(ref.description ?? '');
    if (parsed) {
      field.picklistValues = picklistValues(parsed.values, parsed.defaultValue);
      field.defaultValue = parsed.defaultValue;
    } else if (name === 'TimeZoneSidKey' && objectName === 'BusinessHours') {
      // The business-hours calendar is the one time-zone field the product writes.
      field.picklistValues = picklistValues(timeZones, null);
    }
  }
  return field;
}

function summaryOnlyField(
  objectName: string,
  name: string,
  summary: ReferenceFieldSummary
): FieldSchema | undefined {
  const type = fieldType(summary.type);
  if (!type) return undefined;
  const field = baseField(
    name,
    summary.field_label ?? splitWords(name),
    type,
    summary.length ? Number(summary.length) : undefined
  );
  const writable = WRITABLE_SUMMARY_FIELDS[`${objectName}.${name}`];
  if (type === 'boolean') {
    field.nillable = false;
    field.defaultedOnCreate = true;
    field.defaultValue = false;
  }
  if (writable) {
    field.createable = true;
    field.updateable = true;
    field.groupable = true;
    if (writable.refersTo) field.referenceTo = [writable.refersTo];
    field.relationshipName = writable.relationshipName ?? null;
  }
  return field;
}

/** Sample custom fields in the reference pages, person-account and multi-currency fields are not in a plain org. */
function isOrgSpecific(name: string): boolean {
  return (
    name.endsWith('__c') ||
    name.startsWith('Person') ||
    name === 'CurrencyIsoCode'
  );
}

function buildObject(
  name: string,
  ref: ReferenceObject,
  timeZones: string[]
): ObjectSchema {
  const summaries = ref.field_reference ?? {};
  const fields: FieldSchema[] = [];
  const seen = new Set<string>();
  const add = (f: FieldSchema | undefined): void => {
    // The reference sometimes lists one field twice in different case (AssetWarrantyID/Id).
    if (f && !seen.has(f.name.toLowerCase())) {
      seen.add(f.name.toLowerCase());
      fields.push(f);
    }
  };
  add(systemField('Id', summaries.Id));
  for (const [fieldName, fieldRef] of Object.entries(ref.fields)) {
    if (isOrgSpecific(fieldName)) continue;
    add(
      systemField(fieldName, summaries[fieldName]) ??
        fieldFromReference(
          name,
          fieldName,
          fieldRef,
          summaries[fieldName],
          timeZones
        )
    );
  }
  for (const [fieldName, summary] of Object.entries(summaries)) {
    if (seen.has(fieldName.toLowerCase()) || isOrgSpecific(fieldName)) continue;
    add(
      systemField(fieldName, summary) ??
        summaryOnlyField(name, fieldName, summary)
    );
  }
  for (const sys of [
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp'
  ]) {
    add(systemField(sys, summaries[sys]));
  }
  const label = splitWords(name === 'Product2' ? 'Product' : name);
  const keyPrefix = KEY_PREFIXES[name];
  if (!keyPrefix)
    throw new Error(`${name}: no key prefix known; add it to KEY_PREFIXES`);
  return {
    name,
    label,
    labelPlural: plural(label),
    keyPrefix,
    custom: false,
    customSetting: false,
    customMetadata: false,
    createable: !NOT_CREATEABLE.has(name),
    updateable: true,
    deletable: !NOT_CREATEABLE.has(name),
    queryable: true,
    fields,
    childRelationships: []
  };
}

/** Audit and ownership lookups point at every record; the platform gives them no named child relationship here. */
const NO_CHILD_RELATIONSHIP = new Set([
  'CreatedById',
  'LastModifiedById',
  'OwnerId',
  'MasterRecordId'
]);

function addChildRelationships(objects: ObjectSchema[]): void {
  const byName = new Map(objects.map((o) => [o.name, o]));
  for (const child of objects) {
    for (const field of child.fields) {
      if (field.type !== 'reference' || NO_CHILD_RELATIONSHIP.has(field.name))
        continue;
      for (const parentName of field.referenceTo) {
        const parent = byName.get(parentName);
        if (!parent) continue;
        const wanted =
          parentName === child.name
            ? `Child${plural(child.name)}`
            : plural(child.name);
        const taken = parent.childRelationships.some(
          (r) => r.relationshipName === wanted
        );
        const rel: ChildRelationship = {
          childSObject: child.name,
          field: field.name,
          relationshipName: taken ? null : wanted,
          cascadeDelete: false
        };
        parent.childRelationships.push(rel);
      }
    }
  }
}

export function generateStandardSchema(referenceDir: string): ObjectSchema[] {
  const timeZones = Intl.supportedValuesOf('timeZone');
  const files = readdirSync(referenceDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const objects = files.map((file) => {
    const ref = JSON.parse(
      readFileSync(path.join(referenceDir, file), 'utf8')
    ) as ReferenceObject;
    return buildObject(file.replace(/\.json$/, ''), ref, timeZones);
  });
  addChildRelationships(objects);
  return objects;
}

function main(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const referenceDir =
    process.argv[2] ?? path.resolve(here, '../../../shared/reference/sobjects');
  const outFile = process.argv[3] ?? path.join(here, 'standard-objects.json');
  const objects = generateStandardSchema(referenceDir);
  writeFileSync(
    outFile,
    `${JSON.stringify({ version: 1, objects }, null, 1)}\n`
  );
  process.stdout.write(
    `wrote ${String(objects.length)} objects to ${outFile}\n`
  );
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main();
}
