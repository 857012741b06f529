/**
 * Record writes with the platform's checks, in this order: field names and access, value
 * types, defaults and system fields, automation, required fields, restricted picklists,
 * lookups, uniqueness. Every write runs inside the caller's SQLite transaction, so a failure
 * anywhere in a request (or an allOrNone batch) rolls back everything it did.
 */
import type { FieldSchema, ObjectSchema } from '../schema/types.ts';
import { afterSave, beforeDelete } from './after-save.ts';
import { beforeWrite } from './automation.ts';
import type { OrgContext } from './context.ts';
import {
  ApiError,
  RecordError,
  externalIdNotFound,
  malformedId,
  notFound,
  unknownType
} from './errors.ts';
import { normalizeId } from './ids.ts';
import { checkPlatformRules, platformDefaults } from './platform-rules.ts';
import { AUDIT_FIELDS } from './schema.ts';
import { recordUrl } from './records.ts';
import {
  foldAscii,
  hasRecycleBin,
  isNoCase,
  nextId,
  nextSequence,
  type Row
} from './storage.ts';
import { checkValidationRules } from './validation-rules.ts';
import { isStored, toColumn } from './values.ts';

export type JsonRecord = Record<string, unknown>;

export function objectOrThrow(ctx: OrgContext, name: string): ObjectSchema {
  const object = ctx.registry.object(name);
  if (!object) throw unknownType(name);
  return object;
}

/** Autonumber display formats the platform uses for these objects' numbers. */
const AUTONUMBER_START: Record<string, number> = { CaseNumber: 1000 };

function fieldsOf(
  ctx: OrgContext,
  object: ObjectSchema,
  record: JsonRecord,
  forInsert: boolean
): Map<FieldSchema, unknown> {
  const out = new Map<FieldSchema, unknown>();
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    const field = ctx.registry.field(object.name, name);
    if (!field || !isStored(field)) {
      throw new RecordError(
        'INVALID_FIELD',
        `No such column '${name}' on sobject of type ${object.name}`,
        [name]
      );
    }
    if (field.name === 'Id') {
      if (forInsert)
        throw new RecordError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          'cannot specify Id in an insert call',
          ['Id']
        );
      continue;
    }
    if (forInsert ? !field.createable : !field.updateable)
      throw notWritable(field);
    out.set(field, value);
  }
  return out;
}

function notWritable(field: FieldSchema): RecordError {
  return new RecordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    [field.name]
  );
}

function checkRow(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  const missing: string[] = [];
  for (const field of object.fields) {
    if (!isStored(field) || !(field.name in row)) continue;
    const value = row[field.name] ?? null;
    if (value === null) {
      // Fields the platform defaults on create (OwnerId, BusinessHoursId) are only required on update.
      if (
        !field.nillable &&
        field.createable &&
        field.type !== 'boolean' &&
        !(field.defaultedOnCreate && !before)
      )
        missing.push(field.name);
      continue;
    }
    if (
      field.restrictedPicklist &&
      field.picklistValues.length > 0 &&
      (field.type === 'picklist' || field.type === 'multipicklist')
    ) {
      const allowed = new Set(
        field.picklistValues.filter((p) => p.active).map((p) => p.value)
      );
      const bad = String(value)
        .split(';')
        .find((v) => !allowed.has(v));
      if (bad !== undefined) {
        throw new RecordError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${bad}`,
          [field.name]
        );
      }
    }
    if (
      field.type === 'reference' &&
      typeof value === 'string' &&
      before?.[field.name] !== value
    ) {
      checkLookup(ctx, field, value);
    }
    if ((field.unique || field.externalId) && before?.[field.name] !== value) {
      const others = ctx.store
        .findBy(object, field, value)
        .filter((id) => id !== row.Id);
      if (others.length > 0) {
        throw new RecordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${others[0] ?? ''}`,
          [field.name]
        );
      }
    }
  }
  if (missing.length > 0) {
    throw new RecordError(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing
    );
  }
}

