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
import { defineField } from './field.ts';

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
 * Key prefixes as a real org's global describe reports them. The Incident Management objects
 * (Incident 0ny ... ProblemRelatedItem 0tB), Swarm and the broadcast objects are not in
 * Salesforce's field reference; their prefixes come from the `keyPrefix` values that
 * sf-explorer/sf-doc-to-json extracted from a globalDescribe
 * (packages/salesforce-object-reference/src/doc/index.json, commit cd82757), which also
 * agrees with the long-known prefixes listed here (001 Account, 500 Case, 01m BusinessHours...).
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
  Incident: '0ny',
  Problem: '0o2',
  ChangeRequest: '0oW',
  CaseRelatedIssue: '0oL',
  ProblemIncident: '0oE',
  ChangeRequestRelatedIssue: '0oK',
  ChangeRequestRelatedItem: '0tC',
  IncidentRelatedItem: '0tA',
  ProblemRelatedItem: '0tB',
  Swarm: '0sW',
  BroadcastCommunication: '0oY',
  BroadcastCommAudience: '0oS',
  // Not in the reference set; its prefix is the long-known 00T of every org's tasks.
  Task: '00T'
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
  // Group.Type's description lists these; only Regular, Queue and Personal may be created.
  'Group.Type': {
    values: [
      'AllCustomerPortal',
      'ChannelProgramGroup',
      'CollaborationGroup',
      'Manager',
      'ManagerAndSubordinatesInternal',
      'Organization',
      'Personal',
      'PRMOrganization',
      'Queue',
      'Regular',
      'Role',
      'RoleAndSubordinates',
      'RoleAndSubordinatesInternal',
      'Territory',
      'TerritoryAndSubordinates'
    ]
  },
  // The encodings Setup offers for a user's email ("such as ISO-8859-1 or UTF-8").
  'User.EmailEncodingKey': {
    values: [
      'UTF-8',
      'ISO-8859-1',
      'Shift_JIS',
      'ISO-2022-JP',
      'EUC-JP',
      'ks_c_5601-1987',
      'Big5',
      'GB2312',
      'Big5-HKSCS',
      'x-SJIS_0213'
    ]
  },
  // The fully supported languages of the Salesforce Help's "Supported Languages" page.
  'User.LanguageLocaleKey': {
    values: [
      'zh_CN',
      'zh_TW',
      'da',
      'nl_NL',
      'en_US',
      'fi',
      'fr',
      'de',
      'it',
      'ja',
      'ko',
      'no',
      'pt_BR',
      'ru',
      'es',
      'es_MX',
      'sv',
      'th'
    ]
  },
  // A new org's task statuses (Setup, Task Fields, Status); the Task page is hand-written.
  'Task.Status': {
    values: [
      'Not Started',
      'In Progress',
      'Completed',
      'Waiting on someone else',
      'Deferred'
    ],
    defaultValue: 'Not Started'
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

/**
 * Lookup targets the reference leaves out (no "Refers To"), and that neither the field's name
 * nor its description names as an object (see lookupTargets). Each comes from the field's own
 * description or label in the reference, or, where marked (describe), from the `x-object(s)` of
 * describe-derived data in sf-explorer/sf-doc-to-json (commit cd82757).
 */
const LOOKUP_TARGETS: Record<string, string[]> = {
  'Account.DandbCompanyId': ['DandBCompany'], // label "D&B Company ID"; describe
  'Asset.BindingInstanceTargetId': ['BindingInstanceTarget'], // label
  'Asset.CurrentQuantityUnitId': ['UnitOfMeasure'], // label "Unit of Measure ID"
  'Asset.LocationId': ['Location'], // describe; "The asset's location"
  'Asset.RootAssetId': ['Asset'], // describe
  'Case.AssetWarrantyId': ['AssetWarranty'], // describe
  'Case.CommunityId': ['Community'], // "ID of the zone": Community is the zone object
  'Case.QuestionId': ['Question'], // "The question in the answers zone"
  'Case.SourceId': ['EmailMessage', 'MessagingSession', 'SocialPost'], // describe
  'Contact.ActionCadenceAssigneeId': ['User'], // "ID of the sales rep"
  'Contact.ActionCadenceId': ['ActionCadence'], // "the lead's assigned cadence"
  'EmailMessage.ActionCadenceStepTrackerId': ['ActionCadenceStepTracker'], // label
  'EmailMessage.ActivityId': ['Task'], // describe
  'EmailMessage.FromId': ['Contact', 'Lead', 'User'], // "The contact, lead, or user who sent the email"
  'Entitlement.AssetWarrantyId': ['AssetWarranty'], // describe
  'Entitlement.SvcApptBookingWindowsId': ['OperatingHours'], // describe; "Operating Hours"
  'FeedItem.ConnectionId': ['PartnerNetworkConnection'], // describe
  'FeedItem.FeedPostId': ['FeedPost'], // "ID of the associated FeedPost"
  'FeedItem.LastEditById': ['User'], // describe; "ID of the user who last edited"
  'FeedItem.RelatedRecordId': [
    'ContentVersion',
    'ProfileSkillUser',
    'WorkThanks'
  ], // describe
  'Group.QueueRoutingConfigId': ['QueueRoutingConfig'], // describe
  'Organization.SelfServiceCaseSubmitRecordTypeId': ['RecordType'], // "ID of the record type"
  'Organization.SelfServiceEmailUserOnCaseCreationTemplateId': [
    'EmailTemplate'
  ], // "ID of the email template"
  'Organization.SelfServiceNewCommentTemplateId': ['EmailTemplate'],
  'Organization.SelfServiceNewPassTemplateId': ['EmailTemplate'],
  'Organization.SelfServiceNewUserTemplateId': ['EmailTemplate'],
  'Organization.SelfServiceSolutionCategoryStartNodeId': ['CategoryNode'], // "top-level category"
  'Organization.WebToCaseAssignedEmailTemplateId': ['EmailTemplate'], // describe
  'Organization.WebToCaseCreatedEmailTemplateId': ['EmailTemplate'], // describe
  'Organization.WebToCaseDefaultCreatorId': ['User'], // describe
  'Product2.BasedOnId': ['ProductClassification'], // label "Product Classification ID"
  'Product2.ExternalDataSourceId': ['ExternalDataSource'], // describe
  'User.CallCenterId': ['CallCenter'], // describe
  'User.DelegatedApproverId': ['Group', 'User'] // describe
};

/**
 * Targets a lookup has beyond the reference's "Refers To" list. FeedItem's list leaves out the
 * incident management objects, whose record feeds the Field Reference documents ("Feed tracking
 * for ..." on the Incident, Problem and ChangeRequest pages and their junctions'): a post on an
 * incident's feed has the incident as ParentId.
 */
const EXTRA_LOOKUP_TARGETS: Record<string, string[]> = {
  'FeedItem.ParentId': ['ChangeRequest', 'Incident', 'Problem']
};

/**
 * Entries a reference page lists that are not fields of that object: BusinessHours' page
 * repeats SlaProcess's lookup ("ID of the BusinessHours associated with the SlaProcess").
 */
const NOT_FIELDS_OF_OBJECT = new Set([
  'BusinessHours.BusinessHoursId',
  // User's page lists the Manager relationship (of ManagerId) as a restricted picklist field.
  'User.Manager'
]);

/**
 * The audit of required fields, in one place. The reference marks these non-nillable and
 * createable without "Defaulted on create", which would make them required on create; the
 * platform does not require them. Every other field the schema requires on create (not
 * nillable, createable, not defaulted, not a checkbox) was checked against the object
 * reference's "Required" notes and the platform's behaviour and is required there too.
 * Rules the platform enforces instead (an asset needs an account or a contact, a group's
 * type on create) live with the local org's platform rules (local-org/platform-rules.ts).
 */
export const AUDITED_NOT_REQUIRED: Record<
  string,
  { nillable?: true; defaultedOnCreate?: true; defaultValue?: boolean }
> = {
  // A record type is never required: the platform fills in the user's default (the master).
  'Asset.RecordTypeId': { nillable: true },
  // Only Omni-Channel routing queues have one; a plain queue or group has none.
  'Group.QueueRoutingConfigId': { nillable: true },
  // The platform generates a nickname from the username when none is given.
  'User.CommunityNickname': { defaultedOnCreate: true },
  // A case without business hours gets the org's default business hours.
  'Case.BusinessHoursId': { defaultedOnCreate: true },
  // New users are active unless created inactive.
  'User.IsActive': { defaultValue: true }
};

function applyAudit(objectName: string, field: FieldSchema): FieldSchema {
  const audit = AUDITED_NOT_REQUIRED[`${objectName}.${field.name}`];
  return audit ? { ...field, ...audit } : field;
}

/**
 * The lookup's target objects: the reference's "Refers To"; else the table above; else the
 * field's name without "Id" when that names an object of the reference (BusinessHoursId,
 * RecordTypeId); else an object named in its description ("ID of the ServiceContract ...").
 */
export function lookupTargets(
  objectName: string,
  name: string,
  refersTo: string | undefined,
  description: string | undefined,
  knownObjects: ReadonlySet<string>
): string[] {
  const listed = (refersTo ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[A-Za-z0-9_]+$/.test(s));
  if (listed.length > 0) return listed;
  const table = LOOKUP_TARGETS[`${objectName}.${name}`];
  if (table) return [...table];
  const stem = name.replace(/Id$/, '');
  if (stem !== name && knownObjects.has(stem)) return [stem];
  const named = /\bID of (?:the|an associated) ([A-Z][A-Za-z0-9]*)\b/.exec(
    description ?? ''
  )?.[1];
  return named ? [named] : [];
}

/** Standard lookups are named after their relationship: BusinessHoursId -> BusinessHours. */
function relationshipNameFor(name: string): string | null {
  return /.Id$/.test(name) ? name.slice(0, -2) : null;
}

/**
 * The field's API name. The reference's prose spells a few lookups "XxxID" (Case and
 * Entitlement AssetWarrantyID, Entitlement LocationID) where its own field table and the
 * platform say "XxxId": the field table's spelling wins, and a lookup ending in "ID" is
 * renamed to end in "Id", as every standard lookup does.
 */
export function apiName(
  name: string,
  type: FieldType,
  tableNames: readonly string[]
): string {
  const inTable = tableNames.find(
    (t) => t.toLowerCase() === name.toLowerCase()
  );
  if (inTable) return inTable;
  return type === 'reference' && /[a-z]ID$/.test(name)
    ? `${name.slice(0, -2)}Id`
    : name;
}

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
  return defineField(name, type, {
    label,
    length:
      length ??
      (isText || type === 'id' || type === 'reference'
        ? defaultLength(type)
        : 0),
    precision:
      type === 'double' || type === 'currency' || type === 'percent' ? 18 : 0,
    scale: type === 'currency' ? 2 : 0,
    sortable: type !== 'textarea' && type !== 'multipicklist'
  });
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
  context: BuildContext
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
    field.referenceTo = [
      ...lookupTargets(
        objectName,
        name,
        ref.refers_to,
        ref.description,
        context.knownObjects
      ),
      ...(EXTRA_LOOKUP_TARGETS[`${objectName}.${name}`] ?? [])
    ];
    if (!ref.refers_to?.trim())
      context.derivedLookups.add(`${objectName}.${name}`);
    field.relationshipName =
      ref.relationship_name?.trim() ?? relationshipNameFor(name);
  }
  if (type === 'picklist' || type === 'multipicklist' || type === 'combobox') {
    const known = ORG_DEFAULT_PICKLISTS[`${objectName}.${name}`];
    const parsed = known
      ? { values: known.values, defaultValue: known.defaultValue ?? null }
      : parsePicklist(ref.description ?? '');
    if (parsed) {
      field.picklistValues = picklistValues(parsed.values, parsed.defaultValue);
      field.defaultValue = parsed.defaultValue;
    } else if (
      name === 'TimeZoneSidKey' &&
      (objectName === 'BusinessHours' || objectName === 'User')
    ) {
      // The time-zone fields the product writes: the business-hours calendar and users.
      field.picklistValues = picklistValues(context.timeZones, null);
    }
  }
  return field;
}

