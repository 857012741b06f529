/** Records as the REST API returns them: `attributes` first, then fields in schema order. */
import type { FieldSchema, ObjectSchema } from '../schema/types.ts';
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
        if (!field || !(isStored(field) || field.type === 'address'))
          throw new RecordError(
            'INVALID_FIELD',
            `No such column '${name}' on entity '${object.name}'.`,
            [name]
          );
        return field;
      })
    : object.fields.filter((f) => isStored(f) || f.type === 'address');
  for (const field of fields)
    out[field.name] =
      field.type === 'address'
        ? addressValue(ctx, object, field, row)
        : fromColumn(field, row[field.name]);
  return out;
}

/** Compound address components, by the suffix their fields share (BillingStreet -> street). */
export const ADDRESS_PARTS: Record<string, string> = {
  City: 'city',
  Country: 'country',
  GeocodeAccuracy: 'geocodeAccuracy',
  Latitude: 'latitude',
  Longitude: 'longitude',
  PostalCode: 'postalCode',
  State: 'state',
  Street: 'street'
};

/** The component field name of a compound address: BillingAddress + Street -> BillingStreet. */
export function addressPart(address: FieldSchema, suffix: string): string {
  return `${address.name.replace(/Address$/, '')}${suffix}`;
}

/**
 * A compound address (BillingAddress) read from its component fields (BillingStreet, ...), as
 * the platform returns it: an object of the parts, or null when every part is null.
 */
function addressValue(
  ctx: OrgContext,
  object: ObjectSchema,
  address: FieldSchema,
  row: Row
): Record<string, unknown> | null {
  const value: Record<string, unknown> = {};
  let empty = true;
  for (const [suffix, key] of Object.entries(ADDRESS_PARTS)) {
    const part = ctx.registry.field(object.name, addressPart(address, suffix));
    if (!part || !isStored(part)) continue;
    value[key] = fromColumn(part, row[part.name]);
    if (value[key] !== null) empty = false;
  }
  return empty ? null : value;
}

export function parseFieldList(text: string | null): string[] | undefined {
  if (text === null || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}