function checkLookup(ctx: OrgContext, field: FieldSchema, id: string): void {
  const target = ctx.registry.objectForId(id);
  if (
    !target ||
    (field.referenceTo.length > 0 &&
      !field.referenceTo.some(
        (t) => t.toLowerCase() === target.name.toLowerCase()
      ))
  ) {
    throw new RecordError(
      'FIELD_INTEGRITY_EXCEPTION',
      `${field.label}: id value of incorrect type: ${id}`,
      [field.name]
    );
  }
  if (!ctx.store.exists(target, id)) {
    throw new RecordError(
      'INVALID_CROSS_REFERENCE_KEY',
      `invalid cross reference id`,
      [field.name]
    );
  }
}

function insertableOrThrow(ctx: OrgContext, objectName: string): ObjectSchema {
  const object = objectOrThrow(ctx, objectName);
  if (!object.createable || object.customMetadata) {
    throw new RecordError(
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be inserted: ${object.label}`
    );
  }
  return object;
}

export function createRecord(
  ctx: OrgContext,
  objectName: string,
  record: JsonRecord
): string {
  const object = insertableOrThrow(ctx, objectName);
  const row = preparedInsert(ctx, object, record);
  ctx.store.insert(object, row);
  afterSave(ctx, object, row, undefined);
  return String(row.Id);
}

/**
 * Creates the records as one DML statement does: each is checked as createRecord checks it
 * (a unique value repeated among them is a DUPLICATE_VALUE too), all are written in one
 * multi-row INSERT, then the after-save automation sees each. The first record that fails
 * fails the call, and the caller's transaction undoes what was written before it.
 */
export function createRecords(
  ctx: OrgContext,
  objectName: string,
  records: readonly JsonRecord[]
): string[] {
  const object = insertableOrThrow(ctx, objectName);
  const unique = object.fields.filter(
    (field) => isStored(field) && (field.unique || field.externalId)
  );
  const taken = new Map<string, string>();
  const rows = records.map((record) => {
    const row = preparedInsert(ctx, object, record);
    for (const field of unique) {
      const value = row[field.name];
      if (value === null || value === undefined) continue;
      // Compared as the store's findBy compares them: text case-insensitively (ASCII).
      const text = String(value);
      const key = `${field.name}\u0000${isNoCase(field) ? foldAscii(text) : text}`;
      const holder = taken.get(key);
      if (holder !== undefined)
        throw new RecordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${holder}`,
          [field.name]
        );
      taken.set(key, String(row.Id));
    }
    return row;
  });
  ctx.store.insertMany(object, rows);
  for (const row of rows) afterSave(ctx, object, row, undefined);
  return rows.map((row) => String(row.Id));
}

/** The row a create writes: defaults, system fields and numbers, automation, every check. */
function preparedInsert(
  ctx: OrgContext,
  object: ObjectSchema,
  record: JsonRecord
): Row {
  const given = fieldsOf(ctx, object, record, true);
  const now = ctx.now();
  const row: Row = {};
  for (const field of object.fields) {
    if (!isStored(field)) continue;
    const value = given.has(field) ? toColumn(field, given.get(field)) : null;
    if (value !== null) {
      row[field.name] = value;
    } else if (
      given.has(field) &&
      (field.nillable || !field.defaultedOnCreate)
    ) {
      // A blank given for a field that may be blank (or that has no default) stays blank.
      row[field.name] = null;
    } else if (field.type === 'boolean') {
      row[field.name] = field.defaultValue === true ? 1 : 0;
    } else if (
      // Required fields with a default (defaultedOnCreate, not nillable) get it when left out
      // or given blank: they can never be null, and the platform "implicitly assigns a value
      // ... even if a value for this field is not explicitly passed in on the create call"
      // (SOAP API Developer Guide, "Required Fields"). Incident.Urgency defaults to High.
      field.defaultValue !== null &&
      (field.defaultedOnCreate || field.custom)
    ) {
      row[field.name] = toColumn(field, field.defaultValue);
    } else {
      row[field.name] = null;
    }
  }
  row.Id = nextId(ctx.db, object.keyPrefix);
  checkAuditFields(given, now);
  systemFields(ctx, object, row, now.toISOString(), true);
  for (const field of object.fields) {
    if (field.autoNumber) {
      const n = nextSequence(
        ctx.db,
        `autonumber:${object.name}.${field.name}`,
        AUTONUMBER_START[field.name] ?? 1
      );
      row[field.name] = String(n).padStart(8, '0');
    }
  }
  if ('OwnerId' in row && row.OwnerId === null) row.OwnerId = ctx.userId;
  // A hierarchy custom setting's record left without a location is the org's default.
  if ('SetupOwnerId' in row && row.SetupOwnerId === null)
    row.SetupOwnerId = ctx.orgId;
  platformDefaults(ctx, object, row, undefined);
  beforeWrite(
    { store: ctx.store, registry: ctx.registry, now },
    object,
    row,
    undefined
  );
  checkRow(ctx, object, row, undefined);
  checkValidationRules(ctx, object, row, undefined);
  checkPlatformRules(ctx, object, row, undefined);
  return row;
}

