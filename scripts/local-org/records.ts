/** Records as the REST API returns them: `attributes` first, then fields in schema order. */
import type { ObjectSchema } from '../schema/types.ts';
import { API_VERSION, type OrgContext } from './context.ts';
import { RecordError } from './errors.ts';
import type { Row } from './storage.ts';
import { fromColumn, isStored } from './values.ts';

export const recordUrl = (type: string, id: string): string =>
  `/services/data/v${API_VERSION}/sobjects/${type}/${id}`;

export function recordJson(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  fieldNames?: string[]
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: object.name,
      url: recordUrl(object.name, String(row.Id))
    }
  };
  const fields = fieldNames
    ? fieldNames.map((name) => {
        const field = ctx.registry.field(object.name, name);
        if (!field || !isStored(field))
          throw new RecordError(
            'INVALID_FIELD',
            `No such column '${name}' on entity '${object.name}'.`,
            [name]
          );
        return field;
      })
    : object.fields.filter(isStored);
  for (const field of fields)
    out[field.name] = fromColumn(field, row[field.name]);
  return out;
}

export function parseFieldList(text: string | null): string[] | undefined {
  if (text === null || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}
