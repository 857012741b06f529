/** /sobjects: global and per-object describe, and record create/retrieve/update/delete/upsert. */
import { globalDescribeEntry, objectDescribe } from '../describe.ts';
import {
  createRecord,
  deleteRecord,
  existingRow,
  objectOrThrow,
  updateRecord,
  upsertRecord
} from '../dml.ts';
import { externalIdNotFound, notFound } from '../errors.ts';
import { json, jsonObjectBody, type Handler } from '../http-types.ts';
import { parseFieldList, recordJson, recordUrl } from '../records.ts';

export const describeGlobal: Handler = (ctx) =>
  json(200, {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: ctx.registry.objects().map(globalDescribeEntry)
  });

export const describeObject: Handler = (ctx, _req, [type = '']) =>
  json(200, objectDescribe(objectOrThrow(ctx, type)));

export const objectInfo: Handler = (ctx, _req, [type = '']) =>
  json(200, {
    objectDescribe: globalDescribeEntry(objectOrThrow(ctx, type)),
    recentItems: []
  });

export const createOne: Handler = (ctx, req, [type = '']) => {
  const body = jsonObjectBody(req);
  const id = ctx.db.transaction(() => createRecord(ctx, type, body))();
  return json(201, { id, success: true, errors: [] });
};

export const retrieveOne: Handler = (ctx, req, [type = '', id = '']) => {
  const object = objectOrThrow(ctx, type);
  const row = existingRow(ctx, object, id);
  return json(
    200,
    recordJson(ctx, object, row, parseFieldList(req.query.get('fields')))
  );
};

export const updateOne: Handler = (ctx, req, [type = '', id = '']) => {
  const object = objectOrThrow(ctx, type);
  existingRow(ctx, object, id);
  const body = jsonObjectBody(req);
  ctx.db.transaction(() => {
    updateRecord(ctx, object.name, id, body);
  })();
  return json(204);
};

export const deleteOne: Handler = (ctx, _req, [type = '', id = '']) => {
  const object = objectOrThrow(ctx, type);
  existingRow(ctx, object, id);
  ctx.db.transaction(() => {
    deleteRecord(ctx, id, object.name);
  })();
  return json(204);
};

export const upsertOne: Handler = (
  ctx,
  req,
  [type = '', field = '', value = '']
) => {
  const body = jsonObjectBody(req);
  const outcome = ctx.db.transaction(() =>
    upsertRecord(ctx, type, field, decodeURIComponent(value), body)
  )();
  return json(outcome.created ? 201 : 200, {
    id: outcome.id,
    success: true,
    errors: [],
    created: outcome.created
  });
};

/** GET /sobjects/Type/ExtField/value: retrieve by external id. */
export const retrieveByExternalId: Handler = (
  ctx,
  req,
  [type = '', fieldName = '', value = '']
) => {
  const object = objectOrThrow(ctx, type);
  const field = ctx.registry.field(object.name, fieldName);
  if (!field || !(field.externalId || field.idLookup)) {
    throw externalIdNotFound(fieldName);
  }
  const ids = ctx.store.findBy(object, field, decodeURIComponent(value), 10);
  if (ids.length === 0) throw notFound();
  if (ids.length > 1) {
    return json(
      300,
      ids.map((id) => recordUrl(object.name, id))
    );
  }
  return retrieveOne(ctx, req, [object.name, ids[0] ?? '']);
};