/**
 * The system fields of a write. On insert, audit fields the caller set (possible only with
 * "Set Audit Fields upon Record Creation" on, which makes them createable) are kept.
 */
function systemFields(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  now: string,
  insert: boolean
): void {
  const set = (name: string, value: string | number): void => {
    if (ctx.registry.field(object.name, name)) row[name] = value;
  };
  /** An audit field the caller set on insert stays; otherwise the platform's value. */
  const setUnlessGiven = (name: string, value: string): void => {
    set(name, insert ? String(row[name] ?? value) : value);
  };
  if (insert) {
    setUnlessGiven('CreatedDate', now);
    setUnlessGiven('CreatedById', ctx.userId);
    set('IsDeleted', 0);
  }
  setUnlessGiven('LastModifiedDate', insert ? String(row.CreatedDate) : now);
  setUnlessGiven(
    'LastModifiedById',
    insert ? String(row.CreatedById) : ctx.userId
  );
  set('SystemModstamp', now);
}

/** "Set Audit Fields upon Record Creation": dates in the past only, and never modified before created. */
function checkAuditFields(given: Map<FieldSchema, unknown>, now: Date): void {
  const dates = new Map<string, { field: FieldSchema; at: number }>();
  for (const [field, value] of given) {
    if (field.name !== 'CreatedDate' && field.name !== 'LastModifiedDate')
      continue;
    const at = Date.parse(String(toColumn(field, value)));
    if (at > now.getTime())
      throw new RecordError(
        'INVALID_FIELD',
        `${field.label}: an audit date cannot be in the future`,
        [field.name]
      );
    dates.set(field.name, { field, at });
  }
  const created = dates.get('CreatedDate');
  const modified = dates.get('LastModifiedDate');
  if (created && modified && modified.at < created.at)
    throw new RecordError(
      'INVALID_FIELD',
      `${modified.field.label}: cannot be earlier than the Created Date`,
      [modified.field.name]
    );
}

export function parseId(object: ObjectSchema, text: string): string {
  const id = normalizeId(text);
  if (!id) throw malformedId(object.label, text);
  return id;
}

/** The existing row, or NOT_FOUND / MALFORMED_ID as the platform reports them for a record URL. */
export function existingRow(
  ctx: OrgContext,
  object: ObjectSchema,
  idText: string
): Row {
  const id = parseId(object, idText);
  if (ctx.registry.objectForId(id)?.name !== object.name) {
    throw externalIdNotFound(idText);
  }
  const row = ctx.store.get(object, id);
  if (row) return row;
  // REST answers a record in the recycle bin with 404 ENTITY_IS_DELETED, an unknown one NOT_FOUND.
  if (ctx.store.getDeleted(object, id))
    throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  throw notFound();
}

