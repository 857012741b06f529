/**
 * Custom metadata records: written by a deploy (force-app at start) or the Metadata API, never
 * by DML, and stored like any other object so SOQL reads them from X__mdt.
 */
import type { CustomMetadataRecord } from '../schema/types.ts';
import type { OrgContext } from './context.ts';
import { objectOrThrow } from './dml.ts';
import { RecordError } from './errors.ts';
import { nextId, quote, type Row } from './storage.ts';
import { toColumn } from './values.ts';

/** What a deploy's CustomMetadataRecord and a Metadata API upsert both carry. */
export type CustomMetadataInput = Pick<
  CustomMetadataRecord,
  'type' | 'developerName' | 'label'
> & { values: Record<string, unknown> };

/** Inserts or replaces the record named type.developerName; returns whether it was created. */
export function upsertCustomMetadata(
  ctx: OrgContext,
  input: CustomMetadataInput
): { id: string; created: boolean } {
  const object = objectOrThrow(ctx, input.type);
  if (!object.customMetadata)
    throw new RecordError(
      'INVALID_TYPE',
      `${input.type} is not a custom metadata type`
    );
  if (
    !/^[A-Za-z][A-Za-z0-9_]*$/.test(input.developerName) ||
    input.developerName.includes('__')
  ) {
    throw new RecordError(
      'INVALID_FIELD',
      `Invalid DeveloperName: ${input.developerName}`,
      ['DeveloperName']
    );
  }
  const row: Row = {
    DeveloperName: input.developerName,
    MasterLabel: input.label,
    Label: input.label,
    QualifiedApiName: input.developerName,
    NamespacePrefix: null,
    Language: 'en_US'
  };
  for (const [name, value] of Object.entries(input.values)) {
    const field = ctx.registry.field(object.name, name);
    if (!field?.custom)
      throw new RecordError(
        'INVALID_FIELD',
        `No such field ${name} on ${object.name}`,
        [name]
      );
    row[field.name] = toColumn(field, value);
  }
  for (const name of Object.keys(row)) {
    if (!ctx.registry.field(object.name, name))
      Reflect.deleteProperty(row, name);
  }
  const existing = ctx.store
    .prepared(
      `SELECT "Id" FROM ${quote(object.name)} WHERE "DeveloperName" = ?`
    )
    .get(input.developerName) as { Id: string } | undefined;
  if (existing) {
    ctx.store.update(object, existing.Id, row);
    return { id: existing.Id, created: false };
  }
  const id = nextId(ctx.db, object.keyPrefix);
  ctx.store.insert(object, { Id: id, ...row });
  return { id, created: true };
}