function summaryOnlyField(
  objectName: string,
  name: string,
  summary: ReferenceFieldSummary,
  context: BuildContext
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
  if (type === 'reference') {
    if (!writable?.refersTo)
      context.derivedLookups.add(`${objectName}.${name}`);
    field.referenceTo = writable?.refersTo
      ? [writable.refersTo]
      : lookupTargets(
          objectName,
          name,
          undefined,
          undefined,
          context.knownObjects
        );
    field.relationshipName =
      writable?.relationshipName ?? relationshipNameFor(name);
  }
  if (writable) {
    field.createable = true;
    field.updateable = true;
    field.groupable = true;
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

interface BuildContext {
  timeZones: string[];
  /** Names of every object in the reference, for lookups named after their target. */
  knownObjects: ReadonlySet<string>;
  /** "Object.Field" of lookups whose target was derived, not read from "Refers To". */
  derivedLookups: Set<string>;
}

/** The reference's prose lists a few relationships as fields too (SvcApptBookingWindows beside SvcApptBookingWindowsId). */
function isRelationshipListedAsField(
  name: string,
  ref: ReferenceField,
  allNames: readonly string[]
): boolean {
  return (
    ref.type === 'reference' &&
    !name.toLowerCase().endsWith('id') &&
    allNames.some((n) => n.toLowerCase() === `${name.toLowerCase()}id`)
  );
}

function buildObject(
  name: string,
  ref: ReferenceObject,
  context: BuildContext
): ObjectSchema {
  const summaries = ref.field_reference ?? {};
  const tableNames = Object.keys(summaries);
  const allNames = [...Object.keys(ref.fields), ...tableNames];
  const fields: FieldSchema[] = [];
  const seen = new Set<string>();
  // SQLite column names are case-insensitive, as are the platform's: one field per spelling.
  const add = (f: FieldSchema | undefined): void => {
    if (f && !seen.has(f.name.toLowerCase())) {
      seen.add(f.name.toLowerCase());
      fields.push(f);
    }
  };
  add(systemField('Id', summaries.Id));
  for (const [listedName, fieldRef] of Object.entries(ref.fields)) {
    if (
      isOrgSpecific(listedName) ||
      NOT_FIELDS_OF_OBJECT.has(`${name}.${listedName}`) ||
      isRelationshipListedAsField(listedName, fieldRef, allNames)
    )
      continue;
    const type =
      fieldType(summaries[listedName]?.type) ?? fieldType(fieldRef.type);
    const fieldName = type ? apiName(listedName, type, tableNames) : listedName;
    add(
      systemField(fieldName, summaries[fieldName]) ??
        fieldFromReference(
          name,
          fieldName,
          fieldRef,
          summaries[fieldName],
          context
        )
    );
  }
  for (const [fieldName, summary] of Object.entries(summaries)) {
    if (seen.has(fieldName.toLowerCase()) || isOrgSpecific(fieldName)) continue;
    add(
      systemField(fieldName, summary) ??
        summaryOnlyField(name, fieldName, summary, context)
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
  fields.splice(
    0,
    fields.length,
    ...fields.map((field) => applyAudit(name, field))
  );
  const untargeted = fields.filter(
    (f) => f.type === 'reference' && f.referenceTo.length === 0
  );
  if (untargeted.length > 0)
    throw new Error(
      `${name}: no target object for lookups ${untargeted.map((f) => f.name).join(', ')}; add them to LOOKUP_TARGETS`
    );
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
    // An object none of whose fields the reference marks Update (BroadcastCommunication: every
    // field create-only) cannot be updated, so neither can a custom field added to it.
    updateable: fields.some((f) => f.updateable),
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

/**
 * Child relationships, named by the plural of the child. A lookup whose target was derived
 * (not in the reference) gets an unnamed one: its real name is unknown, and an invented name
 * must not take one that a documented lookup owns.
 */
function addChildRelationships(
  objects: ObjectSchema[],
  derivedLookups: ReadonlySet<string>
): void {
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
        const taken =
          derivedLookups.has(`${child.name}.${field.name}`) ||
          parent.childRelationships.some((r) => r.relationshipName === wanted);
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

/**
 * Pages written by hand in the reference's format for objects the reference set lacks (Task),
 * each naming its Salesforce source; a page of the reference itself wins over one here.
 */
export const SUPPLEMENT_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'reference-supplement'
);

export function generateStandardSchema(
  referenceDir: string,
  supplementDir?: string
): ObjectSchema[] {
  const pages = new Map<string, string>();
  for (const dir of [supplementDir, referenceDir]) {
    if (dir === undefined) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
      pages.set(file, path.join(dir, file));
  }
  const files = [...pages.keys()].sort();
  const context: BuildContext = {
    timeZones: Intl.supportedValuesOf('timeZone'),
    knownObjects: new Set(files.map((f) => f.replace(/\.json$/, ''))),
    derivedLookups: new Set()
  };
  const objects = files.map((file) => {
    const ref = JSON.parse(
      readFileSync(pages.get(file) ?? file, 'utf8')
    ) as ReferenceObject;
    return buildObject(file.replace(/\.json$/, ''), ref, context);
  });
  addChildRelationships(objects, context.derivedLookups);
  return objects;
}

function main(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const referenceDir =
    process.argv[2] ?? path.resolve(here, '../../../shared/reference/sobjects');
  const outFile = process.argv[3] ?? path.join(here, 'standard-objects.json');
  const objects = generateStandardSchema(referenceDir, SUPPLEMENT_DIR);
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