export function updateRecord(
  ctx: OrgContext,
  objectName: string,
  idText: string,
  record: JsonRecord
): void {
  const object = objectOrThrow(ctx, objectName);
  // Not updateable: custom metadata, and a standard object whose fields are all create-only.
  if (!object.updateable || object.customMetadata) {
    throw new RecordError(
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be updated: ${object.label}`
    );
  }
  const before = existingRecordForWrite(ctx, object, idText);
  const given = fieldsOf(ctx, object, record, false);
  const changes: Row = {};
  for (const [field, value] of given)
    changes[field.name] = toColumn(field, value);
  const now = ctx.now();
  systemFields(ctx, object, changes, now.toISOString(), false);
  platformDefaults(ctx, object, changes, before);
  beforeWrite(
    { store: ctx.store, registry: ctx.registry, now },
    object,
    changes,
    before
  );
  checkRow(ctx, object, { ...changes, Id: before.Id ?? null }, before);
  checkValidationRules(ctx, object, { ...before, ...changes }, before);
  checkPlatformRules(ctx, object, { ...before, ...changes }, before);
  ctx.store.update(object, String(before.Id), changes);
  afterSave(ctx, object, { ...before, ...changes }, before);
}

/** In batches a missing or malformed id is a record error (ENTITY_IS_DELETED / MALFORMED_ID), not a 404. */
function existingRecordForWrite(
  ctx: OrgContext,
  object: ObjectSchema,
  idText: string
): Row {
  const id = normalizeId(idText);
  if (!id)
    throw new RecordError(
      'MALFORMED_ID',
      `${object.label} ID: id value of incorrect type: ${idText}`,
      ['Id']
    );
  const row =
    ctx.registry.objectForId(id)?.name === object.name
      ? ctx.store.get(object, id)
      : undefined;
  if (!row) throw entityIsDeleted();
  return row;
}

const entityIsDeleted = (): RecordError =>
  new RecordError('ENTITY_IS_DELETED', 'entity is deleted', []);

/**
 * Deletes a record to the recycle bin (hard: for good, as Bulk API 2.0's hardDelete), with the
 * master-detail children the platform deletes with it. Deleting a deleted record answers
 * ENTITY_IS_DELETED.
 */
export function deleteRecord(
  ctx: OrgContext,
  idText: string,
  objectName?: string,
  hard = false
): void {
  const id = normalizeId(idText);
  if (!id) throw new RecordError('MALFORMED_ID', `malformed id ${idText}`, []);
  const object = objectName
    ? objectOrThrow(ctx, objectName)
    : ctx.registry.objectForId(id);
  if (!object || !ctx.store.exists(object, id)) throw entityIsDeleted();
  if (!object.deletable || object.customMetadata) {
    throw new RecordError(
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be deleted: ${object.label}`
    );
  }
  beforeDelete(ctx, object, ctx.store.get(object, id) ?? { Id: id });
  removeWithChildren(ctx, object, id, ctx.now().toISOString(), hard);
}

function removeWithChildren(
  ctx: OrgContext,
  object: ObjectSchema,
  id: string,
  stamp: string,
  hard: boolean
): void {
  for (const relationship of object.childRelationships) {
    const child = relationship.cascadeDelete
      ? ctx.registry.object(relationship.childSObject)
      : undefined;
    if (!child) continue;
    for (const childId of ctx.store.idsWhere(child, relationship.field, id))
      removeWithChildren(ctx, child, childId, stamp, hard);
  }
  if (hard || !hasRecycleBin(object)) {
    ctx.store.delete(object, id);
    return;
  }
  // The deletion's one timestamp marks the children deleted with the record, so an undelete
  // brings back those and not children deleted on their own before.
  ctx.store.recycle(object, id, {
    IsDeleted: 1,
    LastModifiedDate: stamp,
    LastModifiedById: ctx.userId,
    SystemModstamp: stamp
  });
}

/** Restores a record from the recycle bin with the children deleted with it (SOAP undelete()). */
export function undeleteRecord(ctx: OrgContext, idText: string): string {
  const id = normalizeId(idText);
  const object = id ? ctx.registry.objectForId(id) : undefined;
  if (!id || !object)
    throw new RecordError('MALFORMED_ID', `malformed id ${idText}`, []);
  const binned = ctx.store.getDeleted(object, id);
  if (!binned)
    throw new RecordError(
      'UNDELETE_FAILED',
      'Entity is not in the recycle bin',
      []
    );
  restoreWithChildren(ctx, object, binned, String(binned.SystemModstamp));
  return id;
}

