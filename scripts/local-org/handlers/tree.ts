/**
 * sObject Tree (REST API Developer Guide, "Create Nested Records" / "sObject Tree"):
 * POST /composite/tree/{type} with records of that type, each with attributes.referenceId,
 * their children nested under child relationship names ({ "Contacts": { "records": [...] } }).
 * Up to 200 records in all and 5 levels; all or none: one failure rolls everything back and
 * answers 400 with hasErrors and the failing references. `sf data import tree` sends these.
 */
import type { OrgContext } from '../context.ts';
import { createRecord, objectOrThrow } from '../dml.ts';
import { ApiError } from '../errors.ts';
import { isObject, json, jsonObjectBody, type Handler } from '../http-types.ts';
import { commitIf } from '../transaction.ts';
import type { ObjectSchema } from '../../schema/types.ts';

const MAX_RECORDS = 200;
const MAX_DEPTH = 5;

interface TreeResult {
  referenceId: string;
  id?: string;
  errors?: { statusCode: string; message: string; fields: string[] }[];
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', message);
}

function recordsOf(value: unknown, where: string): Record<string, unknown>[] {
  const records = isObject(value) ? value.records : undefined;
  if (!Array.isArray(records) || !records.every(isObject))
    throw invalid(`${where}: expected { "records": [ ... ] }`);
  return records;
}

function countAll(records: Record<string, unknown>[], depth: number): number {
  if (depth > MAX_DEPTH)
    throw invalid(`sObject Tree accepts at most ${String(MAX_DEPTH)} levels`);
  let total = 0;
  for (const record of records) {
    total += 1;
    for (const value of Object.values(record))
      if (isObject(value) && Array.isArray(value.records))
        total += countAll(recordsOf(value, 'children'), depth + 1);
  }
  return total;
}

/** Creates one record and its nested children; the first failure stops the whole tree. */
function createTree(
  ctx: OrgContext,
  object: ObjectSchema,
  record: Record<string, unknown>,
  parentLink: { field: string; id: string } | null,
  results: TreeResult[]
): boolean {
  const attributes = isObject(record.attributes) ? record.attributes : {};
  const referenceId =
    typeof attributes.referenceId === 'string' ? attributes.referenceId : '';
  if (referenceId === '')
    throw invalid(`${object.name}: every record needs attributes.referenceId`);
  const fields: Record<string, unknown> = {};
  const children: [string, Record<string, unknown>[]][] = [];
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    if (isObject(value) && Array.isArray(value.records))
      children.push([name, recordsOf(value, `${referenceId}.${name}`)]);
    else fields[name] = value;
  }
  if (parentLink) fields[parentLink.field] = parentLink.id;
  let id: string;
  try {
    id = createRecord(ctx, object.name, fields);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    results.push({
      referenceId,
      errors: [
        {
          statusCode: error.errorCode,
          message: error.message,
          fields: error.fields ?? []
        }
      ]
    });
    return false;
  }
  results.push({ referenceId, id });
  for (const [relationshipName, childRecords] of children) {
    const relationship = object.childRelationships.find(
      (r) =>
        r.relationshipName?.toLowerCase() === relationshipName.toLowerCase()
    );
    if (!relationship)
      throw invalid(
        `${object.name} has no child relationship named ${relationshipName}`
      );
    const child = objectOrThrow(ctx, relationship.childSObject);
    for (const childRecord of childRecords)
      if (
        !createTree(
          ctx,
          child,
          childRecord,
          { field: relationship.field, id },
          results
        )
      )
        return false;
  }
  return true;
}

export const createTreeHandler: Handler = (ctx, req, [type = '']) => {
  const object = objectOrThrow(ctx, type);
  const records = recordsOf(jsonObjectBody(req), 'body');
  if (countAll(records, 1) > MAX_RECORDS)
    throw invalid(
      `sObject Tree accepts at most ${String(MAX_RECORDS)} records a request`
    );
  const results: TreeResult[] = [];
  const committed = commitIf(ctx.db, () =>
    records.every((record) => createTree(ctx, object, record, null, results))
  );
  if (!committed)
    return json(400, {
      hasErrors: true,
      results: results.filter((r) => r.errors !== undefined)
    });
  return json(201, { hasErrors: false, results });
};