function restoreWithChildren(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  stamp: string
): void {
  const id = String(row.Id);
  for (const field of object.fields) {
    if (!(field.unique || field.externalId) || row[field.name] === null)
      continue;
    const taken = ctx.store.findBy(object, field, row[field.name] ?? null);
    if (taken.length > 0)
      throw new RecordError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${taken[0] ?? ''}`,
        [field.name]
      );
  }
  const now = ctx.now().toISOString();
  ctx.store.undelete(object, id, {
    IsDeleted: 0,
    LastModifiedDate: now,
    LastModifiedById: ctx.userId,
    SystemModstamp: now
  });
  for (const relationship of object.childRelationships) {
    const child = relationship.cascadeDelete
      ? ctx.registry.object(relationship.childSObject)
      : undefined;
    if (!child || !hasRecycleBin(child)) continue;
    for (const childRow of ctx.store.deletedWhere(
      child,
      relationship.field,
      id,
      stamp
    ))
      restoreWithChildren(ctx, child, childRow, stamp);
  }
}

/** Removes records from the recycle bin for good (SOAP emptyRecycleBin()). */
export function purgeRecord(ctx: OrgContext, idText: string): string {
  const id = normalizeId(idText);
  const object = id ? ctx.registry.objectForId(id) : undefined;
  if (!id || !object || !ctx.store.getDeleted(object, id))
    throw new RecordError(
      'INVALID_ID_FIELD',
      `Entity is not in the recycle bin: ${idText}`,
      []
    );
  ctx.store.purge(object, id);
  return id;
}

export interface UpsertOutcome {
  id: string;
  created: boolean;
}

/** Upsert by external id (or Id): 300 MULTIPLE_CHOICES with the matching record URLs when several match. */
export function upsertRecord(
  ctx: OrgContext,
  objectName: string,
  fieldName: string,
  value: unknown,
  record: JsonRecord
): UpsertOutcome {
  const object = objectOrThrow(ctx, objectName);
  // An upsert may update, so an object that cannot be updated takes none, even one that would insert.
  if (!object.updateable && !object.customMetadata) {
    throw new RecordError(
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be upserted: ${object.label}`
    );
  }
  const field = ctx.registry.field(object.name, fieldName);
  if (!field || !(field.externalId || field.idLookup || field.name === 'Id')) {
    throw externalIdNotFound(fieldName);
  }
  const rest = Object.fromEntries(
    Object.entries(record).filter(([name]) => name !== field.name)
  );
  // Audit fields may be set on insert only, never through an upsert (even one that inserts).
  for (const name of Object.keys(rest)) {
    const given = ctx.registry.field(object.name, name);
    if (given?.createable && !given.updateable && AUDIT_FIELDS.has(given.name))
      throw notWritable(given);
  }
  const blank = value === null || value === undefined || value === '';
  // Upsert on Id with no id inserts (API 37.0 and later); any other key must be given.
  if (blank && field.name === 'Id')
    return { id: createRecord(ctx, object.name, rest), created: true };
  if (blank) {
    throw new RecordError('MISSING_ARGUMENT', `${field.name} not specified`, [
      field.name
    ]);
  }
  const key = toColumn(field, value);
  const matches =
    field.name === 'Id'
      ? ctx.store.exists(object, String(key))
        ? [String(key)]
        : []
      : ctx.store.findBy(object, field, key, 10);
  if (matches.length > 1) {
    throw new MultipleChoices(matches.map((id) => recordUrl(object.name, id)));
  }
  const match = matches[0];
  if (match) {
    delete rest.Id;
    updateRecord(ctx, object.name, match, rest);
    return { id: match, created: false };
  }
  if (field.name === 'Id')
    throw new RecordError('NOT_FOUND', 'Provided Id does not exist', ['Id']);
  return {
    id: createRecord(ctx, object.name, { ...rest, [field.name]: value }),
    created: true
  };
}

export class MultipleChoices extends ApiError {
  constructor(readonly urls: string[]) {
    super(
      300,
      'MULTIPLE_CHOICES',
      'More than one record found for external id field'
    );
  }
}
